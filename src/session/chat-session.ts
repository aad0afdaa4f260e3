import { atom } from 'nanostores';
import { backoffDelay } from '../transport/backoff.js';
import { TransportError, type ChatTransport, type ConnectionStatus, type ServerEvent } from '../transport/types.js';
import type { MessageKey } from '../i18n/index.js';
import { fromServer, upsert, type ChatMessage } from './messages.js';

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

/** Something the session tells its element, which turns it into DOM events. */
export type SessionReport =
  | { type: 'message'; message: ChatMessage }
  | { type: 'sent'; detail: MessageSentDetail }
  | { type: 'connection'; status: ConnectionStatus }
  | { type: 'error'; detail: ChatErrorDetail };

/** A problem the UI shows until dismissed or resolved. */
export interface Notice {
  key: MessageKey;
  code: ChatErrorDetail['code'];
}

export interface ChatSessionOptions {
  transport: ChatTransport;
  /** Current UI locale, read when connecting. */
  locale: () => string;
  /** Current host context, read when connecting. */
  context: () => Record<string, unknown> | undefined;
  report: (report: SessionReport) => void;
  now?: () => number;
  random?: () => number;
  newId?: () => string;
  /** How long one transport call may take before it counts as failed, in ms. Default 15 000. */
  timeoutMs?: number;
}

/** One conversation's state and actions, owned by one element instance. */
export type ChatSession = ReturnType<typeof createChatSession>;

/** Rejects with a retryable timeout when `promise` takes longer than `ms`, aborting `controller`. */
function within<T>(promise: Promise<T>, ms: number, controller: AbortController): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort();
        reject(new TransportError('timeout', `No answer within ${ms} ms`, true));
      }, ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

const asTransportError = (error: unknown): TransportError =>
  error instanceof TransportError ? error : new TransportError('unknown', String((error as Error)?.message ?? error), true);

export function createChatSession(options: ChatSessionOptions) {
  const {
    transport,
    report,
    now = () => Date.now(),
    random = Math.random,
    newId = () => crypto.randomUUID(),
    timeoutMs = 15_000,
  } = options;

  const $messages = atom<ChatMessage[]>([]);
  const $connection = atom<ConnectionStatus>('idle');
  const $notice = atom<Notice | null>(null);

  const life = new AbortController();
  let conversationId: string | null = null;
  let cursor = 0;
  let connecting: Promise<void> | null = null;
  let connectAttempt = 0;
  let pumping = false;
  let sendAttempt = 0;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;

  const fail = (error: TransportError, key: MessageKey = error.code === 'timeout' ? 'error.timeout' : 'error.transport') => {
    const code = error.code === 'timeout' ? 'timeout' : error.code === 'protocol' ? 'protocol' : 'transport';
    $notice.set({ key, code });
    report({ type: 'error', detail: { code, message: error.message, recoverable: error.retryable } });
  };

  const setConnection = (status: ConnectionStatus) => {
    if ($connection.get() === status) return;
    $connection.set(status);
    report({ type: 'connection', status });
    if (status === 'online') {
      if ($notice.get()?.code !== 'config') $notice.set(null);
      void pump();
    }
  };

  const onEvent = (event: ServerEvent) => {
    if (life.signal.aborted) return;
    if ('seq' in event) cursor = Math.max(cursor, event.seq);
    switch (event.type) {
      case 'message': {
        const message = fromServer(event.message);
        const known = $messages.get().some((m) => m.key === message.key || (m.id !== undefined && m.id === message.id));
        $messages.set(upsert($messages.get(), message));
        if (!known && message.role !== 'user') report({ type: 'message', message });
        break;
      }
      case 'connection':
        setConnection(event.status);
        break;
      case 'error':
        fail(event.error);
        break;
    }
  };
  const unsubscribe = transport.subscribe(onEvent);

  /** Opens the conversation once; later calls share the attempt. Retries with backoff on failure. */
  function start(): Promise<void> {
    if (life.signal.aborted || $connection.get() === 'online') return Promise.resolve();
    connecting ??= (async () => {
      setConnection(connectAttempt ? 'reconnecting' : 'connecting');
      const attempt = new AbortController();
      life.signal.addEventListener('abort', () => attempt.abort(), { once: true });
      try {
        const session = await within(
          transport.connect({ conversationId, cursor, locale: options.locale(), context: options.context(), signal: attempt.signal }),
          timeoutMs,
          attempt,
        );
        conversationId = session.conversationId;
        connectAttempt = 0;
        setConnection('online');
      } catch (error) {
        if (life.signal.aborted) return;
        const problem = asTransportError(error);
        fail(problem);
        setConnection('offline');
        if (problem.retryable) {
          retryTimer = setTimeout(() => void start(), backoffDelay(connectAttempt++, random, {}, problem.retryAfterMs));
        }
      } finally {
        connecting = null;
      }
    })();
    return connecting;
  }

  const pending = () => $messages.get().filter((m) => m.role === 'user' && (m.status === 'queued' || m.status === 'sending'));

  /** Sends queued messages one at a time, in the order typed; a failure never blocks later ones. */
  async function pump(): Promise<void> {
    if (pumping || life.signal.aborted || $connection.get() !== 'online' || !conversationId) return;
    pumping = true;
    try {
      for (let next = pending()[0]; next; next = pending()[0]) {
        $messages.set(upsert($messages.get(), { ...next, status: 'sending' }));
        const call = new AbortController();
        try {
          const ack = await within(
            transport.send({ clientId: next.key, conversationId, text: next.text, createdAt: next.at }, { signal: call.signal }),
            timeoutMs,
            call,
          );
          sendAttempt = 0;
          $messages.set(upsert($messages.get(), { ...next, id: ack.id, at: ack.at, status: 'sent' }));
          report({ type: 'sent', detail: { clientId: next.key, id: ack.id, text: next.text } });
        } catch (error) {
          const problem = asTransportError(error);
          if (!problem.retryable) {
            $messages.set(upsert($messages.get(), { ...next, status: 'failed' }));
            fail(problem, 'error.rejected');
            continue;
          }
          // Back to queued (the only backward step): the same client id goes out again later.
          $messages.set($messages.get().map((m) => (m.key === next.key ? { ...m, status: 'queued' } : m)));
          fail(problem);
          clearTimeout(retryTimer);
          retryTimer = setTimeout(() => void pump(), backoffDelay(sendAttempt++, random, {}, problem.retryAfterMs));
          return;
        }
      }
    } finally {
      pumping = false;
    }
  }

  return {
    $messages,
    $connection,
    $notice,
    start,
    /** Queues the user's message and sends it when connected. Returns its client id. */
    send(text: string): string {
      const key = newId();
      $messages.set(upsert($messages.get(), { key, clientId: key, role: 'user', text, at: now(), status: 'queued' }));
      void start().then(pump);
      return key;
    },
    /** Sends a failed message again with the same client id. */
    retry(key: string) {
      $messages.set($messages.get().map((m) => (m.key === key && m.status === 'failed' ? { ...m, status: 'queued' } : m)));
      void pump();
    },
    /** Removes a failed message. */
    remove(key: string) {
      $messages.set($messages.get().filter((m) => !(m.key === key && m.status === 'failed')));
    },
    /** Called when the browser reports it is back online. */
    resume() {
      sendAttempt = 0;
      void start().then(pump);
    },
    dismissNotice() {
      $notice.set(null);
    },
    dispose() {
      life.abort();
      clearTimeout(retryTimer);
      unsubscribe();
      transport.close();
    },
  };
}
