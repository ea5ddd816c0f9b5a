// A task's items as a grid of coloured cells, with the tooltip and legend that explain it.

import { h } from './dom.js';
import { label } from './format.js';

// The one-letter-per-item alphabet of TASK.items.
const LETTER_STATE = {
  P: 'pending', Q: 'ready', R: 'running', S: 'succeeded',
  F: 'failed', U: 'upstream_failed', K: 'skipped', C: 'cancelled',
};

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

export const tooltip = {
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
export class ItemGrid {
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

export function legend() {
  return h('div', { class: 'legend' }, Object.values(LETTER_STATE).map((s) =>
    h('span', {}, h('i', { class: `swatch st-${s}` }), label(s))));
}

export function setUpTooltip() {
  tooltip.el = h('div', { class: 'tooltip', 'data-testid': 'tooltip', hidden: true });
  document.body.append(tooltip.el);
}
