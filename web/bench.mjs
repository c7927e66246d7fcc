// Budgets of the launcher, printed next to what they allow (run after `node web/build.mjs`):
//
//   node web/bench.mjs [--runs N]
//
// - gzip size of the launcher entry (launcher.js, glue bundled in, + its wasm): budget 30 KiB;
// - gzip size of the decisions entry (index.js + api.js + wasm glue + wasm): no budget, shown;
// - time from the launcher script's start to an interactive waffle in headless Chromium: budget
//   50 ms, median of N page loads (default 15). "Start" is the `onegate-launcher:start` mark, the
//   first thing launcher.js runs; "interactive" is the `onegate-launcher:interactive` mark it
//   sets once the widget is mounted with its listeners. Also shown, without a budget: from the
//   moment the browser starts fetching launcher.js (resource timing), which adds the download
//   (the wasm is preloaded alongside) and the wait for the page to finish parsing. The fixture
//   server of tests/fixtures/launcher serves the page on 127.0.0.1 under the tests' strict CSP.

import { cpus, loadavg } from 'node:os';
import { launchBrowser } from '../tests/harness.mjs';
import { startLauncherServer } from '../tests/fixtures/launcher/server.mjs';

import {
  DECISION_FILES, KIB, LAUNCHER_BUDGET_BYTES as SIZE_BUDGET, LAUNCHER_FILES, gzipBytes,
} from './size.mjs';

const TIME_BUDGET_MS = 50;

const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 15;

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function line(name, value, unit, budget) {
  const shown = unit === 'KiB' ? (value / KIB).toFixed(1) : value.toFixed(1);
  const limit = unit === 'KiB' ? (budget / KIB).toFixed(0) : budget;
  const ratio = (value / budget).toFixed(2);
  const verdict = value <= budget ? 'ok' : 'OVER BUDGET';
  console.log(`bench: ${name.padEnd(36)} ${shown} ${unit} / ${limit} ${unit} = ${ratio} ${verdict}`);
  return value <= budget;
}

const launcherSize = gzipBytes(LAUNCHER_FILES);
const decisionsSize = gzipBytes(DECISION_FILES);

const server = await startLauncherServer();
const browser = await launchBrowser();
const fromFetch = [];
const fromEval = [];
try {
  const context = await browser.newContext();
  for (let i = 0; i < RUNS; i += 1) {
    const page = await context.newPage();
    await page.goto(`${server.origin}/psa/`);
    await page.waitForFunction(
      () => performance.getEntriesByName('onegate-launcher:interactive').length > 0);
    const t = await page.evaluate(() => {
      const [script] = performance.getEntriesByType('resource')
        .filter((it) => it.name.endsWith('/.onegate/launcher.js'));
      const start = performance.getEntriesByName('onegate-launcher:start')[0].startTime;
      const ready = performance.getEntriesByName('onegate-launcher:interactive')[0].startTime;
      const waffle = document.querySelector('onegate-launcher');
      return { fetch: ready - script.startTime, evaluate: ready - start, mounted: Boolean(waffle) };
    });
    if (!t.mounted) throw new Error('the launcher did not mount');
    fromFetch.push(t.fetch);
    fromEval.push(t.evaluate);
    await page.close();
  }
} finally {
  await browser.close();
  await server.close();
}

console.log(`bench: launcher entry gzip ${launcherSize} B, decisions entry gzip ${decisionsSize} B`);
const ok = [
  line('launcher entry (gzip)', launcherSize, 'KiB', SIZE_BUDGET),
  line('launcher script start -> interactive', median(fromEval), 'ms', TIME_BUDGET_MS),
];
console.log(`bench: ${'decisions entry (gzip)'.padEnd(36)} ${(decisionsSize / KIB).toFixed(1)} KiB`
  + ' (no budget: a separate, heavier entry)');
console.log(`bench: ${'launcher fetch start -> interactive'.padEnd(36)} `
  + `${median(fromFetch).toFixed(1)} ms (includes download and waiting for the page to parse)`);
console.log(`bench: medians of ${RUNS} loads; script start -> interactive ranged `
  + `${Math.min(...fromEval).toFixed(1)}..${Math.max(...fromEval).toFixed(1)} ms; `
  + `load average ${loadavg().map((it) => it.toFixed(1)).join(' ')} on ${cpus().length} CPUs`);
process.exitCode = ok.every(Boolean) ? 0 : 1;
