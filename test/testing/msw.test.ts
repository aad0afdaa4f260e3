import { expect } from '@open-wc/testing';
import { mswHandlers } from '../../src/testing/msw.js';
import { mockServer, quietBackend } from '../transport/helpers.js';

describe('mswHandlers', () => {
  it('serves only the endpoints it is given, and exposes its protocol server', () => {
    const backend = quietBackend();
    expect(mswHandlers(backend, { wsUrl: 'wss://a.test/v1' })).to.have.length(1);
    expect(mswHandlers(backend, { httpUrl: 'https://a.test/v1' })).to.have.length(3);
    const both = mswHandlers(backend, { wsUrl: 'wss://a.test/v1', httpUrl: 'https://a.test/v1' });
    expect(both).to.have.length(4);
    expect(both.server.faults.drop).to.be.a('function');
    backend.dispose();
  });

  it('serves frames, an event stream and uploads over fetch', async () => {
    const mock = await mockServer();
    try {
      const welcome = await (await fetch(mock.httpUrl, { method: 'POST', body: JSON.stringify({ type: 'hello', v: 1, conversationId: null, cursor: 0, locale: 'ja' }) })).json();
      expect(welcome).to.include({ type: 'welcome', v: 1 });
      const ac = new AbortController();
      const res = await fetch(`${mock.httpUrl}?conversationId=${welcome.conversationId}`, { signal: ac.signal });
      expect(res.headers.get('content-type')).to.equal('text/event-stream');
      const { value } = await res.body!.pipeThrough(new TextDecoderStream()).getReader().read();
      expect(value).to.match(/^id: 1\ndata: /);
      ac.abort();
      const up = await fetch(`${mock.httpUrl}/upload?name=x.txt`, { method: 'POST', body: 'hello' });
      expect((await up.json()).url).to.match(/x\.txt$/);
      mock.server.faults.loseAcks(1);
      const lost = await fetch(mock.httpUrl, {
        method: 'POST',
        body: JSON.stringify({ type: 'message', clientId: 'k', conversationId: welcome.conversationId, text: 'x', createdAt: 0 }),
      }).catch((e: Error) => e);
      expect(lost).to.be.instanceOf(TypeError);
    } finally {
      mock.stop();
    }
  });

  it('delivers a frame sent just before the server closes the socket', async () => {
    const mock = await mockServer();
    try {
      mock.server.faults.authFail(1);
      const ws = new WebSocket(mock.wsUrl);
      const got: string[] = [];
      ws.onmessage = (m) => got.push(JSON.parse(m.data as string).type);
      await new Promise((r) => (ws.onopen = r));
      ws.send(JSON.stringify({ type: 'hello', v: 1, conversationId: null, cursor: 0, locale: 'ja' }));
      await new Promise((r) => (ws.onclose = r));
      expect(got).to.deep.equal(['auth-failed']);
    } finally {
      mock.stop();
    }
  });
});
