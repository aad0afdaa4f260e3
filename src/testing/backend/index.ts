/**
 * The reference backend: the server side of the protocol, minus the wire. One instance holds
 * any number of conversations; the msw handlers (demo, browser tests) and the Node WebSocket /
 * HTTP+SSE server (test/server) translate frames into its calls.
 */
import { TransportError } from '../../transport/types.js';
import type { Ack, ClientCommand, OutgoingMessage, ServerMessage } from '../../transport/types.js';
import { botAnswer, botLanguage, greeting, lines, type BotReply } from './bot.js';
import type {
  Backend,
  BackendConnection,
  BackendEvent,
  BackendHello,
  BackendOptions,
  ConversationInfo,
  ConversationMode,
  SequencedEvent,
  Ticket,
} from './types.js';

export type * from './types.js';
export { botAnswer, findTopic, greeting, MAIN_TOPICS, TOPICS } from './bot.js';

const MINUTE = 60_000;
const JST = 9 * 60 * MINUTE;

/**
 * Operators work 10:00–18:30 Asia/Tokyo every day. Japan has had no daylight saving time since
 * 1951, so a fixed +9 h offset is exact.
 */
export const tokyoOfficeHours = (at: number): boolean => {
  const minute = Math.floor((((at + JST) % 86_400_000) + 86_400_000) % 86_400_000 / MINUTE);
  return minute >= 600 && minute < 1110;
};

const NAMES: Record<string, string[]> = { ja: ['佐藤', '鈴木', '高橋'], en: ['Sato', 'Suzuki', 'Takahashi'] };

/** A sequenced event before `emit` numbers it (distributes over the union). */
type WithoutSeq<E> = E extends SequencedEvent ? Omit<E, 'seq'> : never;
type Unsequenced = WithoutSeq<SequencedEvent>;

interface Conversation {
  id: string;
  mode: ConversationMode;
  locale: string;
  context: Record<string, unknown>;
  events: SequencedEvent[];
  listeners: Set<(event: BackendEvent) => void>;
  acks: Map<string, Ack>;
  received: OutgoingMessage[];
  position: number;
  /** Pending queue step, cleared on cancel/end/join/closing. */
  queueTimer?: unknown;
  operator?: string;
  /** How many answers the simulated operator has given (picks the next canned reply). */
  replies: number;
  userTyping: boolean;
  /** Set by the first `end`; `rate` needs it. */
  endedOnce: boolean;
  rating?: ConversationInfo['rating'];
}

/**
 * Creates a reference backend.
 *
 * Behaviour, in protocol terms:
 * - A new conversation opens with a bot greeting (seq 1) whose quick replies are the main topics.
 * - `receive` stores a user message once per `clientId` and emits it (with the clientId); a
 *   repeat returns the first ack and emits nothing. Then: in `bot` (or `ended`, which reopens to
 *   `bot`) mode the bot answers after `botDelayMs`, with `typing` on/off around it; with an
 *   operator the simulated operator answers after `operatorReplyMs`, typing around it; while
 *   queued nobody answers (the operator reads the history on joining).
 * - `request-operator` (bot mode, operators open) queues at `queueLength`, emits `queue` events
 *   counting down every `queueStepMs` (with `etaSeconds`), then `operator-joined` and an
 *   operator greeting. Outside hours it throws `unavailable` (not retryable).
 * - `cancel-operator` (queued only) emits `queue` with **position 0** ("no longer queued") and a
 *   system message; the bot takes over again.
 * - **Hours closing while queued** (checked at every queue step): emits an `hours` event
 *   `{ state: 'closed', until: <next opening> }`, then `queue` position 0, then a system message
 *   offering to leave a message. The `hours` event is what moves a client's flow to
 *   "after hours"; `until` makes it expire by itself at opening. An operator already chatting
 *   stays until someone ends the conversation.
 * - `control.overrideHours` emits `hours` to every conversation; `closed` drops every queue the
 *   same way (queue 0 + system message); the override wins over `isOperatorOpen` until cleared.
 * - `leave-message` (not while queued or with an operator) stores a {@link Ticket} with the
 *   transcript so far and emits `ticket` plus a system message with the ticket number, and
 *   nothing more: on `ticket` the widget's phase bar already says that the message reached the
 *   operators and when they are back, and a screen reader would hear it all twice.
 * - `end` (anything but ended) emits `ended`; `rate` is accepted once after an end, with a
 *   system "thank you". Illegal commands throw `TransportError` `conflict`; an unknown
 *   conversation throws `bad-request`.
 */
