// @ts-check
// `npm run bench`: the performance budgets of DESIGN.md, measured in Debian's Chromium through
// playwright-core. Every browser measurement runs in a fresh context, at least 5 times; the
// table shows medians. Results go to bench-results/latest.json; the exit code is 1 when a
// budget is missed.
//
//   node scripts/bench.mjs [--runs 5] [--only size,startup,history,scroll,big,enqueue,flush] [--no-build]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { chromium } from 'playwright-core';
import { chromiumArgs, chromiumPath } from './chromium.mjs';
import { ensureChromium } from './ensure-chromium.mjs';
import { measure } from './size.mjs';
import { NotAvailable, bigMessage, emptyPage, enqueue, flush, history, startup } from './bench/scenarios.mjs';
import { startProtocolServer, startStaticServer } from './bench/server.mjs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const RUNS = Math.max(1, Number(arg('runs', 5)));
const ONLY = new Set(String(arg('only', 'size,startup,history,scroll,big,enqueue,flush')).split(','));

const KiB = 1024;
const bundles = { iife: 'dist/mercari-chat-support.iife.js', esm: 'dist/index.js' };

/**
 * What is measured, how it is shown and its budget. `get` picks the value out of one run's
 * result; `budget.max` is compared with the median unless `budget.every` asks for every run.
 * @typedef {{ id: string, label: string, unit: 'ms' | 'B' | 'count', scenario: string,
 *   get: (r: any) => number | undefined, budget?: { max: number, every?: boolean, text: string } }} Metric
 */

