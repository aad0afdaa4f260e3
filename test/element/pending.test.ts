import { expect } from '@open-wc/testing';
import { waitUntil } from '../helpers/wait.js';
import { ChatHarness, deleteWidgetDatabases, uniqueUser } from '../helpers/harness.js';
import { FakeTransport } from '../helpers/fake-transport.js';

describe('<mercari-chat-support> after a reload, closed', () => {
  afterEach(() => deleteWidgetDatabases());

  it('sends messages still waiting from the last page, without being opened', async () => {
    const userId = uniqueUser();
    const offline = new FakeTransport();
    offline.connectBehaviour = 'throw';
    const before = await ChatHarness.create({ transport: offline, open: true, userId });
    await before.type('typed before the reload');
    await waitUntil(() => before.$('.msg.user'), 'never queued');
    before.el.remove();

    const online = new FakeTransport();
    const after = await ChatHarness.create({ transport: online, userId });
    await waitUntil(() => online.sent.length === 1, 'the waiting message was not sent', { timeout: 5000 });
    expect(online.sent[0].text).to.equal('typed before the reload');
    expect(after.el.open).to.be.false;
  });

  it('makes no request at all when nothing is waiting', async () => {
    const userId = uniqueUser();
    const first = await ChatHarness.create({ transport: new FakeTransport(), open: true, userId });
    await first.type('delivered');
    await waitUntil(() => first.$('.msg.user') && !first.$('.msg.user .meta'), 'never delivered');
    first.el.remove();

    const transport = new FakeTransport();
    const closed = await ChatHarness.create({ transport, userId });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(transport.connects, 'connected although nothing was waiting').to.have.length(0);
    expect(closed.el.open).to.be.false;
  });
});
