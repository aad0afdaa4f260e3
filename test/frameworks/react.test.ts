/**
 * Using the element from React 19: object props become properties, `on<event>` props become
 * listeners (React 19's custom-element support), and the older ref + addEventListener pattern
 * still works. Also checks, at compile time, the JSX declaration of `mercari-chat-support/react`.
 */
import { expect } from '@open-wc/testing';
import { waitUntil as wait } from '../helpers/wait.js';
import type { JSX } from 'react';
import type * as ReactApi from 'react';
import type * as ReactDomClient from 'react-dom/client';
import '../../src/index.js';
import type { MercariChatSupport } from '../../src/index.js';
import type {} from '../../src/frameworks/react.js';
import { FakeTransport } from '../helpers/fake-transport.js';
import { loadReact } from './commonjs.js';

/** Waits for a condition; generous, since a loaded CI machine can take a while to run the send pipeline. */
const waitUntil = (condition: () => unknown, message?: string) => wait(condition, message, { timeout: 5000 });
/** A user id of its own per element: test pages run side by side, and one user's tabs share one sender. */
const user = () => `react-${crypto.randomUUID()}`;

type Props = JSX.IntrinsicElements['mercari-chat-support'];

// Compile-time checks of the JSX declaration (tsc runs over test/): these lines are the test.
export const typed: Props[] = [
  { endpoint: 'wss://chat.example.com/v1', open: true, theme: 'dark', position: 'inline', 'user-id': 'u1', hours: 'Asia/Tokyo; mon-fri 10:00-18:30' },
  { transport: new FakeTransport(), context: { orderId: 'm123' }, getToken: () => 'token', 'onmcs-message': (event) => event.detail.text.length },
  { 'onmcs-phase': (event) => event.detail.phase, 'onmcs-error': (event) => event.detail.code, ref: (el: MercariChatSupport | null) => el?.show() },
  // @ts-expect-error theme is 'auto' | 'light' | 'dark'
  { theme: 'purple' },
  // @ts-expect-error transport must be a ChatTransport
  { transport: 'wss://not-an-object' },
  // @ts-expect-error the detail of mcs-message has no `nope`
  { 'onmcs-message': (event) => event.detail.nope },
];

describe('React 19', () => {
  let React: typeof ReactApi;
  let ReactDOM: typeof ReactDomClient;
  let host: HTMLElement;
  let root: ReactDomClient.Root;

  before(async () => {
    ({ React, ReactDOM } = await loadReact());
  });

  beforeEach(() => {
    host = document.createElement('div');
    document.body.append(host);
    root = ReactDOM.createRoot(host);
  });

  afterEach(() => {
    root.unmount();
    host.remove();
  });

  const rendered = async () => {
    await waitUntil(() => host.querySelector('mercari-chat-support'), 'React did not render the element');
    const el = host.querySelector('mercari-chat-support')!;
    await el.updateComplete;
    return el;
  };

  it('sets object props as properties and plain ones as attributes', async () => {
    const transport = new FakeTransport();
    const context = { orderId: 'm123', article: 'item-not-arrived' };
    const id = user();
    root.render(React.createElement('mercari-chat-support', { transport, context, locale: 'en', 'user-id': id, open: true }));
    const el = await rendered();

    expect(el.transport).to.equal(transport);
    expect(el.context).to.equal(context);
    expect(el.userId).to.equal(id);
    expect(el.open).to.equal(true);
    await waitUntil(() => transport.connects.length === 1, 'the element never connected through the transport');
    expect(transport.connects[0].context).to.deep.equal(context);
  });

  it('delivers mcs-* events to on<event> props', async () => {
    const transport = new FakeTransport();
    transport.botReply = (text) => ({ text: `re: ${text}` });
    const received: string[] = [];
    const sent: string[] = [];
    root.render(
      React.createElement('mercari-chat-support', {
        transport,
        'user-id': user(),
        locale: 'en',
        open: true,
        'onmcs-message': (event: CustomEvent<{ text: string }>) => received.push(event.detail.text),
        'onmcs-message-sent': (event: CustomEvent<{ text: string }>) => sent.push(event.detail.text),
      }),
    );
    const el = await rendered();
    await el.send('hello from React');

    await waitUntil(() => received.length === 1, 'no mcs-message reached the React prop');
    expect(received).to.deep.equal(['re: hello from React']);
    await waitUntil(() => sent.length === 1, 'no mcs-message-sent reached the React prop');
    expect(sent).to.deep.equal(['hello from React']);
  });

  it('lets a ref set properties and listen in an effect (the pre-19 pattern)', async () => {
    const transport = new FakeTransport();
    const opened: string[] = [];
    function Help({ context }: { context: Record<string, unknown> }) {
      const ref = React.useRef<MercariChatSupport>(null);
      React.useEffect(() => {
        const el = ref.current!;
        el.transport = transport;
        el.context = context;
        const onOpen = () => opened.push('open');
        el.addEventListener('mcs-open', onOpen);
        return () => el.removeEventListener('mcs-open', onOpen);
      }, [context]);
      return React.createElement('mercari-chat-support', { ref, locale: 'en', 'user-id': id });
    }
    const id = user();
    root.render(React.createElement(Help, { context: { page: 'help' } }));
    const el = await rendered();
    await waitUntil(() => el.transport === transport);

    el.show();
    await waitUntil(() => opened.length === 1, 'mcs-open did not reach the effect listener');
    expect(el.context).to.deep.equal({ page: 'help' });
    await waitUntil(() => transport.connects.length === 1);
    expect(transport.connects[0].context).to.deep.equal({ page: 'help' });
  });

  it('updates properties on re-render and releases the session on unmount', async () => {
    const transport = new FakeTransport();
    const id = user();
    root.render(React.createElement('mercari-chat-support', { transport, 'user-id': id, context: { step: 1 }, theme: 'light', open: true }));
    const el = await rendered();
    await waitUntil(() => transport.connects.length === 1);

    root.render(React.createElement('mercari-chat-support', { transport, 'user-id': id, context: { step: 2 }, theme: 'dark', open: true }));
    await waitUntil(() => el.theme === 'dark', 'theme did not follow the new prop');
    expect(el.context).to.deep.equal({ step: 2 });
    expect(el.getAttribute('theme')).to.equal('dark');

    root.render(React.createElement('div'));
    await waitUntil(() => !el.isConnected, 'React did not remove the element');
    expect(transport.closed).to.equal(true);
  });
});
