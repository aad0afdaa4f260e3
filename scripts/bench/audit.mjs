// @ts-check
// Audit of the designers' demo and of a help page that only hosts the widget: what Lighthouse
// checks for performance, accessibility and best practices, measured with playwright-core and
// axe-core (also on the open panel, which Lighthouse never opens), then Lighthouse itself through
// `npx lighthouse@12` (the last major for Node 20) with Debian's Chromium, mobile and desktop.
// `--no-lighthouse` skips it (npx fetches it from the registry on first use).
//
//   node scripts/bench/audit.mjs [--no-lighthouse] [--no-build] [--only <page name part>]
//   → bench-results/audit.json
import { execFileSync, spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { extname, join, normalize } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { chromiumArgs, chromiumPath } from '../chromium.mjs';
import { startProtocolServer, startStaticServer } from './server.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const LIGHTHOUSE = 'lighthouse@12.8.2';
const types = { '.js': 'text/javascript', '.css': 'text/css', '.html': 'text/html; charset=utf-8', '.json': 'application/json', '.svg': 'image/svg+xml' };

/** Serves demo-dist/ at the root (msw's worker must be at /mockServiceWorker.js), gzip-compressed. */
async function serveDemo() {
  const dir = join(root, 'demo-dist');
  const server = createServer(async (req, res) => {
    const path = normalize(new URL(req.url ?? '/', 'http://x').pathname).replace(/^\/+/, '') || 'index.html';
    const file = join(dir, path);
    if (!file.startsWith(dir) || !existsSync(file)) return res.writeHead(404).end();
    const headers = { 'content-type': types[extname(file)] ?? 'application/octet-stream', 'cache-control': 'max-age=3600' };
    // Compressed, as any production host serves text; Lighthouse's network model counts the bytes.
    if (!/gzip/.test(String(req.headers['accept-encoding']))) return res.writeHead(200, headers).end(readFileSync(file));
    res.writeHead(200, { ...headers, 'content-encoding': 'gzip', vary: 'accept-encoding' }).end(gzipSync(readFileSync(file)));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const address = /** @type {import('node:net').AddressInfo} */ (server.address());
  return { url: `http://127.0.0.1:${address.port}/`, close: () => new Promise((r) => (server.closeAllConnections(), server.close(() => r(undefined)))) };
}

/** Runs Lighthouse on `url`; returns its scores and main metrics, or the reason it could not run. */
async function lighthouse(url, preset) {
  const out = join(root, `bench-results/lighthouse-${preset}-${Date.now()}.json`);
  const flags = ['--headless=new', ...chromiumArgs].join(' ');
  const args = ['-y', LIGHTHOUSE, url, '--quiet', '--output=json', `--output-path=${out}`, '--only-categories=performance,accessibility,best-practices', `--chrome-flags=${flags}`];
  if (preset === 'desktop') args.push('--preset=desktop');
  // Asynchronously: the pages it audits are served from this process (a synchronous spawn left
  // them unanswered, and Lighthouse waited for its first paint until it gave up). Its own group,
  // so a time-out also ends the Chromium it started.
  const child = spawn('npx', args, { env: { ...process.env, CHROME_PATH: chromiumPath() }, detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const timer = setTimeout(() => process.kill(-child.pid, 'SIGKILL'), 5 * 60_000);
  const status = await new Promise((resolve) => child.on('close', resolve));
  clearTimeout(timer);
  if (status !== 0 || !existsSync(out)) return { error: (stderr || `lighthouse exited with ${status}`).split('\n').filter(Boolean).slice(-3).join(' ') };
  const report = JSON.parse(readFileSync(out, 'utf8'));
  const score = (id) => Math.round((report.categories[id]?.score ?? 0) * 100);
  const metric = (id) => report.audits[id]?.displayValue;
  const failing = Object.values(report.categories)
    .filter((c) => c.id !== 'performance')
    .flatMap((c) => c.auditRefs.filter((r) => r.weight > 0 && report.audits[r.id].score !== null && report.audits[r.id].score < 1).map((r) => `${c.id}: ${report.audits[r.id].title}`));
  return {
    performance: score('performance'),
    accessibility: score('accessibility'),
    bestPractices: score('best-practices'),
    fcp: metric('first-contentful-paint'),
    lcp: metric('largest-contentful-paint'),
    tbt: metric('total-blocking-time'),
    cls: metric('cumulative-layout-shift'),
    speedIndex: metric('speed-index'),
    failing,
    report: out.replace(root, ''),
  };
}

/**
 * What Lighthouse measures, measured directly, and more: paint and layout-shift metrics and
 * total blocking time at 4× CPU, the best-practice signals (console errors, uncaught errors,
 * DevTools issues, third-party requests), and axe-core with the panel closed and open, in light
 * and dark.
 */
async function equivalent(url, widget) {
  const browser = await chromium.launch({ executablePath: chromiumPath(), headless: true, args: chromiumArgs });
  const result = {};
  try {
    for (const scheme of /** @type {const} */ (['light', 'dark'])) {
      const context = await browser.newContext({ colorScheme: scheme, viewport: { width: 412, height: 823 }, deviceScaleFactor: 2.625, isMobile: true, hasTouch: true });
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
      const issues = [];
      await cdp.send('Audits.enable');
      cdp.on('Audits.issueAdded', ({ issue }) => issues.push(`${issue.code} ${JSON.stringify(Object.values(issue.details)[0] ?? {}).slice(0, 160)}`));
      const errors = [];
      const foreign = [];
      page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('request', (r) => !/^(https?|wss?):\/\/127\.0\.0\.1[:/]|^(data|blob):/.test(r.url()) && foreign.push(r.url()));
      await page.addInitScript(() => {
        const m = (window.__audit = { lcp: 0, cls: 0, long: [] });
        new PerformanceObserver((l) => l.getEntries().forEach((e) => (m.lcp = e.startTime))).observe({ type: 'largest-contentful-paint', buffered: true });
        new PerformanceObserver((l) => l.getEntries().forEach((e) => !e.hadRecentInput && (m.cls += e.value))).observe({ type: 'layout-shift', buffered: true });
        new PerformanceObserver((l) => l.getEntries().forEach((e) => m.long.push([e.startTime, e.duration]))).observe({ type: 'longtask', buffered: true });
      });
      await page.goto(url, { waitUntil: 'load' });
      if (widget) await page.waitForFunction(() => document.querySelector('mercari-chat-support')?.shadowRoot, undefined, { timeout: 60_000 });
      await page.waitForTimeout(3000);
      const metrics = await page.evaluate(() => {
        const fcp = performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? 0;
        const nav = performance.getEntriesByType('navigation')[0];
        const { lcp, cls, long } = window.__audit;
        const tbt = long.filter(([start]) => start >= fcp).reduce((sum, [, duration]) => sum + Math.max(0, duration - 50), 0);
        return { fcp: Math.round(fcp), lcp: Math.round(lcp), tbt: Math.round(tbt), cls: Math.round(cls * 1000) / 1000, load: Math.round(nav.loadEventEnd) };
      });
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
      await page.addScriptTag({ path: join(root, 'node_modules/axe-core/axe.min.js') });
      const axe = async () => {
        const { violations, passes } = await page.evaluate(() =>
          window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] } }),
        );
        return { passes: passes.length, violations: violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.length} node(s): ${v.help}`) };
      };
      const closed = await axe();
      if (widget) await page.evaluate(async () => {
        const el = document.querySelector('mercari-chat-support');
        el.show();
        await el.updateComplete;
        await new Promise((r) => setTimeout(r, 1000));
      });
      const open = widget ? await axe() : null;
      result[scheme] = { metrics, axeClosed: closed, axeOpen: open, consoleErrors: errors, devtoolsIssues: [...new Set(issues)], thirdParty: [...new Set(foreign)] };
      await context.close();
    }
  } finally {
    await browser.close();
  }
  return result;
}

// Always from the current source: an old build would audit code that is no longer there.
if (!process.argv.includes('--no-build')) {
  execFileSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit', cwd: root });
  execFileSync('npm', ['run', '--silent', 'build:demo'], { stdio: 'inherit', cwd: root });
}
mkdirSync(join(root, 'bench-results'), { recursive: true });

const withLighthouse = !process.argv.includes('--no-lighthouse');
const demo = await serveDemo();
const site = await startStaticServer();
// The open panel talks to the reference backend on the loopback protocol server.
const protocol = await startProtocolServer();
const backend = await protocol.instance();
// `hands-off`: the bench's launcher probe would lay the page out inside the script's task.
const pages = [
  ['demo control panel', demo.url, false],
  ['demo stage (mock help page with the widget)', `${demo.url}?view=stage`, true],
  ['help page with only the widget', `${site.url}/bench/launch.html?hands-off&endpoint=${encodeURIComponent(backend.wsUrl)}`, true],
  // Lighthouse never clicks: this is how its accessibility audit sees the open panel.
  ['help page, panel open at load', `${site.url}/bench/launch.html?hands-off&open&endpoint=${encodeURIComponent(backend.wsUrl)}`, true],
];
const results = {};
try {
  const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : '';
  for (const [name, url, widget] of pages.filter(([name]) => name.includes(only))) {
    process.stdout.write(`audit: ${name}…\n`);
    results[name] = await equivalent(url, widget);
    if (withLighthouse) for (const preset of ['mobile', 'desktop']) results[`${name}, lighthouse ${preset}`] = await lighthouse(url, preset);
  }
} finally {
  await demo.close();
  await site.close();
  await protocol.close();
}
writeFileSync(join(root, 'bench-results/audit.json'), JSON.stringify({ date: new Date().toISOString(), results }, null, 2) + '\n');
for (const [name, r] of Object.entries(results)) {
  if ('error' in r) console.log(`${name}: lighthouse could not run: ${r.error}`);
  else if ('performance' in r) {
    console.log(`${name}: performance ${r.performance}, accessibility ${r.accessibility}, best practices ${r.bestPractices} · FCP ${r.fcp}, LCP ${r.lcp}, TBT ${r.tbt}, CLS ${r.cls}, SI ${r.speedIndex}`);
    for (const f of r.failing) console.log(`    not passed: ${f}`);
  } else {
    for (const [scheme, a] of Object.entries(r)) {
      const m = a.metrics;
      console.log(`${name}, ${scheme} (mobile viewport, 4× CPU): FCP ${m.fcp} ms, LCP ${m.lcp} ms, TBT ${m.tbt} ms, CLS ${m.cls}, load ${m.load} ms`);
      console.log(`    axe closed: ${a.axeClosed.passes} rules passed, ${a.axeClosed.violations.length} violations${a.axeClosed.violations.map((v) => `\n      ${v}`).join('')}`);
      console.log(a.axeOpen ? `    axe open:   ${a.axeOpen.passes} rules passed, ${a.axeOpen.violations.length} violations${a.axeOpen.violations.map((v) => `\n      ${v}`).join('')}` : '    axe open:   n/a (no widget on this page)');
      console.log(`    console errors ${a.consoleErrors.length}, DevTools issues ${a.devtoolsIssues.length}${a.devtoolsIssues.map((i) => `\n      ${i}`).join('')}, third-party requests ${a.thirdParty.length}`);
      for (const e of a.consoleErrors.slice(0, 5)) console.log(`      ${e.slice(0, 200)}`);
    }
  }
}
console.log('Written to bench-results/audit.json');
