import { expect } from '@open-wc/testing';
import { ConformanceError, protocolDouble, runConformance, type ServerDouble } from '../../src/testing/conformance.js';
import { createTransport } from '../../src/transport/index.js';
import type { ChatTransport, ServerEvent } from '../../src/transport/types.js';
import { remoteServer, type RemoteServer } from '../server/remote.js';
import { mockServer } from '../transport/helpers.js';

type Mock = Awaited<ReturnType<typeof mockServer>>;

/** The real server's controls as a ServerDouble. */
const remoteDouble = (s: RemoteServer): ServerDouble => ({
  received: (id) => s.received(id),
  say: (id, text) => s.say(id, text),
  dropConnections: () => s.faults.drop(),
  rejectNextMessage: (error) => s.faults.reject(1, error),
});

for (const scheme of ['ws', 'http'] as const) {
  describe(`${scheme} adapter against the msw mock`, () => {
    let mock: Mock;
    let double: ServerDouble;
    before(async () => {
      mock = await mockServer();
      double = protocolDouble(mock.backend, mock.server);
    });
    after(() => mock.stop());
    runConformance({
      makeTransport: () => createTransport(scheme === 'ws' ? mock.wsUrl : mock.httpUrl),
      server: {
        received: (id) => double.received(id),
        say: (id, text) => double.say(id, text),
        dropConnections: () => double.dropConnections(),
        rejectNextMessage: (error) => double.rejectNextMessage!(error),
      },
    });
  });

  describe(`${scheme} adapter against the real local server`, () => {
    let server: RemoteServer;
    let double: ServerDouble;
    before(async () => {
      server = await remoteServer();
      double = remoteDouble(server);
    });
    after(() => server.stop());
    runConformance({
      makeTransport: () => createTransport(scheme === 'ws' ? server.wsUrl : server.httpUrl),
      server: {
        received: (id) => double.received(id),
        say: (id, text) => double.say(id, text),
        dropConnections: () => double.dropConnections(),
        rejectNextMessage: (error) => double.rejectNextMessage!(error),
      },
    });
  });
}

describe('runConformance catches broken transports', () => {
  let mock: Mock;
  before(async () => (mock = await mockServer()));
  after(() => mock.stop());

  /** Registers the kit with a capturing describe/it, for a transport wrapped by `breakIt`. */
  const checks = (breakIt: (t: ChatTransport) => Partial<ChatTransport>) => {
    const found = new Map<string, () => Promise<void>>();
    runConformance({
      describe: (_name, body) => body(),
      it: (name, body) => found.set(name, body),
      makeTransport: () => {
        const t = createTransport(mock.wsUrl);
        return { ...t, subscribe: t.subscribe, connect: t.connect, close: t.close, send: t.send, ...breakIt(t) } as ChatTransport;
      },
      server: protocolDouble(mock.backend, mock.server),
      waitMs: 1000,
    });
    return (title: string) => {
      const entry = [...found].find(([name]) => name.includes(title));
      if (!entry) throw new Error(`no check named like "${title}"`);
      return entry[1]();
    };
  };

  const fails = async (run: Promise<void>, pattern: RegExp) => {
    const error = await run.then(() => null, (e: Error) => e);
    expect(error, 'the check must fail').to.be.instanceOf(ConformanceError);
    expect(error!.message).to.match(pattern);
  };

  it('registers every check', () => {
    const found: string[] = [];
    runConformance({ describe: (_n, body) => body(), it: (name) => void found.push(name), makeTransport: () => createTransport(mock.wsUrl), server: protocolDouble(mock.backend, mock.server) });
    expect(found).to.have.length(11);
  });

  it('fails a transport that makes up a new clientId on every send', async () => {
    const run = checks((t) => ({ send: (m, o) => t.send({ ...m, clientId: `${m.clientId}-${Math.random()}` }, o) }));
    await fails(run('clientId sent twice'), /must get the first ack|dedupe/);
    await fails(run("send() resolves with the server's ack"), /must echo/);
  });

  it('fails a transport that delivers events twice', async () => {
    const run = checks((t) => ({ subscribe: (l) => t.subscribe((e) => (l(e), 'seq' in e && l(e))) }));
    await fails(run('server events arrive once'), /once, in increasing order/);
  });

  it('fails a transport that turns errors into acks', async () => {
    const run = checks((t) => ({
      send: (m, o) => t.send(m, o).catch(() => ({ clientId: m.clientId, id: 'fake', seq: 1, at: 0 })),
    }));
    await fails(run('permanent error'), /must reject/);
  });

  it('fails a transport that ignores AbortSignal', async () => {
    const run = checks((t) => ({ send: (m) => t.send(m) }));
    await fails(run('aborted signal'), /must reject/);
  });

  it('fails a transport that keeps delivering after close()', async () => {
    const run = checks((t) => {
      const listeners = new Set<(e: ServerEvent) => void>();
      t.subscribe((e) => listeners.forEach((l) => l(e)));
      return {
        subscribe: (l) => (listeners.add(l), () => listeners.delete(l)),
        // close() forgets to stop the connection
        close: () => {},
      };
    });
    await fails(run('after close()'), /no message may be delivered/);
  });
});
