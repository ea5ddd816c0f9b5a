// #/workflows: the loaded workflows, each with a trigger form made from its params, and the files left out.

import { enc, post } from './api.js';
import { act } from './banner.js';
import { h } from './dom.js';
import { pollGet, poller } from './poll.js';

export function workflowsView(ctx, root) {
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
