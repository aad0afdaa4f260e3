/**
 * The control panel: scenario presets, operator console, clock, network, theme and tokens, beside
 * a preview frame that shows the stage (`?view=stage`) at phone, tablet or desktop size. The
 * panel only calls the stage's API; everything the widget does is the real widget's doing.
 */
import { html, nothing, render, type TemplateResult } from 'lit';
import { live } from 'lit/directives/live.js';
import { styleMap } from 'lit/directives/style-map.js';
import { launcherCss, panelCss } from '../../src/element/styles.js';
import { isOpen, nextChange } from '../../src/hours/engine.js';
import { wallParts, wallTime } from './clock.js';
import { PRESETS, presetById, LINES } from './presets.js';
import type { Stage } from './stage.js';
import { DEMO_HOURS, readState, writeState, type DemoState, type Position, type Viewport } from './state.js';
import { CONTRAST_PAIRS, THEMES, TOKENS, contrast, defaultsFrom, mergeTokens, sixDigitHex, themeById, type TokenValues } from './tokens.js';

/** Preview sizes in CSS px; desktop fills the preview area. */
export const VIEWPORTS: Record<Viewport, { label: string; width?: number; height?: number }> = {
  phone: { label: 'Phone 375×667', width: 375, height: 667 },
  tablet: { label: 'Tablet 768×1024', width: 768, height: 1024 },
  desktop: { label: 'Desktop (fills the preview)' },
};

const LATENCIES = [0, 300, 1500, 5000];
const DEFAULTS = defaultsFrom(launcherCss + panelCss);

/** The stage page's URL for a state. */
export const stageUrl = (state: DemoState, run = 0): string => {
  const params = writeState(state);
  params.set('view', 'stage');
  if (run) params.set('run', String(run));
  return `?${params}`;
};

/**
 * Starts the panel in `root` (the page body).
 * @returns a function that gives the stage currently shown (for tests), once it exists.
 */
