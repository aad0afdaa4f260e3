import { expect } from '@open-wc/testing';
import { decodeClientFrame, decodeFrame, MAX_FRAME } from '../../src/transport/protocol.js';

const message = { id: 'm1', role: 'bot', text: 'hi', at: 1 };
const ev = (event: object) => JSON.stringify({ type: 'event', event });

describe('decodeFrame', () => {
  const valid: [string, string][] = [
    ['welcome', JSON.stringify({ type: 'welcome', v: 1, conversationId: 'c1', heartbeat: 15000 })],
    ['welcome without v', JSON.stringify({ type: 'welcome', conversationId: 'c1', heartbeat: 0 })],
    ['ack', JSON.stringify({ type: 'ack', clientId: 'k', id: 'm1', seq: 3, at: 9 })],
    ['result', JSON.stringify({ type: 'result', id: 'r1' })],
    ['error for a message', JSON.stringify({ type: 'error', code: 'too-large', message: 'x', retryable: false, clientId: 'k' })],
    ['error with retryAfter', JSON.stringify({ type: 'error', code: 'unavailable', message: 'x', retryable: true, retryAfter: 2000 })],
    ['pong', '{"type":"pong"}'],
    ['auth-failed', '{"type":"auth-failed"}'],
    ['message event', ev({ type: 'message', seq: 1, message })],
    ['message with extras', ev({ type: 'message', seq: 1, message: { ...message, role: 'operator', author: 'Sato', quickReplies: [{ id: 'q', label: 'L', action: 'operator' }], articles: [{ title: 't', url: 'https://a' }], attachments: [{ url: 'u', type: 'image/png', name: 'n', size: 1 }] } })],
    ['typing', ev({ type: 'typing', role: 'operator', active: true, name: 'Sato' })],
    ['queue', ev({ type: 'queue', seq: 2, position: 3, etaSeconds: 60 })],
    ['operator-joined', ev({ type: 'operator-joined', seq: 2, name: 'Sato' })],
    ['operator-left', ev({ type: 'operator-left', seq: 2 })],
    ['ended', ev({ type: 'ended', seq: 2, by: 'operator' })],
    ['hours', ev({ type: 'hours', seq: 2, override: { state: 'closed' } })],
    ['ticket', ev({ type: 'ticket', seq: 2, id: 'T1' })],
    ['unknown extra fields', JSON.stringify({ type: 'pong', later: { x: 1 } })],
  ];
  for (const [name, text] of valid) {
    it(`accepts ${name}`, () => {
      const reasons: string[] = [];
      expect(decodeFrame(text, (r) => reasons.push(r))).to.deep.equal(JSON.parse(text));
      expect(reasons).to.deep.equal([]);
    });
  }

  const refused: [string, string][] = [
    ['malformed JSON', '{"type":'],
    ['an empty string', ''],
    ['an array', '[1]'],
    ['null', 'null'],
    ['a number', '42'],
    ['a frame without type', '{"seq":1}'],
    ['a non-string type', '{"type":7}'],
    ['an ack without seq', JSON.stringify({ type: 'ack', clientId: 'k', id: 'm', at: 1 })],
    ['an ack with a string seq', JSON.stringify({ type: 'ack', clientId: 'k', id: 'm', seq: '3', at: 1 })],
    ['a welcome with a null conversation', JSON.stringify({ type: 'welcome', conversationId: null, heartbeat: 1 })],
    ['an error without retryable', JSON.stringify({ type: 'error', code: 'x', message: 'm' })],
    ['an error with a numeric clientId', JSON.stringify({ type: 'error', code: 'x', message: 'm', retryable: true, clientId: 4 })],
    ['an event without event', '{"type":"event"}'],
    ['an event that is an array', '{"type":"event","event":[]}'],
    ['a message event without message', ev({ type: 'message', seq: 1 })],
    ['a message without text', ev({ type: 'message', seq: 1, message: { id: 'm', role: 'bot', at: 1 } })],
    ['a message with an unknown role', ev({ type: 'message', seq: 1, message: { ...message, role: 'admin' } })],
    ['a message with a NaN-like seq', ev({ type: 'message', seq: null, message })],
    ['quick replies that are not an array', ev({ type: 'message', seq: 1, message: { ...message, quickReplies: {} } })],
    ['a quick reply without a label', ev({ type: 'message', seq: 1, message: { ...message, quickReplies: [{ id: 'q' }] } })],
    ['an article without a url', ev({ type: 'message', seq: 1, message: { ...message, articles: [{ title: 't' }] } })],
    ['an attachment with a string size', ev({ type: 'message', seq: 1, message: { ...message, attachments: [{ url: 'u', type: 't', name: 'n', size: '1' }] } })],
    ['a queue without position', ev({ type: 'queue', seq: 1 })],
    ['typing without active', ev({ type: 'typing', role: 'bot' })],
    ['an optional field of the wrong type', ev({ type: 'queue', seq: 1, position: 1, etaSeconds: 'soon' })],
    ['an hours override ending at a date string', ev({ type: 'hours', seq: 1, override: { state: 'closed', until: '2026-03-05T01:00:00Z' } })],
    ['an hours override with a numeric reason', ev({ type: 'hours', seq: 1, override: { state: 'closed', reason: 7 } })],
    // JSON.parse reads these as ±Infinity, which JSON.stringify writes back as null.
    ['a seq too large for a number', '{"type":"event","event":{"type":"queue","seq":1e999,"position":1}}'],
    ['an ack with a seq too small for a number', '{"type":"ack","clientId":"k","id":"m","seq":-1e999,"at":1}'],
  ];
  for (const [name, text] of refused) {
    it(`refuses and reports ${name}`, () => {
      const reasons: string[] = [];
      expect(decodeFrame(text, (r) => reasons.push(r))).to.equal(null);
      expect(reasons).to.have.length(1);
    });
  }

  for (const [name, text] of [
    ['an unknown frame type', '{"type":"presence","who":"x"}'],
    ['an unknown event type', ev({ type: 'reaction', seq: 4, emoji: '👍' })],
    ['a client frame', '{"type":"ping"}'],
  ]) {
    it(`skips ${name} silently`, () => {
      const reasons: string[] = [];
      expect(decodeFrame(text!, (r) => reasons.push(r))).to.equal(null);
      expect(reasons).to.deep.equal([]);
    });
  }

  it('refuses frames over the size limit without parsing them, and takes a custom limit', () => {
    const reasons: string[] = [];
    const big = `{"type":"pong","pad":"${'x'.repeat(MAX_FRAME)}"}`;
    expect(decodeFrame(big, (r) => reasons.push(r))).to.equal(null);
    expect(decodeFrame('{"type":"pong"}', (r) => reasons.push(r), 10)).to.equal(null);
    expect(reasons.map((r) => /^over \d+ chars$/.test(r))).to.deep.equal([true, true]);
    expect(decodeFrame('{"type":"pong"}', undefined, 15)).to.deep.equal({ type: 'pong' });
  });

  it('never throws, whatever the input', () => {
    for (const text of ['{"type":"event","event":null}', '{"type":"event","event":{"type":"message","seq":1,"message":null}}', '{"__proto__":{"type":"pong"}}', '\u0000', '{"type":"toString"}', '{"type":"constructor"}']) {
      expect(() => decodeFrame(text)).not.to.throw();
    }
    expect(decodeFrame('{"type":"toString"}')).to.equal(null);
  });
});

