// Caravan browser UI: one page, hash routing, plain DOM, built against docs/api.md.
// Every view polls the REST API; nothing here is fetched from anywhere but the Caravan server.

const TOKEN_KEY = 'caravan.token';

// Run and item states that will not change again unless someone retries.
const RUN_ENDED = new Set(['succeeded', 'failed', 'cancelled']);
const ITEM_ENDED = new Set(['succeeded', 'failed', 'upstream_failed', 'skipped', 'cancelled']);

// The one-letter-per-item alphabet of TASK.items.
const LETTER_STATE = {
  P: 'pending', Q: 'ready', R: 'running', S: 'succeeded',
  F: 'failed', U: 'upstream_failed', K: 'skipped', C: 'cancelled',
};

// Order used wherever counts are listed, so the eye finds the same state in the same place.
const STATE_ORDER = ['succeeded', 'running', 'ready', 'queued', 'pending',
  'failed', 'upstream_failed', 'skipped', 'cancelled'];

/* ------------------------------------------------------------------ DOM helpers */

/** Builds an element; attributes go through setAttribute, so data never becomes markup. */
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value == null || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key === 'text') el.textContent = value;
    else if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child == null || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

/** Writes only on change: polling every second must not restart selections or transitions. */
function setText(el, text) {
  const value = text == null ? '' : String(text);
  if (el.textContent !== value) el.textContent = value;
}

function setAttr(el, name, value) {
  const v = value == null ? null : String(value);
  if (el.getAttribute(name) !== v) {
    if (v == null) el.removeAttribute(name);
    else el.setAttribute(name, v);
  }
}

/**
 * Keeps one child per key, reusing existing nodes, so a row under the mouse survives a refresh
 * (a click that lands between two polls still reaches the row it was aimed at).
 */
function syncChildren(parent, list, keyOf, create, update) {
  const old = new Map();
  for (const el of parent.children) old.set(el.dataset.key, el);
  let prev = null;
  for (const item of list) {
    const key = String(keyOf(item));
    let el = old.get(key);
    if (el) old.delete(key);
    else {
      el = create(item);
      el.dataset.key = key;
    }
    update(el, item);
    const wanted = prev ? prev.nextSibling : parent.firstChild;
    if (el !== wanted) parent.insertBefore(el, wanted);
    prev = el;
  }
  for (const el of old.values()) el.remove();
}

function stateBadge(state, testid) {
  return h('span', { class: `badge st-${state}`, 'data-testid': testid, 'data-state': state, text: label(state) });
}

function updateBadge(el, state) {
  el.className = `badge st-${state}`;
  setAttr(el, 'data-state', state);
  setText(el, label(state));
}

function label(state) {
  return state ? String(state).replace(/_/g, ' ') : '—';
}

/* ------------------------------------------------------------------ formatting */

function shortId(id) {
  return String(id).slice(0, 8);
}

function pad(n) {
  return String(n).padStart(2, '0');
}

/** Local time, to the second; the ISO value stays available as a tooltip. */
function fmtTime(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} `
    + `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

function fmtDuration(ms) {
  if (ms == null) return '—';
  if (ms < 1000) return `${ms} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${pad(Math.floor(s % 60))}s`;
  return `${Math.floor(m / 60)}h ${pad(m % 60)}m`;
}

function between(startIso, endIso) {
  if (!startIso) return null;
  const end = endIso ? new Date(endIso) : new Date();
  return Math.max(0, end - new Date(startIso));
}

function fmtRelative(iso) {
  if (!iso) return '—';
  const delta = new Date(iso) - Date.now();
  const abs = Math.abs(delta);
  const text = abs < 60_000 ? `${Math.round(abs / 1000)}s`
    : abs < 3_600_000 ? `${Math.round(abs / 60_000)}m`
      : `${Math.round(abs / 3_600_000)}h`;
  return delta >= 0 ? `in ${text}` : `${text} ago`;
}

function timeCell(iso) {
  return h('time', { datetime: iso, title: iso, text: fmtTime(iso) });
}

