// #/runs/ID/tasks/TASK/items/N: one item, its attempts, and its current attempt's log followed live.

import { enc, post } from './api.js';
import { act } from './banner.js';
import { h, setAttr, setText, stateBadge, syncChildren, tableHead, updateBadge } from './dom.js';
import { between, fmtDuration, fmtTime, fmtValue, shortId } from './format.js';
import { pollGet, pollSubject, poller } from './poll.js';

// Item states that will not change again unless someone retries.
const ITEM_ENDED = new Set(['succeeded', 'failed', 'upstream_failed', 'skipped', 'cancelled']);

export function itemView(ctx, root, params) {
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
    tableHead(['Attempt', 'State', 'Started', 'Ended', 'Duration', 'Error']),
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