describe('decodeClientFrame', () => {
  it('accepts every client frame', () => {
    for (const frame of [
      { type: 'hello', v: 1, conversationId: null, cursor: 0, locale: 'ja' },
      { type: 'hello', v: 1, conversationId: 'c1', cursor: 9, locale: 'en', context: { a: 1 }, token: 't' },
      { type: 'message', clientId: 'k', conversationId: 'c1', text: 'hi', createdAt: 1 },
      { type: 'command', id: 'r', conversationId: 'c1', command: { type: 'end' } },
      { type: 'typing', conversationId: 'c1', active: false },
      { type: 'ping' },
    ]) {
      expect(decodeClientFrame(JSON.stringify(frame))).to.deep.equal(frame);
    }
  });

  it('refuses incomplete client frames', () => {
    for (const frame of [
      { type: 'hello', v: 1, cursor: 0, locale: 'ja' },
      { type: 'hello', v: 1, conversationId: 5, cursor: 0, locale: 'ja' },
      { type: 'message', clientId: 'k', conversationId: 'c1', createdAt: 1 },
      { type: 'message', clientId: 'k', conversationId: 'c1', text: 'x', createdAt: 1, attachments: [{}] },
      { type: 'command', id: 'r', conversationId: 'c1', command: {} },
      { type: 'typing', conversationId: 'c1' },
    ]) {
      const reasons: string[] = [];
      expect(decodeClientFrame(JSON.stringify(frame), (r) => reasons.push(r)), JSON.stringify(frame)).to.equal(null);
      expect(reasons).to.have.length(1);
    }
  });
});
