import type { PropertyValues } from 'lit';
import { html, nothing } from 'lit/html.js';
import { createConnectivityController } from '../controllers/connectivity.js';
import { createHoursController } from '../controllers/hours-controller.js';
import { StoreController } from '../controllers/store-controller.js';
import { DEFAULT_SCHEDULE, formatHours, formatNextOpening, formatTime, parseSchedule, type Schedule, type ScheduleInput } from '../hours/index.js';
import { resolveLocale, translator, type Catalog, type Translate } from '../i18n/index.js';
import { MAX_FILE_BYTES, safeLabel, sniffImageType } from '../render/index.js';
import { clearStored, createChatSession, hasStored, type ChatSession, type SessionReports } from '../session/chat-session.js';
import { createTransport } from '../transport/index.js';
import type { ChatMessage } from '../session/messages.js';
import type { ChatTransport, HoursOverride } from '../transport/types.js';
import { textButton } from '../ui/button.js';
import { CHAT_PATH, CLOSE_PATH, clipIcon, closeIcon, iconNode, sendIcon } from '../ui/icons.js';
import { messageView, speech } from '../ui/message.js';
import { askOperatorView, phaseView } from '../ui/phase.js';
import { ReactiveBase, type Declarations } from './base.js';
import { emit, type ChatErrorDetail, type ChatEventMap } from './events.js';
import { launcherStyles, panelStyles } from './styles.js';

const themes = ['auto', 'light', 'dark'] as const;
/** Messages in the DOM at most: keeps a 10,000-message history under the 300-element budget. */
const WINDOW = 30;
/** Longest message the composer takes, in UTF-16 code units; a counter shows from 90% of it. */
const MAX_INPUT = 5000;
/** Messages added or dropped when the window slides. */
const STEP = 20;
const positions = ['bottom-right', 'bottom-left', 'inline'] as const;
/** Whether a scrolled box shows (nearly) its end. */
const atEnd = (box: HTMLElement) => box.scrollHeight - box.scrollTop - box.clientHeight < 48;

/**
 * A customer-support chat: a launcher button that opens a panel where the user talks to a
 * 24-hour bot and, in business hours, a human operator. Messages survive offline periods.
 *
 * @summary Embeddable, offline-first support chat.
 *
 * @event mcs-open - The panel opened.
 * @event mcs-close - The panel closed.
 * @event mcs-message - A bot, operator or system message arrived. `detail` is the message.
 * @event mcs-message-sent - The server acknowledged one of the user's messages. `detail`: `{ clientId, id, text }`.
 * @event mcs-phase - The conversation moved to another phase. `detail`: `{ phase, previous }`.
 * @event mcs-request-operator - The user asked for an operator. Cancelable: `preventDefault()` keeps the bot.
 * @event mcs-connection - The connection status changed. `detail`: `{ status }`.
 * @event mcs-error - Something failed; the widget shows it and keeps the user's data. `detail`: `{ code, message, recoverable }`.
 *
 * @csspart launcher - The round button that opens and closes the panel.
 * @csspart panel - The chat dialog.
 * @csspart header - The panel's title bar.
 * @csspart notice - The connection and error banner.
 * @csspart messages - The transcript.
 * @csspart quick-replies - The quick-reply buttons under a bot message.
 * @csspart phase - The bar that shows the queue, the operator, after-hours help or the survey.
 * @csspart survey - The satisfaction survey form.
 * @csspart ask-operator - The "talk to an operator" button.
 * @csspart composer - The message form.
 *
 * @cssproperty --mcs-accent - Brand color of the launcher, header and send button. Default `#c8102e`.
 * @cssproperty --mcs-on-accent - Text and icon color on the accent. Default `#fff`.
 * @cssproperty --mcs-bg - Panel background. Default `#fff`.
 * @cssproperty --mcs-fg - Panel text color. Default `#1a1a1a`.
 * @cssproperty --mcs-muted - Secondary text (timestamps, statuses). Default `#595959`.
 * @cssproperty --mcs-surface - Bot bubble and banner background. Default `#f2f2f2`.
 * @cssproperty --mcs-border - Borders and input outlines. Default `#8a8a8a`.
 * @cssproperty --mcs-user-bg - The user's bubbles. Default: the accent.
 * @cssproperty --mcs-user-fg - Text on the user's bubbles. Default: the text on the accent.
 * @cssproperty --mcs-operator-bg - Operator bubbles. Default `#e6f0fb`.
 * @cssproperty --mcs-error - Error text. Default `#b00020`.
 * @cssproperty --mcs-focus - Focus ring. Default `#005fcc`.
 * @cssproperty --mcs-radius - Corner radius of panel and bubbles. Default `16px`.
 * @cssproperty --mcs-font - Font stack (system fonts only; nothing is downloaded).
 * @cssproperty --mcs-z-index - Stacking level of launcher and panel. Default `2147483000`.
 * @cssproperty --mcs-launcher-size - Launcher diameter. Default `56px`.
 * @cssproperty --mcs-panel-width - Panel width on large screens. Default `380px`.
 * @cssproperty --mcs-panel-height - Panel height on large screens. Default `600px`.
 * @cssproperty --mcs-spacing - Base padding. Default `12px`.
 * @cssproperty --mcs-offset - Distance from the viewport edges. Default `20px`.
 */
