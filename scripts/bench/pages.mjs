// @ts-check
// The benchmark's pages. Each is a small help-article page hosting the widget the way a help
// page does (the script-tag bundle) plus the probes a measurement needs. Probes run in the page
// so timings do not include the automation protocol's round trips.

const attr = (value) => String(value ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const article = `<main>
  <h1>If your item has not arrived</h1>
  <p>If your item has not arrived a few days after the seller shipped it, first check the shipping status on the transaction screen.</p>
  <p>Still stuck? Ask us through chat support at the bottom right.</p>
</main>`;

const shell = (head, body) => `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Help — bench</title>${head}</head>
<body>${article}
${body}
</body>
</html>`;

/**
 * Start-up probe: records long tasks from the first moment, then, once the element is defined
 * and has rendered, the time the launcher is in the DOM with its layout computed, and the
 * next frame after that (painted). Reading the launcher's box forces the page's first layout
 * into the script's task; `hands-off` in the query leaves it to the browser's own next frame,
 * so the long tasks are the ones a host page has (see `startup` in scenarios.mjs).
 */
const startupProbe = `<script>
window.__bench = { longtasks: [] };
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) __bench.longtasks.push({ start: e.startTime, duration: e.duration });
}).observe({ type: 'longtask', buffered: true });
customElements.whenDefined('mercari-chat-support').then(async () => {
  const el = document.querySelector('mercari-chat-support');
  await el.updateComplete;
  if (!new URLSearchParams(location.search).has('hands-off')) {
    el.shadowRoot.querySelector('.launcher').getBoundingClientRect();
    __bench.launcher = performance.now();
  }
  requestAnimationFrame(() => setTimeout(() => (__bench.launcherPainted = performance.now())));
});
/** Opens the panel as a click does; resolves with the times to rendered and to painted. */
window.openPanel = async () => {
  const el = document.querySelector('mercari-chat-support');
  const t0 = performance.now();
  el.shadowRoot.querySelector('.launcher').click();
  await el.updateComplete;
  const panel = el.shadowRoot.querySelector('[part~="panel"]');
  const visible = !panel.hidden && panel.getBoundingClientRect().height > 0;
  const rendered = performance.now() - t0;
  const painted = await new Promise((r) => requestAnimationFrame(() => setTimeout(() => r(performance.now() - t0))));
  return { visible, rendered, painted };
};
</script>`;

/**
 * A scriptable in-page transport (what a backend team's adapter looks like): answers connect
 * with the given conversation, acks sends, and lets the bench push server messages.
 */
const fakeTransport = `<script>
window.fakeTransport = (conversationId) => {
  const listeners = new Set();
  let seq = 1e9;
  const emit = (event) => listeners.forEach((l) => l(event));
  return {
    // No 'online' event of its own: the session reports online once the conversation is set.
    async connect(o) { return { conversationId: o.conversationId ?? conversationId }; },
    close() {},
    async send(m) { seq += 1; return { clientId: m.clientId, id: 'u' + seq, seq, at: Date.now() }; },
    async command() {},
    typing() {},
    async upload() { return { url: 'blob:none' }; },
    subscribe(l) { listeners.add(l); return () => listeners.delete(l); },
    say(message) { seq += 1; emit({ type: 'message', seq, message: { role: 'bot', at: Date.now(), ...message } }); },
  };
};
</script>`;

/**
 * Transcript probes. \`until(key)\` opens the widget and resolves when the message with that key
 * is in the shadow DOM with layout done; \`scrollTranscript()\` scrolls to the oldest message and
 * back, and reports frame times.
 */
const transcriptProbe = `<script>
const frame = () => new Promise((r) => requestAnimationFrame(r));
const el = () => document.querySelector('mercari-chat-support');
const log = () => el().shadowRoot.querySelector('[part~="messages"]');
const waitFor = (found, start, timeoutMs) => new Promise((resolve) => {
  const root = el().shadowRoot;
  let timer;
  const check = () => {
    const node = found(root);
    if (!node) return false;
    log()?.getBoundingClientRect();
    const rendered = performance.now() - start();
    observer.disconnect();
    clearTimeout(timer);
    requestAnimationFrame(() => setTimeout(() => resolve({ ok: true, rendered, painted: performance.now() - start(), elements: root.querySelectorAll('*').length })));
    return true;
  };
  const observer = new MutationObserver(check);
  observer.observe(root, { childList: true, subtree: true, characterData: true, attributes: true });
  timer = setTimeout(() => (observer.disconnect(), resolve({ ok: false, elements: root.querySelectorAll('*').length })), timeoutMs);
});
const byKey = (key) => (root) => root.querySelector('[data-key="' + key + '"]');

/** Opens the widget over stored history; resolves once the newest message (key) is shown. */
window.restore = async (key, timeoutMs) => {
  const chat = el();
  chat.transport = fakeTransport('bench');
  await chat.updateComplete;
  let t0 = 0;
  const done = waitFor(byKey(key), () => t0, timeoutMs);
  t0 = performance.now();
  chat.open = true;
  return done;
};

/** Pushes one bot message of \`size\` characters (markdown paragraphs) and times it into the DOM. */
window.bigMessage = async (size, timeoutMs) => {
  const chat = el();
  const transport = fakeTransport('bench-big');
  chat.transport = transport;
  const online = new Promise((r) => chat.addEventListener('mcs-connection', (e) => e.detail.status === 'online' && r(), { once: false }));
  chat.open = true;
  await online;
  await chat.updateComplete;
  const line = 'A long answer line with **bold** words and a link https://help.example.com/articles/1234 to read.\\n';
  let text = '';
  while (text.length < size) text += line + (text.length % 7 === 0 ? '\\n' : '');
  text = text.slice(0, size);
  let t0 = 0;
  const done = waitFor(byKey('big'), () => t0, timeoutMs);
  t0 = performance.now();
  transport.say({ id: 'big', text });
  const result = await done;
  return { ...result, chars: text.length };
};

/**
 * Scrolls the transcript: a fast fling up (300 px a frame for 120 frames), then to the very
 * first message (scrollTop = 0 every frame, as dragging the thumb to the top, until
 * \`firstKey\` is shown at the top), then back to the newest (\`lastKey\` at the bottom). Every
 * frame's duration is recorded; \`maxFrames\` bounds each of the last two legs.
 */
window.scrollTranscript = async (firstKey, lastKey, maxFrames) => {
  const box = log();
  const root = el().shadowRoot;
  const deltas = [];
  let last = await frame();
  const tick = async () => {
    const t = await frame();
    deltas.push(t - last);
    last = t;
  };
  for (let i = 0; i < 120; i++) {
    box.scrollTop = Math.max(0, box.scrollTop - 300);
    await tick();
  }
  const atTop = () => box.scrollTop === 0 && !!root.querySelector('[data-key="' + firstKey + '"]');
  const atBottom = () => box.scrollHeight - box.clientHeight - box.scrollTop <= 1 && !!root.querySelector('[data-key="' + lastKey + '"]');
  let frames = 0;
  while (!atTop() && frames++ < maxFrames) {
    box.scrollTop = 0;
    await tick();
  }
  const reachedTop = atTop();
  frames = 0;
  while (!atBottom() && frames++ < maxFrames) {
    box.scrollTop = box.scrollHeight;
    await tick();
  }
  return { frames: deltas.length, over50: deltas.filter((d) => d > 50).length, worst: Math.max(0, ...deltas), reachedTop, reachedBottom: atBottom(), elements: root.querySelectorAll('*').length };
};
</script>`;

/** @type {Record<string, (params: URLSearchParams) => string>} */
export const pages = {
  /** The host page without the widget: the heap and timing baseline. */
  empty: () => shell('', ''),
  /** The help page with the widget, as documented for a script tag; `endpoint` from the query, `open` opens the panel at load. */
  launch: (q) =>
    shell(startupProbe, `<mercari-chat-support endpoint="${attr(q.get('endpoint'))}" user-id="${attr(q.get('user') ?? 'bench')}" locale="en"${q.has('open') ? ' open' : ''}></mercari-chat-support>
<script src="/dist/mercari-chat-support.iife.js?mark"></script>`),
  /** The widget, closed, for a user whose history the bench seeded; transcript probes. */
  widget: (q) =>
    shell(
      fakeTransport,
      `<mercari-chat-support user-id="${attr(q.get('user') ?? 'bench')}" locale="en"></mercari-chat-support>
<script src="/dist/mercari-chat-support.iife.js"></script>
${transcriptProbe}`,
    ),
  /** The production outbox and WebSocket adapter, for seeding and delivery measurements. */
  lib: () => shell('<script type="module" src="/bench/lib.js"></script>', ''),
};
