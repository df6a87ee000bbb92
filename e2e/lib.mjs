// Shared pieces of the browser journeys: the server each journey starts (its own SQLite file,
// dev mode with demo data), Debian's Chromium through playwright-core, screenshots, signing in
// through the dev provider's page, and small waiting assertions (playwright-core has no expect).
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

export const config = {
  binary: path.resolve(process.env.SITEKEEPER_E2E_BINARY || 'sitekeeper'),
  chromium: process.env.SITEKEEPER_E2E_CHROMIUM || '/usr/bin/chromium',
  outDir: path.resolve(process.env.SITEKEEPER_E2E_OUT || 'test-results/e2e'),
  /** Slack for one wait (a locator, a response); a journey has its own budget on top. */
  waitMs: Number(process.env.SITEKEEPER_E2E_WAIT_MS || 10_000),
};

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export const DESKTOP = { width: 1440, height: 900 };
export const PHONE = { width: 390, height: 844 };

// axe-core, evaluated in the page through the DevTools protocol (the page's CSP allows only its
// own scripts, and evaluate is not a script of the page).
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * Runs axe-core on the page as it is and fails on any serious or critical violation, naming the
 * rule and the elements. Also checks that the page has exactly one h1 (its title).
 */
export async function checkA11y(page, where, { dialog = false } = {}) {
  // Colours in mid-transition (a link just made active) are no colours anyone reads.
  await page.evaluate(() => Promise.all(document.getAnimations().map((a) => a.finished.catch(() => {}))));
  await page.evaluate(axeSource);
  const found = await page.evaluate(async (dialog) => {
    // An open dialog is what the person reads; the page under its overlay is not.
    // eslint-disable-next-line no-undef
    const r = await axe.run(dialog ? document.querySelector('[role="dialog"]') : document, { resultTypes: ['violations'] });
    return {
      violations: r.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => `${v.id} (${v.impact}): ${v.help}; ${v.nodes.slice(0, 3).map((n) => `${n.target.join(' ')} ${n.html.slice(0, 120)} ${n.any[0]?.message ?? ''}`).join(' | ')}`),
      h1: [...document.querySelectorAll('h1')].filter((h) => h.getClientRects().length > 0).map((h) => h.textContent.trim()),
    };
  }, dialog);
  if (found.violations.length) throw new Error(`${where}: accessibility violations:\n  ${found.violations.join('\n  ')}`);
  if (!dialog && found.h1.length !== 1) throw new Error(`${where}: ${found.h1.length} visible h1 headings (${found.h1.join(' | ')}), want one`);
}

/**
 * GraphQL through the page's own session (its cookie and the CSRF header), to check in the data
 * what the page showed. Returns { data, errors }.
 */
export function apiRaw(page, query, variables = {}) {
  return page.evaluate(
    async ({ query, variables }) => {
      const res = await fetch('/graphql', {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', 'X-Sitekeeper-CSRF': '1' },
        body: JSON.stringify({ query, variables }),
      });
      return res.json();
    },
    { query, variables },
  );
}

/** apiRaw that fails on any error and returns the data. */
export async function api(page, query, variables = {}) {
  const r = await apiRaw(page, query, variables);
  if (r.errors?.length) throw new Error(`the API refused ${query.slice(0, 80)}: ${JSON.stringify(r.errors)}`);
  return r.data;
}

// Every server process started by this run, so that any way out (end, failure, timeout,
// signal) stops them.
const running = new Set();

export function killAllServers(signal = 'SIGKILL') {
  for (const child of running) {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  }
}

/** A TCP port on 127.0.0.1 that nothing listens on right now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts `sitekeeper serve` on a free loopback port with a fresh SQLite database in its own
 * temporary folder and waits for /healthz. Variables that would leave dev mode (an OIDC issuer)
 * or point elsewhere are not passed on.
 */
