// Building and patching the DOM. Text goes in as text and attributes through setAttribute: nothing
// a server sends (a workflow's description, an error, an item's value) is ever parsed as markup.

import { label } from './format.js';

/** Builds an element; attributes go through setAttribute, so data never becomes markup. */
export function h(tag, attrs = {}, ...children) {
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
export function setText(el, text) {
  const value = text == null ? '' : String(text);
  if (el.textContent !== value) el.textContent = value;
}

export function setAttr(el, name, value) {
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
export function syncChildren(parent, list, keyOf, create, update) {
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

export function stateBadge(state, testid) {
  return h('span', { class: `badge st-${state}`, 'data-testid': testid, 'data-state': state, text: label(state) });
}

export function updateBadge(el, state) {
  el.className = `badge st-${state}`;
  setAttr(el, 'data-state', state);
  setText(el, label(state));
}

export function tableHead(titles) {
  return h('thead', {}, h('tr', {}, titles.map((t) => h('th', { text: t }))));
}
