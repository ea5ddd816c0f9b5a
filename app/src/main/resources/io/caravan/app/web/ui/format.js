// How values read on every page: times, durations, states and counts look the same wherever they appear.

// Order used wherever counts are listed, so the eye finds the same state in the same place.
const STATE_ORDER = ['succeeded', 'running', 'ready', 'queued', 'pending',
  'failed', 'upstream_failed', 'skipped', 'cancelled'];

export function label(state) {
  return state ? String(state).replace(/_/g, ' ') : '—';
}

export function shortId(id) {
  return String(id).slice(0, 8);
}

function pad(n) {
  return String(n).padStart(2, '0');
}

/** Local time, to the second; the ISO value stays available as a tooltip. */
export function fmtTime(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} `
    + `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

export function fmtDuration(ms) {
  if (ms == null) return '—';
  if (ms < 1000) return `${ms} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${pad(Math.floor(s % 60))}s`;
  return `${Math.floor(m / 60)}h ${pad(m % 60)}m`;
}

export function between(startIso, endIso) {
  if (!startIso) return null;
  const end = endIso ? new Date(endIso) : new Date();
  return Math.max(0, end - new Date(startIso));
}

export function fmtRelative(iso) {
  if (!iso) return '—';
  const delta = new Date(iso) - Date.now();
  const abs = Math.abs(delta);
  const text = abs < 60_000 ? `${Math.round(abs / 1000)}s`
    : abs < 3_600_000 ? `${Math.round(abs / 60_000)}m`
      : `${Math.round(abs / 3_600_000)}h`;
  return delta >= 0 ? `in ${text}` : `${text} ago`;
}

export function fmtValue(value) {
  if (value == null) return '—';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** "succeeded 120 · running 40 · failed 1", zero counts left out. */
export function fmtCounts(counts) {
  const keys = Object.keys(counts || {});
  const ordered = [...STATE_ORDER.filter((k) => keys.includes(k)), ...keys.filter((k) => !STATE_ORDER.includes(k))];
  return ordered.filter((k) => counts[k] > 0).map((k) => `${label(k)} ${counts[k]}`).join(' · ');
}
