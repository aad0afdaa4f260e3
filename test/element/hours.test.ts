import { expect } from '@open-wc/testing';
import sinon from 'sinon';
import { ChatHarness, deleteWidgetDatabases, until } from '../helpers/harness.js';
import { FakeTransport } from '../helpers/fake-transport.js';

/** 18:29:59.000 in Tokyo on Wednesday 4 March 2026. */
const BEFORE_CLOSE = Date.UTC(2026, 2, 4, 9, 29, 59);

const header = (chat: ChatHarness) => chat.$('header')?.textContent?.replace(/\s+/g, ' ') ?? '';

describe('<mercari-chat-support> business hours, live', () => {
  let clock: sinon.SinonFakeTimers;
  afterEach(async () => {
    clock?.restore();
    await deleteWidgetDatabases();
  });

  it('closes at 18:30:00 and reopens at 10:00:00 without a reload, on one timer each', async () => {
    clock = sinon.useFakeTimers({ now: BEFORE_CLOSE, toFake: ['setTimeout', 'clearTimeout', 'Date'], shouldClearNativeTimers: true });
    const chat = await ChatHarness.create({ transport: new FakeTransport(), open: true, now: () => Date.now() });
    expect(header(chat)).to.contain('Operators are available');

    await clock.tickAsync(999);
    await chat.el.updateComplete;
    expect(header(chat), '18:29:59.999').to.contain('Operators are available');

    await clock.tickAsync(1);
    await until(() => header(chat).includes('Outside operator hours'), `still open at 18:30: ${header(chat)}`);

    // 15 h 30 min later it is 10:00:00 the next morning in Tokyo.
    await clock.tickAsync((15 * 60 + 30) * 60_000 - 1);
    await chat.el.updateComplete;
    expect(header(chat), '09:59:59.999').to.contain('Outside operator hours');
    await clock.tickAsync(1);
    await until(() => header(chat).includes('Operators are available'), `still closed at 10:00: ${header(chat)}`);
  });

  it('is right at once after the device slept through a boundary', async () => {
    clock = sinon.useFakeTimers({ now: BEFORE_CLOSE, toFake: ['setTimeout', 'clearTimeout', 'Date'], shouldClearNativeTimers: true });
    const chat = await ChatHarness.create({ transport: new FakeTransport(), open: true, now: () => Date.now() });
    expect(header(chat)).to.contain('Operators are available');
    // Asleep: the clock jumps an hour but no timer fires; waking makes the page visible again.
    clock.setSystemTime(BEFORE_CLOSE + 3_600_000);
    document.dispatchEvent(new Event('visibilitychange'));
    await until(() => header(chat).includes('Outside operator hours'), `not updated on wake: ${header(chat)}`);
  });

  it('once operators are in, stops saying when they are back under a message left for them', async () => {
    // 21:00 in Tokyo; operators come in at 10:00, 13 hours later.
    clock = sinon.useFakeTimers({ now: BEFORE_CLOSE + 1000 + 9_000_000, toFake: ['setTimeout', 'clearTimeout', 'Date'], shouldClearNativeTimers: true });
    const transport = new FakeTransport();
    const chat = await ChatHarness.create({ transport, open: true, now: () => Date.now() });
    await until(() => transport.connects.length === 1, 'never connected');
    chat.el.requestOperator();
    const leave = () => chat.$$<HTMLButtonElement>('[part~="phase"] button').find((b) => /Leave a message/.test(b.textContent!));
    await until(leave, 'no way to leave a message');
    leave()!.click();
    await chat.el.updateComplete;
    await chat.type('My parcel is lost.');
    await until(() => chat.phase.includes('passed to our operators'), `no message left: ${chat.phase}`);
    expect(chat.phase).to.contain('will be back tomorrow');

    await clock.tickAsync(13 * 3_600_000);
    await until(() => header(chat).includes('Operators are available'), `still closed at 10:00: ${header(chat)}`);
    expect(chat.phase).to.contain('passed to our operators');
    expect(chat.phase, 'operators are in').not.to.contain('back');
  });

  describe('a closure or opening pushed by the backend', () => {
    /** Noon in Tokyo: operators are in by the schedule. */
    const NOON = Date.UTC(2026, 2, 4, 3, 0);
    const connected = async () => {
      clock = sinon.useFakeTimers({ now: NOON, toFake: ['setTimeout', 'clearTimeout', 'Date'], shouldClearNativeTimers: true });
      const transport = new FakeTransport();
      const chat = await ChatHarness.create({ transport, open: true, now: () => Date.now() });
      await until(() => transport.connects.length === 1, 'never connected');
      await until(() => header(chat).includes('Operators are available'), `not open at noon: ${header(chat)}`);
      return { chat, transport };
    };

    it('wins over the schedule until its end, then the schedule applies again', async () => {
      const { chat, transport } = await connected();
      transport.emit({ type: 'hours', seq: 100, override: { state: 'closed', until: NOON + 600_000, reason: 'Maintenance' } });
      await until(() => header(chat).includes('Outside operator hours'), `not closed by the backend: ${header(chat)}`);
      await clock.tickAsync(599_999);
      await chat.el.updateComplete;
      expect(header(chat), 'one ms before the end').to.contain('Outside operator hours');
      await clock.tickAsync(1);
      await until(() => header(chat).includes('Operators are available'), `still closed after the end: ${header(chat)}`);
    });

    it('with an end that is no usable time, holds as one without an end, and the widget keeps working after a reload', async () => {
      const { chat, transport } = await connected();
      // A custom adapter passes events on unchecked; the built-in ones refuse this frame.
      transport.emit({ type: 'hours', seq: 100, override: { state: 'closed', until: 1e20 } });
      await until(() => header(chat).includes('Outside operator hours'), `not closed by the backend: ${header(chat)}`);
      chat.el.remove();
      const again = new FakeTransport();
      const reloaded = await ChatHarness.create({ transport: again, open: true, userId: chat.el.userId, now: () => Date.now() });
      await until(() => again.connects.length === 1, 'never connected after the reload');
      expect(header(reloaded)).to.contain('Outside operator hours');
      await reloaded.type('still there?');
      await until(() => again.sent.length === 1, 'not sent after the reload');
    });

    it('holds without an end until a later event clears it', async () => {
      const { chat, transport } = await connected();
      transport.emit({ type: 'hours', seq: 100, override: { state: 'closed' } });
      await until(() => header(chat).includes('Outside operator hours'), `not closed by the backend: ${header(chat)}`);
      await clock.tickAsync(3_600_000);
      await chat.el.updateComplete;
      expect(header(chat), 'an hour later').to.contain('Outside operator hours');
      transport.emit({ type: 'hours', seq: 101, override: { state: null } });
      await until(() => header(chat).includes('Operators are available'), `not cleared: ${header(chat)}`);
    });
  });
});
