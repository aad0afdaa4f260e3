import { expect } from '@open-wc/testing';
import { waitUntil } from '../helpers/wait.js';
import { launcherCss, panelCss } from '../../src/element/styles.js';
import { createClock, wallParts, wallTime } from '../../demo/lib/clock.js';
import { LINES, PRESETS } from '../../demo/lib/presets.js';
import type { Stage } from '../../demo/lib/stage.js';
import { readState, writeState } from '../../demo/lib/state.js';
import { CONTRAST_PAIRS, THEMES, TOKENS, contrast, defaultsFrom, mergeTokens, themeCss, tokenNamesIn } from '../../demo/lib/tokens.js';
import { noticeText, phaseText, rows } from '../../demo/lib/widget.js';

/** Both of the element's sheets. */
const cssText = launcherCss + panelCss;

const DEMO = '/demo/index.html';

/** Adds an iframe showing `url`; removed after the test. */
function frame(url: string, size = { width: 1024, height: 768 }): HTMLIFrameElement {
  const f = document.createElement('iframe');
  f.style.cssText = `width:${size.width}px;height:${size.height}px;border:0`;
  f.src = url;
  document.body.append(f);
  frames.push(f);
  return f;
}
const frames: HTMLIFrameElement[] = [];

/** The stage running in `f`, once its preset has run (or failed). */
async function settledStage(f: HTMLIFrameElement, timeout = 15_000): Promise<Stage> {
  await waitUntil(() => f.contentWindow?.mcsStage && f.contentWindow.mcsStage.status !== 'starting', `the stage in ${f.src} did not settle`, { timeout, interval: 20 });
  return f.contentWindow!.mcsStage!;
}

afterEach(() => {
  for (const f of frames.splice(0)) f.remove();
});