function fmtValue(value) {
  if (value == null) return '—';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** "succeeded 120 · running 40 · failed 1", zero counts left out. */
function fmtCounts(counts) {
  const keys = Object.keys(counts || {});
  const ordered = [...STATE_ORDER.filter((k) => keys.includes(k)), ...keys.filter((k) => !STATE_ORDER.includes(k))];
  return ordered.filter((k) => counts[k] > 0).map((k) => `${label(k)} ${counts[k]}`).join(' · ');
}

/* ------------------------------------------------------------------ API and errors */

class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

function token() {
  return (localStorage.getItem(TOKEN_KEY) || '').trim();
}

/** Every request carries the token, reads too; a 401 asks the person for the token again. */
async function api(method, path, body) {
  const headers = { Accept: 'application/json' };
  const sent = token();
  if (sent) headers.Authorization = `Bearer ${sent}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res;
  try {
    res = await fetch(path, {
      method, headers, cache: 'no-store',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    throw new ApiError(0, `cannot reach the Caravan server (${e.message})`);
  }
  const text = await res.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (res.status === 401) {
    // An answer to a token replaced since it was sent says nothing about the new one.
    if (sent === token()) {
      askForToken(sent ? 'The server refused this browser\'s token (401): paste the current one from '
        + 'CARAVAN_HOME/api-token on the server\'s machine.' : FIRST_ASK);
    }
    throw new ApiError(401, 'the server needs its API token (401)');
  }
  if (!res.ok) throw new ApiError(res.status, (data && data.error) || `${res.status} ${res.statusText}`);
  return data;
}

const get = (path) => api('GET', path);
const post = (path, body) => api('POST', path, body);

const enc = encodeURIComponent;

// The banner remembers who raised it: a poll that succeeds again clears its own error,
// but never hides the answer to something the user clicked.
const banner = { el: null, source: null };

function showError(err, source, what) {
  const el = banner.el;
  const message = err instanceof Error ? err.message : String(err);
  setText(el.querySelector('.banner-text'), what ? `${what}: ${message}` : message);
  el.hidden = false;
  banner.source = source;
}

function clearError(source) {
  if (source && banner.source !== source) return;
  banner.el.hidden = true;
  banner.source = null;
}

/** Runs a user action (a POST) with its button disabled, reporting a failure in the banner. */
async function act(button, what, fn) {
  button.disabled = true;
  try {
    const result = await fn();
    clearError('action');
    return result;
  } catch (e) {
    if (e.status !== 401) showError(e, 'action', what);
    return undefined;
  } finally {
    button.disabled = false;
  }
}

/* ------------------------------------------------------------------ polling */

/** Everything a view starts; closed when the route changes so no stale poll paints the next view. */
class ViewContext {
  constructor() {
    this.alive = true;
    this.cleanups = [];
  }

  onClose(fn) {
    this.cleanups.push(fn);
  }

  close() {
    this.alive = false;
    for (const fn of this.cleanups) fn();
  }
}

/**
 * Calls step(), then again after the delay it returns (null stops). The next call is scheduled
 * only once the previous answer arrived, so a slow server never gets overlapping requests.
 * kick() polls now, e.g. right after a POST, and restarts a poller that had stopped.
 */
function poller(ctx, step) {
  let timer = null;
  let busy = false;
  let again = false;

  async function tick() {
    timer = null;
    busy = true;
    let delay;
    try {
      delay = await step();
    } catch (e) {
      console.error(e);
      delay = 2000;
    }
    busy = false;
    if (!ctx.alive) return;
    if (again) {
      again = false;
      tick();
    } else if (delay != null) {
      timer = setTimeout(tick, delay);
    }
  }

  ctx.onClose(() => clearTimeout(timer));
  const p = {
    kick() {
      if (!ctx.alive) return;
      if (busy) {
        again = true;
        return;
      }
      clearTimeout(timer);
      tick();
    },
  };
  p.kick();
  return p;
}

/** A GET for a poller: errors go to the banner under the poll's own name (and to onError), answer or null. */
async function pollGet(source, what, path, onError) {
  try {
    const data = await get(path);
    clearError(source);
    return data;
  } catch (e) {
    if (e.status !== 401) showError(e, source, what);
    if (onError) onError(e);
    return null;
  }
}

/**
 * The page's own subject (a run, an item) for its poller: { data }, or { next } when it could not be read,
 * the delay before the next try; a 404 shows `missing` and ends the polling (next: null).
 */
async function pollSubject(source, what, path, missing) {
  let failure = null;
  const data = await pollGet(source, what, path, (e) => { failure = e; });
  missing.hidden = !failure || failure.status !== 404;
  return failure ? { next: failure.status === 404 ? null : 2000 } : { data };
}

/* ------------------------------------------------------------------ runs list */

const RUNS_PAGE = 50;

function runsView(ctx, root, _params, query) {
  const offset = Math.max(0, parseInt(query.get('offset') || '0', 10) || 0);
  const workflow = query.get('workflow');
  document.title = 'Caravan · runs';

  const tbody = h('tbody');
  const summary = h('span', { class: 'muted', 'data-testid': 'runs-total' });
  const prev = h('a', { class: 'button', 'data-testid': 'runs-prev', text: '← newer' });
  const next = h('a', { class: 'button', 'data-testid': 'runs-next', text: 'older →' });
  const empty = h('p', { class: 'empty', hidden: true, text: 'no runs yet' });

  root.append(
    h('div', { class: 'page-head' },
      h('h1', {}, 'Runs', workflow ? h('span', { class: 'muted' }, ` of ${workflow}`) : null),
      workflow ? h('a', { href: '#/runs', class: 'small' }, 'show all') : null),
    h('table', { class: 'table runs' },
      h('thead', {}, h('tr', {}, ['Run', 'Workflow', 'State', 'Trigger', 'Created', 'Duration']
        .map((t) => h('th', { text: t })))),
      tbody),
    empty,
    h('div', { class: 'pager' }, prev, summary, next),
  );

  const pageHref = (o) => {
    const q = new URLSearchParams();
    if (o > 0) q.set('offset', String(o));
    if (workflow) q.set('workflow', workflow);
    const s = q.toString();
    return `#/runs${s ? `?${s}` : ''}`;
  };

  poller(ctx, async () => {
    const q = new URLSearchParams({ limit: String(RUNS_PAGE), offset: String(offset) });
    if (workflow) q.set('workflow', workflow);
    const data = await pollGet('runs', 'Loading runs', `/api/runs?${q}`);
    if (!data || !ctx.alive) return 2000;
    syncChildren(tbody, data.runs, (r) => r.id, createRunRow, updateRunRow);
    empty.hidden = data.runs.length > 0;
    const from = data.total === 0 ? 0 : offset + 1;
    setText(summary, `${from}–${offset + data.runs.length} of ${data.total}`);
    togglePagerLink(prev, offset > 0, pageHref(Math.max(0, offset - RUNS_PAGE)));
    togglePagerLink(next, offset + RUNS_PAGE < data.total, pageHref(offset + RUNS_PAGE));
    return 2000;
  });
}

function togglePagerLink(a, enabled, href) {
  a.classList.toggle('disabled', !enabled);
  setAttr(a, 'href', enabled ? href : null);
}

function createRunRow(run) {
  const open = () => { location.hash = `#/runs/${enc(run.id)}`; };
  const row = h('tr', {
    class: 'clickable', 'data-testid': 'run-row', 'data-run-id': run.id, tabindex: 0,
    onclick: open,
    onkeydown: (e) => { if (e.key === 'Enter') open(); },
  },
  h('td', {}, h('a', { href: `#/runs/${enc(run.id)}`, title: run.id }, h('code', { text: shortId(run.id) }))),
  h('td', { class: 'c-workflow' }),
  h('td', {}, stateBadge(run.state)),
  h('td', { class: 'c-trigger muted' }),
  h('td', { class: 'c-created' }),
  h('td', { class: 'c-duration num' }));
  return row;
}