/** @type {Metric[]} */
const metrics = [];
for (const [name, file] of Object.entries(bundles)) {
  for (const kind of ['raw', 'gzip', 'brotli']) {
    metrics.push({
      id: `size.${name}.${kind}`,
      label: `${name === 'iife' ? 'Script-tag' : 'ESM'} bundle, ${kind}`,
      unit: 'B',
      scenario: 'size',
      get: (r) => r[file]?.[kind],
      budget: name === 'iife' && kind === 'gzip' ? { max: 24 * KiB, text: '≤ 24 KiB' } : undefined,
    });
  }
}
for (const cpu of [1, 4]) {
  const s = `startup@${cpu}`;
  const at = `${cpu}× CPU`;
  metrics.push(
    { id: `launcher.${cpu}x`, label: `Launcher rendered after script runs (${at})`, unit: 'ms', scenario: s, get: (r) => r.launcher, budget: cpu === 4 ? { max: 50, text: '≤ 50 ms' } : undefined },
    { id: `launcher-arrival.${cpu}x`, label: `Launcher rendered after script arrives (${at})`, unit: 'ms', scenario: s, get: (r) => r.launcherFromArrival },
    { id: `evaluation.${cpu}x`, label: `  of which: evaluating the script (${at})`, unit: 'ms', scenario: s, get: (r) => r.evaluation },
    { id: `first-render.${cpu}x`, label: `  of which: first render (${at})`, unit: 'ms', scenario: s, get: (r) => r.firstRender },
    { id: `launcher-painted.${cpu}x`, label: `Launcher painted after script runs (${at})`, unit: 'ms', scenario: s, get: (r) => r.launcherPainted },
    { id: `panel.${cpu}x`, label: `Panel open after click (${at})`, unit: 'ms', scenario: s, get: (r) => r.panel },
    { id: `panel-painted.${cpu}x`, label: `Panel painted after click (${at})`, unit: 'ms', scenario: s, get: (r) => r.panelPainted },
    { id: `longtasks.${cpu}x`, label: `Long tasks at start-up (${at})`, unit: 'count', scenario: s, get: (r) => r.longtasks },
    { id: `longest-task.${cpu}x`, label: `Longest task at start-up (${at})`, unit: 'ms', scenario: s, get: (r) => r.longestTask, budget: { max: 50, text: '≤ 50 ms' } },
    {
      id: `requests-before-open.${cpu}x`,
      label: `Requests before the user opens (${at})`,
      unit: 'count',
      scenario: s,
      get: (r) => r.requestsBeforeOpen,
      budget: { max: 0, every: true, text: '0, every run' },
    },
  );
}
metrics.push(
  { id: 'heap', label: 'JS heap after load (page + widget, after GC)', unit: 'B', scenario: 'startup@1', get: (r) => r.heap, budget: { max: 1.5e6, text: '≤ 1.5 MB' } },
  { id: 'heap-empty', label: 'JS heap of the same page without the widget', unit: 'B', scenario: 'empty', get: (r) => r.heap },
  { id: 'heap-1k', label: 'JS heap showing 1,000 messages (after GC)', unit: 'B', scenario: 'history@1000', get: (r) => r.heap },
  { id: 'history-1k', label: 'Restore + show 1,000 stored messages', unit: 'ms', scenario: 'history@1000', get: (r) => r.restore, budget: { max: 150, text: '≤ 150 ms' } },
  { id: 'history-1k-painted', label: 'Restore + paint 1,000 stored messages', unit: 'ms', scenario: 'history@1000', get: (r) => r.restorePainted },
  { id: 'history-1k-dom', label: 'Shadow DOM elements with 1,000 messages', unit: 'count', scenario: 'history@1000', get: (r) => r.elements, budget: { max: 300, text: '≤ 300' } },
  { id: 'history-10k', label: 'Restore + show 10,000 stored messages', unit: 'ms', scenario: 'history@10000', get: (r) => r.restore },
  { id: 'history-10k-dom', label: 'Shadow DOM elements with 10,000 messages', unit: 'count', scenario: 'history@10000', get: (r) => r.elements, budget: { max: 300, text: '≤ 300' } },
  {
    id: 'scroll-10k-unreached',
    label: 'Scrolling did not reach the oldest message and back',
    unit: 'count',
    scenario: 'history@10000',
    get: (r) => (r.scroll ? Number(!(r.scroll.reachedTop && r.scroll.reachedBottom)) : undefined),
    budget: { max: 0, every: true, text: '0, every run' },
  },
  { id: 'scroll-10k-janky', label: 'Frames > 50 ms scrolling 10,000 to top and back', unit: 'count', scenario: 'history@10000', get: (r) => r.scroll?.over50, budget: { max: 0, text: '0' } },
  { id: 'scroll-10k-worst', label: 'Worst frame scrolling 10,000 messages', unit: 'ms', scenario: 'history@10000', get: (r) => r.scroll?.worst },
  { id: 'scroll-10k-frames', label: 'Frames scrolling 10,000 to top and back', unit: 'count', scenario: 'history@10000', get: (r) => r.scroll?.frames },
  { id: 'scroll-10k-dom', label: 'Shadow DOM elements after scrolling 10,000', unit: 'count', scenario: 'history@10000', get: (r) => r.scroll?.elements, budget: { max: 300, text: '≤ 300' } },
  { id: 'big-message', label: 'Render a 1 MB message', unit: 'ms', scenario: 'big', get: (r) => r.big },
  { id: 'enqueue', label: 'outbox.enqueue, durable (median of 100)', unit: 'ms', scenario: 'enqueue', get: (r) => r.enqueue },
  { id: 'enqueue-p95', label: 'outbox.enqueue, durable (p95 of 100)', unit: 'ms', scenario: 'enqueue', get: (r) => r.enqueueP95 },
  { id: 'flush-200', label: 'Flush 200 queued messages to loopback WebSocket', unit: 'ms', scenario: 'flush', get: (r) => r.flush, budget: { max: 1000, text: '≤ 1 s' } },
  { id: 'flush-200-connect', label: '  of which: reconnect (hello → welcome)', unit: 'ms', scenario: 'flush', get: (r) => r.flushConnect },
  { id: 'flush-200-frames', label: '  message frames the server received', unit: 'count', scenario: 'flush', get: (r) => r.flushFrames },
  {
    id: 'flush-200-once-in-order',
    label: '  stored exactly once, in order (problems)',
    unit: 'count',
    scenario: 'flush',
    get: (r) => r.flushProblems?.length,
    budget: { max: 0, every: true, text: '0, every run' },
  },
);

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const format = (value, unit) =>
  value === undefined
    ? '—'
    : unit === 'ms'
      ? `${value.toFixed(1)} ms`
      : unit === 'B'
        ? value >= 1e6
          ? `${(value / 1e6).toFixed(2)} MB`
          : `${(value / KiB).toFixed(2)} KiB`
        : String(Math.round(value * 10) / 10);

