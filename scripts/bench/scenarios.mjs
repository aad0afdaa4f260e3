// @ts-check
// One function per measurement. Each run gets a fresh browser context (empty cache, empty
// IndexedDB) and returns plain numbers; bench.mjs takes medians and checks budgets.

/** Thrown by a measurement that cannot be made yet; the table shows "n/a (reason)". */
export class NotAvailable extends Error {}

/**
 * @typedef {{
 *   browser: import('playwright-core').Browser,
 *   base: string,
 *   protocol: () => Promise<Awaited<ReturnType<typeof import('./server.mjs').startProtocolServer>>>,
 *   requests: { url: string, page: string }[],
 * }} Env
 */

/**
 * Runs `body` in a fresh context and page, CPU throttled by `cpu` (1 = none), logging every
 * request (and WebSocket) the page makes into `env.requests`.
 * @template T
 * @param {Env} env
 * @param {{ cpu?: number }} options
 * @param {(page: import('playwright-core').Page, cdp: import('playwright-core').CDPSession, seen: string[]) => Promise<T>} body
 * @returns {Promise<T>}
 */
async function withPage(env, { cpu = 1 }, body) {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    const page = await context.newPage();
    /** @type {string[]} */
    const seen = [];
    const log = (url) => {
      seen.push(url);
      env.requests.push({ url, page: page.url() });
    };
    page.on('request', (r) => log(r.url()));
    page.on('websocket', (ws) => log(ws.url()));
    const cdp = await context.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: cpu });
    return await body(page, cdp, seen);
  } finally {
    await context.close();
  }
}

/**
 * Evaluates `expression` in the page through the DevTools protocol alone, awaiting a promise.
 * Playwright's own page helpers load its injected scripts into the page's heap (about 0.6 MB
 * for `waitForFunction`), which would be counted as the widget's; the start-up scenario weighs
 * the heap, so it talks to the page only this way.
 * @param {import('playwright-core').CDPSession} cdp
 * @param {string} expression
 */
