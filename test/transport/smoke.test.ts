import { expect } from '@open-wc/testing';
import { createTransport } from '../../src/transport/index.js';
import { collect, mockServer, until } from './helpers.js';

for (const scheme of ['ws', 'http'] as const) {
  describe(`smoke ${scheme}`, () => {
    it('connects, sends and hears the bot', async () => {
      const mock = await mockServer();
      const t = createTransport(scheme === 'ws' ? mock.wsUrl : mock.httpUrl);
      const c = collect(t);
      const s = await t.connect({ conversationId: null, cursor: 0, locale: 'en', signal: new AbortController().signal });
      expect(s.conversationId).to.be.a('string');
      const ack = await t.send({ clientId: 'k1', conversationId: s.conversationId, text: 'shipping', createdAt: 1 });
      expect(ack.clientId).to.equal('k1');
      await until(() => c.messages().some((m) => m.role === 'bot' && m.clientId === undefined && c.messages().length >= 3));
      expect(c.seqs()).to.deep.equal([1, 2, 3]);
      t.close();
      mock.stop();
    });
  });
}