function updateRunRow(row, run) {
  setAttr(row, 'data-state', run.state);
  setText(row.querySelector('.c-workflow'), run.workflow);
  updateBadge(row.querySelector('.badge'), run.state);
  setText(row.querySelector('.c-trigger'), run.trigger);
  const created = row.querySelector('.c-created');
  setText(created, fmtTime(run.created_at));
  setAttr(created, 'title', run.created_at);
  setText(row.querySelector('.c-duration'), fmtDuration(run.duration_ms));
}

/* ------------------------------------------------------------------ item grid (canvas) */

const CELL = 11;
const GAP = 2;
const PITCH = CELL + GAP;

let stateColours = null;

/** Colours come from the stylesheet's custom properties, so badges and cells always agree. */
function colourOf(letter) {
  if (!stateColours) {
    const css = getComputedStyle(document.documentElement);
    stateColours = {};
    for (const [l, state] of Object.entries(LETTER_STATE)) {
      stateColours[l] = css.getPropertyValue(`--st-${state}`).trim() || '#999';
    }
  }
  return stateColours[letter] || '#999';
}

const tooltip = {
  el: null,
  show(x, y, text) {
    this.el.textContent = text;
    this.el.hidden = false;
    this.el.style.left = `${x + 12}px`;
    this.el.style.top = `${y + 14}px`;
  },
  hide() {
    this.el.hidden = true;
  },
};

/**
 * All items of one task on a single canvas: a DOM node per item would make a 1000-item fan-out
 * sluggish to repaint every second. Cells wrap onto as many lines as the width needs.
 */
class ItemGrid {
  constructor(task, onOpen) {
    this.items = '';
    this.hover = -1;
    this.width = 0;
    this.onOpen = onOpen;
    this.canvas = h('canvas', { class: 'grid', 'data-testid': `grid-${task}`, 'data-task': task, 'data-pitch': PITCH });
    this.wrap = h('div', { class: 'grid-wrap' }, this.canvas);
    this.canvas.addEventListener('mousemove', (e) => this.onMove(e));
    this.canvas.addEventListener('mouseleave', () => this.setHover(-1));
    this.canvas.addEventListener('click', (e) => {
      const i = this.indexAt(e);
      if (i >= 0) this.onOpen(i);
    });
    // Only a width change re-lays the cells; the height follows from it.
    this.resize = new ResizeObserver(() => {
      if (this.wrap.clientWidth !== this.width) this.draw();
    });
    this.resize.observe(this.wrap);
  }

  dispose() {
    this.resize.disconnect();
  }

  set(items) {
    if (items === this.items) return;
    this.items = items;
    this.canvas.dataset.items = items;
    this.draw();
  }

  columns() {
    return Math.max(1, Math.floor((this.width + GAP) / PITCH));
  }

  draw() {
    this.width = this.wrap.clientWidth;
    if (this.width === 0) return;
    const n = this.items.length;
    const cols = this.columns();
    const rows = Math.max(1, Math.ceil(n / cols));
    const cssHeight = rows * PITCH - GAP;
    const dpr = window.devicePixelRatio || 1;
    const c = this.canvas;
    c.dataset.cols = String(cols);
    c.style.height = `${cssHeight}px`;
    c.width = Math.round(this.width * dpr);
    c.height = Math.round(cssHeight * dpr);
    const g = c.getContext('2d');
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    g.clearRect(0, 0, this.width, cssHeight);

    // One path per state: a handful of fills instead of one per item.
    const paths = new Map();
    for (let i = 0; i < n; i++) {
      const letter = this.items[i];
      let path = paths.get(letter);
      if (!path) paths.set(letter, path = new Path2D());
      path.rect((i % cols) * PITCH, Math.floor(i / cols) * PITCH, CELL, CELL);
    }
    for (const [letter, path] of paths) {
      g.fillStyle = colourOf(letter);
      g.fill(path);
    }
    if (this.hover >= 0 && this.hover < n) {
      g.strokeStyle = '#1d2530';
      g.lineWidth = 1.5;
      g.strokeRect((this.hover % cols) * PITCH - 0.5, Math.floor(this.hover / cols) * PITCH - 0.5, CELL + 1, CELL + 1);
    }
  }

  indexAt(e) {
    const rect = this.canvas.getBoundingClientRect();
    const x = e.clientX - rect.left;
    const y = e.clientY - rect.top;
    const col = Math.floor(x / PITCH);
    const row = Math.floor(y / PITCH);
    // The gap between cells belongs to no item.
    if (col >= this.columns() || x - col * PITCH > CELL || y - row * PITCH > CELL) return -1;
    const i = row * this.columns() + col;
    return i < this.items.length ? i : -1;
  }

  onMove(e) {
    const i = this.indexAt(e);
    this.setHover(i);
    if (i >= 0) tooltip.show(e.clientX, e.clientY, `#${i} · ${label(LETTER_STATE[this.items[i]] || this.items[i])}`);
  }

  setHover(i) {
    if (i < 0) tooltip.hide();
    this.canvas.style.cursor = i >= 0 ? 'pointer' : 'default';
    if (i === this.hover) return;
    this.hover = i;
    this.draw();
  }
}

/* ------------------------------------------------------------------ one run */