describe('demo tokens', () => {
  it('lists exactly the --mcs-* tokens the element stylesheet reads', () => {
    expect(TOKENS.map((t) => t.name).sort()).to.deep.equal(tokenNamesIn(cssText).sort());
  });

  it('reads a light default for every token and a dark default for every color from the stylesheet', () => {
    const defaults = defaultsFrom(cssText);
    for (const t of TOKENS) {
      expect(defaults.light[t.name], `light ${t.name}`).to.be.a('string').and.not.equal('');
      if (t.kind === 'color') expect(defaults.dark[t.name], `dark ${t.name}`).to.match(/^#[0-9a-f]{3,6}$/i);
    }
    expect(defaults.light.font).to.include('sans-serif');
    expect(defaults.dark.bg, 'the dark panel background').to.not.equal(defaults.light.bg);
    expect(defaults.dark.accent, 'the dark accent').to.not.equal(defaults.light.accent);
    for (const [token, other] of Object.entries(defaults.follows)) expect(TOKENS.map((t) => t.name), `${token} follows`).to.include(other);
  });

  it('resolves defaults through private properties, the dark switch and other tokens', () => {
    const css = `:host { --_a: var(--mcs-accent, var(--_Da, #c8102e)); --_Da: var(--_dk) #ff6b74; --_u: var(--mcs-user-bg, var(--_a)); font: 15px var(--mcs-font, system-ui, 'Noto Sans JP', sans-serif); }`;
    expect(defaultsFrom(css)).to.deep.equal({
      light: { accent: '#c8102e', 'user-bg': '#c8102e', font: "system-ui, 'Noto Sans JP', sans-serif" },
      dark: { accent: '#ff6b74', 'user-bg': '#ff6b74', font: "system-ui, 'Noto Sans JP', sans-serif" },
      follows: { 'user-bg': 'accent' },
    });
    const block = `:host { --_a: var(--mcs-accent, #c8102e); --_r: var(--mcs-radius, 16px); } :host([theme='dark']) { --_a: var(--mcs-accent, #ff6b74); }`;
    expect(defaultsFrom(block)).to.deep.equal({ light: { accent: '#c8102e', radius: '16px' }, dark: { accent: '#ff6b74', radius: '16px' }, follows: {} });
  });

  it('keeps every checked color pair of every demo theme at WCAG AA, in light and dark', () => {
    const defaults = defaultsFrom(cssText);
    for (const theme of THEMES) {
      for (const mode of ['light', 'dark'] as const) {
        const colors: Record<string, string> = { ...defaults.light, ...defaults[mode], ...theme.tokens[mode] };
        for (const [token, other] of Object.entries(defaults.follows)) if (!theme.tokens[mode][token]) colors[token] = colors[other];
        for (const pair of CONTRAST_PAIRS) {
          const ratio = contrast(colors[pair.fg], colors[pair.bg]);
          expect(ratio, `${theme.id} ${mode}: ${pair.fg} on ${pair.bg}`).to.be.at.least(pair.min);
        }
      }
    }
  });

  it('puts paired colors and sizes in the plain rule, and scopes colors set for one scheme only', () => {
    const css = themeCss(
      { light: { accent: '#111111', muted: '#555555', radius: '4px' }, dark: { accent: '#eeeeee', bg: '#000000' } },
      'ELEMENT::part(launcher) { border-radius: 0; }',
    );
    expect(css).to.match(/^mercari-chat-support \{\n {2}--mcs-accent: #111111;\n {2}--mcs-radius: 4px;\n\}/);
    expect(css).to.include("mercari-chat-support[theme='light'] {\n  --mcs-muted: #555555;\n}");
    expect(css).to.include("@media (prefers-color-scheme: light) {\n  mercari-chat-support:not([theme='dark']) {\n    --mcs-muted: #555555;");
    expect(css).to.include("mercari-chat-support[theme='dark'] {\n  --mcs-accent: #eeeeee;\n  --mcs-bg: #000000;\n}");
    expect(css).to.include("@media (prefers-color-scheme: dark) {\n  mercari-chat-support:not([theme='light']) {\n    --mcs-accent: #eeeeee;");
    expect(css).to.include('mercari-chat-support::part(launcher)');
    expect(themeCss({ light: {}, dark: {} })).to.equal('');
  });

  it('lets an empty edit remove a theme value', () => {
    expect(mergeTokens({ light: { accent: '#111', radius: '4px' }, dark: {} }, { light: { accent: '' }, dark: {} })).to.deep.equal({ light: { radius: '4px' }, dark: {} });
  });

  it('computes WCAG contrast ratios and refuses what is not a hex color', () => {
    expect(contrast('#000', '#fff')).to.be.closeTo(21, 0.001);
    expect(contrast('#c8102e', '#ffffff')).to.be.closeTo(5.88, 0.01);
    expect(contrast('red', '#fff')).to.equal(undefined);
  });
});

describe('demo state', () => {
  it('round-trips every field through the URL and leaves defaults out', () => {
    const state = readState(new URLSearchParams('preset=queue&lang=en&theme=dark&palette=ink&position=inline&viewport=phone&transport=http&at=2026-12-31T12:00&auto=0&t.accent=%23123456&td.bg=%23000'));
    expect(state).to.deep.include({ preset: 'queue', lang: 'en', theme: 'dark', palette: 'ink', position: 'inline', viewport: 'phone', transport: 'http', at: '2026-12-31T12:00', auto: false });
    expect(state.tokens).to.deep.equal({ light: { accent: '#123456' }, dark: { bg: '#000' } });
    expect(readState(writeState(state))).to.deep.equal(state);
    expect(writeState(readState(new URLSearchParams(''))).toString()).to.equal('preset=greeting&lang=ja');
  });

  it('falls back to defaults for unknown or malformed values', () => {
    const state = readState(new URLSearchParams('lang=fr&theme=pink&position=top&viewport=watch&transport=smoke&at=noon&auto=maybe'));
    expect(state).to.deep.include({ lang: 'ja', theme: 'auto', position: 'bottom-right', viewport: 'desktop', transport: 'ws' });
    expect(state.at).to.equal(undefined);
    expect(state.auto).to.equal(undefined);
  });
});

describe('demo clock', () => {
  it('keeps running from the instant it was set to', () => {
    let real = 1_000_000;
    const clock = createClock(5_000_000, () => real);
    expect(clock.now()).to.equal(5_000_000);
    real += 1500;
    expect(clock.now()).to.equal(5_001_500);
    expect(clock.simulated).to.equal(true);
    let jumps = 0;
    clock.onJump(() => jumps++);
    clock.set(42);
    expect(clock.now()).to.equal(42);
    clock.reset();
    expect(clock.now()).to.equal(real);
    expect(clock.simulated).to.equal(false);
    expect(jumps).to.equal(2);
  });

  it('converts wall times of a zone to instants and back', () => {
    expect(wallTime('Asia/Tokyo', '2026-06-15', '12:00')).to.equal(Date.UTC(2026, 5, 15, 3, 0));
    expect(wallTime('America/Los_Angeles', '2026-01-15', '09:30')).to.equal(Date.UTC(2026, 0, 15, 17, 30));
    expect(wallParts('Asia/Tokyo', Date.UTC(2026, 11, 30, 15, 0, 5))).to.deep.equal({ date: '2026-12-31', time: '00:00:05' });
    expect(wallTime('Asia/Tokyo', '2026-6-15', '12:00')).to.be.NaN;
  });
});

describe('demo presets', function () {
  this.timeout(20_000);

  for (const [index, preset] of PRESETS.entries()) {
    const lang = index % 2 ? 'en' : 'ja';
    it(`puts the real widget into "${preset.label}" (${preset.phase}, ${lang}) without errors`, async () => {
      const stage = await settledStage(frame(`${DEMO}?view=stage&preset=${preset.id}&lang=${lang}`));
      expect(stage.status, stage.failure).to.equal('ready');
      expect(stage.preset.id).to.equal(preset.id);
      expect(stage.phase()).to.equal(preset.phase);
      expect(preset.check(stage.el)).to.equal(true);
      expect(stage.el.getAttribute('user-id')).to.match(new RegExp(`^demo-${preset.id}-`));
      expect(stage.errors).to.deep.equal([]);
    });
  }

  it('runs the offline preset over HTTP + SSE too, and sends the queued messages once back online', async () => {
    const stage = await settledStage(frame(`${DEMO}?view=stage&preset=offline&lang=en&transport=http`));
    expect(stage.status, stage.failure).to.equal('ready');
    expect(stage.el.getAttribute('endpoint')).to.match(/^https:/);
    expect(noticeText(stage.el)).to.not.equal('');
    stage.network.setOffline(false);
    await waitUntil(() => rows(stage.el).filter((r) => r.role === 'user' && !r.status).length === 3, 'the queued messages were not sent', { timeout: 10_000 });
    const id = stage.conversationId()!;
    expect(stage.control.received(id).map((m) => m.text)).to.deep.equal([LINES.en.question, ...LINES.en.offline]);
    expect(stage.errors).to.deep.equal([]);
  });
});

describe('demo panel', function () {
  this.timeout(20_000);

  /** The panel in a frame, with its nested stage settled. */
  async function panel(query: string) {
    const f = frame(`${DEMO}?${query}`, { width: 1280, height: 900 });
    await waitUntil(() => f.contentDocument?.querySelector('.preview-area iframe'), 'the panel did not render', { timeout: 10_000 });
    const doc = f.contentDocument!;
    const preview = doc.querySelector<HTMLIFrameElement>('.preview-area iframe')!;
    const button = (label: string) => [...doc.querySelectorAll<HTMLButtonElement>('button')].find((b) => b.textContent?.trim() === label || b.textContent?.trim().startsWith(`${label} `))!;
    return { f, doc, button, stage: () => settledStage(preview), errors: () => [...(f.contentWindow?.__demoErrors ?? []), ...(preview.contentWindow?.__demoErrors ?? [])] };
  }

  /** axe-core's violations in `win`'s document (axe is loaded into that window: it checks its own realm's nodes). */
  async function violations(win: Window): Promise<string[]> {
    const w = win as Window & { axe?: { run(context: unknown, options: unknown): Promise<{ violations: Array<{ id: string; nodes: Array<{ target: unknown }> }> }> } };
    if (!w.axe) {
      const script = win.document.createElement('script');
      script.src = '/node_modules/axe-core/axe.min.js';
      await new Promise((resolve, reject) => win.document.head.append(Object.assign(script, { onload: resolve, onerror: reject })));
    }
    const result = await w.axe!.run(win.document, { iframes: false });
    return result.violations.map((v) => `${v.id}: ${JSON.stringify(v.nodes.map((n) => n.target))}`);
  }

  it('is accessible, and so is the help page it previews (axe-core)', async () => {
    const p = await panel('preset=bot-answer&lang=ja');
    const stage = await p.stage();
    expect(await violations(p.f.contentWindow!)).to.deep.equal([]);
    expect(await violations(stage.el.ownerDocument.defaultView!)).to.deep.equal([]);
  });

  it('switches scenarios from its buttons and keeps the link to the view current', async () => {
    const p = await panel('preset=greeting&lang=en&theme=dark');
    expect((await p.stage()).preset.id).to.equal('greeting');
    p.button('Waiting in queue').click();
    await waitUntil(async () => (await p.stage()).preset.id === 'queue', 'the queue preset did not start', { timeout: 10_000 });
    const stage = await p.stage();
    expect(stage.status, stage.failure).to.equal('ready');
    expect(stage.el.getAttribute('theme')).to.equal('dark');
    expect(p.f.contentWindow!.location.search).to.include('preset=queue').and.include('theme=dark');
    expect(p.button('Waiting in queue').getAttribute('aria-pressed')).to.equal('true');
    expect(p.errors()).to.deep.equal([]);
  });

  it('plays the operator: join, typing, a message', async () => {
    const p = await panel('preset=queue&lang=en');
    const stage = await p.stage();
    await waitUntil(() => !p.button('Join').disabled, 'the console did not see the conversation');
    p.doc.querySelector<HTMLInputElement>('input[type="text"][size="10"]')!.value = 'Mika';
    p.doc.querySelector<HTMLInputElement>('input[type="text"][size="10"]')!.dispatchEvent(new Event('input'));
    p.button('Join').click();
    await waitUntil(() => stage.phase() === 'operator' && phaseText(stage.el).includes('Mika'), 'the operator did not join');
    p.button('Typing').click();
    await waitUntil(() => stage.el.shadowRoot!.querySelector('.typing')?.textContent?.includes('Mika'), 'no typing indicator');
    const textarea = p.doc.querySelector<HTMLTextAreaElement>('section[aria-labelledby="h-operator"] textarea')!;
    textarea.value = 'Hello from the console';
    textarea.dispatchEvent(new Event('input'));
    p.button('Send').click();
    await waitUntil(() => rows(stage.el).some((r) => r.role === 'operator' && r.text === 'Hello from the console'), 'the operator message did not arrive');
    expect(p.errors()).to.deep.equal([]);
  });

  it('moves the simulated clock for the widget and the backend together', async () => {
    const p = await panel('preset=greeting&lang=en');
    const stage = await p.stage();
    const header = () => stage.el.shadowRoot!.querySelector('[part~="header"]')!.textContent!;
    expect(header()).to.match(/available/i);
    p.button('20:00').click();
    await waitUntil(() => /outside/i.test(header()), 'the widget did not notice the closing');
    expect(wallParts('Asia/Tokyo', stage.clock.now()).time.slice(0, 5)).to.equal('20:00');
    expect(p.f.contentWindow!.location.search).to.include('at=2026-06-15T20%3A00');
    expect(stage.el.requestOperator()).to.equal(true);
    await waitUntil(() => stage.phase() === 'after-hours', 'asking for an operator at 20:00 did not go after hours');
    expect(p.errors()).to.deep.equal([]);
  });

  it('takes the widget offline and back, and edits tokens live', async () => {
    const p = await panel('preset=greeting&lang=en&theme=light');
    const stage = await p.stage();
    p.button('Offline').click();
    await waitUntil(() => /offline/i.test(noticeText(stage.el)), 'no offline notice');
    expect(stage.el.ownerDocument.defaultView!.navigator.onLine).to.equal(false);
    p.button('Offline').click();
    await waitUntil(() => stage.connection() === 'online', 'did not reconnect');

    const accent = p.doc.querySelector<HTMLInputElement>('#tok-accent')!;
    accent.value = '#123456';
    accent.dispatchEvent(new Event('change'));
    await waitUntil(() => stage.css.includes('--mcs-accent: #123456'), 'the token did not reach the stage');
    const launcher = stage.el.shadowRoot!.querySelector('[part~="launcher"]')!;
    expect(getComputedStyle(launcher).backgroundColor).to.equal('rgb(18, 52, 86)');
    expect(p.f.contentWindow!.location.search).to.include('t.accent=%23123456');
    expect(p.errors()).to.deep.equal([]);
  });
});