export class MercariChatSupport extends ReactiveBase {
  static override styles = launcherStyles;

  // Declared without decorators: the decorator helpers alone would cost ~0.4 KiB of the budget.
  static override properties: Declarations = {
    endpoint: {},
    open: { type: Boolean, reflect: true },
    locale: {},
    theme: { reflect: true },
    position: { reflect: true },
    userId: { attribute: 'user-id' },
    hours: {},
    closingSoonMinutes: { type: Number, attribute: 'closing-soon-minutes' },
    transport: { attribute: false },
    context: { attribute: false },
    strings: { attribute: false },
    getToken: { attribute: false },
    imageOrigins: { attribute: 'image-origins', converter: (value: string | null) => value?.split(/\s+/).filter(Boolean) ?? [] },
    now: { attribute: false },
    unread: { state: true, attribute: false },
    configError: { state: true, attribute: false },
    leaving: { state: true, attribute: false },
    files: { state: true, attribute: false },
    expanded: { state: true, attribute: false },
    windowEnd: { state: true, attribute: false },
    unseen: { state: true, attribute: false },
    typed: { state: true, attribute: false },
  };

  /** Backend URL: `wss://`/`ws://` for the WebSocket adapter, `https://`/`http://` for HTTP + Server-Sent Events. Ignored when `transport` is set. */
  endpoint = '';

  /** Whether the panel is open. Reflected, so `open` in HTML opens it at load. */
  open = false;

  /** UI language (`ja` or `en`). Default: the page's `lang`, else the browser's language. */
  locale = '';

  /** Color theme: `auto` follows the user's preference, or force `light` / `dark`. */
  theme: 'auto' | 'light' | 'dark' = 'auto';

  /** Where the widget sits: `bottom-right`, `bottom-left`, or `inline` (in the page flow, always open, no launcher). */
  position: 'bottom-right' | 'bottom-left' | 'inline' = 'bottom-right';

  /** The signed-in user's id. Each user's messages are stored apart; default `guest`. */
  userId = 'guest';

  /** Operator business hours: an object, or the compact attribute form (`Asia/Tokyo; mon-fri 10:00-18:30; 2026-12-31 closed`). Default 10:00–18:30 Japan time, every day. */
  hours?: string | ScheduleInput;

  /** Minutes before operators close in which asking for one shows a warning first. */
  closingSoonMinutes = 15;

  /** A custom backend adapter; overrides `endpoint`. */
  transport?: ChatTransport;

  /** Facts the operator should see without asking (transaction id, help article, topic), sent when the conversation starts and at hand-off. */
  context?: Record<string, unknown>;

  /** Replacement UI strings by catalog key, e.g. `{ 'panel.title': 'Help' }`. A complete catalog plus `locale` adds a language (`locale` is then used as given). */
  strings?: Partial<Catalog>;

  /** Returns the user's current auth token; called on connect, and with `rejected = true` after the server refused the last one. The widget never stores it. */
  getToken?: (rejected: boolean) => string | undefined | Promise<string | undefined>;

  /** Origins images in messages may load from, besides `blob:` (space-separated in the attribute). Default: the endpoint's origin. */
  imageOrigins: string[] = [];

  /** The clock, in ms since the epoch. Replace it only to preview other times of day (the demo does). */
  now: () => number = () => Date.now();