function runView(ctx, root, params) {
  const runId = params[0];
  const runPath = `/api/runs/${enc(runId)}`;
  document.title = `Caravan · run ${shortId(runId)}`;

  const title = h('h1', {}, h('span', { class: 'c-workflow' }), ' ', h('code', { class: 'muted small', title: runId, text: shortId(runId) }));
  const state = stateBadge('queued', 'run-state');
  const trigger = h('span', { 'data-testid': 'run-trigger' });
  const created = h('span');
  const duration = h('span', { 'data-testid': 'run-duration' });
  const cancel = h('button', { class: 'danger', 'data-testid': 'cancel-run', hidden: true, text: 'Cancel run' });
  const grid = h('div', { class: 'tasks', 'data-testid': 'grid' });
  const failedBox = h('div', { class: 'failed-list' });
  const failedSection = h('section', { hidden: true }, h('h2', { text: 'Failed items' }), failedBox);
  const undeliveredList = h('ul', { class: 'failed', 'data-testid': 'undelivered' });
  const undeliveredSection = h('section', { hidden: true }, h('h2', { text: 'Notifications not delivered' }), undeliveredList);

  // Shown once the first answer is in, so a placeholder state never flashes up.
  const body = h('div', { hidden: true },
    h('div', { class: 'page-head' }, title, cancel),
    h('dl', { class: 'meta' },
      h('dt', { text: 'state' }), h('dd', {}, state),
      h('dt', { text: 'trigger' }), h('dd', {}, trigger),
      h('dt', { text: 'created' }), h('dd', {}, created),
      h('dt', { text: 'duration' }), h('dd', {}, duration)),
    legend(),
    grid,
    failedSection,
    undeliveredSection);
  const missing = h('p', { class: 'empty', hidden: true, text: `There is no run ${runId}.` });
  root.append(
    h('nav', { class: 'crumbs' }, h('a', { href: '#/runs', text: 'Runs' }), ' / ', h('code', { text: shortId(runId) })),
    body,
    missing,
  );

  const rows = new Map(); // task id → {el, grid, badge, counts}
  const failed = new Map(); // task id → signature of its failed indices, to refetch only on change
  ctx.onClose(() => rows.forEach((r) => r.grid.dispose()));

  const poll = poller(ctx, async () => {
    const got = await pollSubject('run', 'Loading the run', runPath, missing);
    if (!got.data) return got.next;
    const run = got.data;
    if (!ctx.alive) return null;
    body.hidden = false; // before drawing: a hidden canvas has no width to lay cells out in
    setText(title.querySelector('.c-workflow'), run.workflow);
    updateBadge(state, run.state);
    setText(trigger, run.trigger);
    setText(created, fmtTime(run.created_at));
    setText(duration, fmtDuration(run.duration_ms));
    cancel.hidden = RUN_ENDED.has(run.state);
    run.tasks.forEach((task, i) => {
      const row = updateTaskRow(task);
      row.clear.hidden = !RUN_ENDED.has(run.state);
      // A task appears once released; keep the rows in workflow order whatever order they came in.
      if (grid.children[i] !== row.el) grid.insertBefore(row.el, grid.children[i] || null);
    });
    await refreshFailed(run.tasks);
    const undelivered = run.notification_failures || [];
    undeliveredSection.hidden = undelivered.length === 0;
    undeliveredList.replaceChildren(...undelivered.map((f) => h('li', {},
      h('span', { text: f.event }), ' ', h('code', { text: f.endpoint }), ' ',
      h('span', { class: 'muted small', text: fmtTime(f.at) }), ' ',
      h('span', { class: 'error-text', title: f.reason, text: f.reason }))));
    // An ended run only changes again if someone retries an item, maybe from elsewhere: look now and then.
    return RUN_ENDED.has(run.state) ? 10_000 : 1000;
  });

  cancel.addEventListener('click', async () => {
    if (!window.confirm('Cancel this run? Running items are stopped.')) return;
    await act(cancel, 'Cancel', () => post(`${runPath}/cancel`));
    poll.kick();
  });

  function updateTaskRow(task) {
    let row = rows.get(task.id);
    if (!row) {
      row = createTaskRow(task.id);
      rows.set(task.id, row);
    }
    setAttr(row.el, 'data-state', task.state);
    updateBadge(row.badge, task.state);
    const counts = task.counts || {};
    setAttr(row.counts, 'data-counts', JSON.stringify(counts));
    setText(row.counts, task.item_count == null ? 'not expanded yet' : (fmtCounts(counts) || 'no items'));
    setText(row.total, task.item_count == null ? '' : `${task.item_count} item${task.item_count === 1 ? '' : 's'}`);
    row.grid.set(task.items || '');
    return row;
  }

  function createTaskRow(taskId) {
    const itemGrid = new ItemGrid(taskId, (i) => {
      location.hash = `#/runs/${enc(runId)}/tasks/${enc(taskId)}/items/${i}`;
    });
    const badge = stateBadge('pending', `task-state-${taskId}`);
    const counts = h('div', { class: 'counts', 'data-testid': `counts-${taskId}` });
    const total = h('span', { class: 'muted small' });
    const clear = h('button', { class: 'small', 'data-testid': 'clear-task', 'data-task': taskId, hidden: true, text: 'Clear',
      title: 'Run this task and the tasks after it again in this run; what it depends on is not run again' });
    clear.addEventListener('click', async () => {
      if (!window.confirm(`Run ${taskId} and the tasks after it again?`)) return;
      await act(clear, `Clear ${taskId}`, () => post(`${runPath}/tasks/${enc(taskId)}/clear?downstream=true`));
      poll.kick();
    });
    const el = h('div', { class: 'task', 'data-testid': `task-${taskId}`, 'data-task': taskId },
      h('div', { class: 'task-head' },
        h('div', { class: 'task-name' }, h('strong', { text: taskId }), ' ', badge, ' ', clear),
        h('div', {}, total),
        counts),
      itemGrid.wrap);
    return { el, grid: itemGrid, badge, counts, total, clear };
  }

  /** The letters say which items failed; their errors are fetched only when that set changes. */
  async function refreshFailed(tasks) {
    let any = false;
    for (const task of tasks) {
      const items = task.items || '';
      let signature = '';
      for (let i = 0; i < items.length; i++) if (items[i] === 'F') signature += `${i},`;
      if (!signature && (task.counts?.failed || 0) > 0) signature = `count:${task.counts.failed}`;
      const box = taskFailedBox(task.id);
      if (!signature) {
        failed.delete(task.id);
        box.replaceChildren();
        box.hidden = true;
        continue;
      }
      any = true;
      box.hidden = false;
      if (failed.get(task.id) === signature) continue;
      const data = await pollGet('failed', 'Loading failed items',
        `${runPath}/tasks/${enc(task.id)}/items?state=failed&limit=100`);
      if (!data || !ctx.alive) continue;
      failed.set(task.id, signature);
      renderFailed(box, task.id, data);
    }
    failedSection.hidden = !any;
  }

  function taskFailedBox(taskId) {
    let box = failedBox.querySelector(`:scope > [data-failed-task="${CSS.escape(taskId)}"]`);
    if (!box) {
      box = h('div', { 'data-failed-task': taskId, hidden: true });
      failedBox.append(box);
    }
    return box;
  }

  function renderFailed(box, taskId, data) {
    const list = h('ul', { class: 'failed' });
    syncChildren(list, data.items, (it) => it.index, (it) => failedRow(taskId, it), () => {});
    const more = data.total > data.items.length
      ? h('p', { class: 'muted small', text: `and ${data.total - data.items.length} more failed items` }) : null;
    box.replaceChildren(...[h('h3', { text: `${taskId} · ${data.total} failed` }), list, more].filter(Boolean));
  }

  function failedRow(taskId, item) {
    const retry = h('button', { 'data-testid': 'retry-item', text: 'Retry' });
    retry.addEventListener('click', async () => {
      const ok = await act(retry, `Retry ${taskId} #${item.index}`,
        () => post(`${runPath}/tasks/${enc(taskId)}/items/${item.index}/retry`));
      if (ok) {
        retry.textContent = 'Retrying…';
        retry.disabled = true;
      }
      poll.kick();
    });
    return h('li', { 'data-testid': 'failed-item', 'data-task': taskId, 'data-index': item.index },
      h('a', { href: `#/runs/${enc(runId)}/tasks/${enc(taskId)}/items/${item.index}` }, `#${item.index}`),
      h('span', { class: 'item-value', title: fmtValue(item.item), text: fmtValue(item.item) }),
      h('span', { class: 'muted small', text: `attempt ${item.attempt}/${item.max_attempts}${item.host ? ` on ${item.host}` : ''}` }),
      h('span', { class: 'error-text', title: item.error || '', text: item.error || '' }),
      retry);
  }
}

