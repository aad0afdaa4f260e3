/**
 * Using the element from plain TypeScript, no framework: the tag map gives the element's type,
 * the event map gives each `mcs-*` event's detail, and nothing needs a cast.
 */
import { expect } from '@open-wc/testing';
import { waitUntil as wait } from '../helpers/wait.js';
import '../../src/index.js';
import type { ChatTransport, MercariChatSupport } from '../../src/index.js';
import { FakeTransport } from '../helpers/fake-transport.js';

/** Waits for a condition; generous, since a loaded CI machine can take a while to run the send pipeline. */
const waitUntil = (condition: () => unknown, message?: string) => wait(condition, message, { timeout: 5000 });

describe('plain TypeScript', () => {
  let el: MercariChatSupport;

  afterEach(() => el?.remove());

  it('creates, configures and listens to the element with full types', async () => {
    const fake = new FakeTransport();
    fake.botReply = (text) => ({ text: `re: ${text}` });
    const transport: ChatTransport = fake;
    el = document.createElement('mercari-chat-support');
    // Each test its own user: one user's tabs (and test pages) share one sender.
    el.userId = `ts-${crypto.randomUUID()}`;
    el.transport = transport;
    el.context = { orderId: 'm123' };
    el.locale = 'en';
    const messages: string[] = [];
    const sent: string[] = [];
    el.addEventListener('mcs-message', (event) => messages.push(event.detail.text));
    el.addEventListener('mcs-message-sent', (event) => sent.push(event.detail.clientId));
    document.body.append(el);
    el.show();
    await el.updateComplete;

    const clientId = await el.send('hello from TypeScript');
    await waitUntil(() => messages.length === 1 && sent.length === 1);
    expect(messages).to.deep.equal(['re: hello from TypeScript']);
    expect(sent).to.deep.equal([clientId]);
    expect(fake.connects[0].context).to.deep.equal({ orderId: 'm123' });
  });

  it('lets the host veto a request for an operator (cancelable mcs-request-operator)', async () => {
    const fake = new FakeTransport();
    el = document.createElement('mercari-chat-support');
    el.userId = `ts-${crypto.randomUUID()}`;
    el.transport = fake;
    el.locale = 'en';
    el.addEventListener('mcs-request-operator', (event) => event.preventDefault());
    document.body.append(el);
    el.show();
    await waitUntil(() => fake.connects.length === 1);

    expect(el.requestOperator()).to.equal(false);
    expect(fake.commands).to.deep.equal([]);
  });
});
