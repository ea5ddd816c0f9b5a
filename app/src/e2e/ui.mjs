// End-to-end check of the Caravan browser UI against a running `caravan server`.
// Drives Debian's Chromium through playwright-core; exits non-zero on the first failed expectation.
//
// Inputs (environment):
//   CARAVAN_URL           e.g. http://127.0.0.1:18080
//   CARAVAN_TOKEN         the server's API token (CARAVAN_HOME/api-token)
//   CARAVAN_RUN_ID        a running run with a fan-out task CARAVAN_TASK (default: shard)
//   CARAVAN_ITEM_COUNT    how many items that task expands to (default: 200)
//   CARAVAN_FAILED_INDEX  an item failing on its first attempt and succeeding when retried
//   CARAVAN_SLOW_INDEX    an item running ~10 s printing "tick 1" … "tick 10", one line a second
//   CARAVAN_DEBT_ID       a cleanup debt that a retry settles
//   SCREENSHOTS           directory for the PNGs
//   CHROMIUM              browser binary (default: /usr/bin/chromium)
//   CARAVAN_UI_TIMEOUT_MS longest wait for one expectation (default: 60000)
//   CARAVAN_FORM_WORKFLOW a workflow with params shards (integer, default 8, max 1000) and size (enum with
//                         "large") whose task CARAVAN_FORM_TASK (default: t) succeeds (default: typed)

import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';

class Failure extends Error {}

function required(name) {
  const value = process.env[name];
  if (value == null || value === '') throw new Failure(`environment variable ${name} is required`);
  return value;
}