function legend() {
  return h('div', { class: 'legend' }, Object.values(LETTER_STATE).map((s) =>
    h('span', {}, h('i', { class: `swatch st-${s}` }), label(s))));
}

/* ------------------------------------------------------------------ one item and its log */

function itemView(ctx, root, params) {
  const [runId, taskId, index] = params;
  const itemPath = `/api/runs/${enc(runId)}/tasks/${enc(taskId)}/items/${index}`;
  document.title = `Caravan · ${taskId} #${index}`;

  const state = stateBadge('pending', 'item-state');
  const retry = h('button', { 'data-testid': 'retry-item', hidden: true, text: 'Retry' });
  const fields = {
    item: h('dd', { class: 'item-value' }),
    attempt: h('dd', { 'data-testid': 'item-attempt' }),
    host: h('dd', { 'data-testid': 'item-host' }),
    started: h('dd'),
    ended: h('dd'),
    duration: h('dd'),
  };
  const error = h('pre', { class: 'error-box', 'data-testid': 'item-error', hidden: true });
  const attempts = h('tbody');
  const attemptsTable = h('table', { class: 'table compact', hidden: true },
    h('thead', {}, h('tr', {}, ['Attempt', 'State', 'Started', 'Ended', 'Duration', 'Error'].map((t) => h('th', { text: t })))),
    attempts);
  const logState = h('span', { class: 'muted small', 'data-testid': 'log-state' });
  const log = h('pre', { class: 'log', 'data-testid': 'log' });

  const details = h('div', { hidden: true },
    h('div', { class: 'page-head' }, h('h1', {}, `${taskId} `, h('span', { class: 'muted', text: `#${index}` }), ' ', state), retry),
    h('dl', { class: 'meta' },
      h('dt', { text: 'item' }), fields.item,
      h('dt', { text: 'attempt' }), fields.attempt,
      h('dt', { text: 'host' }), fields.host,
      h('dt', { text: 'started' }), fields.started,
      h('dt', { text: 'ended' }), fields.ended,
      h('dt', { text: 'duration' }), fields.duration),
    error);
  const missing = h('p', { class: 'empty', hidden: true, text: `There is no item ${index} of ${taskId} in run ${runId}.` });
  root.append(
    h('nav', { class: 'crumbs' },
      h('a', { href: '#/runs', text: 'Runs' }), ' / ',
      h('a', { href: `#/runs/${enc(runId)}` }, h('code', { text: shortId(runId) })), ' / ',
      taskId, ` / #${index}`),
    details,
    missing,
    h('div', { class: 'section-head' }, h('h2', { text: 'Log' }), logState),
    log,
    h('h2', { text: 'Attempts' }),
    attemptsTable,
  );

  // The log is the current attempt's: a new attempt (a retry here, elsewhere or automatic)
  // starts it again from byte 0. `generation` drops answers that belong to the old attempt.
  const follow = { offset: 0, attempt: null, finished: false, generation: 0 };

  function restartLog() {
    follow.generation += 1;
    follow.offset = 0;
    follow.finished = false;
    log.replaceChildren();
    logPoll.kick();
  }

  const itemPoll = poller(ctx, async () => {
    const got = await pollSubject('item', 'Loading the item', itemPath, missing);
    if (!got.data) return got.next;
    const item = got.data;
    if (!ctx.alive) return null;
    details.hidden = false;
    updateBadge(state, item.state);
    setText(fields.item, fmtValue(item.item));
    setText(fields.attempt, `${item.attempt ?? '—'}/${item.max_attempts ?? '—'}`);
    setText(fields.host, item.host || '—');
    setText(fields.started, fmtTime(item.started_at));
    setText(fields.ended, fmtTime(item.ended_at));
    setText(fields.duration, fmtDuration(between(item.started_at, item.ended_at)));
    setText(error, item.error || '');
    error.hidden = !item.error;
    retry.hidden = item.state !== 'failed';
    renderAttempts(item.attempts || []);
    if (follow.attempt != null && item.attempt !== follow.attempt) restartLog();
    follow.attempt = item.attempt;
    return ITEM_ENDED.has(item.state) ? 10_000 : 1000;
  });

  const logPoll = poller(ctx, async () => {
    const generation = follow.generation;
    const data = await pollGet('log', 'Reading the log', `${itemPath}/log?offset=${follow.offset}`);
    if (!ctx.alive) return null;
    if (!data) return missing.hidden ? 2000 : null;
    if (generation !== follow.generation) return 0;
    if (data.size < follow.offset) {
      // The log shrank under us: a new attempt began between two item polls.
      restartLog();
      return null;
    }
    if (data.text) appendLog(data.text);
    follow.offset = data.next_offset;
    follow.finished = data.finished;
    setText(logState, data.finished ? `complete · ${data.size} bytes` : `following… ${data.size} bytes`);
    if (data.finished) return null;
    // More than one 64 KiB page waiting: read on at once rather than a page a second.
    return data.next_offset < data.size ? 0 : 1000;
  });

  function appendLog(text) {
    // Stay at the bottom while following, unless the reader scrolled up to look at something.
    const atBottom = log.scrollTop + log.clientHeight >= log.scrollHeight - 24;
    log.append(text);
    if (atBottom) log.scrollTop = log.scrollHeight;
  }

  retry.addEventListener('click', async () => {
    const answer = await act(retry, `Retry ${taskId} #${index}`, () => post(`${itemPath}/retry`));
    if (answer) {
      retry.hidden = true;
      follow.attempt = answer.attempt ?? follow.attempt;
      restartLog();
    }
    itemPoll.kick();
  });

  function renderAttempts(list) {
    attemptsTable.hidden = list.length === 0;
    syncChildren(attempts, list, (a) => a.attempt, () => h('tr', {},
      h('td', { class: 'num' }), h('td', {}, stateBadge('pending')), h('td'), h('td'), h('td', { class: 'num' }), h('td', { class: 'error-text' })),
    (tr, a) => {
      const td = tr.children;
      setText(td[0], a.attempt);
      updateBadge(td[1].firstChild, a.state);
      setText(td[2], fmtTime(a.started_at));
      setText(td[3], fmtTime(a.ended_at));
      setText(td[4], fmtDuration(between(a.started_at, a.ended_at)));
      setText(td[5], a.error || '');
      setAttr(td[5], 'title', a.error || null);
    });
  }
}

