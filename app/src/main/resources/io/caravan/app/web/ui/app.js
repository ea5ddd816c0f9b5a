// Caravan browser UI: one page, hash routing, plain DOM, built against docs/api.md. This module routes,
// asks for the token and starts up; each page is a module of its own. Native ES modules, served as they
// are in the source tree: no build step stands between what is reviewed and what the browser runs.

import { forgetToken, get, keepToken, onTokenRefused, token } from './api.js';
import { clearError, setUpBanner } from './banner.js';
import { cleanupView } from './cleanup.js';
import { h, setText } from './dom.js';
import { setUpTooltip, tooltip } from './grid.js';
import { hostsView } from './hosts.js';
import { itemView } from './item.js';
import { ViewContext, poller } from './poll.js';
import { runView } from './run.js';
import { runsView } from './runs.js';
import { workflowsView } from './workflows.js';

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
    keepToken(value);
    input.value = '';
    route();
  });
  document.getElementById('change-token').addEventListener('click', () => {
    forgetToken();
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
  setUpBanner();
  setUpTooltip();
  setUpToken();
  onTokenRefused((sent) => askForToken(sent ? 'The server refused this browser\'s token (401): paste the current one from '
    + 'CARAVAN_HOME/api-token on the server\'s machine.' : FIRST_ASK));
  watchStatus();
  window.addEventListener('hashchange', route);
  route();
}

start();
