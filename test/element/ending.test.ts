import { expect, fixture, html } from '@open-wc/testing';
import { ChatHarness, deleteWidgetDatabases, expectAccessible, uniqueUser, until } from '../helpers/harness.js';
import { FakeTransport } from '../helpers/fake-transport.js';
import type { MercariChatSupport } from '../../src/element/mercari-chat-support.js';

/** An open widget (made by `create`, default a floating one) chatting with the operator Sato. */
async function chatting(create = (transport: FakeTransport) => ChatHarness.create({ transport, open: true })) {
  const transport = new FakeTransport();
  const chat = await create(transport);
  await until(() => transport.connects.length === 1, 'never connected');
  transport.emit({ type: 'operator-joined', seq: 1, name: 'Sato' });
  await until(() => chat.phase.includes('Sato'), 'the operator never joined');
  return { chat, transport };
}

/** The phase bar's text, without its buttons. */
const said = (chat: ChatHarness) => chat.$('[part~="phase"] p')?.textContent?.trim();
/** The phase bar's buttons by label. */
const buttons = (chat: ChatHarness) => chat.$$<HTMLButtonElement>('[part~="phase"] button');
const button = (chat: ChatHarness, label: string) => buttons(chat).find((b) => b.textContent!.trim() === label);
const labels = (chat: ChatHarness) => buttons(chat).map((b) => b.textContent!.trim());

/** Focuses the phase bar's `label` button and clicks it, as Enter on it would. */
const press = async (chat: ChatHarness, label: string) => {
  const target = button(chat, label);
  if (!target) throw new Error(`no "${label}" in the phase bar; it shows "${chat.phase}"`);
  target.focus();
  target.click();
  await chat.el.updateComplete;
};

/** Escape pressed where `from` has focus. */
const escape = (from: Element) => from.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true }));

describe('<mercari-chat-support> ending a chat with an operator', () => {
  afterEach(deleteWidgetDatabases);

  it('is accessible while it asks', async () => {
    const { chat } = await chatting();
    await press(chat, 'End chat');
    expect(said(chat)).to.equal('End chat?');
    await expectAccessible(chat.el);
  });

  it('"End chat" asks first: no survey, nothing sent, the question announced and focus on "Keep chatting"', async () => {
    const { chat, transport } = await chatting();
    const announced = chat.recordAnnouncements();
    await press(chat, 'End chat');
    expect(said(chat)).to.equal('End chat?');
    expect(labels(chat)).to.deep.equal(['Keep chatting', 'End chat']);
    expect(chat.$('.survey'), 'no survey yet').to.equal(null);
    expect(chat.$<HTMLFormElement>('form[part~="composer"]')!.hidden, 'the composer stays').to.be.false;
    expect(transport.commands).to.deep.equal([]);
    expect(chat.focused?.textContent?.trim(), 'on the safe answer').to.equal('Keep chatting');
    await until(() => announced.includes('End chat?'), `announced: ${JSON.stringify(announced)}`);
  });

  it('"Keep chatting" goes back to the operator with nothing sent, focus on "End chat"', async () => {
    const { chat, transport } = await chatting();
    await press(chat, 'End chat');
    await press(chat, 'Keep chatting');
    expect(said(chat)).to.equal('You are chatting with Sato.');
    expect(labels(chat)).to.deep.equal(['End chat']);
    expect(chat.focused?.textContent?.trim()).to.equal('End chat');
    expect(chat.$('.survey')).to.equal(null);
    expect(transport.commands).to.deep.equal([]);
  });

  it('ending from the question sends one end and shows the survey, with focus in it', async () => {
    const { chat, transport } = await chatting();
    const phases: string[] = [];
    chat.el.addEventListener('mcs-phase', (e) => phases.push(e.detail.phase));
    await press(chat, 'End chat');
    await press(chat, 'End chat');
    await until(() => chat.$('.survey'), 'no survey');
    await until(() => transport.commands.length, 'the end was not sent');
    expect(transport.commands).to.deep.equal([{ type: 'end' }]);
    expect(phases).to.deep.equal(['ended']);
    await until(() => (chat.focused as HTMLInputElement | null)?.type === 'radio', 'focus left the survey');
  });

  it('takes the question away when the operator ends the chat or leaves meanwhile: it never ends another', async () => {
    const { chat, transport } = await chatting();
    await press(chat, 'End chat');
    transport.emit({ type: 'ended', seq: 2, by: 'operator' });
    await until(() => chat.$('.survey'), 'no survey');
    expect(labels(chat)).to.not.include('Keep chatting');
    await until(() => (chat.focused as HTMLInputElement | null)?.type === 'radio', 'focus did not go to the survey');

    const second = await chatting();
    await press(second.chat, 'End chat');
    second.transport.emit({ type: 'operator-left', seq: 2, name: 'Sato' });
    await until(() => !second.chat.phase, 'the bar stayed');
    expect(second.chat.focused, 'focus went to the composer').to.equal(second.chat.input);
    // A new operator starts a new chat: nothing carried over from the old question.
    second.transport.emit({ type: 'operator-joined', seq: 3, name: 'Aiko' });
    await until(() => second.chat.phase.includes('Aiko'));
    expect(labels(second.chat)).to.deep.equal(['End chat']);
    expect(second.transport.commands).to.deep.equal([]);
    expect(transport.commands).to.deep.equal([]);
  });

  it('Escape answers "no" and keeps the panel open; the next Escape closes it', async () => {
    const { chat, transport } = await chatting();
    await press(chat, 'End chat');
    escape(chat.focused!);
    await chat.el.updateComplete;
    expect(chat.panel.hidden).to.be.false;
    expect(said(chat)).to.equal('You are chatting with Sato.');
    expect(chat.focused?.textContent?.trim()).to.equal('End chat');
    escape(chat.focused!);
    await chat.el.updateComplete;
    expect(chat.panel.hidden).to.be.true;
    expect(transport.commands).to.deep.equal([]);
  });

  it('Escape answers "no" in an inline widget too, which otherwise leaves Escape to the page', async () => {
    const { chat } = await chatting(async (transport) =>
      new ChatHarness(await fixture<MercariChatSupport>(html`<mercari-chat-support position="inline" locale="en" user-id=${uniqueUser()} .transport=${transport}></mercari-chat-support>`)),
    );
    await press(chat, 'End chat');
    let reached = 0;
    const count = () => reached++;
    document.addEventListener('keydown', count);
    try {
      escape(chat.focused!);
      await chat.el.updateComplete;
      expect(said(chat)).to.equal('You are chatting with Sato.');
      expect(reached, 'the answer is not the page’s too').to.equal(0);
      escape(chat.focused!);
      expect(reached, 'without a question, the page has it').to.equal(1);
    } finally {
      document.removeEventListener('keydown', count);
    }
  });

  it('endConversation() ends at once, without asking: the host has decided', async () => {
    const { chat, transport } = await chatting();
    expect(chat.el.endConversation()).to.be.true;
    await chat.el.updateComplete;
    expect(chat.$('.survey'), 'the survey at once').to.exist;
    expect(labels(chat)).to.not.include('Keep chatting');
    await until(() => transport.commands.length, 'the end was not sent');
    expect(transport.commands).to.deep.equal([{ type: 'end' }]);
  });
});