/** Runs a scenario `runs` times; stops early when it is not available (the reason is kept). */
async function repeat(name, runs, fn) {
  /** @type {any[]} */
  const results = [];
  for (let i = 0; i < runs; i++) {
    if (process.stdout.isTTY) process.stdout.write(`  ${name} ${i + 1}/${runs}\r`);
    try {
      results.push(await fn());
    } catch (error) {
      const message = String(/** @type {Error} */ (error)?.message ?? error).split('\n')[0];
      if (process.stdout.isTTY) process.stdout.write(' '.repeat(60) + '\r');
      return error instanceof NotAvailable ? { results, na: message } : { results, failed: message };
    }
  }
  if (process.stdout.isTTY) process.stdout.write(' '.repeat(60) + '\r');
  else console.log(`  ${name}: ${results.length} runs`);
  return { results, na: undefined };
}

async function main() {
  // The bench seeds storage with the outbox bundled from src/ now, so the widget must be built
  // from the same sources: a stale dist/ would read another schema. `--no-build` skips it.
  if (!process.argv.includes('--no-build') || !existsSync(bundles.iife) || !existsSync(bundles.esm)) {
    console.log('Building…');
    const built = spawnSync('npm', ['run', '--silent', 'build'], { stdio: ['ignore', 'ignore', 'inherit'] });
    if (built.status !== 0) process.exit(built.status ?? 1);
  }
  /** @type {Record<string, { results: any[], na?: string, failed?: string }>} */
  const scenarios = {};
  if (ONLY.has('size')) scenarios.size = { results: [Object.fromEntries(Object.values(bundles).map((f) => [f, measure(f)]))] };

  ensureChromium();
  const browser = await chromium.launch({ executablePath: chromiumPath(), headless: true, args: chromiumArgs });
  const chromiumVersion = browser.version();
  const site = await startStaticServer();
  /** @type {Awaited<ReturnType<typeof startProtocolServer>> | undefined} */
  let protocolServer;
  /** @type {import('./bench/scenarios.mjs').Env} */
  const env = {
    browser,
    base: site.url,
    protocol: async () => (protocolServer ??= await startProtocolServer()),
    requests: [],
  };
  const started = Date.now();
  try {
    if (ONLY.has('startup')) {
      scenarios.empty = await repeat('empty page', RUNS, () => emptyPage(env));
      for (const cpu of [1, 4]) scenarios[`startup@${cpu}`] = await repeat(`start-up ${cpu}×`, RUNS, () => startup(env, cpu));
    }
    if (ONLY.has('history')) scenarios['history@1000'] = await repeat('history 1,000', RUNS, () => history(env, 1000, { heap: true }));
    if (ONLY.has('history') || ONLY.has('scroll')) scenarios['history@10000'] = await repeat('history 10,000 + scroll', RUNS, () => history(env, 10_000, { scroll: true }));
    if (ONLY.has('big')) scenarios.big = await repeat('1 MB message', RUNS, () => bigMessage(env));
    if (ONLY.has('enqueue')) scenarios.enqueue = await repeat('enqueue', RUNS, () => enqueue(env));
    if (ONLY.has('flush')) scenarios.flush = await repeat('flush 200', RUNS, () => flush(env));
  } finally {
    await browser.close().catch(() => {});
    await site.close();
    await protocolServer?.close();
  }

  const rows = [];
  for (const metric of metrics) {
    const scenario = scenarios[metric.scenario];
    if (!scenario) continue;
    const values = scenario.results.map(metric.get).filter((v) => typeof v === 'number' && Number.isFinite(v));
    // A run that broke (not a feature that is missing) fails the budget it was to check.
    const failed = scenario.failed && `failed: ${scenario.failed}`;
    const na = values.length ? undefined : (failed ?? scenario.na ?? 'not measured');
    const value = values.length ? median(values) : undefined;
    const checked = metric.budget?.every ? Math.max(...values) : value;
    const status = failed ? 'FAILED' : !metric.budget ? '' : na ? 'n/a' : /** @type {number} */ (checked) <= metric.budget.max ? 'ok' : 'MISSED';
    rows.push({
      id: metric.id,
      label: metric.label,
      unit: metric.unit,
      median: value,
      min: values.length ? Math.min(...values) : undefined,
      max: values.length ? Math.max(...values) : undefined,
      values,
      runs: values.length,
      budget: metric.budget?.text,
      budgetMax: metric.budget?.max,
      status,
      na: na ?? (failed || scenario.na ? `only ${values.length} runs: ${failed || scenario.na}` : undefined),
    });
  }

  // The widget's own share of the heap: the same page's heap without it subtracted.
  const heap = rows.find((r) => r.id === 'heap');
  const empty = rows.find((r) => r.id === 'heap-empty');
  if (heap?.median !== undefined && empty?.median !== undefined) {
    const share = heap.median - empty.median;
    rows.splice(rows.indexOf(empty) + 1, 0, { id: 'heap-widget', label: "  the widget's share (difference of medians)", unit: 'B', median: share, min: share, max: share, values: [share], runs: 1, budget: undefined, budgetMax: undefined, status: '', na: undefined });
  }

  // No third-party requests, ever: every request of every page stays on the loopback servers.
  const foreign = env.requests.filter(({ url }) => !/^(https?|wss?):\/\/127\.0\.0\.1[:/]/.test(url) && !url.startsWith('blob:') && !url.startsWith('data:'));
  if (env.requests.length) {
    rows.push({
      id: 'third-party-requests',
      label: 'Requests to anywhere but 127.0.0.1 (all pages)',
      unit: 'count',
      median: foreign.length,
      min: foreign.length,
      max: foreign.length,
      values: [foreign.length],
      runs: 1,
      budget: '0',
      budgetMax: 0,
      status: foreign.length ? 'MISSED' : 'ok',
      na: undefined,
    });
  }

  const details = {
    requestsBeforeOpen: [...new Set(['startup@1', 'startup@4'].flatMap((s) => scenarios[s]?.results.flatMap((r) => r.requestsBeforeOpenList) ?? []))],
    flushProblems: [...new Set(scenarios.flush?.results.flatMap((r) => r.flushProblems) ?? [])],
    foreignRequests: [...new Set(foreign.map((r) => r.url))],
    scroll: scenarios['history@10000']?.results.map((r) => r.scroll),
  };

  const table = rows.map((r) => ({
    measurement: r.label,
    median: r.na && r.median === undefined ? `n/a (${r.na})` : format(r.median, r.unit),
    'min–max': r.runs > 1 ? `${format(r.min, r.unit)} – ${format(r.max, r.unit)}` : '',
    runs: r.runs,
    budget: r.budget ?? '',
    result: r.status,
  }));
  printTable(table);
  const machine = {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    chromium: chromiumVersion,
  };
  console.log(`\n${new Date(started).toISOString()} · ${machine.cpu} × ${machine.cores} · Chromium ${machine.chromium} · Node ${machine.node} · load ${machine.loadAverage.join(' ')} · ${RUNS} runs, medians`);
  if (details.requestsBeforeOpen.length) console.log(`Requests before open: ${details.requestsBeforeOpen.join(', ')}`);
  if (details.flushProblems.length) console.log(`Flush problems: ${details.flushProblems.join('; ')}`);
  if (details.foreignRequests.length) console.log(`Third-party requests: ${details.foreignRequests.join(', ')}`);
  for (const r of rows.filter((x) => x.na)) console.log(`n/a ${r.id}: ${r.na}`);

  mkdirSync('bench-results', { recursive: true });
  writeFileSync('bench-results/latest.json', JSON.stringify({ date: new Date(started).toISOString(), machine, runs: RUNS, results: rows, details }, null, 2) + '\n');
  console.log('Written to bench-results/latest.json');

  const missed = rows.filter((r) => r.status === 'MISSED' || r.status === 'FAILED');
  if (missed.length) {
    console.error(`\n${missed.length} budget(s) missed or not measurable because a run failed: ${missed.map((r) => r.id).join(', ')}`);
    process.exit(1);
  }
  console.log('\nEvery measured budget is met.');
}

/** Prints aligned columns (console.table quotes strings and is hard to paste into README). */
function printTable(rows) {
  const heads = Object.keys(rows[0] ?? {});
  const widths = heads.map((h) => Math.max(h.length, ...rows.map((r) => String(r[h]).length)));
  const line = (cells) => `| ${cells.map((c, i) => String(c).padEnd(widths[i])).join(' | ')} |`;
  console.log(line(heads));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of rows) console.log(line(heads.map((h) => r[h])));
}

await main();
