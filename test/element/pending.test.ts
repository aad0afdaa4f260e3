import { expect } from '@open-wc/testing';
import sinon from 'sinon';
import { waitUntil } from '../helpers/wait.js';
import { ChatHarness, deleteWidgetDatabases, uniqueUser } from '../helpers/harness.js';
import { FakeTransport } from '../helpers/fake-transport.js';

/** An open widget of `userId` whose one message was delivered: nothing is left waiting. */
async function delivered(userId: string) {
  const chat = await ChatHarness.create({ transport: new FakeTransport(), open: true, userId });
  await chat.type('delivered');
  await waitUntil(() => chat.$('.msg.user') && !chat.$('.msg.user .meta'), 'never delivered');
  return chat;
}

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

  it('sends them, unopened, when the host sets the backend or signs the user in only after the page was idle', async () => {
    for (const late of ['transport', 'userId'] as const) {
      const userId = uniqueUser();
      const offline = new FakeTransport();
      offline.connectBehaviour = 'throw';
      const before = await ChatHarness.create({ transport: offline, open: true, userId });
      await before.type(`typed before the reload (${late})`);
      await waitUntil(() => before.$('.msg.user'), 'never queued');
      before.el.remove();

      const online = new FakeTransport();
      const after = await ChatHarness.create({ transport: late === 'userId' ? online : undefined, userId: late === 'userId' ? uniqueUser() : userId });
      await new Promise((resolve) => setTimeout(resolve, 1000));
      if (late === 'transport') after.el.transport = online;
      else after.el.userId = userId;
      await waitUntil(() => online.sent.length === 1, `${late}: the waiting message was not sent`, { timeout: 5000 });
      expect(online.sent[0].text).to.equal(`typed before the reload (${late})`);
      expect(after.el.open).to.be.false;
    }
  });

  it('looks for waiting messages once at start-up, and again when moved', async () => {
    const looks = sinon.spy(indexedDB, 'databases');
    try {
      const closed = await ChatHarness.create({ transport: new FakeTransport(), userId: uniqueUser() });
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(looks.callCount, 'at start-up').to.equal(1);
      // Moved in the page: its session went with the removal, so it looks again.
      document.body.append(closed.el);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(looks.callCount, 'after a move').to.equal(2);
    } finally {
      looks.restore();
    }
  });

  it('makes no request at all when nothing is waiting', async () => {
    const userId = uniqueUser();
    (await delivered(userId)).el.remove();

    const transport = new FakeTransport();
    const closed = await ChatHarness.create({ transport, userId });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(transport.connects, 'connected although nothing was waiting').to.have.length(0);
    expect(closed.el.open).to.be.false;
  });

  it('sends what another tab left waiting when it takes over from it, without being opened', async () => {
    const userId = uniqueUser();
    const stalled = new FakeTransport();
    stalled.sendBehaviour = 'hang';
    const open = await ChatHarness.create({ transport: stalled, open: true, userId });
    await open.type('left waiting');
    await waitUntil(() => stalled.sent.length === 1, 'never tried');
    const transport = new FakeTransport();
    const closed = await ChatHarness.create({ transport, userId });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(transport.connects, 'the other tab leads').to.have.length(0);
    open.el.remove();
    await waitUntil(() => transport.sent.length === 1, 'not sent by the tab that took over', { timeout: 5000 });
    expect(transport.sent[0].text).to.equal('left waiting');
    expect(closed.el.open).to.be.false;
  });

  it('makes no request either when it takes over from another tab that closes', async () => {
    const userId = uniqueUser();
    const open = await delivered(userId);
    // A second widget of the same user (another tab, as far as the outbox can tell), closed, with
    // nothing waiting; then the first one goes, and this one leads the user's outbox.
    const transport = new FakeTransport();
    const closed = await ChatHarness.create({ transport, userId });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    open.el.remove();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(transport.connects, 'connected on taking over, although closed with nothing waiting').to.have.length(0);
    closed.el.show();
    await waitUntil(() => transport.connects.length === 1, 'no connection once opened');
  });

  it('sends what another tab types while this closed one leads the user\'s outbox', async () => {
    const userId = uniqueUser();
    (await delivered(userId)).el.remove();
    // A returning user's page, the widget closed: it leads, with nothing to send.
    const leading = new FakeTransport();
    await ChatHarness.create({ transport: leading, userId });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    // Another page of the same user, opened: it follows, so it does not connect by itself.
    const following = new FakeTransport();
    const open = await ChatHarness.create({ transport: following, open: true, userId });
    await open.type('typed in the other tab');
    await waitUntil(() => leading.sent.length + following.sent.length === 1, 'never sent', { timeout: 5000 });
    expect([...leading.sent, ...following.sent].map((m) => m.text)).to.deep.equal(['typed in the other tab']);
    await waitUntil(() => open.$('.msg.user') && !open.$('.msg.user .meta'), 'not shown as delivered in the tab it was typed in');
  });
});