export async function startServer() {
  if (!existsSync(config.binary)) throw new Error(`no sitekeeper binary at ${config.binary} (set SITEKEEPER_E2E_BINARY)`);
  const dir = mkdtempSync(path.join(tmpdir(), 'sitekeeper-e2e-'));
  const env = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('SITEKEEPER_')) env[k] = v;
  env.SITEKEEPER_DATABASE_URL = `sqlite:${path.join(dir, 'e2e.db')}`;
  const logPath = path.join(dir, 'server.log');

  let lastError;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const log = createWriteStream(logPath, { flags: 'a' });
    const child = spawn(config.binary, ['serve', '-addr', `127.0.0.1:${port}`], { env, cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(child);
    child.stdout.pipe(log);
    child.stderr.pipe(log);
    let exited = null;
    const exitPromise = new Promise((resolve) =>
      child.on('exit', (code, signal) => {
        running.delete(child);
        exited = { code, signal };
        resolve();
      }),
    );
    const deadline = Date.now() + 30_000;
    let healthy = false;
    while (!exited && Date.now() < deadline) {
      try {
        const r = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1000) });
        if (r.ok) {
          healthy = true;
          break;
        }
      } catch {
        // not listening yet
      }
      await sleep(100);
    }
    const stop = async () => {
      if (!exited) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exitPromise;
        clearTimeout(timer);
      }
      await new Promise((resolve) => log.end(resolve));
    };
    if (healthy) {
      return {
        url,
        dir,
        logPath,
        stop,
        log: () => (existsSync(logPath) ? readFileSync(logPath, 'utf8') : ''),
        cleanup: () => rmSync(dir, { recursive: true, force: true }),
      };
    }
    await stop();
    lastError = new Error(
      exited
        ? `sitekeeper exited (${exited.code ?? exited.signal}) before answering /healthz:\n${tail(readFileSync(logPath, 'utf8'))}`
        : `sitekeeper did not answer ${url}/healthz within 30 s`,
    );
    // Another process may have taken the port between freePort and listen: try another one.
  }
  throw lastError;
}

export function tail(text, lines = 40) {
  return text.split('\n').slice(-lines).join('\n');
}

/** Debian's Chromium, headless, with a fresh temporary profile (playwright makes and removes it). */
export function launchBrowser() {
  return chromium.launch({
    executablePath: config.chromium,
    headless: true,
    args: CHROMIUM_ARGS,
    timeout: 30_000,
  });
}

/**
 * Polls fn until it returns a truthy value or the time is up; the error names what was awaited
 * and the last value or error seen.
 */
export async function waitFor(what, fn, timeout = config.waitMs) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
      last = v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) {
      const detail = last instanceof Error ? last.message.split('\n')[0] : JSON.stringify(last);
      throw new Error(`timed out after ${timeout} ms waiting for ${what} (last: ${detail})`);
    }
    await sleep(100);
  }
}

/** Waits until the locator is visible. */
export async function visible(locator, what = String(locator)) {
  try {
    await locator.first().waitFor({ state: 'visible', timeout: config.waitMs });
  } catch (e) {
    throw new Error(`not visible: ${what}\n${e.message.split('\n')[0]}`);
  }
  return locator;
}

/** Waits until the locator is gone (detached or hidden). */
export async function hidden(locator, what = String(locator)) {
  try {
    await locator.first().waitFor({ state: 'hidden', timeout: config.waitMs });
  } catch (e) {
    throw new Error(`still visible: ${what}\n${e.message.split('\n')[0]}`);
  }
}

/** Waits until the locator's text matches. */
export function hasText(locator, re, what = `${locator} to have text ${re}`) {
  return waitFor(what, async () => re.test(await locator.innerText({ timeout: 1000 })));
}

/** Waits until an input's value equals want. */
export function hasValue(locator, want, what = `${locator} to have value ${JSON.stringify(want)}`) {
  return waitFor(what, async () => (await locator.inputValue({ timeout: 1000 })) === want);
}

/** Waits until the element's top edge is inside the viewport (below the fixed header). */
export function inViewport(locator, what = `${locator} in view`) {
  return waitFor(what, () =>
    locator.first().evaluate((el) => {
      const r = el.getBoundingClientRect();
      return r.top >= 60 && r.top < window.innerHeight - 20;
    }),
  );
}

/** Badges whose text is cut off (an ellipsis instead of the word). */
export function truncatedBadges(scope) {
  return scope.locator('.mantine-Badge-label').evaluateAll((els) =>
    els.filter((el) => el.scrollWidth > el.clientWidth + 1).map((el) => el.textContent),
  );
}

/**
 * One journey's world: its server, its browser, screenshots numbered in order under
 * <outDir>/<journey>/, and what a person does on every page (sign in and out).
 */
