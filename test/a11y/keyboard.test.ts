import { expect } from '@open-wc/testing';
import { sendKeys, setViewport } from '@web/test-runner-commands';
import { ChatHarness, deleteWidgetDatabases, NOON_JST } from '../helpers/harness.js';
import { FakeTransport } from '../helpers/fake-transport.js';
import { connected, nextSeq, waitUntil } from './states.js';

/** Presses a key, or a Shift+key chord (puppeteer's press takes one key). */
async function press(key: string) {
  const [shift, k] = key.startsWith('Shift+') ? [true, key.slice(6)] : [false, key];
  if (shift) await sendKeys({ down: 'Shift' });
  await sendKeys({ press: k });
  if (shift) await sendKeys({ up: 'Shift' });
}

/** What a screen reader would call the focused control, roughly: its aria-label, label, part or text. */
const nameOf = (el: HTMLElement) =>
  el.getAttribute('aria-label') ?? (el.closest('label') ?? (el.id && el.getRootNode() !== document ? (el.getRootNode() as ShadowRoot).querySelector(`label[for="${el.id}"]`) : null))?.textContent?.trim() ?? el.textContent?.trim();

/** A short description of the focused element, for readable failures. */
function describeFocus(chat: ChatHarness): string {
  const el = chat.focused as HTMLElement | null;
  if (!el) return document.activeElement === chat.el ? 'host without inner focus' : `outside: ${document.activeElement?.id || document.activeElement?.tagName}`;
  return `${el.tagName.toLowerCase()} "${nameOf(el)}"`;
}

// Focus is compared as text: a failed chai comparison of two live elements would try to print them whole.
const COMPOSER = 'textarea "Message"';
const LAUNCHER = 'button "Chat support"';

