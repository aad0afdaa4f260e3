import { expect } from '@open-wc/testing';
import { remoteServer } from './remote.js';

describe('test server', () => {
  it('answers hello over WebSocket with welcome and the greeting', async () => {
    const server = await remoteServer();
    const ws = new WebSocket(server.wsUrl);
    const frames: { type: string }[] = [];
    ws.onmessage = (m) => frames.push(JSON.parse(m.data as string));
    await new Promise((r) => (ws.onopen = r));
    ws.send(JSON.stringify({ type: 'hello', v: 1, conversationId: null, cursor: 0, locale: 'en' }));
    while (frames.length < 2) await new Promise((r) => setTimeout(r, 5));
    expect(frames.map((f) => f.type)).to.deep.equal(['welcome', 'event']);
    ws.close();
    await server.stop();
  });

  it('streams events over SSE and reports faults', async () => {
    const server = await remoteServer();
    await server.faults.fail(1, { on: 'hello', retryAfter: 3 });
    const hello = JSON.stringify({ type: 'hello', v: 1, conversationId: null, cursor: 0, locale: 'ja' });
    const refused = await fetch(server.httpUrl, { method: 'POST', body: hello });
    expect(refused.status).to.equal(503);
    expect(refused.headers.get('retry-after')).to.equal('3');
    const welcome = await (await fetch(server.httpUrl, { method: 'POST', body: hello })).json();
    expect(welcome.type).to.equal('welcome');
    const ac = new AbortController();
    const res = await fetch(`${server.httpUrl}?conversationId=${welcome.conversationId}`, { signal: ac.signal, headers: { 'last-event-id': '0' } });
    expect(res.headers.get('content-type')).to.equal('text/event-stream');
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    const { value } = await reader.read();
    expect(value).to.match(/^id: 1\ndata: \{"type":"event"/);
    ac.abort();
    const stats = await server.stats();
    expect(stats.requests.map((r) => r.kind)).to.deep.equal(['hello', 'hello', 'events']);
    await server.stop();
  });
});