export class Journey {
  constructor(name, server, browser) {
    this.name = name;
    this.server = server;
    this.browser = browser;
    this.dir = path.join(config.outDir, name);
    rmSync(this.dir, { recursive: true, force: true });
    mkdirSync(this.dir, { recursive: true });
    this.shots = 0;
    this.pageErrors = [];
    this.notes = [];
    this.contexts = [];
    this.a11yChecked = 0;
  }

  /** checkA11y, counted for the run's summary. */
  async a11y(page, where, options) {
    await checkA11y(page, where, options);
    this.a11yChecked += 1;
  }

  get url() {
    return this.server.url;
  }

  /** A fresh browser context (its own cookies) with one page at the given viewport. */
  async newPage({ viewport = DESKTOP, label = '' } = {}) {
    const context = await this.browser.newContext({ viewport, acceptDownloads: true, locale: 'en-US', timezoneId: 'UTC' });
    context.setDefaultTimeout(config.waitMs);
    context.setDefaultNavigationTimeout(config.waitMs * 2);
    this.contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (err) => this.pageErrors.push(`${label || 'page'}: ${err.message}`));
    page.on('console', (msg) => {
      if (msg.type() === 'error') this.notes.push(`console error (${label || 'page'}): ${msg.text()}`);
    });
    return page;
  }

  /** Saves a PNG of the page's viewport as NN-step.png and returns its path. */
  async shot(page, step, { fullPage = false } = {}) {
    this.shots += 1;
    const file = path.join(this.dir, `${String(this.shots).padStart(2, '0')}-${step}.png`);
    // Let transitions (notifications, modals) settle so the picture shows what a person sees.
    await page.waitForTimeout(250);
    await page.screenshot({ path: file, fullPage });
    return file;
  }

  /**
   * Signs in like a person: opens the dashboard (or `path`), clicks "Sign in", picks the demo
   * person by email on the dev provider's page and waits to be back, signed in.
   */
  async signIn(page, email, path = '/') {
    await page.goto(this.url + path);
    await (await visible(page.getByRole('button', { name: 'Sign in', exact: true }), 'the Sign in button')).click();
    await this.pickPerson(page, email);
  }

  /** On the dev provider's page, picks the demo person and waits to be back, signed in. */
  async pickPerson(page, email) {
    await visible(page.getByRole('heading', { name: 'Sign in to Sitekeeper' }), 'the dev provider page');
    await page.getByRole('list', { name: 'Demo people' }).getByRole('button', { name: email }).click();
    await visible(page.getByRole('button', { name: 'Sign out' }), `signed in as ${email}`);
    await page.waitForURL((u) => u.origin === this.url && !u.pathname.startsWith('/auth/'));
  }

  async signOut(page) {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await visible(page.getByRole('button', { name: 'Sign in', exact: true }), 'the sign-in page after signing out');
  }

  /** Fails when the page is wider than its viewport (a horizontal scrollbar on a phone). */
  async assertNoHorizontalOverflow(page, where) {
    const m = await page.evaluate(() => {
      const doc = document.documentElement;
      const wide = [];
      for (const el of document.querySelectorAll('body *')) {
        const r = el.getBoundingClientRect();
        if (r.width > 0 && r.right > doc.clientWidth + 1) {
          // Report the outermost culprits only, and nothing inside a scroll container.
          let p = el.parentElement;
          let inside = false;
          while (p && p !== document.body) {
            const s = getComputedStyle(p);
            if (p.getBoundingClientRect().right > doc.clientWidth + 1 || /(auto|scroll|hidden)/.test(s.overflowX)) {
              inside = true;
              break;
            }
            p = p.parentElement;
          }
          if (!inside) wide.push(`${el.tagName.toLowerCase()}${el.className && typeof el.className === 'string' ? '.' + el.className.split(' ')[0] : ''} right=${Math.round(r.right)}`);
        }
      }
      return { scrollWidth: doc.scrollWidth, clientWidth: doc.clientWidth, wide: wide.slice(0, 5) };
    });
    if (m.scrollWidth > m.clientWidth) {
      throw new Error(`${where}: the page is ${m.scrollWidth} px wide in a ${m.clientWidth} px viewport (${m.wide.join(', ')})`);
    }
  }

  async close() {
    for (const c of this.contexts) await c.close().catch(() => {});
  }
}
