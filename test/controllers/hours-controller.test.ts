import { expect, fixture, html } from '@open-wc/testing';
import { ReactiveBase } from '../../src/element/base.js';
import sinon from 'sinon';
import { createHoursController, type HoursControllerOptions } from '../../src/controllers/hours-controller.js';
import { DEFAULT_SCHEDULE, type Schedule } from '../../src/hours/engine.js';
import { parseSchedule } from '../../src/hours/parse.js';

const T = (iso: string) => Date.parse(iso);
const jst = (local: string) => T(`${local}+09:00`);

/** Options for the next host created (a test sets them before its fixture). */
let hostOptions: Partial<HoursControllerOptions> = {};

/** A minimal host: renders the controller's state and records its callbacks and renders. */
class HoursHost extends ReactiveBase {
  schedule: Schedule = DEFAULT_SCHEDULE;
  changes: Array<[string, string]> = [];
  renders = 0;
  // The test's options are copied with their getters, not their values.
  hours = createHoursController(
    this,
    Object.defineProperties(
      {
        schedule: () => this.schedule,
        timeZone: 'Asia/Tokyo',
        onChange: (change: string, at: number) => this.changes.push([change, new Date(at).toISOString()]),
      } as HoursControllerOptions,
      Object.getOwnPropertyDescriptors(hostOptions),
    ),
  );

  override render() {
    this.renders++;
    return html`<p>${this.hours.open ? 'open' : 'closed'}${this.hours.closingSoon ? ', closing soon' : ''}</p>`;
  }

  get text() {
    return this.shadowRoot!.querySelector('p')!.textContent;
  }
}
customElements.define('test-hours-host', HoursHost);