/* ------------------------------------------------------------------ hosts and pools */

function hostsView(ctx, root) {
  document.title = 'Caravan · hosts';
  const hosts = h('tbody');
  const pools = h('div', { class: 'pools' });
  const noHosts = h('p', { class: 'empty', hidden: true, text: 'no hosts configured' });
  const cols = ['Host', 'Pools', 'Slots', 'Owner', 'Handshakes', 'Open conns', 'Channels in use', 'Refusals', 'Reconnects'];
  root.append(
    h('div', { class: 'page-head' }, h('h1', { text: 'Hosts' })),
    h('table', { class: 'table hosts' }, h('thead', {}, h('tr', {}, cols.map((t) => h('th', { text: t })))), hosts),
    noHosts,
    h('p', { class: 'muted small', text: 'Connection figures are this server\'s own SSH transport.' }),
    h('h2', { text: 'Pools' }),
    pools,
  );

  poller(ctx, async () => {
    const [h1, p1] = await Promise.all([
      pollGet('hosts', 'Loading hosts', '/api/hosts'),
      pollGet('pools', 'Loading pools', '/api/pools'),
    ]);
    if (!ctx.alive) return null;
    if (h1) {
      syncChildren(hosts, h1.hosts, (x) => x.host, createHostRow, updateHostRow);
      noHosts.hidden = h1.hosts.length > 0;
    }
    if (p1) renderPools(pools, p1.pools);
    return 2000;
  });
}

function createHostRow(host) {
  const cell = (name, cls = 'num') => h('td', { class: cls, 'data-col': name });
  return h('tr', { 'data-testid': 'host-row', 'data-host': host.host },
    h('td', {}, h('code', { text: host.host })),
    cell('pools', ''), cell('slots', 'slots'), cell('owner', ''), cell('handshakes'), cell('open_connections'),
    cell('channels_in_use'), cell('channel_refusals'), cell('reconnects'));
}

function updateHostRow(row, host) {
  const c = (name) => row.querySelector(`[data-col="${name}"]`);
  const busy = host.busy ?? 0;
  const slots = host.slots; // null for a host that is in no pool: it has no slots to fill
  setAttr(row, 'data-handshakes', host.handshakes);
  setText(c('pools'), (host.pools || []).join(', ') || '—');
  const slotsCell = c('slots');
  if (!slotsCell.firstChild) slotsCell.append(meter(), h('span', { class: 'small' }));
  slotsCell.firstChild.hidden = slots == null;
  slotsCell.firstChild.firstChild.style.width = `${slots ? Math.min(100, (100 * busy) / slots) : 0}%`;
  setText(slotsCell.lastChild, slots == null ? `${busy} busy · no pool`
    : `${busy} busy · ${Math.max(0, slots - busy)} free of ${slots}`);
  setText(c('owner'), host.owner ?? '—');
  setText(c('handshakes'), host.handshake_failures ? `${host.handshakes} (${host.handshake_failures} failed)` : host.handshakes);
  setText(c('open_connections'), host.open_connections);
  setText(c('channels_in_use'), `${host.channels_in_use} (${host.channels_opened} opened)`);
  setText(c('channel_refusals'), host.channel_refusals);
  setText(c('reconnects'), host.reconnects);
}

function meter() {
  return h('span', { class: 'meter' }, h('span'));
}

function renderPools(box, pools) {
  syncChildren(box, pools, (p) => p.name, (p) => h('div', { class: 'pool card', 'data-testid': 'pool', 'data-pool': p.name },
    h('h3', { text: p.name }),
    h('table', { class: 'table compact' },
      h('thead', {}, h('tr', {}, ['Connection', 'Host', 'Slots', 'Busy', 'Free'].map((t) => h('th', { text: t })))),
      h('tbody'))),
  (el, p) => {
    syncChildren(el.querySelector('tbody'), p.hosts, (x) => x.connection,
      () => h('tr', { 'data-testid': 'pool-row' }, h('td'), h('td'), h('td', { class: 'num' }), h('td', { class: 'num' }), h('td', { class: 'num' })),
      (tr, x) => {
        const td = tr.children;
        setText(td[0], x.connection);
        setText(td[1], x.host);
        setText(td[2], x.slots);
        setText(td[3], x.busy);
        setText(td[4], x.free);
      });
  });
  if (pools.length === 0 && !box.querySelector('.empty')) box.append(h('p', { class: 'empty', text: 'no pools' }));
}