async function inPage(cdp, expression) {
  const { result, exceptionDetails } = await cdp.send('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true });
  if (exceptionDetails) throw new Error(exceptionDetails.exception?.description ?? exceptionDetails.text);
  return result.value;
}

/** Waits until `window.__bench[key]` is set (the page's own probe), then returns the probe. */
async function probe(cdp, key, timeout = 20_000) {
  const found = await inPage(
    cdp,
    `new Promise((resolve) => { const t0 = performance.now(); const poll = () => window.__bench?.[${JSON.stringify(key)}] !== undefined || performance.now() - t0 > ${timeout} ? resolve(window.__bench?.[${JSON.stringify(key)}] !== undefined) : setTimeout(poll, 20); poll(); })`,
  );
  if (!found) throw new Error(`the page never set __bench.${key}`);
  return inPage(cdp, 'window.__bench');
}

/** Fails the run when the script-tag bundle did not define the element. */
async function registered(cdp) {
  if (!(await inPage(cdp, "!!customElements.get('mercari-chat-support')"))) throw new Error('the script-tag bundle did not register <mercari-chat-support>');
}

/** Forces a full garbage collection and reads the JS heap in use, in bytes. */
async function heapUsed(cdp) {
  await cdp.send('HeapProfiler.enable');
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  return usedSize;
}

/**
 * Start-up on the help page, loaded twice. First as a host page has it, with nothing reading
 * layout: its long tasks and requests. Then with the probe that times the launcher: from the
 * script's first statement (and from its arrival) to the launcher's box, which makes the browser
 * lay out the page inside the script's task; then the heap after load, and the panel opening.
 * @param {Env} env
 * @param {number} cpu CPU throttling rate
 */
export async function startup(env, cpu) {
  const protocol = await env.protocol();
  const instance = await protocol.instance();
  const launch = (flags) => `${env.base}/bench/launch.html?${flags}endpoint=${encodeURIComponent(instance.wsUrl)}`;
  /** Requests other than the page and the bundle, made before the user opens the widget. */
  const early = (seen, url) => seen.filter((u) => u !== url && !u.includes('/dist/mercari-chat-support.iife.js'));
  try {
    const host = await withPage(env, { cpu }, async (page, cdp, seen) => {
      const url = launch('hands-off&');
      await page.goto(url, { waitUntil: 'load' });
      await registered(cdp);
      const { launcherPainted } = await probe(cdp, 'launcherPainted');
      // Let anything deferred (idle callbacks, timers) happen before counting.
      await page.waitForTimeout(1000);
      const { longtasks } = await inPage(cdp, 'window.__bench');
      return { longtasks: longtasks.filter((t) => t.start < launcherPainted + 1000), before: early(seen, url) };
    });
    return await withPage(env, { cpu }, async (page, cdp, seen) => {
      const url = launch('');
      await page.goto(url, { waitUntil: 'load' });
      await registered(cdp);
      await probe(cdp, 'launcherPainted');
      await page.waitForTimeout(1000);
      const bench = await inPage(cdp, `(() => {
        const exec = performance.getEntriesByName('mcs:exec')[0]?.startTime;
        const evaluated = performance.getEntriesByName('mcs:evaluated')[0]?.startTime;
        const script = performance.getEntriesByType('resource').find((r) => r.name.includes('mercari-chat-support.iife.js'));
        return { ...window.__bench, exec, evaluated, arrival: script?.responseEnd };
      })()`);
      if (bench.exec === undefined || bench.arrival === undefined) throw new Error('start-up marks missing');
      const before = [...host.before, ...early(seen, url)];
      const heap = cpu === 1 ? await heapUsed(cdp) : undefined;
      const open = await inPage(cdp, 'window.openPanel()');
      if (!open.visible) throw new Error('the panel did not become visible');
      return {
        launcher: bench.launcher - bench.exec,
        launcherFromArrival: bench.launcher - bench.arrival,
        launcherPainted: bench.launcherPainted - bench.exec,
        evaluation: bench.evaluated - bench.exec,
        firstRender: bench.launcher - bench.evaluated,
        longtasks: host.longtasks.length,
        longestTask: Math.max(0, ...host.longtasks.map((t) => t.duration)),
        requestsBeforeOpen: before.length,
        requestsBeforeOpenList: before,
        heap,
        panel: open.rendered,
        panelPainted: open.painted,
      };
    });
  } finally {
    await instance.dispose();
  }
}

/** The same page without the widget: the heap a host page has anyway. */
export async function emptyPage(env) {
  return withPage(env, {}, async (page, cdp) => {
    await page.goto(`${env.base}/bench/empty.html`, { waitUntil: 'load' });
    await page.waitForTimeout(1000);
    return { heap: await heapUsed(cdp) };
  });
}

/**
 * Seeds `count` messages with the production outbox, loads the help page, opens the widget and
 * times until the newest is shown; optionally scrolls the transcript to the top and back.
 * @param {Env} env
 */
export async function history(env, count, { scroll = false, heap = false, timeoutMs = 60_000 } = {}) {
  return withPage(env, {}, async (page, cdp) => {
    const user = 'bench-history';
    await page.goto(`${env.base}/bench/lib.html`, { waitUntil: 'load' });
    await page.waitForFunction(() => window.mcsBench !== undefined);
    const stored = await page.evaluate(([u, n]) => window.mcsBench.seedHistory(u, 'bench', n), /** @type {const} */ ([user, count]));
    if (stored !== count) throw new Error(`seeded ${stored} of ${count} messages`);
    await page.goto(`${env.base}/bench/widget.html?user=${user}`, { waitUntil: 'load' });
    await registered(cdp);
    // Keys as the transcript has them: the user's messages (odd seq) by client id, the bot's by id.
    const shown = await inPage(cdp, `window.restore(${JSON.stringify(count % 2 ? `c${count}` : `m${count}`)}, ${timeoutMs})`);
    if (!shown.ok) throw new NotAvailable(`the newest of ${count} stored messages was not shown within ${timeoutMs / 1000} s (${shown.elements} elements)`);
    const result = { restore: shown.rendered, restorePainted: shown.painted, elements: shown.elements, heap: heap ? await heapUsed(cdp) : undefined };
    if (!scroll) return result;
    const scrolled = await page.evaluate(([first, last]) => window.scrollTranscript(first, last, 1500), [`c1`, count % 2 ? `c${count}` : `m${count}`]);
    return { ...result, scroll: scrolled };
  });
}

/** Times a 1 MB bot message from the transport into the transcript. */
export async function bigMessage(env, size = 1024 * 1024, timeoutMs = 30_000) {
  return withPage(env, {}, async (page, cdp) => {
    await page.goto(`${env.base}/bench/widget.html?user=bench-big`, { waitUntil: 'load' });
    await registered(cdp);
    const shown = await page.evaluate(([s, t]) => window.bigMessage(s, t), /** @type {const} */ ([size, timeoutMs]));
    if (!shown.ok) throw new NotAvailable(`a ${size}-character message was not shown within ${timeoutMs / 1000} s`);
    return { big: shown.rendered, bigPainted: shown.painted, elements: shown.elements };
  });
}

/** Median and p95 of sequential `outbox.enqueue` calls (each durable when it resolves). */
export async function enqueue(env, count = 100) {
  return withPage(env, {}, async (page) => {
    await page.goto(`${env.base}/bench/lib.html`, { waitUntil: 'load' });
    await page.waitForFunction(() => window.mcsBench !== undefined);
    const result = await page.evaluate((n) => window.mcsBench.enqueueLatency('bench-enqueue', n), count);
    if (!result.durable) throw new NotAvailable('IndexedDB unavailable: enqueue fell back to memory');
    return { enqueue: result.median, enqueueP95: result.p95 };
  });
}

/**
 * Queues `count` messages offline, connects the real WebSocket adapter to the loopback server
 * and flushes; checks the server stored each exactly once, in the order typed.
 * @param {Env} env
 */
export async function flush(env, count = 200, timeoutMs = 30_000) {
  const protocol = await env.protocol();
  const instance = await protocol.instance();
  try {
    return await withPage(env, {}, async (page) => {
      await page.goto(`${env.base}/bench/lib.html`, { waitUntil: 'load' });
      await page.waitForFunction(() => window.mcsBench !== undefined);
      const r = await page.evaluate(([url, n, t]) => window.mcsBench.flushToServer('bench-flush', url, n, t), /** @type {const} */ ([instance.wsUrl, count, timeoutMs]));
      const received = await instance.received(r.conversationId);
      const frames = (await instance.stats()).requests.filter((q) => q.kind === 'message').length;
      const order = received.map((m) => m.clientId);
      const problems = [];
      if (r.queued !== count) problems.push(`${r.queued} of ${count} queued`);
      if (r.timedOut) problems.push(`${r.left} still queued after ${timeoutMs / 1000} s`);
      if (order.length !== count) problems.push(`server stored ${order.length} messages, expected ${count}`);
      if (new Set(order).size !== order.length) problems.push('server stored a message twice');
      if (order.join() !== r.clientIds.join()) problems.push('server order differs from the order typed');
      if (r.acked.join() !== r.clientIds.join()) problems.push('client history differs from the order typed');
      return { flush: r.elapsed, flushConnect: r.connected, flushFrames: frames, flushProblems: problems };
    });
  } finally {
    await instance.dispose();
  }
}