function config() {
  return {
    url: required('CARAVAN_URL').replace(/\/+$/, ''),
    token: required('CARAVAN_TOKEN'),
    run: required('CARAVAN_RUN_ID'),
    task: process.env.CARAVAN_TASK || 'shard',
    items: Number(process.env.CARAVAN_ITEM_COUNT || 200),
    failed: Number(required('CARAVAN_FAILED_INDEX')),
    slow: Number(required('CARAVAN_SLOW_INDEX')),
    debt: required('CARAVAN_DEBT_ID'),
    screenshots: required('SCREENSHOTS'),
    chromium: process.env.CHROMIUM || '/usr/bin/chromium',
    timeout: Number(process.env.CARAVAN_UI_TIMEOUT_MS || 60_000),
    form: process.env.CARAVAN_FORM_WORKFLOW || 'typed',
    formTask: process.env.CARAVAN_FORM_TASK || 't',
  };
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const css = (value) => JSON.stringify(String(value)); // a quoted CSS attribute value

/**
 * Polls probe() until it reports ok; on timeout fails with what was asked and what was last seen,
 * which is what one needs to read a failure from a CI log.
 */
async function until(what, probe, timeout) {
  const deadline = Date.now() + timeout;
  let seen = 'nothing yet';
  for (;;) {
    try {
      const [ok, observed] = await probe();
      seen = observed;
      if (ok) return observed;
    } catch (e) {
      seen = `error: ${e.message.split('\n')[0]}`;
    }
    if (Date.now() > deadline) throw new Failure(`${what}: not within ${timeout / 1000} s (last seen: ${seen})`);
    await sleep(250);
  }
}

async function main() {
  const cfg = config();
  fs.mkdirSync(cfg.screenshots, { recursive: true });
  if (!fs.existsSync(cfg.chromium)) throw new Failure(`no browser at ${cfg.chromium} (apt-get install chromium, or set CHROMIUM)`);

  const browser = await chromium.launch({
    executablePath: cfg.chromium,
    headless: true,
    // Without the background-networking flags Chromium keeps dialling out, which a closed network refuses.
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.setDefaultTimeout(cfg.timeout);
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    console.log(`   (browser console: ${m.text()})`);
    if (/Content Security Policy/i.test(m.text())) pageErrors.push(`CSP: ${m.text()}`);
  });
  // Whatever the console says, the page itself reports each thing its Content-Security-Policy blocked.
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      window.caravanCspViolations = (window.caravanCspViolations || []).concat(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  // The UI asks for the token before it reads anything: no API request ever leaves without one.
  const tokenless = [];
  page.on('request', (r) => {
    if (new URL(r.url()).pathname.startsWith('/api') && !r.headers().authorization) tokenless.push(`${r.method()} ${r.url()}`);
  });

  const t = cfg.timeout;
  const shot = (name) => page.screenshot({ path: path.join(cfg.screenshots, name), fullPage: true });
  const testid = (id) => page.locator(`[data-testid=${css(id)}]`);
  const hash = () => page.evaluate(() => location.hash);
  const waitHash = (want) => until(`the address to become ${want}`, async () => {
    const h = await hash();
    return [decodeURIComponent(h) === want, h];
  }, t);
  const counts = async () => JSON.parse(await testid(`counts-${cfg.task}`).getAttribute('data-counts', { timeout: 2000 }) || '{}');
  const countsText = (c) => JSON.stringify(c);
  const runPage = `#/runs/${cfg.run}`;
  const itemPage = (i) => `#/runs/${cfg.run}/tasks/${cfg.task}/items/${i}`;

  let stepName = 'start';
  const step = async (name, fn) => {
    stepName = name;
    await fn();
    if (pageErrors.length) throw new Failure(`uncaught error in the page: ${pageErrors.join(' | ')}`);
    const blocked = await page.evaluate(() => window.caravanCspViolations || []);
    if (blocked.length) throw new Failure(`the Content-Security-Policy blocked: ${blocked.join(' | ')}`);
    if (tokenless.length) throw new Failure(`API requests without the token: ${tokenless.join(' | ')}`);
  };
  const gateSays = (what) => until(`the token page to ask, saying "${what}"`, async () => {
    const shown = await testid('token-gate').isVisible();
    const why = shown ? await testid('token-why').textContent() : 'no token page';
    return [shown && why.includes(what), why];
  }, t);
  const pass = (msg) => console.log(`ok   ${stepName}: ${msg}`);

  try {
    await step('1 the token first, then the runs list', async () => {
      const answer = await page.goto(`${cfg.url}/#/runs`);
      const policy = answer.headers()['content-security-policy'];
      if (policy !== "default-src 'self'; frame-ancestors 'none'") throw new Failure(`the page's CSP is ${policy}`);
      // Set once: if the page ever reloads, the marker is gone, and later steps notice.
      await page.evaluate(() => { window.caravanNoReload = true; });
      await gateSays('api-token');
      const rows = await page.locator('[data-testid="run-row"]').count();
      if (rows !== 0) throw new Failure(`${rows} runs shown before the token was given`);
      await shot('token.png');
      await testid('token').fill(cfg.token);
      await testid('save-token').click();
      const stored = await page.evaluate(() => Object.values(localStorage));
      if (!stored.includes(cfg.token)) throw new Failure('the token was not stored in localStorage');
      const row = page.locator(`[data-testid="run-row"][data-run-id=${css(cfg.run)}]`);
      await row.waitFor({ timeout: t });
      if (await testid('token-gate').isVisible()) throw new Failure('the token page is still shown');
      const state = await row.getAttribute('data-state');
      await shot('runs.png');
      pass(`asked for the token, nothing shown before; then row of ${cfg.run}, state ${state}`);
    });

    let first;
    await step('2 run grid fills', async () => {
      await page.locator(`[data-testid="run-row"][data-run-id=${css(cfg.run)}]`).click();
      await waitHash(runPage);
      const grid = testid(`grid-${cfg.task}`);
      await grid.waitFor({ state: 'visible', timeout: t });
      const tag = await grid.evaluate((el) => el.tagName);
      if (tag !== 'CANVAS') throw new Failure(`grid-${cfg.task} is a <${tag}>, expected one <canvas>`);
      first = await until(`the ${cfg.task} task to expand to ${cfg.items} items`, async () => {
        const c = await counts();
        const total = Object.values(c).reduce((a, b) => a + b, 0);
        return [total === cfg.items, countsText(c)];
      }, t);
      const before = JSON.parse(first).succeeded || 0;
      const grown = await until(`the succeeded count of ${cfg.task} to grow past ${before}`, async () => {
        const c = await counts();
        return [(c.succeeded || 0) > before, countsText(c)];
      }, t);
      pass(`grid of ${cfg.items} items growing: ${first} → ${grown}`);
    });

    await step('3 follow a log', async () => {
      const grid = testid(`grid-${cfg.task}`);
      const { cols, pitch } = await grid.evaluate((el) => ({ cols: Number(el.dataset.cols), pitch: Number(el.dataset.pitch) }));
      if (!(cols > 0 && pitch > 0)) throw new Failure(`grid canvas lacks data-cols/data-pitch (${cols}, ${pitch})`);
      const position = { x: (cfg.slow % cols) * pitch + 4, y: Math.floor(cfg.slow / cols) * pitch + 4 };
      await grid.hover({ position });
      const tip = await until('the tooltip of the hovered cell', async () => {
        const text = (await testid('tooltip').textContent({ timeout: 1000 })) || '';
        return [text.startsWith(`#${cfg.slow} `) && await testid('tooltip').isVisible(), text];
      }, 10_000);
      await grid.click({ position });
      await waitHash(itemPage(cfg.slow));
      const log = testid('log');
      await until('the log to show "tick 1"', async () => {
        const text = await log.textContent({ timeout: 1000 });
        return [/\btick 1\b/.test(text), JSON.stringify(text.slice(-120))];
      }, t);
      const start = (await log.textContent()).length;
      const followed = await until('the log to grow to "tick 3" without a reload', async () => {
        const text = await log.textContent({ timeout: 1000 });
        return [/\btick 3\b/.test(text) && text.length > start, JSON.stringify(text.slice(-120))];
      }, t);
      const state = await testid('item-state').getAttribute('data-state');
      if (state !== 'running') throw new Failure(`the slow item was ${state} when its log reached tick 3; it should still be running`);
      if (!(await page.evaluate(() => window.caravanNoReload === true))) throw new Failure('the page reloaded');
      const atBottom = await log.evaluate((el) => el.scrollTop + el.clientHeight >= el.scrollHeight - 30);
      if (!atBottom) throw new Failure('the followed log is not scrolled to its end');
      await shot('log.png');
      pass(`tooltip "${tip}", log of item ${cfg.slow} followed live (${followed})`);
    });

    await step('4 all items end', async () => {
      await page.goBack();
      await waitHash(runPage);
      const done = await until(`every ${cfg.task} item to end (succeeded + failed = ${cfg.items})`, async () => {
        const c = await counts();
        return [(c.succeeded || 0) + (c.failed || 0) === cfg.items, countsText(c)];
      }, t);
      const failedRow = page.locator(`[data-testid="failed-item"][data-task=${css(cfg.task)}][data-index="${cfg.failed}"]`);
      await failedRow.waitFor({ state: 'visible', timeout: t });
      await shot('run-grid.png');
      pass(`all ${cfg.items} ended: ${done}; item ${cfg.failed} listed as failed`);
    });

    await step('5 retry the failed item', async () => {
      const failedRow = page.locator(`[data-testid="failed-item"][data-task=${css(cfg.task)}][data-index="${cfg.failed}"]`);
      // The token changed on the server (say): the browser's is refused, and the page asks for the current one.
      // In one task of the page: a poll refused between the two would close the run view under a separate click.
      await failedRow.locator('[data-testid="retry-item"]').evaluate((button) => {
        localStorage.setItem('caravan.token', 'not-the-token');
        button.click();
      });
      await gateSays('(401)');
      if (await page.locator('[data-testid="failed-item"]').count()) throw new Failure('the run is still shown after a 401');
      await testid('token').fill(cfg.token);
      await testid('save-token').click();
      await waitHash(runPage);
      await failedRow.locator('[data-testid="retry-item"]').click();
      await failedRow.waitFor({ state: 'detached', timeout: t });
      if (await testid('error').isVisible()) throw new Failure(`error after retry: ${await testid('error').textContent()}`);

      await page.evaluate((h) => { location.hash = h; }, itemPage(cfg.failed));
      await until(`item ${cfg.failed} to succeed`, async () => {
        const s = await testid('item-state').getAttribute('data-state', { timeout: 1000 });
        return [s === 'succeeded', s];
      }, t);
      await page.goBack();
      await waitHash(runPage);
      const c = await until('the run to succeed', async () => {
        const s = await testid('run-state').getAttribute('data-state', { timeout: 1000 });
        const now = await counts();
        return [s === 'succeeded' && (now.succeeded || 0) === cfg.items, `run ${s}, ${countsText(now)}`];
      }, t);
      if (!(await page.evaluate(() => window.caravanNoReload === true))) throw new Failure('the page reloaded');
      await shot('retried.png');
      pass(`a refused token asked for again, item ${cfg.failed} retried: ${c}`);
    });

    await step('6 cleanup debt', async () => {
      await testid('nav-cleanup').click();
      await waitHash('#/cleanup');
      const row = page.locator(`[data-testid="debt-row"][data-debt-id=${css(cfg.debt)}]`);
      await row.waitFor({ timeout: t });
      await row.locator('[data-testid="retry-debt"]').click();
      await row.waitFor({ state: 'detached', timeout: t });
      if (await testid('error').isVisible()) throw new Failure(`error after cleanup retry: ${await testid('error').textContent()}`);
      await shot('cleanup.png');
      pass(`debt ${cfg.debt} retried and gone`);
    });

    await step('7 workflows', async () => {
      await testid('nav-workflows').click();
      await waitHash('#/workflows');
      const card = page.locator('[data-testid="workflow"][data-workflow="grid"]');
      await card.waitFor({ timeout: t });
      const chips = await card.locator('.chip').allTextContents();
      if (!chips.includes(cfg.task)) throw new Failure(`the grid workflow's tasks are ${JSON.stringify(chips)}`);
      // a file the server left out is shown as invalid with its problem, as text
      const invalid = page.locator('[data-testid="invalid-workflow"]');
      await invalid.first().waitFor({ timeout: t });
      const said = await invalid.first().textContent();
      if (!said.includes('broken.yaml') || !said.includes('values once aliases are expanded')) {
        throw new Failure(`the invalid workflow's card says ${JSON.stringify(said)}`);
      }
      await shot('workflows.png');
      pass(`workflow grid listed with its tasks ${JSON.stringify(chips)}, broken.yaml shown as invalid`);
    });

    await step('8 hosts', async () => {
      await testid('nav-hosts').click();
      await waitHash('#/hosts');
      const seen = await until('a host row with at least one handshake', async () => {
        const rows = await page.locator('[data-testid="host-row"]').evaluateAll((els) => els.map((el) => ({
          host: el.dataset.host,
          handshakes: parseInt(el.querySelector('[data-col="handshakes"]')?.textContent || '', 10),
        })));
        return [rows.some((r) => r.handshakes >= 1), JSON.stringify(rows)];
      }, t);
      await shot('hosts.png');
      pass(`hosts ${seen}`);
    });

    await step('9 trigger form', async () => {
      await testid('nav-workflows').click();
      await waitHash('#/workflows');
      const card = page.locator(`[data-testid="workflow"][data-workflow=${css(cfg.form)}]`);
      await card.waitFor({ timeout: t });
      const field = (name) => card.locator(`[data-testid="param"][data-param=${css(name)}]`);
      const shards = await field('shards').inputValue();
      if (shards !== '8') throw new Failure(`the shards field starts at ${JSON.stringify(shards)}, not its default 8`);
      // a value past the rule: the server refuses it, naming the param and the rule, and nothing starts
      await field('shards').fill('5000');
      await card.locator('[data-testid="trigger"]').click();
      const said = await until('the refusal in the banner', async () => {
        const shown = await testid('error').isVisible();
        const text = shown ? await testid('error').textContent() : 'no banner';
        return [shown && text.includes("param 'shards'") && text.includes('maximum 1000'), text];
      }, t);
      if ((await hash()) !== '#/workflows') throw new Failure(`a refused trigger left the page for ${await hash()}`);
      await field('shards').fill('12');
      await field('size').selectOption('large');
      await card.locator('[data-testid="trigger"]').click();
      const runHash = await until('the new run\'s page', async () => {
        const h = await hash();
        return [/^#\/runs\/[^/]+$/.test(h), h];
      }, t);
      const state = () => testid('run-state').getAttribute('data-state', { timeout: 1000 });
      await until('the run to succeed', async () => { const s = await state(); return [s === 'succeeded', s]; }, t);
      await shot('trigger-form.png');
      // the run page's Clear runs a task of the ended run again
      page.once('dialog', (d) => d.accept());
      await page.locator(`[data-testid="clear-task"][data-task=${css(cfg.formTask)}]`).click();
      await until('the cleared run to run again and succeed', async () => {
        const s = await state();
        const banner = await testid('error').isVisible() ? await testid('error').textContent() : '';
        if (banner) throw new Failure(`clear refused: ${banner}`);
        const r = await page.evaluate(async ([p, tok]) => (await fetch(p, { headers: { Authorization: `Bearer ${tok}` } })).json(),
          [`/api/runs/${runHash.split('/')[2]}/tasks/${cfg.formTask}/items/0`, cfg.token]);
        return [s === 'succeeded' && r.attempt === 2 && r.state === 'succeeded', `${s}, attempt ${r.attempt} ${r.state}`];
      }, t);
      pass(`refused with "${said.trim()}", then run ${runHash} started from the form, succeeded, cleared and run again`);
    });
  } catch (e) {
    try {
      await shot('failure.png');
    } catch {
      // the page may be gone; the message below is what matters
    }
    throw new Failure(`step ${stepName}: ${e.message}`);
  } finally {
    await browser.close();
  }
  console.log('ui end-to-end: all steps passed');
}

main().catch((e) => {
  console.error(`FAIL ${e instanceof Failure ? e.message : e.stack || e}`);
  process.exit(1);
});