/* ------------------------------------------------------------------ cleanup debts */

function cleanupView(ctx, root) {
  document.title = 'Caravan · cleanup';
  const tbody = h('tbody');
  const table = h('table', { class: 'table debts', hidden: true },
    h('thead', {}, h('tr', {}, ['Host', 'Job dir', 'Attempts', 'Next try', 'Created', 'Reason', ''].map((t) => h('th', { text: t })))),
    tbody);
  const empty = h('p', { class: 'empty', 'data-testid': 'empty', hidden: true, text: 'no cleanup debts' });
  const notice = h('p', { class: 'notice', 'data-testid': 'notice', hidden: true });
  root.append(
    h('div', { class: 'page-head' }, h('h1', { text: 'Cleanup' })),
    h('p', { class: 'muted small', text: 'Job directories Caravan could not remove yet; it keeps trying on its own.' }),
    notice, table, empty,
  );

  const poll = poller(ctx, async () => {
    const data = await pollGet('cleanup', 'Loading cleanup debts', '/api/cleanup');
    if (!ctx.alive) return null;
    if (data) {
      syncChildren(tbody, data.debts, (d) => d.id, createDebtRow, updateDebtRow);
      table.hidden = data.debts.length === 0;
      empty.hidden = data.debts.length > 0;
    }
    return 2000;
  });

  function createDebtRow(debt) {
    const retry = h('button', { 'data-testid': 'retry-debt', text: 'Retry' });
    retry.addEventListener('click', async () => {
      const answer = await act(retry, `Cleanup of ${debt.job_dir}`, () => post(`/api/cleanup/${enc(debt.id)}/retry`));
      if (answer) {
        const owed = answer.still_owed || [];
        notice.textContent = owed.length
          ? `Removed ${answer.removed}; still owed: ${owed.join('; ')}`
          : `Removed ${answer.removed}.`;
        notice.classList.toggle('warn', owed.length > 0);
        notice.hidden = false;
      }
      poll.kick();
    });
    return h('tr', { 'data-testid': 'debt-row', 'data-debt-id': debt.id },
      h('td', {}, h('code', { class: 'c-host' })), h('td', {}, h('code', { class: 'c-dir' })),
      h('td', { class: 'num c-attempts' }), h('td', { class: 'c-next' }), h('td', { class: 'c-created' }),
      h('td', { class: 'c-reason error-text' }), h('td', {}, retry));
  }

  function updateDebtRow(row, debt) {
    const c = (cls) => row.querySelector(`.${cls}`);
    setText(c('c-host'), debt.host);
    setText(c('c-dir'), debt.job_dir);
    setText(c('c-attempts'), debt.attempts);
    setText(c('c-next'), debt.next_attempt_at ? `${fmtRelative(debt.next_attempt_at)} (${fmtTime(debt.next_attempt_at)})` : '—');
    setText(c('c-created'), fmtTime(debt.created_at));
    setText(c('c-reason'), debt.reason);
    setAttr(c('c-reason'), 'title', debt.reason);
  }
}

/* ------------------------------------------------------------------ workflows */

function workflowsView(ctx, root) {
  document.title = 'Caravan · workflows';
  const list = h('div', { class: 'workflows' });
  root.append(h('div', { class: 'page-head' }, h('h1', { text: 'Workflows' })), list);

  poller(ctx, async () => {
    const data = await pollGet('workflows', 'Loading workflows', '/api/workflows');
    if (!ctx.alive) return null;
    if (!data) return 5000;
    const cards = data.workflows.length === 0
      ? [h('p', { class: 'empty', text: 'no workflows loaded' })] : data.workflows.map(workflowCard);
    list.replaceChildren(...cards, ...(data.invalid || []).map(invalidWorkflowCard));
    return null; // workflows change only when the server restarts
  });
}

/* A file the server left out: its first problem, as text (never markup: the file's author wrote part of it). */
function invalidWorkflowCard(bad) {
  return h('div', { class: 'card workflow invalid', 'data-testid': 'invalid-workflow', 'data-file': bad.file },
    h('div', { class: 'workflow-main' },
      h('h3', { text: `${bad.file} — invalid, not loaded` }),
      h('p', { class: 'error-box', text: bad.problem }),
      bad.problems > 1
        ? h('p', { class: 'muted small', text: `${bad.problems - 1} more problems: caravan validate ${bad.file}` }) : null));
}

function workflowCard(wf) {
  const fields = Object.entries(wf.params || {}).map(([name, spec]) => paramField(wf.id, name, spec));
  const trigger = h('button', { class: 'primary', 'data-testid': 'trigger', 'data-workflow': wf.id, text: 'Trigger' });
  const submit = async (e) => {
    e.preventDefault();
    const params = {};
    for (const f of fields) params[f.name] = f.value();
    const body = fields.length === 0 ? undefined : { params };
    // the server checks every value against its param's rules and names the one that breaks them
    const answer = await act(trigger, `Trigger ${wf.id}`, () => post(`/api/workflows/${enc(wf.id)}/trigger`, body));
    if (answer && answer.run_id) location.hash = `#/runs/${enc(answer.run_id)}`;
  };
  return h('div', { class: 'card workflow', 'data-testid': 'workflow', 'data-workflow': wf.id },
    h('div', { class: 'workflow-main' },
      h('h3', {}, wf.id, ' ', h('a', { class: 'small', href: `#/runs?workflow=${enc(wf.id)}`, text: 'runs' })),
      wf.description ? h('p', { text: wf.description }) : null,
      h('p', { class: 'muted small' }, wf.schedule ? `schedule ${wf.schedule}` : 'no schedule'),
      h('div', { class: 'chips' }, (wf.tasks || []).map((t) => h('span', { class: 'chip', text: t })))),
    // novalidate: the server's answer names the param and its rule, the same for every way of triggering
    h('form', { class: 'trigger', novalidate: true, onsubmit: submit },
      ...fields.map((f) => f.row), trigger));
}