describe('controllers/hours-controller', () => {
  let clock: sinon.SinonFakeTimers;

  const mount = async (at: string, options: Partial<HoursControllerOptions> = {}) => {
    clock = sinon.useFakeTimers({ now: jst(at), toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    hostOptions = options;
    return fixture<HoursHost>(html`<test-hours-host></test-hours-host>`);
  };
  /** Advances fake time, firing due timers, then lets the host render. */
  const tick = async (el: HoursHost, ms: number) => {
    await clock.tickAsync(ms);
    await el.updateComplete;
  };
  const until = (local: string) => jst(local) - Date.now();

  afterEach(() => {
    clock.restore();
    hostOptions = {};
  });

  it('renders the state at connection, with the next close and opening', async () => {
    const el = await mount('2026-01-05T12:00:00');
    expect(el.text).to.equal('open');
    expect(el.hours.closesAt).to.equal(jst('2026-01-05T18:30:00'));
    expect(el.hours.nextOpening).to.equal(jst('2026-01-06T10:00:00'));
    expect(el.changes, 'no callback for the first reading').to.deep.equal([]);
  });

  it('switches from open to closed at 18:30:00 and back at 10:00:00 without reload', async () => {
    const el = await mount('2026-01-05T18:29:59');
    expect(el.text).to.equal('open, closing soon');
    await tick(el, 999);
    expect(el.text).to.equal('open, closing soon');
    await tick(el, 1);
    expect(el.text).to.equal('closed');
    expect(el.hours.closesAt).to.equal(null);
    await tick(el, until('2026-01-06T09:59:59.999'));
    expect(el.text).to.equal('closed');
    await tick(el, 1);
    expect(el.text).to.equal('open');
    expect(el.changes).to.deep.equal([
      ['closed', '2026-01-05T09:30:00.000Z'],
      ['opened', '2026-01-06T01:00:00.000Z'],
    ]);
  });

  it('warns 15 minutes before closing by default, and as configured', async () => {
    const el = await mount('2026-01-05T18:14:59.999');
    expect(el.hours.closingSoon).to.be.false;
    await tick(el, 1);
    expect(el.text).to.equal('open, closing soon');
    expect(el.changes).to.deep.equal([['closing-soon', '2026-01-05T09:15:00.000Z']]);
    clock.restore();

    const early = await mount('2026-01-05T17:59:59.999', { closingSoonMinutes: 30 });
    expect(early.hours.closingSoon).to.be.false;
    await tick(early, 1);
    expect(early.hours.closingSoon).to.be.true;
  });

  it('reads closingSoonMinutes at every check, so a getter follows a changed setting', async () => {
    let minutes = 15;
    const el = await mount('2026-01-05T18:00:00', {
      get closingSoonMinutes() {
        return minutes;
      },
    });
    expect(el.hours.closingSoon).to.be.false;
    minutes = 45;
    el.hours.refresh();
    await el.updateComplete;
    expect(el.text).to.equal('open, closing soon');
    expect(el.changes).to.deep.equal([['closing-soon', '2026-01-05T09:00:00.000Z']]);
  });

  it('keeps one timer, to the next boundary, and renders only at boundaries', async () => {
    const el = await mount('2026-01-05T12:00:00');
    expect(clock.countTimers()).to.equal(1);
    const renders = el.renders;
    // A whole day: closing soon (18:15), closed (18:30), the user's midnight, open (10:00).
    await tick(el, 24 * 36e5);
    expect(el.renders - renders).to.equal(4);
    expect(clock.countTimers()).to.equal(1);
  });

  it('never arms a timer more than a day ahead, even before a long closure', async () => {
    const el = await mount('2026-01-05T12:00:00');
    el.schedule = parseSchedule('daily 10:00-18:30; 2026-01-05..2026-03-05 closed').schedule;
    el.requestUpdate();
    await el.updateComplete;
    expect(el.text).to.equal('closed');
    expect(el.hours.nextOpening).to.equal(jst('2026-03-06T10:00:00'));
    const before = Date.now();
    clock.next();
    expect(Date.now() - before).to.be.at.most(864e5);
    await tick(el, until('2026-03-06T10:00:00'));
    expect(el.text).to.equal('open');
  });

  for (const [target, type] of [
    [document, 'visibilitychange'],
    [window, 'focus'],
    [window, 'online'],
  ] as const) {
    it(`is correct on wake after a sleep past a boundary (${type})`, async () => {
      const el = await mount('2026-01-05T18:00:00');
      expect(el.text).to.equal('open');
      // Sleep: the wall clock jumps, timers do not fire.
      clock.setSystemTime(jst('2026-01-05T20:00:00'));
      await el.updateComplete;
      expect(el.text).to.equal('open');
      target.dispatchEvent(new Event(type));
      await el.updateComplete;
      expect(el.text).to.equal('closed');
      expect(el.changes).to.deep.equal([['closed', '2026-01-05T11:00:00.000Z']]);
    });
  }

  it('is correct when its timer fires late', async () => {
    const el = await mount('2026-01-05T18:20:00');
    // The timer for 18:30 fires only at 20:00 (the clock ran on while timers were suspended).
    clock.setSystemTime(jst('2026-01-05T19:50:00'));
    await tick(el, 10 * 6e4);
    expect(el.text).to.equal('closed');
    expect(el.hours.nextOpening).to.equal(jst('2026-01-06T10:00:00'));
  });

  it('does not re-render on wake when nothing changed', async () => {
    const el = await mount('2026-01-05T12:00:00');
    const renders = el.renders;
    window.dispatchEvent(new Event('focus'));
    await el.updateComplete;
    expect(el.renders).to.equal(renders);
  });

  it('picks up a new schedule (a backend override) on the host’s next update', async () => {
    const el = await mount('2026-01-05T12:00:00');
    el.schedule = { ...DEFAULT_SCHEDULE, override: { state: 'closed', until: jst('2026-01-05T15:00:00') } };
    el.requestUpdate();
    await el.updateComplete;
    expect(el.text).to.equal('closed');
    expect(el.hours.nextOpening).to.equal(jst('2026-01-05T15:00:00'));
    await tick(el, until('2026-01-05T15:00:00'));
    expect(el.text).to.equal('open');
    expect(el.changes.map(([change]) => change)).to.deep.equal(['closed', 'opened']);
  });

  it('reads the clock again on refresh()', async () => {
    let shift = 0;
    const el = await mount('2026-01-05T12:00:00', { now: () => jst('2026-01-05T12:00:00') + shift });
    expect(el.text).to.equal('open');
    shift = 8 * 36e5;
    el.hours.refresh();
    await el.updateComplete;
    expect(el.text).to.equal('closed');
  });

  it('stops its timer and listeners when disconnected', async () => {
    const el = await mount('2026-01-05T18:00:00');
    el.remove();
    expect(clock.countTimers()).to.equal(0);
    clock.setSystemTime(jst('2026-01-05T20:00:00'));
    document.dispatchEvent(new Event('visibilitychange'));
    expect(el.hours.open).to.be.true;
    expect(el.changes).to.deep.equal([]);
  });

  it('computes nothing until its state is read, then keeps it current', async () => {
    clock = sinon.useFakeTimers({ now: jst('2026-01-05T18:29:00'), toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const schedule = sinon.spy(() => DEFAULT_SCHEDULE);
    const host = { addController: sinon.spy(), requestUpdate: sinon.spy(), removeController() {}, updateComplete: Promise.resolve(true) };
    const hours = createHoursController(host, { schedule, timeZone: 'Asia/Tokyo' });
    hours.hostConnected!();
    hours.refresh();
    window.dispatchEvent(new Event('focus'));
    expect(schedule.callCount, 'no work at start-up').to.equal(0);
    expect(clock.countTimers()).to.equal(0);
    expect(hours.open).to.be.true;
    expect(host.requestUpdate.callCount, 'the reader has the state already').to.equal(0);
    await clock.tickAsync(60_000);
    expect(hours.open).to.be.false;
    expect(host.requestUpdate.callCount).to.equal(1);
    hours.hostDisconnected!();
  });
});
