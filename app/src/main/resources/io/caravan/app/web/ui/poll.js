// How views keep up with the server: polling, never overlapping, and stopped with the view that started it.

import { get } from './api.js';
import { clearError, showError } from './banner.js';

/** Everything a view starts; closed when the route changes so no stale poll paints the next view. */
export class ViewContext {
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
export function poller(ctx, step) {
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
export async function pollGet(source, what, path, onError) {
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
export async function pollSubject(source, what, path, missing) {
  let failure = null;
  const data = await pollGet(source, what, path, (e) => { failure = e; });
  missing.hidden = !failure || failure.status !== 404;
  return failure ? { next: failure.status === 404 ? null : 2000 } : { data };
}