describe('keyboard only', () => {
  let after: HTMLButtonElement;
  beforeEach(() => {
    after = Object.assign(document.createElement('button'), { id: 'after', textContent: 'Host page button' });
  });
  afterEach(async () => {
    after.remove();
    await deleteWidgetDatabases();
  });

  async function setup() {
    const transport = new FakeTransport();
    transport.botReply = (text) => ({
      text: `Bot: ${text}`,
      quickReplies: [
        { id: 'ship', label: 'Shipping' },
        { id: 'pay', label: 'Payment' },
      ],
    });
    const chat = await ChatHarness.create({ transport, now: () => NOON_JST });
    chat.el.after(after);
    return { chat, transport };
  }

  it('opens, types, sends, picks a quick reply, asks for an operator, ends, rates and closes', async () => {
    const { chat, transport } = await setup();
    const focus = () => describeFocus(chat);

    // Open from the launcher: focus lands in the composer.
    chat.launcher.focus();
    await press('Enter');
    await waitUntil(() => chat.focused === chat.input, `focus after opening: ${focus()}`);
    expect(chat.launcher.getAttribute('aria-expanded')).to.equal('true');
    await connected(chat, transport);

    // Type and send with Enter; focus stays in the composer.
    await sendKeys({ type: 'Where is my parcel?' });
    await press('Enter');
    await chat.waitForBubble('Bot: Where is my parcel?');
    expect(transport.sent.map((m) => m.text)).to.deep.equal(['Where is my parcel?']);
    expect(chat.input.value).to.equal('');
    expect(focus()).to.equal(COMPOSER);

    // The quick replies come right before the composer (the attach button between).
    await press('Shift+Tab');
    expect(focus()).to.equal('input "Attach a photo"');
    await press('Shift+Tab');
    expect(chat.focused?.textContent?.trim(), focus()).to.equal('Payment');
    await press('Shift+Tab');
    expect(chat.focused?.textContent?.trim(), focus()).to.equal('Shipping');
    await press('Enter');
    await chat.waitForBubble('Bot: Shipping');
    expect(transport.sent.map((m) => m.text)).to.deep.equal(['Where is my parcel?', 'Shipping']);
    expect(focus(), 'after a quick reply').to.equal(COMPOSER);

    // Send, then "Talk to an operator"; the button goes away and focus returns to the composer.
    await press('Tab');
    expect(focus()).to.equal('button "Send"');
    await press('Tab');
    expect(chat.focused?.getAttribute('part'), focus()).to.equal('ask-operator');
    await press('Enter');
    await waitUntil(() => transport.commands.some((c) => c.type === 'request-operator'), 'no operator request');
    await waitUntil(() => chat.focused === chat.input, `after asking: ${focus()}`);
    transport.emit({ type: 'queue', seq: nextSeq(), position: 1 });
    transport.emit({ type: 'operator-joined', seq: nextSeq(), name: 'Aiko' });
    await waitUntil(() => /Aiko/.test(chat.phase));
    expect(focus(), 'focus kept while the operator joins').to.equal(COMPOSER);

    // "End chat" sits in the phase bar above the composer.
    await press('Shift+Tab');
    await press('Shift+Tab');
    expect(chat.focused?.textContent?.trim(), focus()).to.equal('End chat');
    // It asks first, with focus on the safe answer; Escape answers it, and focus stays in the bar.
    await press('Enter');
    await waitUntil(() => chat.focused?.textContent?.trim() === 'Keep chatting', `asking: ${focus()}`);
    await press('Escape');
    await waitUntil(() => chat.focused?.textContent?.trim() === 'End chat', `after Escape: ${focus()}`);
    expect(chat.panel.hidden, 'Escape only answered the question').to.be.false;
    await press('Enter');
    await waitUntil(() => chat.focused?.textContent?.trim() === 'Keep chatting', `asking again: ${focus()}`);
    await press('Tab');
    expect(chat.focused?.textContent?.trim(), focus()).to.equal('End chat');
    expect(transport.commands.some((c) => c.type === 'end'), 'nothing ended before the answer').to.be.false;
    await press('Enter');
    await waitUntil(() => chat.$('.survey'));
    await waitUntil(() => (chat.focused as HTMLInputElement | null)?.type === 'radio', `survey focus: ${focus()}`);
    expect(chat.focused?.getAttribute('aria-label')).to.equal('1 out of 5');

    // Rate with the arrow keys, comment, and send.
    for (let i = 0; i < 4; i++) await press('ArrowRight');
    expect((chat.focused as HTMLInputElement).value, focus()).to.equal('5');
    expect((chat.focused as HTMLInputElement).checked).to.be.true;
    await press('Tab');
    expect(chat.focused?.getAttribute('name'), focus()).to.equal('comment');
    await sendKeys({ type: 'Quick and kind' });
    await press('Tab');
    expect(chat.focused?.textContent?.trim(), focus()).to.equal('Start a new conversation');
    await press('Tab');
    expect(chat.focused?.textContent?.trim(), focus()).to.equal('Send feedback');
    await press('Enter');
    await waitUntil(() => transport.commands.some((c) => c.type === 'rate'), 'not rated');
    expect(transport.commands.find((c) => c.type === 'rate')).to.deep.equal({ type: 'rate', score: 5, comment: 'Quick and kind' });
    await waitUntil(() => chat.focused?.textContent?.trim() === 'Start a new conversation', `after rating: ${focus()}`);

    // Escape closes and focus returns to the launcher.
    await press('Escape');
    await waitUntil(() => chat.panel.hidden);
    expect(focus()).to.equal(LAUNCHER);
    expect(chat.launcher.getAttribute('aria-expanded')).to.equal('false');
  });

  it('tabs through the panel in reading order and out to the page (no trap)', async () => {
    const { chat, transport } = await setup();
    chat.launcher.focus();
    await press('Enter');
    await connected(chat, transport);
    await sendKeys({ type: 'hi' });
    await press('Enter');
    await chat.waitForBubble('Bot: hi');
    chat.launcher.focus();
    const order: string[] = [];
    for (let i = 0; i < 12 && document.activeElement !== after; i++) {
      await press('Tab');
      const el = chat.focused as HTMLElement | null;
      order.push(el ? nameOf(el)! : (document.activeElement as HTMLElement).id);
    }
    expect(order, `hasFocus ${document.hasFocus()}`).to.deep.equal(['Close chat', 'Conversation', 'Shipping', 'Payment', 'Attach a photo', 'Message', 'Send', 'Talk to an operator', 'after']);
    // And back again.
    await press('Shift+Tab');
    expect(chat.focused?.getAttribute('part')).to.equal('ask-operator');
  });

  it('keeps Tab inside the panel where it covers the page (a phone), both ways', async () => {
    const before = Object.assign(document.createElement('button'), { textContent: 'Host page button before' });
    await setViewport({ width: 390, height: 844 });
    try {
      const { chat, transport } = await setup();
      chat.el.before(before);
      chat.launcher.focus();
      await press('Enter');
      await connected(chat, transport);
      chat.$<HTMLButtonElement>('.send')!.focus();
      const order: string[] = [];
      for (let i = 0; i < 3; i++) {
        await press('Tab');
        order.push(describeFocus(chat));
      }
      expect(order).to.deep.equal(['button "Talk to an operator"', 'button "Close chat"', 'div "Conversation"']);
      await press('Shift+Tab');
      await press('Shift+Tab');
      expect(describeFocus(chat)).to.equal('button "Talk to an operator"');
    } finally {
      before.remove();
      await setViewport({ width: 800, height: 600 });
    }
  });

  it('closes from the header button and returns focus to the launcher', async () => {
    const { chat, transport } = await setup();
    chat.launcher.focus();
    await press('Enter');
    await connected(chat, transport);
    await press('Shift+Tab');
    await press('Shift+Tab');
    await press('Shift+Tab');
    expect(describeFocus(chat), `hasFocus ${document.hasFocus()}`).to.equal('button "Close chat"');
    await press('Enter');
    await waitUntil(() => chat.panel.hidden);
    expect(describeFocus(chat)).to.equal(LAUNCHER);
  });

  it('keeps Escape for the IME while composing', async () => {
    const { chat } = await setup();
    await chat.openPanel();
    chat.input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', isComposing: true, bubbles: true, composed: true }));
    await chat.el.updateComplete;
    expect(chat.panel.hidden).to.be.false;
  });

  it('moves focus to the composer when the focused control disappears (Retry on a failed message)', async () => {
    const { chat, transport } = await setup();
    await chat.openPanel();
    await connected(chat, transport);
    transport.sendBehaviour = 'reject-permanent';
    await chat.type('rejected');
    await waitUntil(() => chat.$('.msg.failed button'));
    transport.sendBehaviour = 'ack';
    chat.$<HTMLButtonElement>('.msg.failed button')!.focus();
    await press('Enter');
    await waitUntil(() => !chat.$('.msg.failed'));
    await waitUntil(() => chat.focused === chat.input, describeFocus(chat));
  });

  it('reaches new messages from the "new messages" button, then returns to the composer', async () => {
    const { chat, transport } = await setup();
    await chat.openPanel();
    await connected(chat, transport);
    for (let i = 0; i < 30; i++) transport.say({ text: `old ${i}` });
    await chat.waitForBubble('old 29');
    const log = chat.$('.log')!;
    log.scrollTop = log.scrollHeight - log.clientHeight - 300;
    await chat.el.updateComplete;
    transport.say({ text: 'fresh' });
    await waitUntil(() => chat.$('.jump'), 'no "new messages" button');
    expect(chat.$('.jump')!.textContent!.trim()).to.equal('New messages (1) ↓');
    chat.$<HTMLButtonElement>('.jump')!.focus();
    await press('Enter');
    await waitUntil(() => !chat.$('.jump'));
    await waitUntil(() => log.scrollHeight - log.scrollTop - log.clientHeight < 2, 'not scrolled to the newest message');
    await waitUntil(() => describeFocus(chat) === COMPOSER, describeFocus(chat));
  });
});
