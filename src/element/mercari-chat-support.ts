import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { ConnectivityController } from '../controllers/connectivity.js';
import { StoreController } from '../controllers/store-controller.js';
import { resolveLocale, translator, type Catalog, type Translate } from '../i18n/index.js';
import { createChatSession, type ChatSession, type SessionReport } from '../session/chat-session.js';
import { createTransport } from '../transport/index.js';
import type { ChatTransport, QuickReply } from '../transport/types.js';
import { chatIcon, closeIcon, sendIcon } from '../ui/icons.js';
import { messageView } from '../ui/message.js';
import { emit, type ChatErrorDetail } from './events.js';
import { styles } from './styles.js';

const themes = ['auto', 'light', 'dark'] as const;
const positions = ['bottom-right', 'bottom-left', 'inline'] as const;

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
 * @event mcs-connection - The connection status changed. `detail`: `{ status }`.
 * @event mcs-error - Something failed; the widget shows it and keeps the user's data. `detail`: `{ code, message, recoverable }`.
 *
 * @csspart launcher - The round button that opens and closes the panel.
 * @csspart panel - The chat dialog.
 * @csspart header - The panel's title bar.
 * @csspart notice - The connection and error banner.
 * @csspart messages - The transcript list.
 * @csspart composer - The message form.
 * @csspart quick-replies - The quick-reply buttons under a bot message.
 *
 * @cssproperty --mcs-accent - Brand color of the launcher, header and send button. Default `#c8102e`.
 * @cssproperty --mcs-on-accent - Text and icon color on the accent. Default `#fff`.
 * @cssproperty --mcs-bg - Panel background. Default `#fff`.
 * @cssproperty --mcs-fg - Panel text color. Default `#1a1a1a`.
 * @cssproperty --mcs-muted - Secondary text (timestamps, statuses). Default `#595959`.
 * @cssproperty --mcs-surface - Bot bubble and banner background. Default `#f2f2f2`.
 * @cssproperty --mcs-border - Borders and input outlines. Default `#8a8a8a`.
 * @cssproperty --mcs-user-bg - The user's bubbles. Default `#c8102e`.
 * @cssproperty --mcs-user-fg - Text on the user's bubbles. Default `#fff`.
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
export class MercariChatSupport extends LitElement {
  static override styles = styles;

  /** Backend URL: `wss://`/`ws://` for the WebSocket adapter, `https://`/`http://` for HTTP + Server-Sent Events. Ignored when `transport` is set. */
  @property() endpoint = '';

  /** Whether the panel is open. Reflected, so `open` in HTML opens it at load. */
  @property({ type: Boolean, reflect: true }) open = false;

  /** UI language (`ja` or `en`). Default: the page's `lang`, else the browser's language. */
  @property() locale = '';

  /** Color theme: `auto` follows the user's preference, or force `light` / `dark`. */
  @property({ reflect: true }) theme: (typeof themes)[number] = 'auto';

  /** Where the widget sits: `bottom-right`, `bottom-left`, or `inline` (in the page flow, always open, no launcher). */
  @property({ reflect: true }) position: (typeof positions)[number] = 'bottom-right';

  /** A custom backend adapter; overrides `endpoint`. */
  @property({ attribute: false }) transport?: ChatTransport;

  /** Facts the operator should see without asking (transaction id, help article, topic), sent when the conversation starts. */
  @property({ attribute: false }) context?: Record<string, unknown>;

  /** Replacement UI strings by catalog key, e.g. `{ 'panel.title': 'Help' }`. */
  @property({ attribute: false }) strings?: Partial<Catalog>;

  /** Returns the user's current auth token; called on connect, and with `rejected = true` after the server refused the last one. The widget never stores it. */
  @property({ attribute: false }) getToken?: (rejected: boolean) => string | undefined | Promise<string | undefined>;

  @state() private unread = 0;
  @state() private configError = false;
  @query('textarea') private input?: HTMLTextAreaElement;
  @query('.launcher') private launcher?: HTMLButtonElement;
  @query('.log') private log?: HTMLElement;

  private session?: ChatSession;
  private composing = false;
  private readonly stores = new StoreController(this, () =>
    this.session ? [this.session.$messages, this.session.$connection, this.session.$notice] : [],
  );
  private readonly connectivity = new ConnectivityController(this, () => this.session?.resume());

  private get t(): Translate {
    return translator(
      resolveLocale([this.locale, this.closest('[lang]')?.getAttribute('lang'), ...navigator.languages]),
      this.strings,
    );
  }

  /** Opens the panel. */
  show(): void {
    this.open = true;
  }

  /** Closes the panel. */
  hide(): void {
    this.open = false;
  }

