import {
  TransportError,
  type Ack,
  type ChatTransport,
  type ClientCommand,
  type ConnectOptions,
  type OutgoingMessage,
  type ServerEvent,
  type ServerMessage,
} from '../../src/transport/types.js';

/** How the fake answers `send`. */
export type SendBehaviour = 'ack' | 'hang' | 'throw' | 'reject-permanent' | 'reject-retryable';

/** A scriptable in-memory transport for element and session tests. */
export class FakeTransport implements ChatTransport {
  sent: OutgoingMessage[] = [];
  commands: ClientCommand[] = [];
  connects: ConnectOptions[] = [];
  closed = false;
  sendBehaviour: SendBehaviour = 'ack';
  /** How long an `ack` takes, in ms (of a fake clock, in tests that install one). */
  ackDelayMs = 0;
  /** `retrying`: like a built-in adapter in an outage, reports `connecting` and keeps at it until `finishConnect()`. */
  connectBehaviour: 'ok' | 'hang' | 'throw' | 'retrying' = 'ok';
  private connected?: () => void;
  /** The conversation the server opens, whatever was asked for: set, it lost the one asked for. */
  opens?: string;
  /** Reply automatically to each acked message as the bot. */
  botReply?: (text: string) => Partial<ServerMessage> | undefined;
  private seq = 0;
  private listeners = new Set<(event: ServerEvent) => void>();

  async connect(options: ConnectOptions) {
    this.connects.push(options);
    if (this.connectBehaviour === 'hang') return new Promise<never>(() => {});
    if (this.connectBehaviour === 'throw') throw new Error('connect exploded');
    if (this.connectBehaviour === 'retrying') {
      this.emit({ type: 'connection', status: 'connecting' });
      // Given up on (aborted), it fails as the built-in adapters do when closed.
      await new Promise<void>((resolve, reject) => {
        this.connected = resolve;
        options.signal.addEventListener('abort', () => reject(new TransportError('network', 'closed', true)));
      });
    }
    this.emit({ type: 'connection', status: 'online' });
    return { conversationId: this.opens ?? options.conversationId ?? 'c1' };
  }

  close() {
    this.closed = true;
  }

  /** Ends a `retrying` connect: the link is up. */
  finishConnect() {
    this.connectBehaviour = 'ok';
    this.connected?.();
  }

  async send(message: OutgoingMessage): Promise<Ack> {
    this.sent.push(message);
    switch (this.sendBehaviour) {
      case 'hang':
        return new Promise<never>(() => {});
      case 'throw':
        throw new Error('adapter bug');
      case 'reject-permanent':
        throw new TransportError('bad-request', 'rejected', false);
      case 'reject-retryable':
        throw new TransportError('unavailable', 'try later', true, 10);
    }
    if (this.ackDelayMs) await new Promise((resolve) => setTimeout(resolve, this.ackDelayMs));
    const ack = { clientId: message.clientId, id: `s${++this.seq}`, seq: this.seq, at: 1 };
    const reply = this.botReply?.(message.text);
    if (reply) queueMicrotask(() => this.say({ ...reply }));
    return ack;
  }

  async command(command: ClientCommand) {
    this.commands.push(command);
  }

  typing() {}

  async upload() {
    return { url: 'blob:fake' };
  }

  subscribe(listener: (event: ServerEvent) => void) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: ServerEvent) {
    if ('seq' in event) this.seq = Math.max(this.seq, event.seq);
    for (const listener of this.listeners) listener(event);
  }

  /** Pushes a server message (bot by default). */
  say(message: Partial<ServerMessage>) {
    const seq = ++this.seq;
    this.emit({ type: 'message', seq, message: { id: `s${seq}`, role: 'bot', text: '', at: 2, ...message } });
  }
}
