// #/runs/ID: one run, a grid per task, its failed items with their errors, and what can be done about them.

import { enc, post } from './api.js';
import { act } from './banner.js';
import { h, setAttr, setText, stateBadge, syncChildren, updateBadge } from './dom.js';
import { fmtCounts, fmtDuration, fmtTime, fmtValue, shortId } from './format.js';
import { ItemGrid, legend } from './grid.js';
import { pollGet, pollSubject, poller } from './poll.js';

// Run states that will not change again unless someone retries.
const RUN_ENDED = new Set(['succeeded', 'failed', 'cancelled']);

export function runView(ctx, root, params) {
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
      // A task appears once made ready; keep the rows in workflow order whatever order they came in.
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