  private unread = 0;
  private configError = false;
  private leaving = false;
  private files: Array<{ file: File; url: string }> = [];
  private expanded = new Map<string, number>();
  /** Index after the last rendered message, or null to follow the newest. */
  private windowEnd: number | null = null;
  private unseen = 0;
  /** Characters in the composer, for the counter near the limit (kept current only near it, so typing re-renders nothing). */
  private typed = 0;
  /** Whether the panel has been open: until then only the launcher is rendered. */
  #shown?: boolean;
  /** The launcher button, made with the shadow root (see `createRenderRoot`). */
  #launcher!: HTMLButtonElement;
  #$<T extends Element>(selector: string): T | null {
    return this.renderRoot?.querySelector<T>(selector);
  }

  get #input() {
    return this.#$<HTMLTextAreaElement>('#input');
  }

  get #log() {
    return this.#$<HTMLElement>('.log');
  }

  private session?: ChatSession;
  #schedule: Schedule = DEFAULT_SCHEDULE;
  #composing?: boolean;
  /** Whether the transcript was at its end, as of the last render or scroll. */
  #stick = true;
  /** Watches the transcript's own size (see `updated`). */
  #resized?: ResizeObserver;
  /** The row the user was reading, by key, and its offset then (see `updated`). */
  #anchor?: [key: string, top: number];
  #lastCount = 0;
  /** Whether stored history is shown: only what happens after that is announced. */
  #primed?: boolean;
  /** The banner, phase bar and typing texts last seen, so each is announced once when it changes. */
  #said: string[] = [];
  #focused?: Element | null;
  readonly #stores = new StoreController(this, () =>
    this.session ? [this.session.$messages, this.session.$connection, this.session.$notice, this.session.$flow] : [],
  );
  readonly #connectivity = createConnectivityController(this, () => this.session?.resume());
  readonly #clock = createHoursController(
    this,
    // Read at every check: attributes are applied only after construction.
    ((el) => ({
      schedule: () => el.#schedule,
      now: () => el.now(),
      get closingSoonMinutes() {
        return el.closingSoonMinutes;
      },
      onChange: (change: 'opened' | 'closed' | 'closing-soon') => el.session?.act({ type: change }),
    }))(this),
  );

  get #uiLang(): string {
    // With host strings the locale is taken as given: that is how a host adds a language.
    return (this.strings && this.locale) || resolveLocale([this.locale, this.closest('[lang]')?.getAttribute('lang'), ...navigator.languages]);
  }

  get #t(): Translate {
    return translator(this.#uiLang, this.strings);
  }

  /** Opens the panel. */
  show(): void {
    this.open = true;
  }

  /** Closes the panel. */
  hide(): void {
    this.open = false;
  }

  /** Sends `text` as the user, as if typed. Resolves with the message's client id once it is stored, or `undefined` when blank or not configured. */
  async send(text: string, files: readonly Blob[] = []): Promise<string | undefined> {
    const trimmed = text.trim();
    const session = trimmed || files.length ? this.#ensureSession() : undefined;
    return session?.send(trimmed, files);
  }

  /** Asks for a human operator, as the user's button does. Fires the cancelable `mcs-request-operator` first. Returns false when vetoed, not possible now, or refused because the browser is offline (the user is told; `mcs-error` with code `transport`). */
  requestOperator(): boolean {
    const session = this.#ensureSession();
    return !!session && emit(this, 'mcs-request-operator', undefined, true) && session.act({ type: 'ask-operator' });
  }

  /** Ends the conversation (the survey follows), at once: the panel's own "End chat" asks first, this does not. Returns false when there is nothing to end, or while the browser is offline (the chat stays and the user is told; `mcs-error` with code `transport`). */
  endConversation(): boolean {
    return !!this.#ensureSession()?.act({ type: 'end' });
  }

  /** Deletes everything stored for this user (conversation, unsent messages) in every open tab, where the connection and the panel close; the next open starts a new conversation. Call it on logout. */
  async clearUserData(): Promise<void> {
    if (this.session) return this.session.clear();
    // Nothing open (never opened here, or no backend set): the data goes all the same.
    await clearStored(this.userId || 'guest');
    this.#onReport('wiped', undefined);
  }

  override connectedCallback(): void {
    // The first connect's check comes with the first update (see `willUpdate`); a later one, after
    // a move or a removal, needs its own.
    if (this.renderRoot) this.#sendPending();
    super.connectedCallback();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#dropSession();
    for (const { url } of this.files) URL.revokeObjectURL(url);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    for (const [name, allowed] of [
      ['theme', themes],
      ['position', positions],
    ] as const) {
      const value: string = this[name];
      if (changed.has(name) && !(allowed as readonly string[]).includes(value)) {
        this.#reportConfig(`Unknown ${name} "${value}"; using "${allowed[0]}"`, true);
        (this as Record<typeof name, string>)[name] = allowed[0];
      }
    }
    // A new clock (the demo's simulated time) may put us on the other side of a boundary.
    if (changed.get('now') || changed.has('closingSoonMinutes')) this.#clock.refresh();
    if (changed.has('hours')) {
      const { schedule, errors } = parseSchedule(this.hours ?? {});
      // A backend closure in force outlives a change of the setting, unless the setting has its own.
      this.#schedule = { ...schedule, override: schedule.override ?? this.#schedule.override };
      for (const error of errors) this.#reportConfig(`Invalid hours: ${error}; using the default`, true);
    }
    if (changed.has('endpoint') || changed.has('transport') || changed.has('userId')) {
      if (this.session) this.#dropSession();
      // Set only once the page was idle (a host that signs the user in, say): checked again.
      this.#sendPending();
    }
    if (changed.has('endpoint') && !this.hasAttribute('image-origins')) {
      try {
        this.imageOrigins = [new URL(this.endpoint.replace(/^ws/, 'http')).origin];
      } catch {
        this.imageOrigins = [];
      }
    }
    if (this.position == 'inline') this.open = true;
    if (this.open) {
      this.#warm();
      this.#shown = true;
      this.#ensureSession();
    }
    this.#focused = this.shadowRoot?.activeElement;
    const log = this.#log;
    this.#stick = !log || atEnd(log);
    const count = this.session?.$messages.get().length ?? 0;
    if (count > this.#lastCount && (this.windowEnd !== null || !this.#stick) && this.#lastCount) this.unseen += count - this.#lastCount;
    this.#lastCount = count;
  }

  protected override updated(changed: PropertyValues<this>): void {
    this.#syncLauncher();
    if (changed.get('open') !== undefined) {
      emit(this, this.open ? 'mcs-open' : 'mcs-close', undefined);
      if (this.open) {
        this.unread = 0;
        this.#focusMain();
      } else if (this.matches(':focus-within')) this.#launcher.focus();
    }
    // An action that removed or hid the focused control (a quick reply, "End chat", "Send
    // feedback") must not drop keyboard focus to the page.
    if (this.open && this.#focused && !this.#focused.getClientRects().length) this.#focusMain();
    // A connect under way is shown only once it has lasted a second (see `.connecting`), and not
    // said: on every open it would be over before it was read. A closed panel says nothing.
    ['.notice:not(.connecting) span', '.phase p', '.typing'].forEach((selector, i) => {
      const text = this.#$(selector)?.textContent?.trim() ?? '';
      if (text != this.#said[i] && text && this.open) this.#say(text);
      this.#said[i] = text;
    });
    const log = this.#log;
    if (!log) return;
    // The composer growing with a long question, or a window or keyboard resizing the panel,
    // shrinks the transcript without a render: at its end, it stays there. The panel opening, or
    // crossing the phone-size breakpoint (a rotation, a resized window), resizes it too: where the
    // panel covers the page (`#covering`) it is modal, so a screen reader does not swipe on
    // into the page it hides; beside the page it is not. (Set as "true", else removed: an inline
    // panel is a region, which may not carry `aria-modal` at all, not even "false".)
    if (!this.#resized)
      (this.#resized = new ResizeObserver(() => {
        if (this.#stick) log.scrollTop = log.scrollHeight;
        (log.parentNode as Element).ariaModal = (this.#covering || null) as never;
      })).observe(log);
    if (this.#anchor) {
      // Keep the message the user was reading in place when earlier ones are added above it.
      const [key, top] = this.#anchor;
      const row = log.querySelector<HTMLElement>(`[data-key="${CSS.escape(key)}"]`);
      if (row) log.scrollTop += row.offsetTop - top;
      this.#anchor = undefined;
    } else if (this.windowEnd === null && this.#stick) {
      log.scrollTop = log.scrollHeight;
      this.unseen = 0;
    }
  }

  /** Focus goes to the composer, or (when the conversation has ended) the survey or its next step. */
  #focusMain(): void {
    (this.session?.$flow.get().phase == 'ended' ? this.#$<HTMLElement>('.phase input, .phase button') : this.#input)?.focus();
  }

  /**
   * Everything a screen reader hears comes through one polite live region: new messages, the
   * banner, the phase bar and the typing indicator (the transcript itself is `aria-live="off"`, so
   * history, scrolling and re-renders stay silent). Each announcement is a new node, so two quick
   * ones are both read, and nothing is said before the stored history is shown. A message that
   * arrives while the panel is closed is said too: the launcher's badge shows it to the eye.
   */
  #say(text: string): void {
    const live = this.#$('#live');
    if (!this.#primed || !live) return;
    const line = document.createElement('p');
    line.textContent = text;
    // Newest first; a few are kept so that quick successive ones are all read, no more.
    live.prepend(line);
    live.children[3]?.remove();
  }

  /** The transcript keeps at most WINDOW messages in the DOM; scrolling to an edge slides the window. */
  #onScroll(): void {
    const log = this.#log!;
    const total = this.session?.$messages.get().length ?? 0;
    const end = this.windowEnd ?? total;
    this.#stick = atEnd(log);
    // Without overflow there is no scrolling: the "earlier" and "latest" buttons slide the window.
    if (log.scrollHeight > log.clientHeight + 1 && log.scrollTop < 48 && end > WINDOW) this.#earlier();
    else if (this.#stick) {
      if (this.windowEnd === null) this.unseen = 0;
      else {
        this.#hold('[data-key]:last-child');
        this.windowEnd = end + STEP >= total ? null : end + STEP;
      }
    }
  }

  /** Slides the window back, keeping the first message shown where it is (scroll, or the button). */
  #earlier(): void {
    this.#hold('[data-key]');
    this.windowEnd = Math.max(WINDOW, (this.windowEnd ?? this.session?.$messages.get().length ?? 0) - STEP);
  }

  /** Keeps the row `selector` finds where it is on screen through the next render (see `updated`). */
  #hold(selector: string): void {
    const row = this.#log?.querySelector<HTMLElement>(selector);
    if (row) this.#anchor = [row.dataset.key!, row.offsetTop];
  }

  #jumpToLatest(): void {
    // Scrolled to the end before the update, the transcript then follows the newest message.
    const log = this.#log!;
    log.scrollTop = log.scrollHeight;
    this.windowEnd = null;
    this.unseen = 0;
  }

  /** The session starts on first open, so a closed widget makes no network request. */
  /**
   * Messages typed before a reload go out even if the panel stays closed; without any, a closed
   * widget still makes no request. Checked once the page is idle (after connecting, and after the
   * backend or the user changed), so start-up pays nothing.
   */
  #sendPending(): void {
    (window.requestIdleCallback ?? setTimeout)(async () => {
      if (this.session || !this.isConnected || !(this.transport || this.endpoint)) return;
      if (!(await hasStored(this.userId || 'guest'))) return;
      // Its session connects only if messages are waiting (or once the panel opens).
      this.#ensureSession(false);
    });
  }

  #ensureSession(start = true): ChatSession | undefined {
    if (!this.session) {
      let transport: ChatTransport;
      if (this.transport) transport = this.transport;
      else {
        try {
          transport = createTransport(this.endpoint, { getToken: (rejected) => this.getToken?.(rejected) }, location.href);
        } catch (error) {
          this.#reportConfig(String((error as Error).message ?? error));
          return undefined;
        }
      }
      this.configError = false;
      const session = (this.session = createChatSession({
        transport,
        userId: this.userId || 'guest',
        locale: () => this.#uiLang,
        context: () => this.context,
        hours: () => this.#clock,
        now: () => this.now(),
        report: (name, detail) => this.#onReport(name, detail),
      }));
      this.#stores.hostConnected();
      void session.loaded.then(() => this.updateComplete).then(() => (this.#primed = this.session == session));
    }
    // The session connects once, on the first call that starts it.
    if (start) void this.session.start();
    return this.session;
  }

  #dropSession(): void {
    this.#primed = false;
    this.session?.dispose();
    this.session = undefined;
    this.#stores.hostConnected();
  }

  #onReport<K extends keyof SessionReports>(name: K, detail: SessionReports[K]): void {
    if (name == 'wiped') {
      // The old user's link closes with the session; whatever comes next starts a new one, in a
      // new database, once the panel is opened again. Nothing of theirs is left in the composer
      // for whoever uses the device next.
      this.#dropSession();
      this.open = false;
      this.unread = 0;
      this.#clearComposer();
      return;
    }
    if (name == 'unsent') {
      // Back in the composer, in "leave a message" mode while operators are away, unless the user
      // has started on something else.
      const input = this.#input;
      if (input && !input.value) input.value = detail as string;
      this.leaving = this.session?.$flow.get().phase == 'after-hours';
      return;
    }
    if (name == 'hours') {
      // A backend closure rides on the schedule: the hours engine holds it until its end (or a
      // later `null`), and the hours controller tells the flow when the state changes.
      this.#schedule = { ...this.#schedule, override: detail as HoursOverride };
      this.#clock.refresh();
      return;
    }
    if (name == 'mcs-message') {
      if (!this.open) this.unread += 1;
      this.#say(speech(detail as ChatMessage, this.#t));
    }
    if (name == 'mcs-phase') this.leaving = false;
    emit(this, name as Exclude<K, 'hours' | 'wiped' | 'unsent'>, detail as ChatEventMap[Exclude<K, 'hours' | 'wiped' | 'unsent'>]['detail']);
  }

  #reportConfig(message: string, recovered = false): void {
    if (!recovered) this.configError = true;
    const detail: ChatErrorDetail = { code: 'config', message, recoverable: recovered };
    emit(this, 'mcs-error', detail);
  }

  #onKeydown(event: KeyboardEvent): void {
    if (event.key != 'Escape' || event.isComposing) return;
    // A question in the phase bar is answered "no" first, as a dialog would be.
    if (this.session?.$flow.get().confirm) this.session.act({ type: 'cancel' });
    else if (this.position != 'inline') this.hide();
    else return;
    event.stopPropagation();
  }

  /**
   * Whether the panel covers the page (a phone-sized window): exactly when the launcher gives way
   * to it, in the same media query. An inline panel is part of the page.
   */
  get #covering(): boolean {
    return this.position != 'inline' && !this.#launcher.getClientRects().length;
  }

  /**
   * On a small screen the panel covers the page, so Tab must not walk on into links it hides
   * (WCAG 2.4.11): focus leaving forward comes back to the panel's first control, and leaving
   * backward to its last.
   */
  #onFocusout({ relatedTarget: to }: FocusEvent): void {
    if (!to || this.renderRoot.contains(to as Node) || !this.#covering) return;
    const controls = [...this.renderRoot.querySelectorAll<HTMLElement>('.panel :is(a,button,textarea,input)')].filter((control) => control.getClientRects().length);
    (this.compareDocumentPosition(to as Node) & 4 ? controls[0] : controls.at(-1))?.focus();
  }

  #onComposerKeydown(event: KeyboardEvent): void {
    // keyCode 229 covers browsers that end composition before keydown (Safari).
    if (event.key != 'Enter' || event.shiftKey || event.isComposing || this.#composing || event.keyCode == 229) return;
    event.preventDefault();
    this.#submit();
  }

  #submit(event?: Event): void {
    event?.preventDefault();
    const input = this.#input;
    if (!input) return;
    const text = input.value.trim();
    if (this.leaving) {
      if (text && this.session?.act({ type: 'leave-message', text })) input.value = '';
      this.typed = input.value.length;
      return;
    }
    if (!text && !this.files.length) return;
    void this.send(text, this.files.map((f) => f.file));
    if (this.session?.$connection.get() != 'online') this.#say(this.#t('status.queued'));
    this.#clearComposer();
  }

  /** Accepts photos by their content (never the name or declared type) and size. */
  async #attach(event: Event): Promise<void> {
    const picker = event.target as HTMLInputElement;
    for (const file of picker.files ?? []) {
      const type = sniffImageType(new Uint8Array(await file.slice(0, 16).arrayBuffer()));
      if (!type || file.size > MAX_FILE_BYTES) {
        emit(this, 'mcs-error', { code: 'rejected', message: `Refused "${file.name}": not a photo up to 10 MB`, recoverable: true });
        this.session?.$notice.set({ key: 'message.fileRejected', code: 'rejected' });
        continue;
      }
      const typed = new File([file], file.name, { type });
      this.files = [...this.files, { file: typed, url: URL.createObjectURL(typed) }];
    }
    picker.value = '';
  }

  /** Empties the composer: text, counter and photos, freeing their previews (a sent photo is in the outbox by then). */
  #clearComposer(): void {
    if (this.#input) this.#input.value = '';
    this.typed = 0;
    for (const { url } of this.files) URL.revokeObjectURL(url);
    this.files = [];
  }

  #removeFile(url: string): void {
    URL.revokeObjectURL(url);
    this.files = this.files.filter((f) => f.url != url);
  }

  protected override render() {
    return this.#shown ? this.#panel(this.#t, this.#uiLang) : nothing;
  }

  /**
   * The launcher is built by hand rather than from a template: at start-up it is all a closed
   * widget draws, and preparing a Lit template for it was the largest part of the one start-up
   * task (README, "Performance").
   */
  protected override createRenderRoot() {
    const root = super.createRenderRoot();
    const button = (this.#launcher = document.createElement('button'));
    button.className = 'launcher';
    button.part.add('launcher');
    button.onclick = () => (this.open = !this.open);
    button.onpointerenter = button.onfocus = () => this.#warm();
    const badge = document.createElement('span');
    badge.className = 'badge';
    button.append(iconNode(CHAT_PATH), iconNode(CLOSE_PATH), badge);
    root.append(button);
    this.#syncLauncher();
    return root;
  }

  /** Brings the launcher up to date with the state; called after each render. */
  #syncLauncher(): void {
    const t = this.#t;
    const button = this.#launcher;
    const [chat, close, badge] = button.children;
    button.hidden = this.position == 'inline';
    button.lang = this.#uiLang;
    // Named after what it shows, not what it does: it opens and closes, and `aria-expanded` says which.
    button.ariaLabel = this.unread ? t('launcher.unread', { count: this.unread }) : t('panel.title');
    button.ariaExpanded = `${!!this.open}`;
    chat.toggleAttribute('hidden', this.open);
    close.toggleAttribute('hidden', !this.open);
    badge.toggleAttribute('hidden', !this.unread);
    badge.textContent = `${this.unread}`;
  }

  /**
   * The first time-zone lookup is a long task (the browser loads its time-zone data), and the
   * panel's stylesheet takes a while to parse: a pointer on the launcher or focus on it is the
   * moment to take both, before the click that needs them.
   */
  #warm(): void {
    void this.#clock.open;
    // The panel's sheet is adopted once: assigning the list again would restyle the whole widget.
    const root = this.renderRoot;
    if (!root.adoptedStyleSheets[1]) root.adoptedStyleSheets = [launcherStyles, panelStyles()];
  }

  /** The dialog; rendered from the first open on, so a closed widget costs the host page nothing more. */
  #panel(t: Translate, lang: string) {
    const session = this.session;
    const messages = session?.$messages.get() ?? [];
    const flow = session?.$flow.get();
    const connection = session?.$connection.get() ?? 'idle';
    const notice = this.configError ? { key: 'error.config' as const, code: 'config' } : session?.$notice.get();
    const inline = this.position == 'inline';
    // The latest bot or operator message shows its quick replies; when one of them asks for an
    // operator, the composer's own button would be a second control doing the same.
    const latestOther = messages.findLastIndex((m) => m.role != 'user');
    const end = Math.min(this.windowEnd ?? messages.length, messages.length);
    const start = Math.max(0, end - WINDOW);
    const at = this.now();
    const open = flow ? flow.open : this.#clock.open;
    // Operators in (a message left last night, read the next morning): there is no "back at" to tell.
    const back = !open && this.#clock.nextOpening ? formatNextOpening(this.#schedule, this.#clock.nextOpening, at, lang, t) : '';
    const closes = this.#clock.closesAt ? formatTime(this.#schedule, this.#clock.closesAt, lang, t) : '';
    // The file-size limit is the one parameter a notice can carry.
    const banner = notice
      ? t(notice.key, { size: MAX_FILE_BYTES / 2 ** 20 })
      : !this.#connectivity.online
        ? t('connection.offline')
        : connection == 'connecting'
          ? t('connection.connecting')
          : connection == 'online' || connection == 'idle'
            ? ''
            : t('connection.reconnecting');

    return html`
      <section part="panel" class="panel" lang=${lang} role=${inline ? 'region' : 'dialog'} aria-labelledby="title" ?hidden=${!this.open} @keydown=${this.#onKeydown} @focusout=${this.#onFocusout}>
        <header part="header">
          <div>
            <h2 id="title">${t('panel.title')}</h2>
            <p>${open ? (formatHours(this.#schedule, at, lang, t) ?? t('hours.statusOpen')) : t('hours.statusClosed')}</p>
          </div>
          ${inline ? nothing : html`<button class="icon" aria-label=${t('panel.close')} @click=${this.hide}>${closeIcon}</button>`}
        </header>
        <div part="notice">
          ${banner
            ? html`<p class="notice ${notice ? 'error' : this.#connectivity.online ? connection : 'offline'}">
                <span>${banner}</span>
                ${notice && notice.code != 'config'
                  ? textButton(t('error.dismiss'), () => session?.$notice.set(null))
                  : nothing}
              </p>`
            : nothing}
        </div>
        <div part="messages" class="log" role="log" aria-live="off" aria-label=${t('transcript.label')} tabindex="0" @scroll=${this.#onScroll}>
          <ol>
            ${start
              ? html`<li class="earlier">${textButton(t('transcript.earlier'), () => this.#earlier())}</li>`
              : nothing}
            ${messages.slice(start, end).map((message, offset) =>
              messageView(
                message,
                t,
                {
                  // A message in the transcript means there is a session.
                  retry: session!.retry,
                  remove: session!.remove,
                  reply: (r) => (r.action == 'operator' ? this.requestOperator() : this.send(r.value ?? r.label)),
                  expand: (k) => (this.expanded = new Map(this.expanded).set(k, (this.expanded.get(k) ?? 0) + 1)),
                },
                start + offset == latestOther && flow!.phase != 'ended' && flow!.phase,
                this.expanded.get(message.key) ?? 0,
                this.imageOrigins,
              ),
            )}
          </ol>
        </div>
        ${this.unseen || this.windowEnd !== null
          ? html`<button class="text-button jump" @click=${this.#jumpToLatest}>
              ${this.unseen ? t('transcript.newMessages', { count: this.unseen }) : t('transcript.latest')}
            </button>`
          : nothing}
        <div class="typing">
          ${flow?.typing ? (flow.phase == 'operator' ? t('flow.operatorTyping', { name: safeLabel(flow.operator ?? '') }) : t('flow.botTyping')) : nothing}
        </div>
        ${flow
          ? phaseView(
              flow,
              t,
              { back, closes, lang },
              {
                ask: () => this.requestOperator(),
                cancel: () => (this.leaving ? (this.leaving = false) : session!.act({ type: 'cancel' })),
                leave: () => {
                  this.leaving = true;
                  this.#input?.focus();
                },
                act: session!.act,
              },
              this.leaving,
            )
          : nothing}
        <form part="composer" ?hidden=${flow?.phase == 'ended'} @submit=${this.#submit}>
          ${this.files.length
            ? html`<ul class="files">
                ${this.files.map(
                  ({ file, url }) => html`<li>
                    <img src=${url} alt="">
                    <button type="button" class="icon" aria-label=${t('message.removeFile', { name: safeLabel(file.name) })} @click=${() => this.#removeFile(url)}>${closeIcon}</button>
                  </li>`,
                )}
              </ul>`
            : nothing}
          <div class="row">
            <label class="icon attach" title=${t('message.attach')}>
              ${clipIcon}
              <input type="file" accept="image/png,image/jpeg,image/gif,image/webp" multiple class="sr" aria-label=${t('message.attach')} @change=${this.#attach} ?disabled=${this.leaving}>
            </label>
            <textarea
              id="input"
              aria-label=${t('composer.label')}
              rows="1"
              maxlength=${MAX_INPUT}
              placeholder=${this.leaving ? t('flow.leavePlaceholder') : t('composer.placeholder')}
              aria-describedby=${this.typed < MAX_INPUT * 0.9 ? nothing : 'count'}
              @input=${(event: InputEvent) => {
                // Below the counter's threshold a keystroke changes nothing on screen: no re-render.
                const typed = (event.target as HTMLTextAreaElement).value.length;
                if (Math.max(typed, this.typed) >= MAX_INPUT * 0.9) this.typed = typed;
                this.session?.typing();
              }}
              @keydown=${this.#onComposerKeydown}
              @compositionstart=${() => (this.#composing = true)}
              @compositionend=${() => (this.#composing = false)}></textarea>
            <button class="send" aria-label=${this.leaving ? t('flow.leaveSend') : t('composer.send')}>${sendIcon}</button>
          </div>
          <span id="count" class="meta count" ?hidden=${this.typed < MAX_INPUT * 0.9}>${t('composer.count', { count: this.typed, max: MAX_INPUT })}</span>
          ${flow && !messages[latestOther]?.quickReplies?.some((r) => r.action == 'operator') ? askOperatorView(flow, t, () => this.requestOperator()) : nothing}
        </form>
      </section>
      <div id="live" class="sr" aria-live="polite"></div>
    `;
  }
}
