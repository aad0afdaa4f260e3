import { atom } from 'nanostores';
import { initialState, replay, transition, type FlowEvent, type FlowState, type HoursEvent, type Phase, type UserEvent } from '../flow/index.js';
import type { MessageKey } from '../i18n/index.js';
import { createOutbox } from '../outbox/index.js';
// What the element may do with a user's storage while it has no session.
export { clearStored, hasStored } from '../outbox/index.js';
import type { OutboxOptions, OutboxRow, SequencedEvent } from '../outbox/types.js';
import { backoffDelay } from '../transport/backoff.js';
import { TransportError, type CallOptions, type ChatTransport, type ConnectionStatus, type HoursOverride, type ServerEvent } from '../transport/types.js';
import type { ChatMessage } from './messages.js';

/** What went wrong, for hosts that log or react to failures. */
export type ChatErrorCode = 'config' | 'transport' | 'timeout' | 'protocol' | 'storage' | 'flow' | 'rejected';

/** `detail` of `mcs-error`. */
export interface ChatErrorDetail {
  /** Machine-readable category. */
  code: ChatErrorCode;
  /** English description for logs (the UI shows a translated one). */
  message: string;
  /** Whether the widget keeps trying on its own. */
  recoverable: boolean;
}

/** `detail` of `mcs-message-sent`: the user's message as the server acknowledged it. */
export interface MessageSentDetail {
  clientId: string;
  id: string;
  text: string;
}

/**
 * What the session tells its element, by the name of the DOM event the element dispatches for it.
 * Three have no event: `hours` (a backend closure or opening, `state: null` clears it, also when
 * restored with the history), which the element applies to the schedule; `wiped`: the user's
 * data was deleted, here or in another tab (a logout), and this session is over; and `unsent`: the
 * text of a message for operators that could not be left.
 */
export interface SessionReports {
  'mcs-message': ChatMessage & { id: string };
  'mcs-message-sent': MessageSentDetail;
  'mcs-connection': { status: ConnectionStatus };
  'mcs-phase': { phase: Phase; previous: Phase };
  'mcs-error': ChatErrorDetail;
  hours: HoursOverride;
  wiped: undefined;
  unsent: string;
}

/** A problem the UI shows until dismissed or resolved. */
export interface Notice {
  key: MessageKey;
  code: ChatErrorCode;
}

export interface ChatSessionOptions {
  transport: ChatTransport;
  /** Whose data this is: selects the user's own database. */
  userId: string;
  /** Current UI locale, read when connecting. */
  locale: () => string;
  /** Current host context, read when connecting and when handing off to an operator. */
  context: () => Record<string, unknown> | undefined;
  /** Business hours as the element's hours controller sees them now. */
  hours: () => { readonly open: boolean; readonly closingSoon: boolean };
  report: <K extends keyof SessionReports>(name: K, detail: SessionReports[K]) => void;
  now?: () => number;
  random?: () => number;
  /**
   * How long the wait for a connection may take before the user is told (a transport that does not
   * report its status is then started over), in ms. One call gets twice as long: a backstop for
   * adapters that never answer, which the built-in ones, with their own 20 s, never reach. Default 15 000.
   */
  timeoutMs?: number;
  /** Storage seams (IndexedDB, Web Locks, BroadcastChannel), for tests. */
  storage?: Pick<OutboxOptions, 'indexedDB' | 'locks' | 'channel' | 'openTimeout' | 'backoff'>;
}

/** One conversation's state and actions, owned by one element instance. */
export type ChatSession = ReturnType<typeof createChatSession>;

/** Custom adapters may throw anything; the session only deals in TransportErrors. */
const asTransportError = (error: unknown): TransportError =>
  error instanceof TransportError ? error : new TransportError('unknown', String((error as Error)?.message ?? error), true);

/** The failure of a call that took longer than `ms`. */
const late = (ms: number) => new TransportError('timeout', `No answer within ${ms} ms`, true);

/**
 * Settles as `promise` does, but rejects with a TransportError only: a retryable timeout when it
 * takes longer than `ms` (aborting `controller`), else what it failed with, converted.
 */
const within = <T>(promise: Promise<T>, ms: number, controller?: AbortController) =>
  new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      controller?.abort();
      reject(late(ms));
    }, ms);
    promise.then(resolve, (error) => reject(asTransportError(error))).finally(() => clearTimeout(timer));
  });

