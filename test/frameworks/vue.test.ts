/**
 * Using the element from a Vue 3 template: `.prop` bindings for objects, plain attributes,
 * `@mcs-*` listeners, reactive updates. The template is compiled at run time by Vue's own
 * compiler (the full browser build), exactly as a single-file component's would be at build time.
 */
import { expect } from '@open-wc/testing';
import { waitUntil as wait } from '../helpers/wait.js';
import type * as VueApi from 'vue';
import '../../src/index.js';
import type {} from '../../src/frameworks/vue.js';
import type { MercariChatSupportVueProps } from '../../src/frameworks/vue.js';
import { FakeTransport } from '../helpers/fake-transport.js';

/** Waits for a condition; generous, since a loaded CI machine can take a while to run the send pipeline. */
const waitUntil = (condition: () => unknown, message?: string) => wait(condition, message, { timeout: 5000 });
/** A user id of its own per element: test pages run side by side, and one user's tabs share one sender. */
const user = () => `vue-${crypto.randomUUID()}`;

// The runtime-only build that `import 'vue'` resolves to cannot compile templates.
const vueBuild = '/node_modules/vue/dist/vue.esm-browser.js';

// Compile-time checks of the GlobalComponents declaration: what Volar checks a template against.
type Props = InstanceType<VueApi.GlobalComponents['mercari-chat-support']>['$props'];
export const typed: Array<Props | MercariChatSupportVueProps> = [
  { endpoint: 'wss://chat.example.com/v1', open: true, theme: 'light', 'user-id': 'u1' },
  { transport: new FakeTransport(), context: { orderId: 'm123' }, onMcsMessage: (event) => event.detail.text.length },
  { onMcsMessageSent: (event) => event.detail.clientId, onMcsConnection: (event) => event.detail.status },
  // @ts-expect-error position is 'bottom-right' | 'bottom-left' | 'inline'
  { position: 'top' },
  // @ts-expect-error the connection detail has no `text`
  { onMcsConnection: (event) => event.detail.text },
];

describe('Vue 3', () => {
  let Vue: typeof VueApi;
  let host: HTMLElement;
  let app: VueApi.App | undefined;

  before(async () => {
    Vue = (await import(/* @vite-ignore */ vueBuild)) as typeof VueApi;
  });

  beforeEach(() => {
    host = document.createElement('div');
    document.body.append(host);
  });

  afterEach(() => {
    app?.unmount();
    app = undefined;
    host.remove();
  });

  /** Mounts a component with the template and setup given; the tag is declared a custom element. */
  const mount = async (template: string, setup: () => Record<string, unknown>) => {
    app = Vue.createApp({ template, setup });
    app.config.compilerOptions.isCustomElement = (tag) => tag === 'mercari-chat-support';
    app.mount(host);
    await Vue.nextTick();
    const el = host.querySelector('mercari-chat-support')!;
    expect(el, 'Vue did not render the element').to.exist;
    await el.updateComplete;
    return el;
  };

  it('binds objects with .prop, attributes as text and listens with @mcs-*', async () => {
    const transport = new FakeTransport();
    transport.botReply = (text) => ({ text: `re: ${text}` });
    const context = { orderId: 'm123' };
    const received: string[] = [];
    const id = user();
    const el = await mount(
      `<mercari-chat-support :transport.prop="transport" :context.prop="context" locale="en" :user-id="id" open
          @mcs-message="(e) => received.push(e.detail.text)"></mercari-chat-support>`,
      () => ({ transport, context, received, id }),
    );

    expect(el.transport).to.equal(transport);
    expect(el.context).to.deep.equal(context);
    expect(el.userId).to.equal(id);
    await el.send('hello from Vue');
    await waitUntil(() => received.length === 1, 'no mcs-message reached the Vue listener');
    expect(received).to.deep.equal(['re: hello from Vue']);
    expect(transport.connects[0].context).to.deep.equal(context);
  });

  it('follows reactive state and reports events into it', async () => {
    const transport = new FakeTransport();
    const open = Vue.ref(false);
    const theme = Vue.ref<'light' | 'dark'>('light');
    const events = Vue.reactive<string[]>([]);
    const el = await mount(
      `<mercari-chat-support :transport.prop="transport" :open="open" :theme="theme" locale="en" :user-id="id"
          @mcs-open="events.push('open')" @mcs-close="events.push('close')"></mercari-chat-support>`,
      () => ({ transport, open, theme, events, id: user() }),
    );
    expect(el.open).to.equal(false);

    open.value = true;
    theme.value = 'dark';
    await Vue.nextTick();
    await el.updateComplete;
    expect(el.open).to.equal(true);
    expect(el.getAttribute('theme')).to.equal('dark');
    await waitUntil(() => events.length === 1);

    el.hide();
    await waitUntil(() => events.length === 2);
    expect([...events]).to.deep.equal(['open', 'close']);
  });

  it('releases the session when Vue removes the element', async () => {
    const transport = new FakeTransport();
    const shown = Vue.ref(true);
    const el = await mount(`<div><mercari-chat-support v-if="shown" :transport.prop="transport" :user-id="id" open></mercari-chat-support></div>`, () => ({
      transport,
      shown,
      id: user(),
    }));
    await waitUntil(() => transport.connects.length === 1);

    shown.value = false;
    await Vue.nextTick();
    expect(el.isConnected).to.equal(false);
    expect(transport.closed).to.equal(true);
  });
});
