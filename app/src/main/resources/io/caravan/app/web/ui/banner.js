// The one error banner under the header, shared by every view's polls and buttons.

import { setText } from './dom.js';

// The banner remembers who raised it: a poll that succeeds again clears its own error,
// but never hides the answer to something the user clicked.
const banner = { el: null, source: null };

export function showError(err, source, what) {
  const el = banner.el;
  const message = err instanceof Error ? err.message : String(err);
  setText(el.querySelector('.banner-text'), what ? `${what}: ${message}` : message);
  el.hidden = false;
  banner.source = source;
}

export function clearError(source) {
  if (source && banner.source !== source) return;
  banner.el.hidden = true;
  banner.source = null;
}

/** Runs a user action (a POST) with its button disabled, reporting a failure in the banner. */
export async function act(button, what, fn) {
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

export function setUpBanner() {
  banner.el = document.getElementById('error');
  banner.el.querySelector('.banner-close').addEventListener('click', () => clearError());
}
