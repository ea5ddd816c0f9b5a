// #/cleanup: job directories Caravan still owes a removal, each with a button to try again now.

import { enc, post } from './api.js';
import { act } from './banner.js';
import { h, setAttr, setText, syncChildren, tableHead } from './dom.js';
import { fmtRelative, fmtTime } from './format.js';
import { pollGet, poller } from './poll.js';

export function cleanupView(ctx, root) {
  document.title = 'Caravan · cleanup';
  const tbody = h('tbody');
  const table = h('table', { class: 'table debts', hidden: true },
    tableHead(['Host', 'Job dir', 'Attempts', 'Next try', 'Created', 'Reason', '']),
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
