// #/runs: the runs, newest first, a page at a time, optionally of one workflow.

import { enc } from './api.js';
import { h, setAttr, setText, stateBadge, syncChildren, tableHead, updateBadge } from './dom.js';
import { fmtDuration, fmtTime, shortId } from './format.js';
import { pollGet, poller } from './poll.js';

const RUNS_PAGE = 50;

export function runsView(ctx, root, _params, query) {
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
      tableHead(['Run', 'Workflow', 'State', 'Trigger', 'Created', 'Duration']),
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