/**
 * One input for a declared param, made from its spec (type, default, min/max, enum, pattern, description);
 * value() gives it as text, as --set would.
 */
function paramField(workflowId, name, spec) {
  const attrs = { name, 'data-testid': 'param', 'data-param': name, 'aria-label': `${name} for ${workflowId}` };
  let input;
  let value;
  if (spec.type === 'boolean') {
    input = h('input', { ...attrs, type: 'checkbox' });
    input.checked = spec.default === true;
    value = () => String(input.checked);
  } else if (spec.enum) {
    input = h('select', attrs, spec.enum.map((v) => h('option', { value: v, text: v })));
    input.value = String(spec.default);
    value = () => input.value;
  } else {
    const type = { integer: 'number', number: 'number', date: 'date' }[spec.type] || 'text';
    input = h('input', { ...attrs, type, spellcheck: 'false' });
    if (spec.min !== undefined) input.min = String(spec.min);
    if (spec.max !== undefined) input.max = String(spec.max);
    if (spec.type === 'integer') input.step = '1';
    if (spec.type === 'number') input.step = 'any';
    if (spec.pattern) input.pattern = spec.pattern;
    input.value = Array.isArray(spec.default) ? spec.default.join(',') : fmtParam(spec.default);
    value = () => input.value;
  }
  const hint = [spec.type, spec.min !== undefined ? `≥ ${spec.min}` : null, spec.max !== undefined ? `≤ ${spec.max}` : null,
    spec.type === 'list' ? 'a,b,c' : null].filter(Boolean).join(' ');
  const row = h('label', { class: 'param', title: spec.description || '' },
    h('span', { class: 'param-name', text: name }), input,
    h('span', { class: 'muted small', text: spec.description ? `${hint} — ${spec.description}` : hint }));
  return { name, row, value };
}

function fmtParam(value) {
  if (value === null || value === undefined) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/* ------------------------------------------------------------------ routing and start-up */

const ROUTES = [
  { re: /^\/runs\/?$/, nav: 'runs', view: runsView },
  { re: /^\/runs\/([^/]+)\/?$/, nav: 'runs', view: runView },
  { re: /^\/runs\/([^/]+)\/tasks\/([^/]+)\/items\/(\d+)\/?$/, nav: 'runs', view: itemView },
  { re: /^\/workflows\/?$/, nav: 'workflows', view: workflowsView },
  { re: /^\/hosts\/?$/, nav: 'hosts', view: hostsView },
  { re: /^\/cleanup\/?$/, nav: 'cleanup', view: cleanupView },
];

let current = null;

function route() {
  if (!token()) {
    askForToken(FIRST_ASK);
    return;
  }
  tokenGate().hidden = true;
  const hash = location.hash.replace(/^#/, '') || '/runs';
  const [path, search = ''] = hash.split('?');
  const match = ROUTES.map((r) => ({ r, m: r.re.exec(path) })).find((x) => x.m);
  if (current) current.close();
  current = new ViewContext();
  clearError();
  tooltip.hide();
  const main = document.getElementById('view');
  main.replaceChildren();
  window.scrollTo(0, 0);
  for (const a of document.querySelectorAll('[data-nav]')) {
    a.classList.toggle('active', match != null && a.dataset.nav === match.r.nav);
  }
  if (!match) {
    main.append(h('p', { class: 'empty' }, 'Nothing here. ', h('a', { href: '#/runs', text: 'Back to the runs.' })));
    return;
  }
  const params = match.m.slice(1).map(decodeURIComponent);
  match.r.view(current, main, params, new URLSearchParams(search));
}

const FIRST_ASK = 'This server shows nothing without its API token. Paste the contents of CARAVAN_HOME/api-token '
  + '(on the server\'s machine; the server printed it at its first start).';

function tokenGate() {
  return document.getElementById('token-gate');
}

/** Closes the view (no request goes out without a token) and asks for the token, saying why. */
function askForToken(why) {
  if (current) current.close();
  current = null;
  clearError();
  tooltip.hide();
  document.getElementById('view').replaceChildren();
  setText(document.getElementById('token-why'), why);
  const gate = tokenGate();
  if (gate.hidden) {
    gate.hidden = false;
    const input = document.getElementById('token');
    input.value = '';
    input.focus();
  }
}

function setUpToken() {
  const input = document.getElementById('token');
  document.getElementById('token-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const value = input.value.trim();
    if (!value) {
      setText(document.getElementById('token-why'), 'Paste the token first: the contents of CARAVAN_HOME/api-token.');
      return;
    }
    localStorage.setItem(TOKEN_KEY, value);
    input.value = '';
    route();
  });
  document.getElementById('change-token').addEventListener('click', () => {
    localStorage.removeItem(TOKEN_KEY);
    askForToken('Paste the token to use from now on: the contents of CARAVAN_HOME/api-token.');
  });
}

/** Node, version and active runs in the header; silent on failure, the views report outages. */
function watchStatus() {
  const el = document.querySelector('[data-testid="server-status"]');
  const ctx = new ViewContext();
  poller(ctx, async () => {
    if (!token()) {
      setText(el, '');
      return 2000;
    }
    try {
      const s = await get('/api/status');
      setText(el, [s.node, s.version, s.runs_active != null ? `${s.runs_active} active` : null].filter(Boolean).join(' · '));
    } catch (e) {
      setText(el, e.status === 401 ? '' : 'server unreachable');
    }
    return 10_000;
  });
}

function start() {
  banner.el = document.getElementById('error');
  banner.el.querySelector('.banner-close').addEventListener('click', () => clearError());
  tooltip.el = h('div', { class: 'tooltip', 'data-testid': 'tooltip', hidden: true });
  document.body.append(tooltip.el);
  setUpToken();
  watchStatus();
  window.addEventListener('hashchange', route);
  route();
}

start();
