#!/usr/bin/env node
// Runs the browser journeys in e2e/journeys one after another. Each journey gets its own
// `sitekeeper serve` (fresh SQLite database, dev mode with demo data) and its own Chromium;
// both are stopped when the journey ends, whatever happened. Prints one line per journey, the
// screenshot folder, and a closing "N passed, N failed" line; exits 1 when any journey failed.
//
//   node e2e/run.mjs [substring ...]   only the journeys whose file name contains a substring
//
// SITEKEEPER_E2E_BINARY    the sitekeeper binary built with -tags spa (default ./sitekeeper)
// SITEKEEPER_E2E_CHROMIUM  the browser (default /usr/bin/chromium)
// SITEKEEPER_E2E_OUT       where screenshots go (default test-results/e2e)
// SITEKEEPER_E2E_JOURNEY_TIMEOUT_S  one journey's limit (default 90)
// SITEKEEPER_E2E_TIMEOUT_S          the whole run's limit (default 900)
import { copyFileSync, existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Journey, config, killAllServers, launchBrowser, startServer, tail } from './lib.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const journeyTimeout = Number(process.env.SITEKEEPER_E2E_JOURNEY_TIMEOUT_S || 90) * 1000;
const runTimeout = Number(process.env.SITEKEEPER_E2E_TIMEOUT_S || 900) * 1000;

const filters = process.argv.slice(2);
const files = readdirSync(path.join(here, 'journeys'))
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
  console.log(`\nScreenshots: ${config.outDir}`);
  console.log(`${passed} passed, ${failed} failed`);
  return failed;
}

function bail(why) {
  if (finished) return;
  finished = true;
  console.log(`\n${why}: stopping the servers`);
  killAllServers();
  const missing = files.length - results.length;
  for (let i = 0; i < missing; i++) results.push({ name: files[results.length].replace(/\.mjs$/, ''), ok: false, ms: 0 });
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

for (const [i, file] of files.entries()) {
  const name = file.replace(/\.mjs$/, '');
  const started = Date.now();
  let server;
  let browser;
  let journey;
  let error = null;
  let serverLog = '';
  try {
    const mod = await import(pathToFileURL(path.join(here, 'journeys', file)).href);
    server = await startServer();
    browser = await launchBrowser();
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
    if (browser) await withTimeout(browser.close(), 10_000, 'closing the browser').catch(() => {});
    if (server) {
      await server.stop();
      serverLog = server.log();
      if (error && journey && existsSync(server.logPath)) copyFileSync(server.logPath, path.join(journey.dir, 'server.log'));
      server.cleanup();
    }
  }
  const ms = Date.now() - started;
  if (finished) break;
  results.push({ name, ok: !error, ms });
  const secs = (ms / 1000).toFixed(1);
  if (error) {
    console.log(`not ok ${i + 1} - ${name} (${secs} s)`);
    console.log(`  ${String(error.stack || error).split('\n').slice(0, 12).join('\n  ')}`);
    if (journey?.notes.length) console.log(`  browser console:\n    ${journey.notes.slice(0, 10).join('\n    ')}`);
    if (serverLog) console.log(`  server log (last lines):\n    ${tail(serverLog, 15).split('\n').join('\n    ')}`);
  } else {
    console.log(`ok ${i + 1} - ${name} (${secs} s)`);
  }
}

finished = true;
clearTimeout(runTimer);
process.exit(summary() > 0 ? 1 : 0);