  /** Sends `text` as the user, as if typed. Returns the message's client id, or `undefined` when blank or not configured. */
  send(text: string): string | undefined {
    const trimmed = text.trim();
    const session = trimmed ? this.ensureSession() : undefined;
    return session?.send(trimmed);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.session?.dispose();
    this.session = undefined;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('theme') && !themes.includes(this.theme)) {
      this.reportConfig(`Unknown theme "${this.theme}"; using "auto".`);
      this.theme = 'auto';
    }
    if (changed.has('position') && !positions.includes(this.position)) {
      this.reportConfig(`Unknown position "${this.position}"; using "bottom-right".`);
      this.position = 'bottom-right';
    }
    if ((changed.has('endpoint') || changed.has('transport')) && this.session) {
      this.session.dispose();
      this.session = undefined;
      this.stores.hostConnected();
    }
    if (this.position === 'inline') this.open = true;
    if (this.open && (changed.has('open') || !this.session)) this.ensureSession();
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('open') && changed.get('open') !== undefined) {
      emit(this, this.open ? 'mcs-open' : 'mcs-close', undefined);
      if (this.open) {
        this.unread = 0;
        this.input?.focus();
      } else if (this.shadowRoot?.activeElement || this.matches(':focus-within')) {
        this.launcher?.focus();
      }
    }
    if (this.log) this.log.scrollTop = this.log.scrollHeight;
  }

  /** The session starts on first open, so a closed widget makes no network request. */
  private ensureSession(): ChatSession | undefined {
    if (this.session) return this.session;
    let transport: ChatTransport;
    if (this.transport) transport = this.transport;
    else {
      try {
        transport = createTransport(this.endpoint, { getToken: (rejected) => this.getToken?.(rejected) }, location.href);
      } catch (error) {
        this.reportConfig(String((error as Error).message ?? error));
        return undefined;
      }
    }
    this.configError = false;
    this.session = createChatSession({
      transport,
      locale: () => resolveLocale([this.locale, this.closest('[lang]')?.getAttribute('lang'), ...navigator.languages]),
      context: () => this.context,
      report: (report) => this.onReport(report),
    });
    this.stores.hostConnected();
    void this.session.start();
    return this.session;
  }

  private onReport(report: SessionReport): void {
    switch (report.type) {
      case 'message':
        if (!this.open) this.unread += 1;
        emit(this, 'mcs-message', { ...report.message, id: report.message.id ?? report.message.key });
        break;
      case 'sent':
        emit(this, 'mcs-message-sent', report.detail);
        break;
      case 'connection':
        emit(this, 'mcs-connection', { status: report.status });
        break;
      case 'error':
        emit(this, 'mcs-error', report.detail);
        break;
    }
  }

  private reportConfig(message: string): void {
    this.configError = true;
    const detail: ChatErrorDetail = { code: 'config', message, recoverable: false };
    emit(this, 'mcs-error', detail);
  }

  private onKeydown(event: KeyboardEvent): void {
    if (event.key === 'Escape' && this.position !== 'inline') {
      event.stopPropagation();
      this.hide();
    }
  }

  private onComposerKeydown(event: KeyboardEvent): void {
    // keyCode 229 covers browsers that end composition before keydown (Safari).
    if (event.key !== 'Enter' || event.shiftKey || event.isComposing || this.composing || event.keyCode === 229) return;
    event.preventDefault();
    this.submit();
  }

  private submit(event?: Event): void {
    event?.preventDefault();
    const input = this.input;
    if (input && this.send(input.value)) input.value = '';
  }

  private reply(reply: QuickReply): void {
    this.send(reply.value ?? reply.label);
  }

  protected override render() {
    const t = this.t;
    const session = this.session;
    const messages = session?.$messages.get() ?? [];
    const connection = session?.$connection.get() ?? 'idle';
    const notice = this.configError ? { key: 'error.config' as const, code: 'config' } : session?.$notice.get();
    const offline = !this.connectivity.online;
    const latestOther = messages.findLastIndex((m) => m.role !== 'user');
    const inline = this.position === 'inline';
    const status =
      offline ? t('connection.offline')
      : connection === 'connecting' ? t('connection.connecting')
      : connection === 'reconnecting' || connection === 'offline' ? t('connection.reconnecting')
      : '';

    return html`
      ${inline
        ? nothing
        : html`<button
            part="launcher"
            class="launcher"
            aria-label=${this.unread ? t('launcher.openUnread', { count: this.unread }) : t('launcher.open')}
            aria-expanded=${this.open}
            aria-controls="panel"
            @click=${() => (this.open = !this.open)}
          >
            ${this.open ? closeIcon : chatIcon}
            ${this.unread ? html`<span class="badge" aria-hidden="true">${this.unread}</span>` : nothing}
          </button>`}
      <section
        part="panel"
        class="panel"
        id="panel"
        role=${inline ? 'region' : 'dialog'}
        aria-labelledby="title"
        ?hidden=${!this.open}
        @keydown=${this.onKeydown}
      >
        <header part="header">
          <div>
            <h2 id="title">${t('panel.title')}</h2>
            <p>${t('panel.subtitle')}</p>
          </div>
          ${inline
            ? nothing
            : html`<button class="icon" aria-label=${t('panel.close')} @click=${this.hide}>${closeIcon}</button>`}
        </header>
        <div role="status" part="notice">
          ${notice
            ? html`<p class="notice error">
                <span>${t(notice.key)}</span>
                ${notice.code === 'config'
                  ? nothing
                  : html`<button class="text-button" @click=${() => session?.dismissNotice()}>${t('error.dismiss')}</button>`}
              </p>`
            : status
              ? html`<p class="notice"><span>${status}</span></p>`
              : nothing}
        </div>
        <div part="messages" class="log" role="log" aria-label=${t('transcript.label')} tabindex="0">
          <ol>
            ${messages.map((message, index) =>
              messageView(message, t, { retry: (k) => session?.retry(k), remove: (k) => session?.remove(k), reply: (r) => this.reply(r) }, index === latestOther),
            )}
          </ol>
        </div>
        <form part="composer" @submit=${this.submit}>
          <label class="sr" for="input">${t('composer.label')}</label>
          <textarea
            id="input"
            rows="1"
            placeholder=${t('composer.placeholder')}
            @keydown=${this.onComposerKeydown}
            @compositionstart=${() => (this.composing = true)}
            @compositionend=${() => (this.composing = false)}
          ></textarea>
          <button class="send" type="submit" aria-label=${t('composer.send')}>${sendIcon}</button>
        </form>
      </section>
    `;
  }
}
