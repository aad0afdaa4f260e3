import { expect } from '@open-wc/testing';
import { waitUntil } from '../helpers/wait.js';
import { remoteServer, type RemoteServer } from '../server/remote.js';
import type { MercariChatSupport } from '../../src/element/mercari-chat-support.js';

interface CspWindow extends Window {
  violations: string[];
  MercariChatSupport?: unknown;
}

/** Loads the host page in an iframe; the page's own scripts are the only ones that may run there. */
async function hostPage(): Promise<{ win: CspWindow; chat: MercariChatSupport }> {
  const frame = document.createElement('iframe');
  frame.style.cssText = 'width: 800px; height: 700px';
  frame.src = '/test/csp/page.html';
  document.body.append(frame);
  await new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
  const win = frame.contentWindow as CspWindow;
  const chat = win.document.querySelector('mercari-chat-support') as MercariChatSupport;
  await waitUntil(() => chat.shadowRoot, 'the element never upgraded under the CSP');
  return { win, chat };
}

const text = (chat: MercariChatSupport) => chat.shadowRoot!.textContent ?? '';
const click = (chat: MercariChatSupport, selector: string, label?: string) => {
  const button = [...chat.shadowRoot!.querySelectorAll<HTMLElement>(selector)].find((b) => !label || b.textContent?.includes(label));
  if (!button) throw new Error(`no ${selector} ${label ?? ''}`);
  button.click();
};
const type = async (chat: MercariChatSupport, value: string) => {
  const input = chat.shadowRoot!.querySelector('textarea')!;
  input.value = value;
  input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, composed: true, cancelable: true }));
};

describe('strict Content-Security-Policy with Trusted Types', () => {
  let server: RemoteServer;
  beforeEach(async () => {
    server = await remoteServer({ backend: { open: true, simulateOperator: true, queueStepMs: 100, operatorReplyMs: 50, botDelayMs: 0 } });
  });
  afterEach(() => server.stop());

  it('runs a whole conversation with zero violations', async () => {
    const { win, chat } = await hostPage();
    chat.userId = `csp-${crypto.randomUUID()}`;
    // Noon in Tokyo, whatever the real time: operators are in and closing is far away.
    const noon = Date.UTC(2026, 10, 23, 3, 0);
    const t0 = Date.now();
    chat.now = () => noon + (Date.now() - t0);
    chat.endpoint = server.wsUrl;
    chat.show();
    await waitUntil(() => text(chat).includes('Shipping'), 'no greeting', { timeout: 5000 });

    await type(chat, 'How much is shipping?');
    await waitUntil(() => chat.shadowRoot!.querySelector('.card a'), 'no article card', { timeout: 5000 });
    const link = chat.shadowRoot!.querySelector<HTMLAnchorElement>('.card a')!;
    expect(link.protocol).to.equal('https:');
    expect(link.rel).to.equal('noopener noreferrer');

    click(chat, '.chip', 'Returns');
    await waitUntil(() => /return an item/i.test([...chat.shadowRoot!.querySelectorAll('.msg.bot')].pop()?.textContent ?? ''), 'no returns answer', { timeout: 5000 });

    // The bot's own quick reply, or the composer's button when its latest message has none.
    click(chat, '.chip, [part="ask-operator"]', 'Talk to an operator');
    await waitUntil(() => chat.shadowRoot!.querySelector('.msg.operator'), 'no operator joined', { timeout: 8000 });
    await type(chat, 'My parcel is **late** <script>window.parent.pwned = 1</script>');
    await waitUntil(() => chat.shadowRoot!.querySelectorAll('.msg.operator').length > 1, 'no operator reply', { timeout: 5000 });

    click(chat, '.phase button', 'End chat');
    await waitUntil(() => text(chat).includes('Keep chatting'), 'not asked whether to end', { timeout: 5000 });
    click(chat, '.phase button', 'End chat');
    await waitUntil(() => chat.shadowRoot!.querySelector('.survey'), 'no survey', { timeout: 5000 });
    chat.shadowRoot!.querySelector<HTMLInputElement>('.survey input[value="5"]')!.click();
    click(chat, '.survey button.primary');
    await waitUntil(() => text(chat).includes('Thank you for your feedback'), 'no thanks', { timeout: 5000 });

    expect(win.violations).to.deep.equal([]);
    expect((window as unknown as { pwned?: number }).pwned).to.be.undefined;
    expect(chat.shadowRoot!.querySelector('script, iframe, object, embed')).to.be.null;
  });

  it('blocks what the policy forbids (the probe works)', async () => {
    const { win } = await hostPage();
    // Trusted Types refuse a plain string for script text, which is itself the proof.
    let refused = false;
    try {
      const inline = win.document.createElement('script');
      inline.textContent = 'window.ran = true';
      win.document.body.append(inline);
    } catch {
      refused = true;
    }
    await waitUntil(() => refused || win.violations.length > 0, 'a forbidden inline script raised no violation');
    expect((win as unknown as { ran?: boolean }).ran).to.be.undefined;
  });
});
