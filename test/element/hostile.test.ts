import { expect } from '@open-wc/testing';
import { waitUntil } from '../helpers/wait.js';
import { ChatHarness, deleteWidgetDatabases } from '../helpers/harness.js';
import { FakeTransport } from '../helpers/fake-transport.js';

/** A few of test/render's hostile inputs, now through the whole element as every role. */
const HOSTILE = [
  '<script>window.__pwned = 1</script>',
  '<img src=x onerror="window.__pwned = 2">',
  '[click me](javascript:window.__pwned=3)',
  '[jp.mercari.com](https://evil.example/)',
  '<svg onload="window.__pwned=4"><math><mi xlink:href="javascript:1">',
  '<iframe src="javascript:window.__pwned=5"></iframe><object data="x"></object><embed src="x">',
  '&#106;avascript:window.__pwned=6',
  'invoice\u202Egnp.exe \u0000 zero\u200Bwidth 👩‍👩‍👧 مرحبا',
  '<a href="java\tscript:window.__pwned=7" style="color:red" onclick="window.__pwned=8">x</a>',
];

describe('<mercari-chat-support> with hostile content', () => {
  afterEach(() => deleteWidgetDatabases());

  it('renders hostile bot, operator, user, card and file text as text, with only safe links', async () => {
    const transport = new FakeTransport();
    const chat = await ChatHarness.create({ transport, open: true });
    await waitUntil(() => transport.connects.length === 1);
    for (const text of HOSTILE) {
      transport.say({ role: 'bot', text, articles: [{ title: text, url: 'javascript:window.__pwned=9', summary: text }] });
      transport.say({ role: 'operator', author: text, text, attachments: [{ url: 'javascript:window.__pwned=10', type: 'image/svg+xml', name: text, size: 1 }] });
      await chat.type(text);
    }
    await waitUntil(() => transport.sent.length === HOSTILE.length, 'not every hostile message was sent', { timeout: 5000 });
    await waitUntil(() => chat.$$('.msg.user').length >= 4);
    await new Promise((resolve) => setTimeout(resolve, 50));

    const root = chat.el.shadowRoot!;
    expect((window as { __pwned?: number }).__pwned, 'canary').to.be.undefined;
    expect(root.querySelector('script, iframe, object, embed, svg:not([aria-hidden]) , math, style')).to.be.null;
    for (const el of root.querySelectorAll('*')) {
      for (const attr of el.getAttributeNames()) expect(attr, `${el.tagName} has ${attr}`).not.to.match(/^on/);
      if (el.hasAttribute('style')) expect.fail(`${el.tagName} has a style attribute`);
    }
    for (const a of root.querySelectorAll('a')) {
      expect(['https:', 'http:', 'mailto:', 'tel:', 'blob:']).to.include(a.protocol);
      expect(a.rel).to.equal('noopener noreferrer');
      expect(a.target).to.equal('_blank');
    }
    // The text stays visible as text: nothing is silently dropped.
    expect(root.textContent).to.contain('<script>window.__pwned = 1</script>');
    expect(root.textContent).to.contain('https://evil.example/');
    expect(root.textContent).not.to.contain('\u202E');
  });
});