export function createChatSession(options: ChatSessionOptions) {
  const { transport, report, now = Date.now, random = Math.random, timeoutMs = 15_000 } = options;

  const $messages = atom<ChatMessage[]>([]);
  const $connection = atom<ConnectionStatus>('idle');
  const $notice = atom<Notice | null>(null);
  // Never once disposed: the outbox may outlive the session until a send is stored, and must not send.
  const online = () => !signal.aborted && $connection.get() == 'online';

  const life = new AbortController();
  const { signal } = life;
  let conversationId: string | null = null;
  let history: ChatMessage[] = [];
  let rows: readonly OutboxRow[] = [];
  /**
   * Whether messages wait to be sent (failed ones wait for the user instead): the leader sends
   * them, found at load or left by a tab that closed, with or without the panel open.
   */
  const waiting = () => rows.some((r) => r.status != 'failed');
  /** Whether the element wants the network (see `start`). */
  let started = false;
  let connecting: Promise<void> | null = null;
  let connectAttempt = 0;
  /** Calls to `send` not yet over: the outbox is disposed only once their messages are stored. */
  let sends = 0;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let typingTimer: ReturnType<typeof setTimeout> | undefined;
  let typingSince = 0;
  /** Commands still on their way; a new conversation starts only after they reached the old one. */
  let inflight: Promise<unknown> = Promise.resolve();
  /** Counts conversations this session has left, so their late answers are ignored. */
  let generation = 0;
  let abandoned: string | null = null;
  /** The current connect attempt; a superseded attempt's failure is ignored. */
  let attempt: AbortController | undefined;
  /** Sequenced events that arrive while a connect is in flight, before the conversation id is known. */
  let early: SequencedEvent[] | null = null;

  /**
   * For each unsent message, the last server seq shown when it was typed (or first seen, for one
   * restored from storage or typed in another tab): it stays just below that one.
   */
  const typedAfter = new Map<string, number>();
  /** History is kept in seq order, so its last message has the highest. */
  const lastSeq = () => history.at(-1)?.seq ?? 0;
  /** Where a message sorts: sent ones by seq, unsent ones just after the seq they were typed after. */
  const place = (m: ChatMessage) => m.seq ?? typedAfter.get(m.key)! + 0.5;
  const publish = () => {
    const inHistory = new Set(history.map((m) => m.clientId));
    // The outbox lists rows in commit order, which is the typed order in every tab; the sort
    // below is stable, so it keeps this order among messages typed after the same seq.
    const pending = rows
      .filter((r) => !inHistory.has(r.clientId))
      .map(({ clientId, text, createdAt: at, status }): ChatMessage => {
        typedAfter.set(clientId, typedAfter.get(clientId) ?? lastSeq());
        return { key: clientId, clientId, role: 'user', text, at, status };
      });
    $messages.set([...history, ...pending].sort((a, b) => place(a) - place(b)));
  };

  /** Reports a problem to the host and, given a `key`, shows it. */
  const problem = (code: ChatErrorCode, message: string, recoverable: boolean, key?: MessageKey) => {
    if (key) $notice.set({ key, code });
    report('mcs-error', { code, message, recoverable });
  };
  const fail = ({ code, message, retryable }: TransportError, key?: MessageKey) => {
    const shown = code == 'timeout' || code == 'protocol' ? code : 'transport';
    problem(shown, message, retryable, key ?? (shown == 'timeout' ? 'error.timeout' : 'error.transport'));
  };
  /** The link works (it is back, or a message got through): what it failed with is over. */
  const recovered = () => {
    if (['transport', 'timeout', 'protocol'].includes($notice.get()?.code as string)) $notice.set(null);
  };

  /**
   * Every delivery attempt goes through here: a custom adapter that never answers must not stall
   * the queue, whatever it throws becomes a TransportError, and each failure is shown and reported.
   */
  const guard = <T>(call: Promise<T>, ms: number): Promise<T> =>
    within(call, ms).catch((problem: TransportError) => {
      if (!signal.aborted && problem.code != 'aborted') fail(problem, problem.retryable ? undefined : 'error.rejected');
      throw problem;
    });

  /** Runs one step of the flow; sends the command it asks for and feeds failures back in. */
  const dispatch = (event: FlowEvent): boolean => {
    const previous = $flow.get().phase;
    const { state, command, illegal } = transition($flow.get(), event);
    if (illegal) return problem('flow', `"${event.type}" not possible in ${previous}`, true), false;
    // Offline, a command would wait out the outage and then take back what the screen had said
    // (a cancel shown while the server still queues the user): refused at once, the flow staying
    // as the server has it. Hours closing on a queue is not the user's to retry: that cancel waits.
    if (command && !navigator.onLine && event.type != 'closed') return problem('transport', `"${event.type}" not possible offline`, true, 'flow.offline'), false;
    $flow.set(state);
    if (state.phase != previous) report('mcs-phase', { phase: state.phase, previous });
    if (command) {
      const conversation = generation;
      // Where the command went: the user may have started a new conversation before its answer.
      let to = conversationId;
      // The wait for the link counts too: a transport in an outage keeps connecting for as long as it lasts.
      const sent = within(connect(), timeoutMs).then(() => {
        // The flow has started over with the one the server opened instead, which never had it.
        if (lost.has(to!)) throw to;
        to = conversationId;
        return within(transport.command(command, { signal }), 2 * timeoutMs);
      });
      inflight = inflight.then(() => sent).catch(() => {});
      // Only once the server has taken the answer is the survey not offered again, after a reload
      // or in the user's other tabs. A conflict does not count: it may mean the rating came before
      // the end (HTTP posts commands side by side), with nothing stored.
      sent.then(() => void (command.type == 'rate' && to && outbox.history.rate(to)), (problem: TransportError) => {
        // A failure from a conversation already left, or a cancel the server no longer needs, is moot.
        if (signal.aborted || conversation != generation || command.type == 'cancel-operator') return;
        const before = $flow.get();
        dispatch({ type: 'failed', command: command.type, code: problem.code });
        // A message for operators that did not get through goes back to the user, to send again.
        if (command.type == 'leave-message' && $flow.get().phase != 'message-left') report('unsent', command.text);
        // A failure that leaves the screen as it was is moot (a conflict: the server is already
        // past it); one that undid something is said.
        if (problem.code != 'unavailable' && $flow.get() != before) fail(problem, 'flow.unavailable');
      });
    }
    return true;
  };

  /** Sequenced events reach the transcript only through the outbox's history, from any tab. */
  const apply = (events: readonly SequencedEvent[], live?: boolean) => {
    // Each message's index, by client id and by server id: a message seen twice (push, history,
    // ack) shows once, and a restore of thousands of events needs no search per event.
    const index = new Map<string | undefined, number>();
    history.forEach((m, i) => index.set(m.key, i).set(m.id, i));
    for (const event of events) {
      if (event.type == 'message') {
        const { message: sent, seq } = event;
        const key = sent.clientId ?? sent.id;
        const i = index.get(key) ?? index.get(sent.id) ?? history.length;
        const known = history[i];
        const user = sent.role == 'user';
        // An acknowledged echo keeps its place (and key) in the transcript.
        const message = { ...sent, key: known?.key ?? key, seq, status: user ? ('sent' as const) : undefined };
        history[i] = { ...known, ...message };
        index.set(key, i).set(sent.id, i);
        if (live && !known) {
          if (user) {
            report('mcs-message-sent', { clientId: key, id: sent.id, text: sent.text });
            recovered();
          }
          else report('mcs-message', message);
        }
      }
      if (event.type == 'hours') report('hours', event.override);
      if (live) dispatch(event);
    }
    // By the server's sequence: an ack that lands after the bot's answer still shows first.
    history.sort((a, b) => a.seq! - b.seq!);
    publish();
  };

  /** Late news of a conversation the user already left is stored, not shown. */
  const shown = (id: string) => id != abandoned && (id == conversationId || !conversationId);
  /** Conversations the server no longer had: what was queued for them goes to the one it opened instead. */
  const lost = new Set<string>();
  /**
   * Makes the conversation the server opened the current one. Another than ours means it lost
   * ours: its sequence and ids start over, so the transcript does too (as after a reload).
   */
  const moveTo = (id: string) => {
    if (conversationId && id != conversationId) {
      lost.add(conversationId);
      history = [];
      publish();
      dispatch({ type: 'lost' });
    }
    conversationId = id;
  };

  const outbox = createOutbox({
    userId: options.userId,
    now,
    random,
    ...options.storage,
    conversation: (c) => (c && !lost.has(c) ? c : conversationId),
    // Without a connection there is nothing to try: rows stay "queued" until the flush on connect.
    online,
    transport: {
      send: (message, call?: CallOptions) => guard(transport.send(message, call), 2 * timeoutMs),
      upload: (file, call?: CallOptions) => guard(transport.upload(file, call), timeoutMs * 4),
    },
    onChange(next) {
      rows = next;
      publish();
      // Rows found at load, or typed in another tab, are this tab's to send when it leads, even
      // with its panel closed (`onLeader` covers rows it had before it led).
      if (outbox.leader && waiting()) void tryConnect();
    },
    onEvents(id, events) {
      // A follower hears of another conversation only from the leader, which moved to it (the
      // server lost ours, or the user started a new one there); one this tab left stays left.
      if (!outbox.leader && id != abandoned && !lost.has(id)) moveTo(id);
      if (shown(id)) apply(events, true);
    },
    onRated: (id) => shown(id) && dispatch({ type: 'rated' }),
    onLeader(leader) {
      if (leader && (started || waiting())) void tryConnect();
    },
    onNotice: ({ code, key }) => problem('storage', `Storage failed (${code}); using memory`, true, key),
    onWipe: () => report('wiped', undefined),
  });
  // Created once the outbox has asked IndexedDB for the history: the first hours reading loads
  // the browser's time-zone data, and the two then overlap.
  const { open, closingSoon } = options.hours();
  const $flow = atom<FlowState>(initialState(open, closingSoon));

  const loaded = (async () => {
    await outbox.ready;
    const snapshot = await outbox.history.load();
    conversationId = snapshot.conversationId;
    // Rows restored with the outbox were placed before there was any history: they come after it.
    typedAfter.clear();
    apply(snapshot.events);
    // Rebuild the phase from what happened (a reload mid-operator-chat stays with the operator).
    $flow.set(replay(snapshot.events, $flow.get()));
    if (snapshot.rated) dispatch({ type: 'rated' });
    const hours = options.hours();
    dispatch({ type: hours.open ? 'opened' : 'closed' });
    // "opened" clears the warning flag, and the element only reports the window's start.
    if (hours.closingSoon) dispatch({ type: 'closing-soon' });
  })();

  const setConnection = (status: ConnectionStatus) => {
    if ($connection.get() == status) return;
    $connection.set(status);
    report('mcs-connection', { status });
    if (online()) {
      recovered();
      void outbox.flush();
    }
  };

  /** Whether the transport itself reports its status (built-in adapters do; a minimal custom one may not). */
  let reportsStatus = false;
  const unsubscribe = transport.subscribe((event: ServerEvent) => {
    if (signal.aborted) return;
    if (event.type == 'connection') {
      reportsStatus = true;
      // A server that lost the conversation opened a new one on reconnect: send there from now on.
      if (event.conversationId && conversationId && event.conversationId != conversationId) {
        moveTo(event.conversationId);
        void outbox.history.append(event.conversationId, []);
      }
      setConnection(event.status);
    }
    else if (event.type == 'error') fail(event.error);
    else if (event.type == 'typing') dispatch(event);
    // A transport may deliver the replay before connect() resolves with the conversation's id.
    else if (early) early.push(event);
    else if (conversationId) void outbox.history.append(conversationId, [event]);
  });

  /**
   * Opens (or resumes) the conversation; later calls share the attempt. Only needed by the tab
   * that sends (the outbox's leader) or one that runs a command; others mirror through storage.
   */
  function connect(): Promise<void> {
    if (signal.aborted || online()) return Promise.resolve();
    connecting ??= (async () => {
      await loaded;
      // Aborted when superseded (resume) or disposed.
      const mine = (attempt = new AbortController());
      const asked = generation;
      // This attempt's own: a superseded attempt settles later and must not clear the next one's.
      let slow: ReturnType<typeof setTimeout> | undefined;
      try {
        early = [];
        const call = transport.connect({ conversationId, cursor: outbox.history.cursor(conversationId), locale: options.locale(), context: options.context(), signal: mine.signal });
        // A transport that reports its status retries on its own backoff: starting it over would
        // start that backoff over too, and a fleet of widgets in an outage would dial several
        // times as often. It is only waited for, and the user told once that it is slow.
        if (reportsStatus) slow = setTimeout(() => signal.aborted || fail(late(timeoutMs)), timeoutMs);
        const opened = await (reportsStatus ? call : within(call, timeoutMs, mine));
        // A link for a conversation the user has left since (a command to it was waiting) must
        // not make it the current one again: the next connect asks for a new one.
        if (asked == generation) moveTo(opened.conversationId);
        connectAttempt = 0;
        const buffered = early ?? [];
        early = null;
        await outbox.history.append(opened.conversationId, buffered);
        // Never overrule the transport: its link may have dropped while the history was written.
        if (!reportsStatus) setConnection('online');
        else if (online()) void outbox.flush();
      } catch (error) {
        const problem = asTransportError(error);
        if (mine != attempt) throw problem;
        early = null;
        if (signal.aborted) return;
        fail(problem);
        setConnection('offline');
        if (problem.retryable) {
          clearTimeout(retryTimer);
          retryTimer = setTimeout(tryConnect, backoffDelay(connectAttempt++, random, {}, problem.retryAfterMs));
        }
        throw problem;
      } finally {
        clearTimeout(slow);
        if (mine == attempt) connecting = null;
      }
    })();
    return connecting;
  }

  /**
   * For callers that only want the link up: connect() has already reported and scheduled a retry
   * for any failure, and the page must not see it again as an unhandled rejection.
   */
  function tryConnect() {
    return connect().catch(() => {});
  }
  /**
   * Drops the connect under way, so that the next connect starts afresh. A retry still scheduled
   * then joins that one.
   */
  const restart = () => {
    attempt?.abort();
    attempt = undefined;
    connecting = null;
  };
  const flushOnline = () => void connect().then(() => outbox.flush(), () => {});
  /** Lets the session use the network (the panel opened); later calls change nothing. */
  const start = async () => {
    if (started) return;
    started = true;
    await loaded;
    if (outbox.leader) await tryConnect();
  };

  return {
    $messages,
    $connection,
    $notice,
    $flow,
    /** Resolves once stored history is shown. */
    loaded,
    start,
    /** Queues the user's message durably, then sends it. Resolves with its client id. */
    async send(text: string, files?: readonly Blob[]): Promise<string> {
      sends++;
      try {
        await loaded;
        const anchor = lastSeq();
        const row = await outbox.enqueue(conversationId, text, files);
        typedAfter.set(row.clientId, anchor);
        publish();
        if (outbox.leader) flushOnline();
        else void outbox.flush();
        return row.clientId;
      } finally {
        // Disposed meanwhile (the element removed, the user changed): the message is still stored, for this user.
        if (!--sends && signal.aborted) outbox.dispose();
      }
    },
    /**
     * A user or host action on the conversation flow, or a business-hours change. Returns false
     * when not possible now: the phase does not allow it, or it needs the server while the
     * browser is offline (then shown as `flow.offline`).
     */
    act(event: UserEvent | HoursEvent): boolean {
      if (event.type == 'new-conversation') {
        if (!dispatch(event)) return false;
        generation++;
        abandoned = conversationId;
        // What the user types from now on is for the new conversation: it waits for it.
        conversationId = null;
        history = [];
        publish();
        // The end and the rating must reach the old conversation before the link moves on.
        void inflight.then(() => {
          $connection.set('idle');
          // A connect still under way asks for the old conversation.
          restart();
          return tryConnect();
        });
        return true;
      }
      return dispatch(event.type == 'ask-operator' || event.type == 'leave-message' ? { ...event, context: options.context() } : event);
    },
    /** Sends a failed message again with the same client id. */
    retry: outbox.retry,
    /** Removes a failed message. */
    remove: outbox.remove,
    /** The user typed: tells the other side, at most every 3 s, and "stopped" after 4 s of quiet. */
    typing() {
      if (!online()) return;
      if (now() - typingSince > 3000) {
        typingSince = now();
        transport.typing(true);
      }
      clearTimeout(typingTimer);
      typingTimer = setTimeout(() => {
        typingSince = 0;
        transport.typing(false);
      }, 4000);
    },
    /** Called when the browser reports it is back online: try now, not when the backoff says. */
    resume() {
      connectAttempt = 0;
      // What the network failed with, a refusal while offline too, is over until it fails again.
      recovered();
      if (!outbox.leader) return;
      if (!online()) restart();
      flushOnline();
    },
    /** Deletes this user's stored conversation and queue, here and in every open tab, which all report `wiped`. */
    async clear() {
      await outbox.clear();
      report('wiped', undefined);
    },
    dispose() {
      life.abort();
      attempt?.abort();
      clearTimeout(retryTimer);
      clearTimeout(typingTimer);
      unsubscribe();
      if (!sends) outbox.dispose();
      transport.close();
    },
  };
}