export function startPanel(initial: DemoState, root: HTMLElement = document.body) {
  const state: DemoState = { ...initial, tokens: { light: { ...initial.tokens.light }, dark: { ...initial.tokens.dark } } };
  let run = 0;
  let src = stageUrl(state);
  let stage: Stage | undefined;
  let unsubscribe = () => {};
  let frame: HTMLIFrameElement | undefined;
  let scale = 1;
  let copied = '';
  const ui = {
    operatorName: LINES[state.lang].operator as string,
    operatorText: '',
    operatorError: '',
    clockDate: '',
    clockTime: '',
    hours: state.hours ?? DEMO_HOURS,
    hoursErrors: [] as string[],
  };

  const update = () => render(view(), root);
  const syncUrl = () => history.replaceState(null, '', `?${writeState(state)}`);
  const restart = () => {
    run += 1;
    stage = undefined;
    unsubscribe();
    src = stageUrl(state, run);
    ui.operatorError = '';
    syncUrl();
    update();
  };

  /** Waits for the stage in the (re)loaded frame, then follows its changes. */
  const attach = async () => {
    const win = frame?.contentWindow;
    if (!win) return;
    for (let i = 0; i < 500 && !win.mcsStage; i++) await new Promise((r) => setTimeout(r, 20));
    if (!win.mcsStage || frame?.contentWindow !== win) return;
    stage = win.mcsStage;
    unsubscribe();
    unsubscribe = stage.onChange(update);
    stage.setTokens(state.palette, state.tokens);
    void stage.ready.then(update);
    update();
  };

  setInterval(update, 1000);
  /** Scales a phone or tablet preview down when the preview area is smaller than the device. */
  const refit = () => {
    const area = root.querySelector<HTMLElement>('.preview-area');
    const size = VIEWPORTS[state.viewport];
    scale = !area || !size.width || !size.height ? 1 : Math.min(1, (area.clientWidth - 32) / size.width, (area.clientHeight - 32) / size.height);
  };
  const fit = new ResizeObserver(() => {
    refit();
    update();
  });

  const set = <K extends keyof DemoState>(key: K, value: DemoState[K], mode: 'restart' | 'live' = 'live') => {
    state[key] = value;
    if (mode === 'restart') return restart();
    syncUrl();
    if (key === 'theme') stage?.setTheme(value as DemoState['theme']);
    if (key === 'position') stage?.setPosition(value as Position);
    if (key === 'palette' || key === 'tokens') stage?.setTokens(state.palette, state.tokens);
    if (key === 'viewport') refit();
    update();
  };

  // ---------------------------------------------------------------- sections

  const radios = <T extends string>(legend: string, name: string, options: ReadonlyArray<readonly [T, string]>, value: T, onPick: (v: T) => void) => html`
    <fieldset class="radios">
      <legend>${legend}</legend>
      ${options.map(
        ([v, label]) => html`<label><input type="radio" name=${name} .checked=${live(v === value)} @change=${() => onPick(v)} /> ${label}</label>`,
      )}
    </fieldset>
  `;

  const presetSection = () => {
    const current = presetById(state.preset) ?? PRESETS[0];
    const status = !stage ? 'Loading…' : stage.status === 'starting' ? 'Setting up…' : stage.status === 'ready' ? 'Ready' : `Could not reach this state: ${stage.failure}`;
    return html`<section aria-labelledby="h-presets">
      <h2 id="h-presets">Scenario</h2>
      <ul class="presets">
        ${PRESETS.map(
          (p) => html`<li>
            <button type="button" aria-pressed=${p.id === current.id} @click=${() => {
              state.at = undefined;
              set('preset', p.id, 'restart');
            }}>${p.label}</button>
          </li>`,
        )}
      </ul>
      <p class="hint">${current.description}</p>
      <p class="status" role="status">
        <span class=${stage?.status === 'failed' ? 'bad' : ''}>${status}</span>
        <button type="button" class="link" @click=${restart}>Restart scenario</button>
      </p>
    </section>`;
  };

  const operatorSection = () => {
    const info = stage?.conversation();
    const act = (result: string | undefined) => {
      ui.operatorError = result ?? '';
      update();
    };
    const say = () => {
      if (!ui.operatorText.trim()) return;
      act(stage?.operator.say(ui.operatorText.trim()));
      if (!ui.operatorError) ui.operatorText = '';
      update();
    };
    const mode = info
      ? {
          bot: 'with the bot',
          queued: `waiting in queue (position ${info.position})`,
          operator: `chatting with ${info.operator ?? 'an operator'}`,
          ended: 'ended',
        }[info.mode]
      : '';
    return html`<section aria-labelledby="h-operator">
      <h2 id="h-operator">Operator console</h2>
      <p class="status">
        ${info
          ? html`Conversation <code>${stage?.conversationId()}</code>: ${mode}${info.userTyping ? html` · <em>the user is typing…</em>` : nothing}${info.rating
              ? ` · rated ${info.rating.score}/5`
              : ''}`
          : 'No conversation yet: open the widget.'}
      </p>
      <div class="row">
        <label>Name <input type="text" name="operator-name" .value=${live(ui.operatorName)} @input=${(e: Event) => (ui.operatorName = (e.target as HTMLInputElement).value)} size="10" /></label>
        <button type="button" ?disabled=${!info} @click=${() => act(stage?.operator.join(ui.operatorName.trim() || 'Operator'))}>Join</button>
        <button type="button" aria-pressed=${!!stage?.operatorTyping()} ?disabled=${!info} @click=${() => act(stage?.operator.typing(!stage.operatorTyping()))}>
          Typing
        </button>
      </div>
      <label class="stack"
        ><span>Message as the operator</span>
        <textarea
          name="operator-text"
          rows="2"
          .value=${live(ui.operatorText)}
          @input=${(e: Event) => (ui.operatorText = (e.target as HTMLTextAreaElement).value)}
          @keydown=${(e: KeyboardEvent) => {
            if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
              e.preventDefault();
              say();
            }
          }}
        ></textarea>
      </label>
      <div class="row">
        <button type="button" ?disabled=${!info} @click=${say}>Send</button>
        <button type="button" ?disabled=${!info} @click=${() => act(stage?.operator.leave())}>Leave (back to bot)</button>
        <button type="button" ?disabled=${!info} @click=${() => act(stage?.operator.end())}>End conversation</button>
      </div>
      ${ui.operatorError ? html`<p class="bad" role="alert">${ui.operatorError}</p>` : nothing}
      <label class="check">
        <input type="checkbox" name="auto" .checked=${live(state.auto ?? (presetById(state.preset) ?? PRESETS[0]).auto)} @change=${(e: Event) => set('auto', (e.target as HTMLInputElement).checked, 'restart')} />
        Simulated operator: joins from the queue and answers by itself (restarts the scenario)
      </label>
    </section>`;
  };

  const clockSection = () => {
    if (!stage) return html`<section aria-labelledby="h-clock"><h2 id="h-clock">Clock</h2><p class="status">Loading…</p></section>`;
    const s = stage;
    const zone = s.schedule.timeZone;
    const now = s.clock.now();
    const open = isOpen(s.schedule, now);
    const change = nextChange(s.schedule, now);
    const soon = open && change !== null && change - now <= 15 * 60_000;
    const fmt = (timeZone: string) =>
      new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' }).format(now);
    const today = wallParts(zone, now).date;
    const jump = (date: string, time: string) => {
      const at = wallTime(zone, date, time);
      if (Number.isNaN(at)) return;
      s.jump(at);
      state.at = `${date}T${time.slice(0, 5)}`;
      syncUrl();
      update();
    };
    const quick: Array<[string, string, string]> = [
      ['12:00', today, '12:00'],
      ['18:20 · closing soon', today, '18:20'],
      ['18:29 · 1 min to closing', today, '18:29'],
      ['20:00 · after hours', today, '20:00'],
      ['09:59 · 1 min to opening', today, '09:59'],
      ['2026-12-31 · closed day', '2026-12-31', '12:00'],
    ];
    return html`<section aria-labelledby="h-clock">
      <h2 id="h-clock">Clock</h2>
      <p class="status" aria-live="off">
        <strong>${fmt(zone)}</strong> (${zone})<br />
        Your time: ${fmt(Intl.DateTimeFormat().resolvedOptions().timeZone)} (${Intl.DateTimeFormat().resolvedOptions().timeZone})<br />
        Operators: <span class=${open ? 'good' : 'bad'}>${open ? (soon ? 'open, closing soon' : 'open') : 'closed'}</span>${s.clock.simulated ? ' · simulated time' : ''}
      </p>
      <div class="row wrap">
        ${quick.map(([label, date, time]) => html`<button type="button" @click=${() => jump(date, time)}>${label}</button>`)}
        <button type="button" @click=${() => {
          s.jump(Date.now());
          state.at = undefined;
          syncUrl();
        }}>Real time</button>
      </div>
      <form
        class="row wrap"
        @submit=${(e: Event) => {
          e.preventDefault();
          jump(ui.clockDate || today, ui.clockTime || '12:00');
        }}
      >
        <label>Date <input type="date" name="clock-date" .value=${live(ui.clockDate || today)} @input=${(e: Event) => (ui.clockDate = (e.target as HTMLInputElement).value)} /></label>
        <label>Time (${zone}) <input type="time" name="clock-time" .value=${live(ui.clockTime || wallParts(zone, now).time.slice(0, 5))} @focus=${(e: Event) => (ui.clockTime = (e.target as HTMLInputElement).value)} @input=${(e: Event) => (ui.clockTime = (e.target as HTMLInputElement).value)} /></label>
        <button>Set time</button>
      </form>
      <div class="row wrap" role="group" aria-label="Backend override">
        <span>Backend override:</span>
        <button type="button" @click=${() => s.overrideHours('closed')}>Emergency closure</button>
        <button type="button" @click=${() => s.overrideHours('open')}>Force open</button>
        <button type="button" @click=${() => s.overrideHours(null)}>Clear</button>
      </div>
      <form
        class="stack"
        @submit=${(e: Event) => {
          e.preventDefault();
          ui.hoursErrors = s.setHours(ui.hours.trim());
          state.hours = ui.hours.trim() || undefined;
          syncUrl();
          update();
        }}
      >
        <label class="stack"
          ><span>Business hours (the <code>hours</code> attribute)</span>
          <input type="text" name="hours" .value=${live(ui.hours)} @input=${(e: Event) => (ui.hours = (e.target as HTMLInputElement).value)} />
        </label>
        <div class="row"><button>Apply hours</button></div>
        ${ui.hoursErrors.length ? html`<ul class="bad" role="alert">${ui.hoursErrors.map((e) => html`<li>${e}</li>`)}</ul>` : nothing}
      </form>
    </section>`;
  };

  const networkSection = () => {
    const n = stage?.network;
    return html`<section aria-labelledby="h-network">
      <h2 id="h-network">Network</h2>
      <p class="status">Widget connection: <strong>${stage?.connection() ?? '…'}</strong>${n?.offline ? ' · device offline' : ''}${n?.refusing ? ' · server refusing' : ''}</p>
      <div class="row wrap">
        <button type="button" aria-pressed=${!!n?.offline} ?disabled=${!n} @click=${() => n?.setOffline(!n.offline)}>Offline</button>
        <button type="button" ?disabled=${!n} @click=${() => n?.drop()}>Drop connection</button>
        <button type="button" ?disabled=${!n} @click=${() => n?.rejectNextMessage()}>Reject next message</button>
        <button type="button" aria-pressed=${!!n?.refusing} ?disabled=${!n} @click=${() => n?.setRefusing(!n.refusing)}>Server refuses</button>
      </div>
      <label
        >Latency
        <select
          name="latency"
          ?disabled=${!n}
          @change=${(e: Event) => {
            if (n) n.latencyMs = Number((e.target as HTMLSelectElement).value);
          }}
        >
          ${LATENCIES.map((ms) => html`<option value=${ms} ?selected=${n?.latencyMs === ms}>${ms ? `${ms} ms each way` : 'none'}</option>`)}
        </select>
      </label>
    </section>`;
  };

  const appearanceSection = () => html`<section aria-labelledby="h-look">
    <h2 id="h-look">Appearance</h2>
    ${radios('Color scheme', 'theme', [['auto', 'Auto'], ['light', 'Light'], ['dark', 'Dark']], state.theme, (v) => set('theme', v))}
    ${radios('Theme', 'palette', THEMES.map((t) => [t.id, t.label] as const), themeById(state.palette).id, (v) => set('palette', v))}
    <p class="hint">${themeById(state.palette).description}</p>
    ${radios('Position', 'position', [['bottom-right', 'Bottom right'], ['bottom-left', 'Bottom left'], ['inline', 'Inline']], state.position, (v) => set('position', v))}
    ${radios('Language (restarts)', 'lang', [['ja', '日本語'], ['en', 'English']], state.lang, (v) => {
      ui.operatorName = LINES[v].operator;
      set('lang', v, 'restart');
    })}
    ${radios('Viewport', 'viewport', Object.entries(VIEWPORTS).map(([k, v]) => [k as Viewport, v.label] as const), state.viewport, (v) => set('viewport', v))}
    ${radios('Transport (restarts)', 'transport', [['ws', 'WebSocket'], ['http', 'HTTP + SSE']], state.transport, (v) => set('transport', v, 'restart'))}
  </section>`;

  /** Which scheme the token editor edits: the one the preview shows. */
  const scheme = (): 'light' | 'dark' =>
    state.theme !== 'auto' ? state.theme : frame?.contentWindow?.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';

  const tokensSection = () => {
    const mode = scheme();
    const theme = themeById(state.palette).tokens;
    const merged = mergeTokens(theme, state.tokens);
    const effective = (name: string, kind: string): string => {
      const own = kind === 'color' ? merged[mode][name] : merged.light[name];
      const follows = DEFAULTS.follows[name];
      if (own) return own;
      if (follows) return effective(follows, kind);
      return (kind === 'color' ? DEFAULTS[mode][name] : undefined) ?? DEFAULTS.light[name] ?? '';
    };
    const edit = (name: string, kind: string, value: string) => {
      const bucket: TokenValues = state.tokens[kind === 'color' ? mode : 'light'];
      bucket[name] = value;
      set('tokens', state.tokens);
    };
    const colors: Record<string, string> = Object.fromEntries(TOKENS.filter((t) => t.kind === 'color').map((t) => [t.name, effective(t.name, 'color')]));
    return html`<section aria-labelledby="h-tokens">
      <h2 id="h-tokens">Design tokens</h2>
      <p class="hint">Editing the <strong>${mode}</strong> colors (follows the color scheme above). Sizes and fonts apply to both.</p>
      <div class="tokens">
        ${TOKENS.map((t) => {
          const value = effective(t.name, t.kind);
          const id = `tok-${t.name}`;
          return html`<div class="token">
            <label for=${id}
              ><code>--mcs-${t.name}</code
              ><span class="hint">${t.description}${DEFAULTS.follows[t.name] ? ` Default: --mcs-${DEFAULTS.follows[t.name]}.` : ''}</span></label
            >
            <span class="inputs">
              ${t.kind === 'color'
                ? html`<input type="color" name=${`${t.name}-picker`} aria-label=${`--mcs-${t.name} color picker`} .value=${live(/^#[0-9a-f]{3,6}$/i.test(value) ? sixDigitHex(value) : '#000000')} @input=${(e: Event) => edit(t.name, t.kind, (e.target as HTMLInputElement).value)} />`
                : nothing}
              <input id=${id} type="text" .value=${live(value)} @change=${(e: Event) => edit(t.name, t.kind, (e.target as HTMLInputElement).value.trim())} />
            </span>
          </div>`;
        })}
      </div>
      <div class="row">
        <button type="button" @click=${() => set('tokens', { light: {}, dark: {} })}>Reset token edits</button>
      </div>
      <h3>Contrast (${mode})</h3>
      <ul class="contrast">
        ${CONTRAST_PAIRS.map((p) => {
          const ratio = contrast(colors[p.fg], colors[p.bg]);
          const ok = ratio !== undefined && ratio >= p.min;
          return html`<li>
            ${p.min < 4.5
              ? html`<span class="swatch" style=${styleMap({ background: colors[p.bg], borderColor: colors[p.fg] })} aria-hidden="true"></span>`
              : html`<span class="swatch" style=${styleMap({ color: colors[p.fg], background: colors[p.bg] })} aria-hidden="true">Aa</span>`}
            ${p.label}: ${ratio === undefined ? 'n/a' : `${ratio.toFixed(2)}:1`}
            <span class=${ok ? 'good' : 'bad'}>${ratio === undefined ? '' : ok ? `✓ AA (≥ ${p.min})` : `✗ below ${p.min}:1`}</span>
          </li>`;
        })}
      </ul>
      <details>
        <summary>Host CSS for this theme</summary>
        <pre><code>${stage?.css || '/* The defaults: no CSS needed. */'}</code></pre>
        <button type="button" @click=${() => copy(stage?.css ?? '', 'CSS')}>Copy CSS</button>
      </details>
    </section>`;
  };

  const logSection = () => html`<section aria-labelledby="h-log">
    <details>
      <summary><h2 id="h-log">Event log${stage?.errors.length ? html` <span class="bad">(${stage.errors.length} errors)</span>` : nothing}</h2></summary>
      ${stage?.errors.length ? html`<ul class="bad">${stage.errors.map((e) => html`<li>${e}</li>`)}</ul>` : nothing}
      <ol class="log" reversed>
        ${[...(stage?.log ?? [])]
          .reverse()
          .slice(0, 60)
          .map((entry) => html`<li><code>${entry.type}</code> ${entry.text}</li>`)}
      </ol>
    </details>
  </section>`;

  const copy = async (text: string, what: string) => {
    try {
      await navigator.clipboard.writeText(text);
      copied = `${what} copied.`;
    } catch {
      copied = `Could not copy: select the ${what.toLowerCase()} and copy it yourself.`;
    }
    update();
    setTimeout(() => ((copied = ''), update()), 3000);
  };

  const view = (): TemplateResult => {
    const size = VIEWPORTS[state.viewport];
    // The box takes the scaled size in the layout, so centering works; the device inside keeps the
    // real size (the page inside sees a true 375×667 viewport) and is scaled from its corner.
    const box = size.width ? { width: `${size.width * scale}px`, height: `${size.height! * scale}px` } : { width: '100%', height: '100%' };
    const device = size.width
      ? { width: `${size.width}px`, height: `${size.height}px`, transform: scale < 1 ? `scale(${scale})` : 'none' }
      : { width: '100%', height: '100%' };
    return html`
      <header class="bar">
        <h1>mercari-chat-support <span>designers' demo</span></h1>
        <div class="share">
          <label for="link">Link to this view</label>
          <input id="link" type="text" readonly .value=${live(location.href)} @focus=${(e: Event) => (e.target as HTMLInputElement).select()} />
          <button type="button" @click=${() => copy(location.href, 'Link')}>Copy link</button>
          <span role="status" class="copied">${copied}</span>
        </div>
      </header>
      <div class="layout">
        <aside class="controls" aria-label="Controls">
          ${presetSection()} ${operatorSection()} ${clockSection()} ${networkSection()} ${appearanceSection()} ${tokensSection()} ${logSection()}
        </aside>
        <main class="preview-area" aria-label="Preview">
          <div class="frame-box" style=${styleMap(box)}>
            <div class=${`device ${state.viewport}`} style=${styleMap(device)}>
              <iframe
                title="Preview: a help page with the chat widget"
                src=${src}
                @load=${(e: Event) => {
                  frame = e.target as HTMLIFrameElement;
                  void attach();
                }}
              ></iframe>
            </div>
          </div>
        </main>
      </div>
    `;
  };

  document.documentElement.lang = 'en';
  document.title = "mercari-chat-support — designers' demo";
  document.body.classList.add('panel');
  update();
  fit.observe(root.querySelector('.preview-area')!);

  return {
    /** The stage shown now, if it has started. */
    stage: () => stage,
    /** The panel's state. */
    state: () => readState(new URLSearchParams(writeState(state))),
  };
}
