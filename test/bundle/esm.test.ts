import { expect, fixture, html } from '@open-wc/testing';
import { waitUntil } from '../helpers/wait.js';
import { FakeTransport } from '../helpers/fake-transport.js';

// The published ESM build, imported the way a bundler-less app would (bare imports resolved by the server).
const built = '/dist/index.js';

describe('ESM build', () => {
  it('exports the public API and registers the element on import', async () => {
    const api = await import(/* @vite-ignore */ built);
    expect(api.MercariChatSupport).to.be.a('function');
    expect(api.createTransport).to.be.a('function');
    expect(api.TransportError).to.be.a('function');
    expect(api.parseSchedule('Asia/Tokyo; mon-fri 10:00-18:30').errors).to.deep.equal([]);
    expect(api.parseSchedule('Asia/Tokyo; someday 25:00-26:00').errors).to.have.length(1);
    expect(customElements.get('mercari-chat-support')).to.equal(api.MercariChatSupport);
  });

  it('works with properties and events', async () => {
    await import(/* @vite-ignore */ built);
    const transport = new FakeTransport();
    transport.botReply = (text) => ({ text: `re: ${text}` });
    const el = await fixture<HTMLElement & { send(text: string): string }>(html`<mercari-chat-support open locale="en" .transport=${transport}></mercari-chat-support>`);
    const received: string[] = [];
    el.addEventListener('mcs-message', (e) => received.push((e as CustomEvent<{ text: string }>).detail.text));
    el.send('from npm');
    await waitUntil(() => received.length === 1);
    expect(received).to.deep.equal(['re: from npm']);
  });
});