export function createBackend(options: BackendOptions): Backend {
  const {
    now,
    random = Math.random,
    setTimer = (callback: () => void, ms: number) => setTimeout(callback, ms),
    clearTimer = (handle: unknown) => clearTimeout(handle as ReturnType<typeof setTimeout>),
    isOperatorOpen = tokyoOfficeHours,
    queueStepMs = 2500,
    queueLength = 3,
    operatorReplyMs = 1500,
    botDelayMs = 400,
    operatorNames = NAMES,
    simulateOperator = true,
    uploadUrl = (id: string, name: string) => `https://uploads.example.com/${id}/${encodeURIComponent(name)}`,
  } = options;

  const conversations = new Map<string, Conversation>();
  const tickets: Ticket[] = [];
  const timers = new Set<unknown>();
  let override: 'open' | 'closed' | null = null;
  let counter = 0;

  const isOpen = (at: number) => (override ? override === 'open' : isOperatorOpen(at));

  const later = (fn: () => void, ms: number): unknown => {
    const handle = setTimer(() => {
      timers.delete(handle);
      fn();
    }, ms);
    timers.add(handle);
    return handle;
  };
  const cancel = (handle: unknown) => {
    if (handle === undefined) return;
    timers.delete(handle);
    clearTimer(handle);
  };

  const conflict = (message: string) => new TransportError('conflict', message, false);

  const get = (id: string) => {
    const c = conversations.get(id);
    if (!c) throw new TransportError('bad-request', `Unknown conversation ${id}`, false);
    return c;
  };

  const notify = (c: Conversation, event: BackendEvent) => {
    for (const listener of [...c.listeners]) listener(event);
  };

  const emit = (c: Conversation, event: Unsequenced): SequencedEvent => {
    const sequenced = { ...event, seq: c.events.length + 1 } as SequencedEvent;
    c.events.push(sequenced);
    notify(c, sequenced);
    return sequenced;
  };

  const say = (c: Conversation, role: ServerMessage['role'], text: string, extra: Partial<ServerMessage> = {}) => {
    const seq = c.events.length + 1;
    return emit(c, { type: 'message', message: { id: `m${seq}`, role, text, at: now(), ...extra } });
  };

  const sayBot = (c: Conversation, { text, ...extra }: BotReply) => say(c, 'bot', text, extra);

  const typing = (c: Conversation, role: 'bot' | 'operator', active: boolean) =>
    notify(c, role === 'operator' && c.operator ? { type: 'typing', role, active, name: c.operator } : { type: 'typing', role, active });

  const nextOpening = (from: number): number | undefined => {
    // A minute-by-minute scan: the backend only knows hours as a predicate.
    for (let t = Math.ceil(from / MINUTE) * MINUTE, end = from + 8 * 1440 * MINUTE; t < end; t += MINUTE) {
      if (isOpen(t)) return t;
    }
    return undefined;
  };

  const stopQueue = (c: Conversation, mode: ConversationMode) => {
    cancel(c.queueTimer);
    c.queueTimer = undefined;
    c.position = 0;
    c.mode = mode;
  };

  const leaveQueue = (c: Conversation, text: string) => {
    stopQueue(c, 'bot');
    emit(c, { type: 'queue', position: 0 });
    say(c, 'system', text);
  };

  const closeQueue = (c: Conversation) => {
    const until = nextOpening(now());
    emit(c, { type: 'hours', override: { state: 'closed', reason: lines(c.locale).closedReason, ...(until ? { until } : {}) } });
    leaveQueue(c, lines(c.locale).queueClosed);
  };

  const finish = (c: Conversation, by: 'user' | 'operator') => {
    if (c.mode === 'ended') throw conflict('The conversation has already ended');
    stopQueue(c, 'ended');
    c.endedOnce = true;
    emit(c, { type: 'ended', by });
  };

  const join = (c: Conversation, name: string) => {
    stopQueue(c, 'operator');
    c.operator = name;
    emit(c, { type: 'operator-joined', name });
  };

  const queueStep = (c: Conversation) => {
    c.queueTimer = later(() => {
      c.queueTimer = undefined;
      if (c.mode !== 'queued') return;
      if (!isOpen(now())) return closeQueue(c);
      if (--c.position > 0) {
        emit(c, { type: 'queue', position: c.position, etaSeconds: Math.round((c.position * queueStepMs) / 1000) });
        return queueStep(c);
      }
      const names = operatorNames[botLanguage(c.locale)] ?? operatorNames.en ?? NAMES.en;
      const name = names[Math.floor(random() * names.length)] ?? names[0];
      join(c, name);
      const l = lines(c.locale);
      const transaction = c.context.transactionId;
      const about = typeof transaction === 'string' || typeof transaction === 'number' ? ` ${l.about(String(transaction))}` : '';
      say(c, 'operator', l.operatorGreeting(name) + about, { author: name });
    }, queueStepMs);
  };

  const respond = (c: Conversation, text: string) => {
    if (c.mode === 'operator') {
      if (!simulateOperator) return;
      typing(c, 'operator', true);
      later(() => {
        if (c.mode !== 'operator' || !c.operator) return;
        typing(c, 'operator', false);
        const replies = lines(c.locale).operatorReplies;
        say(c, 'operator', replies[c.replies++ % replies.length], { author: c.operator });
      }, operatorReplyMs);
      return;
    }
    if (c.mode === 'queued') return;
    c.mode = 'bot';
    const answer = () => sayBot(c, botAnswer(text, c.locale, isOpen(now())));
    if (botDelayMs <= 0) return answer();
    typing(c, 'bot', true);
    later(() => {
      typing(c, 'bot', false);
      answer();
    }, botDelayMs);
  };

  const open = (hello: BackendHello): BackendConnection => {
    let c = hello.conversationId ? conversations.get(hello.conversationId) : undefined;
    if (c) {
      c.locale = hello.locale;
      Object.assign(c.context, hello.context);
    } else {
      const id = `c${++counter}-${Math.floor(random() * 36 ** 6).toString(36)}`;
      c = {
        id,
        mode: 'bot',
        locale: hello.locale,
        context: { ...hello.context },
        events: [],
        listeners: new Set(),
        acks: new Map(),
        received: [],
        position: 0,
        replies: 0,
        userTyping: false,
        endedOnce: false,
      };
      conversations.set(id, c);
      sayBot(c, greeting(c.locale));
    }
    const conversation = c;
    // A fresh conversation's cursor is meaningless: the client's cursor belonged to another id.
    const cursor = hello.conversationId === conversation.id ? hello.cursor : 0;
    return {
      conversationId: conversation.id,
      replay: conversation.events.filter((e) => e.seq > cursor),
      subscribe(listener) {
        conversation.listeners.add(listener);
        return () => conversation.listeners.delete(listener);
      },
    };
  };

  const receive = (conversationId: string, message: OutgoingMessage): Ack => {
    const c = get(conversationId);
    const known = c.acks.get(message.clientId);
    if (known) return known;
    const event = say(c, 'user', message.text, {
      clientId: message.clientId,
      ...(message.attachments?.length ? { attachments: message.attachments } : {}),
    });
    const stored = (event as Extract<SequencedEvent, { type: 'message' }>).message;
    const ack: Ack = { clientId: message.clientId, id: stored.id, seq: event.seq, at: stored.at };
    c.acks.set(message.clientId, ack);
    c.received.push(message);
    respond(c, message.text);
    return ack;
  };

  const command = (conversationId: string, cmd: ClientCommand): void => {
    const c = get(conversationId);
    const l = lines(c.locale);
    switch (cmd.type) {
      case 'request-operator': {
        if (c.mode !== 'bot') throw conflict(`Cannot request an operator while ${c.mode}`);
        if (!isOpen(now())) throw new TransportError('unavailable', 'Operators are outside business hours', false);
        Object.assign(c.context, cmd.context);
        c.mode = 'queued';
        c.position = Math.max(1, queueLength);
        emit(c, { type: 'queue', position: c.position, etaSeconds: Math.round((c.position * queueStepMs) / 1000) });
        if (simulateOperator) queueStep(c);
        return;
      }
      case 'cancel-operator':
        if (c.mode !== 'queued') throw conflict('Not waiting for an operator');
        return leaveQueue(c, l.queueLeft);
      case 'end':
        return finish(c, 'user');
      case 'rate':
        if (!c.endedOnce) throw conflict('Only an ended conversation can be rated');
        if (c.rating) throw conflict('The conversation has already been rated');
        // The widget thanks the user itself; a system message here would say it twice.
        c.rating = cmd.comment === undefined ? { score: cmd.score } : { score: cmd.score, comment: cmd.comment };
        return;
      case 'leave-message': {
        if (c.mode === 'queued' || c.mode === 'operator') throw conflict(`Cannot leave a message while ${c.mode}`);
        if (!cmd.text.trim()) throw new TransportError('bad-request', 'An empty message', false);
        Object.assign(c.context, cmd.context);
        const transcript = c.events.flatMap((e) => (e.type === 'message' ? [e.message] : []));
        const ticket: Ticket = { id: `T${1001 + tickets.length}`, conversationId, text: cmd.text, context: { ...c.context }, transcript, at: now() };
        tickets.push(ticket);
        // The left message belongs in the user's own transcript, right above its ticket number.
        say(c, 'user', cmd.text);
        emit(c, { type: 'ticket', id: ticket.id });
        say(c, 'system', l.ticket(ticket.id));
        return;
      }
      default:
        throw new TransportError('bad-request', `Unknown command ${(cmd as { type: string }).type}`, false);
    }
  };

  let uploads = 0;

  return {
    open,
    receive,
    command,
    typing(conversationId, active) {
      get(conversationId).userTyping = active;
    },
    upload(name, type) {
      return { url: uploadUrl(`u${++uploads}`, name, type) };
    },
    control: {
      received: (id) => [...get(id).received],
      events: (id) => [...get(id).events],
      inspect(id) {
        const c = conversations.get(id);
        if (!c) return undefined;
        return {
          mode: c.mode,
          locale: c.locale,
          context: { ...c.context },
          seq: c.events.length,
          position: c.position,
          userTyping: c.userTyping,
          ...(c.operator ? { operator: c.operator } : {}),
          ...(c.rating ? { rating: c.rating } : {}),
        };
      },
      tickets: () => [...tickets],
      operator: {
        join: (id, name) => join(get(id), name),
        typing(id, active) {
          typing(get(id), 'operator', active);
        },
        say(id, text) {
          const c = get(id);
          say(c, 'operator', text, c.operator ? { author: c.operator } : {});
        },
        leave(id) {
          const c = get(id);
          if (c.mode !== 'operator') throw conflict('No operator in the conversation');
          const name = c.operator ?? '';
          c.mode = 'bot';
          emit(c, name ? { type: 'operator-left', name } : { type: 'operator-left' });
          say(c, 'system', lines(c.locale).operatorLeft(name));
        },
        end: (id) => finish(get(id), 'operator'),
      },
      overrideHours(state, reason) {
        override = state;
        for (const c of conversations.values()) {
          emit(c, { type: 'hours', override: reason === undefined ? { state } : { state, reason } });
          if (state === 'closed' && c.mode === 'queued') leaveQueue(c, lines(c.locale).queueClosed);
        }
      },
    },
    dispose() {
      for (const handle of timers) clearTimer(handle);
      timers.clear();
      for (const c of conversations.values()) c.queueTimer = undefined;
    },
  };
}
