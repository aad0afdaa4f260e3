import { protocolDouble, runConformance, type ServerDouble } from '../../src/testing/conformance.js';
import { createTransport } from '../../src/transport/index.js';
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
