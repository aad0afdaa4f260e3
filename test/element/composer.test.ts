import { expect } from '@open-wc/testing';
import sinon from 'sinon';
import { ChatHarness, deleteWidgetDatabases } from '../helpers/harness.js';
import { FakeTransport } from '../helpers/fake-transport.js';
import { until } from '../helpers/wait.js';

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

    await typeText(chat, 'x'.repeat(4499));
    expect(counter.hidden, 'hidden far from the limit').to.be.true;
    // A hidden description is still read out: it would say "0 / 5,000" whatever was typed.
    expect(chat.input.hasAttribute('aria-describedby'), 'no stale count read out').to.be.false;
    await typeText(chat, 'x'.repeat(4700));
    expect(counter.hidden).to.be.false;
    expect(counter.textContent).to.equal('4,700 / 5,000 characters');
    expect(chat.input.getAttribute('aria-describedby')).to.equal('count');

    await chat.type('x'.repeat(4700));
    expect(counter.hidden, 'reset after sending').to.be.true;
    expect(chat.input.hasAttribute('aria-describedby')).to.be.false;
  });

  it('re-renders nothing while typing far from the limit, and follows the count near it', async () => {
    const chat = await ChatHarness.create({ transport: new FakeTransport(), open: true });
    const renders = sinon.spy(chat.el as unknown as { render(): unknown }, 'render');
    for (const text of ['h', 'he', 'hel', 'hell', 'hello']) await typeText(chat, text);
    expect(renders.callCount).to.equal(0);
    await typeText(chat, 'x'.repeat(4600));
    await typeText(chat, 'x'.repeat(4601));
    expect(renders.callCount).to.equal(2);
    expect(chat.$('#count')!.textContent).to.equal('4,601 / 5,000 characters');
    await typeText(chat, 'short again');
    expect(chat.$('#count')!.hidden, 'hidden once back under the threshold').to.be.true;
  });

  it('its other buttons never send the draft: a vetoed "talk to an operator" leaves it where it was', async () => {
    const transport = new FakeTransport();
    const chat = await ChatHarness.create({ transport, open: true });
    // A host that routes hand-offs elsewhere (documented: cancel mcs-request-operator).
    chat.el.addEventListener('mcs-request-operator', (event) => event.preventDefault());
    await until(() => chat.$('[part~="ask-operator"]'), 'no way to ask for an operator');
    await typeText(chat, 'half-typed draft');
    chat.$<HTMLButtonElement>('[part~="ask-operator"]')!.click();
    await chat.el.updateComplete;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(transport.sent).to.deep.equal([]);
    expect(chat.bubbles).to.deep.equal([]);
    expect(chat.input.value).to.equal('half-typed draft');
  });
});
