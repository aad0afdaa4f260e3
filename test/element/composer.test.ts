import { expect } from '@open-wc/testing';
import { ChatHarness, deleteWidgetDatabases } from '../helpers/harness.js';
import { FakeTransport } from '../helpers/fake-transport.js';

const typeText = async (chat: ChatHarness, text: string) => {
  chat.input.value = text;
  chat.input.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
  await chat.el.updateComplete;
};

describe('<mercari-chat-support> composer', () => {
  afterEach(() => deleteWidgetDatabases());

  it('limits the length and shows a counter near the limit, tied to the field', async () => {
    const chat = await ChatHarness.create({ transport: new FakeTransport(), open: true });
    const counter = chat.$('#count')!;
    expect(chat.input.maxLength).to.equal(5000);
    expect(chat.input.getAttribute('aria-describedby')).to.equal('count');

    await typeText(chat, 'x'.repeat(4499));
    expect(counter.hidden, 'hidden far from the limit').to.be.true;
    await typeText(chat, 'x'.repeat(4700));
    expect(counter.hidden).to.be.false;
    expect(counter.textContent).to.equal('4,700 / 5,000 characters');

    await chat.type('x'.repeat(4700));
    expect(counter.hidden, 'reset after sending').to.be.true;
  });
});
