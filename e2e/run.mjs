#!/usr/bin/env node
// Runs the browser journeys in e2e/journeys, SITEKEEPER_E2E_PARALLEL (3) at a time. Each journey
// gets its own `sitekeeper serve` (fresh SQLite database, dev mode with demo data) and its own
// browser contexts on a worker's Chromium; the server is stopped when the journey ends, whatever
// happened. Every page a journey checks passes axe-core with no serious or critical violation.
// Prints one line per journey, the screenshot folder, and a closing "N passed, N failed" line;
// exits 1 when any journey failed.
//
//   node e2e/run.mjs [substring ...]   only the journeys whose file name contains a substring
//
// SITEKEEPER_E2E_DIR       the folder of journeys under e2e/ (default journeys; readme makes the
//                          README's screenshots)
// SITEKEEPER_E2E_BINARY    the sitekeeper binary built with -tags spa (default ./sitekeeper)
// SITEKEEPER_E2E_CHROMIUM  the browser (default /usr/bin/chromium)
// SITEKEEPER_E2E_OUT       where screenshots go (default test-results/e2e)
// SITEKEEPER_E2E_PARALLEL  journeys at once (default 3)
// SITEKEEPER_E2E_JOURNEY_TIMEOUT_S  one journey's limit (default 180: the accessibility tours take 80-90 s on a loaded 2-core machine)
// SITEKEEPER_E2E_TIMEOUT_S          the whole run's limit (default 900)
import { copyFileSync, existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Journey, config, killAllServers, launchBrowser, startServer, tail } from './lib.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const journeyTimeout = Number(process.env.SITEKEEPER_E2E_JOURNEY_TIMEOUT_S || 180) * 1000;
// Journeys at once: each has its own server and database, so they never see each other.
const parallel = Math.max(1, Number(process.env.SITEKEEPER_E2E_PARALLEL || 3));
const runTimeout = Number(process.env.SITEKEEPER_E2E_TIMEOUT_S || 900) * 1000;

const filters = process.argv.slice(2);
const journeyDir = path.join(here, process.env.SITEKEEPER_E2E_DIR || 'journeys');
const files = readdirSync(journeyDir)
  .filter((f) => f.endsWith('.mjs'))
  .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)))
  .sort();

const results = [];
let finished = false;

function summary() {
  const passed = results.filter((r) => r.ok).length;
  const failed = results.length - passed;
  console.log('');
  for (const r of results) console.log(`${r.ok ? 'PASS' : 'FAIL'}  ${r.name.padEnd(40)} ${(r.ms / 1000).toFixed(1).padStart(5)} s`);
  const checked = results.reduce((n, r) => n + (r.checked ?? 0), 0);
  if (checked) console.log(`\naxe-core: ${checked} page views checked, no serious or critical violations in the passing journeys`);
  console.log(`\nScreenshots: ${config.outDir}`);
  console.log(`${passed} passed, ${failed} failed`);
  return failed;
}

function bail(why) {
  if (finished) return;
  finished = true;
  console.log(`\n${why}: stopping the servers`);
  killAllServers();
  const done = new Set(results.map((r) => r.name));
  for (const f of files) if (!done.has(f.replace(/\.mjs$/, ''))) results.push({ name: f.replace(/\.mjs$/, ''), ok: false, ms: 0 });
  summary();
  process.exit(1);
}

process.on('SIGINT', () => bail('interrupted'));
process.on('SIGTERM', () => bail('terminated'));
process.on('exit', () => killAllServers());
const runTimer = setTimeout(() => bail(`the run took longer than ${runTimeout / 1000} s`), runTimeout);
runTimer.unref();

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms / 1000} s`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

if (files.length === 0) {
  console.error(`no journey matches ${filters.join(', ')}`);
  process.exit(1);
}
console.log(`Sitekeeper browser journeys: ${files.length}, binary ${config.binary}, browser ${config.chromium}`);
console.log(`Screenshots: ${config.outDir}\n`);

/** Runs one journey with its own server and contexts on a worker's browser; returns its result. */
async function runJourney(file, browser) {
  const name = file.replace(/\.mjs$/, '');
  const started = Date.now();
  let server;
  let journey;
  let error = null;
  let serverLog = '';
  try {
    const mod = await import(pathToFileURL(path.join(journeyDir, file)).href);
    server = await startServer();
    journey = new Journey(name, server, browser);
    await withTimeout(mod.default(journey), journeyTimeout, name);
    if (journey.pageErrors.length) throw new Error(`uncaught errors in the page:\n  ${journey.pageErrors.join('\n  ')}`);
  } catch (e) {
    error = e;
  } finally {
    if (journey) {
      if (error) {
        // The page as it was when the journey failed.
        for (const [k, ctx] of journey.contexts.entries()) {
          for (const p of ctx.pages()) {
            await withTimeout(p.screenshot({ path: path.join(journey.dir, `failure-${k}.png`) }), 5000, 'failure screenshot').catch(() => {});
          }
        }
      }
      await withTimeout(journey.close(), 10_000, 'closing the contexts').catch(() => {});
    }
    if (server) {
      await server.stop();
      serverLog = server.log();
      if (error && journey && existsSync(server.logPath)) copyFileSync(server.logPath, path.join(journey.dir, 'server.log'));
      server.cleanup();
    }
  }
  return { name, ok: !error, ms: Date.now() - started, error, notes: journey?.notes ?? [], checked: journey?.a11yChecked ?? 0, serverLog };
}

function report(r, n) {
  const secs = (r.ms / 1000).toFixed(1);
  if (r.error) {
    console.log(`not ok ${n} - ${r.name} (${secs} s)`);
    console.log(`  ${String(r.error.stack || r.error).split('\n').slice(0, 12).join('\n  ')}`);
    if (r.notes.length) console.log(`  browser console:\n    ${r.notes.slice(0, 10).join('\n    ')}`);
    if (r.serverLog) console.log(`  server log (last lines):\n    ${tail(r.serverLog, 15).split('\n').join('\n    ')}`);
  } else {
    console.log(`ok ${n} - ${r.name} (${secs} s${r.checked ? `, ${r.checked} pages checked with axe` : ''})`);
  }
}

// Journeys run side by side, each with its own server (a fresh database, so none sees another's
// changes) and its own browser contexts; each worker drives one Chromium.
const queue = [...files];
let reported = 0;
async function worker() {
  let browser = null;
  try {
    while (queue.length > 0 && !finished) {
      const file = queue.shift();
      if (!browser) browser = await launchBrowser();
      const r = await runJourney(file, browser);
      if (finished) break;
      results.push(r);
      report(r, ++reported);
      if (r.error && !browser.isConnected()) browser = null; // a crashed browser is replaced
    }
  } finally {
    if (browser) await withTimeout(browser.close(), 10_000, 'closing the browser').catch(() => {});
  }
}
await Promise.all(Array.from({ length: Math.min(parallel, files.length) }, worker));
results.sort((a, b) => a.name.localeCompare(b.name));

finished = true;
clearTimeout(runTimer);
process.exit(summary() > 0 ? 1 : 0);
