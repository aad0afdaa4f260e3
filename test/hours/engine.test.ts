import { expect } from '@open-wc/testing';
import {
  DEFAULT_SCHEDULE,
  currentClose,
  isOpen,
  localDay,
  nextChange,
  nextMidnight,
  nextOpening,
  toInstant,
  zoneOffset,
  type Schedule,
} from '../../src/hours/engine.js';
import { parseSchedule } from '../../src/hours/parse.js';

/** An instant written as an ISO string with its offset, independent of the engine. */
const T = (iso: string) => Date.parse(iso);
/** Iso string of an instant (UTC), for readable failures. */
const iso = (t: number | null) => (t == null ? null : new Date(t).toISOString());

const schedule = (hours: string): Schedule => {
  const { schedule: s, errors } = parseSchedule(hours);
  expect(errors, hours).to.deep.equal([]);
  return s;
};

interface Case {
  at: string;
  open: boolean;
  next: string | null;
}

/** Checks isOpen and nextChange at each instant of a table, and the consistency of the other answers. */
const check = (s: Schedule, cases: Case[]) => {
  for (const { at, open, next } of cases) {
    expect(isOpen(s, T(at)), `isOpen at ${at}`).to.equal(open);
    expect(iso(nextChange(s, T(at))), `nextChange at ${at}`).to.equal(next == null ? null : iso(T(next)));
    expect(iso(currentClose(s, T(at))), `currentClose at ${at}`).to.equal(open && next ? iso(T(next)) : null);
    if (!open) expect(iso(nextOpening(s, T(at))), `nextOpening at ${at}`).to.equal(next == null ? null : iso(T(next)));
  }
};

describe('hours/engine', () => {
  describe('default schedule (10:00–18:30 every day, Asia/Tokyo)', () => {
    it('opens at 10:00:00.000 and closes at 18:30:00.000 exactly', () => {
      check(DEFAULT_SCHEDULE, [
        { at: '2026-01-05T00:00:00+09:00', open: false, next: '2026-01-05T10:00:00+09:00' },
        { at: '2026-01-05T09:59:59.999+09:00', open: false, next: '2026-01-05T10:00:00+09:00' },
        { at: '2026-01-05T10:00:00+09:00', open: true, next: '2026-01-05T18:30:00+09:00' },
        { at: '2026-01-05T18:29:59.999+09:00', open: true, next: '2026-01-05T18:30:00+09:00' },
        { at: '2026-01-05T18:30:00+09:00', open: false, next: '2026-01-06T10:00:00+09:00' },
        { at: '2026-01-05T23:59:59.999+09:00', open: false, next: '2026-01-06T10:00:00+09:00' },
      ]);
    });

    it('answers by the schedule’s zone, whatever zone the instant is written in', () => {
      // 09:59 in Los Angeles on Jan 4 is 02:59 in Tokyo on Jan 5: closed.
      expect(isOpen(DEFAULT_SCHEDULE, T('2026-01-04T09:59:00-08:00'))).to.equal(false);
      // 17:00 in Los Angeles is 10:00 the next day in Tokyo: open.
      expect(isOpen(DEFAULT_SCHEDULE, T('2026-01-04T17:00:00-08:00'))).to.equal(true);
    });

    it('gives the opening after the current interval when asked for the next opening while open', () => {
      expect(iso(nextOpening(DEFAULT_SCHEDULE, T('2026-01-05T12:00:00+09:00')))).to.equal(iso(T('2026-01-06T10:00:00+09:00')));
    });
  });

  describe('split shifts', () => {
    it('closes for the lunch break and reopens after it', () => {
      check(schedule('Asia/Tokyo; sat 10:00-12:00,13:00-17:00'), [
        { at: '2026-01-10T11:59:59.999+09:00', open: true, next: '2026-01-10T12:00:00+09:00' },
        { at: '2026-01-10T12:00:00+09:00', open: false, next: '2026-01-10T13:00:00+09:00' },
        { at: '2026-01-10T12:59:59.999+09:00', open: false, next: '2026-01-10T13:00:00+09:00' },
        { at: '2026-01-10T13:00:00+09:00', open: true, next: '2026-01-10T17:00:00+09:00' },
        // Saturday only: the next opening is a week later.
        { at: '2026-01-10T17:00:00+09:00', open: false, next: '2026-01-17T10:00:00+09:00' },
      ]);
    });

    it('treats touching or overlapping intervals as one opening, with no change between them', () => {
      check(schedule('mon 10:00-12:00,12:00-14:00,13:00-15:00'), [
        { at: '2026-01-05T11:00:00+09:00', open: true, next: '2026-01-05T15:00:00+09:00' },
        { at: '2026-01-05T12:00:00+09:00', open: true, next: '2026-01-05T15:00:00+09:00' },
      ]);
    });
  });

  describe('overnight intervals', () => {
    it('runs from the evening into the next morning', () => {
      check(schedule('fri 22:00-02:00+1'), [
        { at: '2026-01-09T21:59:59.999+09:00', open: false, next: '2026-01-09T22:00:00+09:00' },
        { at: '2026-01-09T22:00:00+09:00', open: true, next: '2026-01-10T02:00:00+09:00' },
        { at: '2026-01-10T01:59:59.999+09:00', open: true, next: '2026-01-10T02:00:00+09:00' },
        { at: '2026-01-10T02:00:00+09:00', open: false, next: '2026-01-16T22:00:00+09:00' },
      ]);
    });

    it('reads an end past 24:00 the same way', () => {
      expect(schedule('fri 22:00-26:00').weekly).to.deep.equal(schedule('fri 22:00-02:00+1').weekly);
    });

    it('continues through midnight into the next day’s early interval without a change', () => {
      check(schedule('daily 00:00-02:00,22:00-24:00'), [
        { at: '2026-01-05T23:00:00+09:00', open: true, next: '2026-01-06T02:00:00+09:00' },
        { at: '2026-01-06T00:00:00+09:00', open: true, next: '2026-01-06T02:00:00+09:00' },
      ]);
    });
  });

  describe('dated hours', () => {
    const yearEnd = schedule('daily 10:00-18:30; 2026-12-29..2027-01-03 closed; 2027-01-04 12:00-16:00');

    it('stays closed on closed dates and reopens after them', () => {
      check(yearEnd, [
        { at: '2026-12-28T18:30:00+09:00', open: false, next: '2027-01-04T12:00:00+09:00' },
        { at: '2026-12-31T12:00:00+09:00', open: false, next: '2027-01-04T12:00:00+09:00' },
      ]);
    });

    it('uses special hours on their date and the weekly hours the day after', () => {
      check(yearEnd, [
        { at: '2027-01-04T10:00:00+09:00', open: false, next: '2027-01-04T12:00:00+09:00' },
        { at: '2027-01-04T12:00:00+09:00', open: true, next: '2027-01-04T16:00:00+09:00' },
        { at: '2027-01-04T16:00:00+09:00', open: false, next: '2027-01-05T10:00:00+09:00' },
      ]);
    });

    it('lets an overnight interval finish on a closed date (an interval belongs to the day it starts)', () => {
      check(schedule('daily 22:00-02:00+1; 2026-12-31 closed'), [
        { at: '2026-12-31T01:00:00+09:00', open: true, next: '2026-12-31T02:00:00+09:00' },
        { at: '2026-12-31T22:00:00+09:00', open: false, next: '2027-01-01T22:00:00+09:00' },
      ]);
    });
  });

  describe('backend override', () => {
    const withOverride = (override: Schedule['override']): Schedule => ({ ...DEFAULT_SCHEDULE, override });
    const noon = '2026-01-05T12:00:00+09:00';

    it('closes in business hours until its end, then follows the schedule', () => {
      const s = withOverride({ state: 'closed', until: T('2026-01-05T15:00:00+09:00') });
      check(s, [
        { at: noon, open: false, next: '2026-01-05T15:00:00+09:00' },
        { at: '2026-01-05T15:00:00+09:00', open: true, next: '2026-01-05T18:30:00+09:00' },
      ]);
    });

    it('skips to the next scheduled opening when it ends outside business hours', () => {
      check(withOverride({ state: 'closed', until: T('2026-01-05T20:00:00+09:00') }), [{ at: noon, open: false, next: '2026-01-06T10:00:00+09:00' }]);
    });

    it('stays closed for good without an end', () => {
      check(withOverride({ state: 'closed' }), [{ at: noon, open: false, next: null }]);
    });

    it('opens outside business hours until its end', () => {
      check(withOverride({ state: 'open', until: T('2026-01-05T21:00:00+09:00') }), [
        { at: '2026-01-05T20:00:00+09:00', open: true, next: '2026-01-05T21:00:00+09:00' },
        { at: '2026-01-05T21:00:00+09:00', open: false, next: '2026-01-06T10:00:00+09:00' },
      ]);
      // Forced open until 15:00 inside hours: the scheduled close at 18:30 is the next change.
      check(withOverride({ state: 'open', until: T('2026-01-05T15:00:00+09:00') }), [{ at: noon, open: true, next: '2026-01-05T18:30:00+09:00' }]);
    });

    it('holds with no end it can use: one past the dates JavaScript can hold, or not a number', () => {
      for (const until of [1e20, Infinity, NaN, '2026-03-05T01:00:00Z' as unknown as number]) {
        check(withOverride({ state: 'closed', until }), [{ at: noon, open: false, next: null }]);
      }
    });

    it('is ignored once expired or when its state is null', () => {
      for (const override of [{ state: 'closed' as const, until: T(noon) }, { state: null }]) {
        check(withOverride(override), [{ at: noon, open: true, next: '2026-01-05T18:30:00+09:00' }]);
      }
    });
  });

  describe('schedules that never change', () => {
    it('has no next change when it is never open', () => {
      check(schedule('mon closed'), [{ at: '2026-01-05T12:00:00+09:00', open: false, next: null }]);
    });

    it('has no close when it is always open, and answers quickly', () => {
      const start = performance.now();
      check(schedule('daily 00:00-24:00'), [{ at: '2026-01-05T12:00:00+09:00', open: true, next: null }]);
      expect(performance.now() - start).to.be.below(500);
    });
  });

  // US: 2026-03-08 02:00 → 03:00 and 2026-11-01 02:00 → 01:00. UK: 2026-03-29 01:00 → 02:00 and
  // 2026-10-25 02:00 → 01:00. Expected instants are written in UTC: the test runs in a browser
  // whose zone is neither of the schedule's, like a user abroad.
  describe('DST in America/Los_Angeles', () => {
    it('opens at 10:00 local on both sides of spring-forward', () => {
      check(schedule('America/Los_Angeles; daily 10:00-18:30'), [
        { at: '2026-03-07T18:00:00Z', open: true, next: '2026-03-08T02:30:00Z' }, // 10:00 PST
        { at: '2026-03-08T02:30:00Z', open: false, next: '2026-03-08T17:00:00Z' }, // 10:00 PDT, 22 h later
        { at: '2026-03-08T16:59:59.999Z', open: false, next: '2026-03-08T17:00:00Z' },
        { at: '2026-03-08T17:00:00Z', open: true, next: '2026-03-09T01:30:00Z' },
      ]);
    });

    it('opens at 10:00 local on both sides of fall-back', () => {
      check(schedule('America/Los_Angeles; daily 10:00-18:30'), [
        { at: '2026-11-01T01:30:00Z', open: false, next: '2026-11-01T18:00:00Z' }, // 10:00 PST, 24.5 h later
        { at: '2026-11-01T17:59:59.999Z', open: false, next: '2026-11-01T18:00:00Z' },
      ]);
    });

    it('starts an interval that begins in the skipped hour at the end of the gap', () => {
      // 02:30 does not exist on 2026-03-08: the interval opens at 03:00 PDT (10:00Z).
      check(schedule('America/Los_Angeles; sun 02:30-05:00'), [
        { at: '2026-03-08T09:59:59.999Z', open: false, next: '2026-03-08T10:00:00Z' },
        { at: '2026-03-08T10:00:00Z', open: true, next: '2026-03-08T12:00:00Z' },
      ]);
    });

    it('ends an interval that ends in the skipped hour at the end of the gap', () => {
      check(schedule('America/Los_Angeles; sun 01:00-02:30'), [
        { at: '2026-03-08T09:00:00Z', open: true, next: '2026-03-08T10:00:00Z' }, // 01:00 PST → 03:00 PDT
      ]);
    });

    it('drops an interval entirely inside the skipped hour', () => {
      check(schedule('America/Los_Angeles; sun 02:00-02:45'), [
        { at: '2026-03-08T08:00:00Z', open: false, next: '2026-03-15T09:00:00Z' }, // a week later, 02:00 PDT
      ]);
    });
  });

  describe('DST in America/New_York', () => {
    it('opens at 10:00 local after spring-forward', () => {
      check(schedule('America/New_York; daily 10:00-18:30'), [
        { at: '2026-03-07T23:30:00Z', open: false, next: '2026-03-08T14:00:00Z' }, // 10:00 EDT, 20.5 h later
        { at: '2026-03-08T14:00:00Z', open: true, next: '2026-03-08T22:30:00Z' },
      ]);
    });

    it('starts an interval in the repeated hour at its first occurrence and ends it there too', () => {
      // 01:30 happens at 05:30Z (EDT) and again at 06:30Z (EST).
      check(schedule('America/New_York; sun 01:30-03:00'), [
        { at: '2026-11-01T05:29:59.999Z', open: false, next: '2026-11-01T05:30:00Z' },
        { at: '2026-11-01T05:30:00Z', open: true, next: '2026-11-01T08:00:00Z' }, // 03:00 EST: 2.5 h
      ]);
      check(schedule('America/New_York; sun 00:00-01:30'), [
        { at: '2026-11-01T04:00:00Z', open: true, next: '2026-11-01T05:30:00Z' },
        // 01:15 EST, inside 00:00–01:30 on the wall clock, but after the first 01:30: closed.
        { at: '2026-11-01T06:15:00Z', open: false, next: '2026-11-08T05:00:00Z' },
      ]);
    });
  });

  describe('DST in Europe/London', () => {
    it('keeps an overnight interval across spring-forward to its local end', () => {
      check(schedule('Europe/London; sat 22:00-02:00+1'), [
        { at: '2026-03-28T22:00:00Z', open: true, next: '2026-03-29T01:00:00Z' }, // 22:00 GMT → 02:00 BST: 3 h
        { at: '2026-03-29T00:59:59.999Z', open: true, next: '2026-03-29T01:00:00Z' },
        { at: '2026-03-29T01:00:00Z', open: false, next: '2026-04-04T21:00:00Z' },
      ]);
    });

    it('keeps an overnight interval across fall-back to its local end', () => {
      check(schedule('Europe/London; sat 22:00-02:00+1'), [
        { at: '2026-10-24T21:00:00Z', open: true, next: '2026-10-25T02:00:00Z' }, // 22:00 BST → 02:00 GMT: 5 h
      ]);
    });

    it('starts an interval that begins in the skipped hour at 02:00 BST', () => {
      check(schedule('Europe/London; sun 01:30-03:00'), [
        { at: '2026-03-29T00:59:59.999Z', open: false, next: '2026-03-29T01:00:00Z' },
        { at: '2026-03-29T01:00:00Z', open: true, next: '2026-03-29T02:00:00Z' },
      ]);
    });
  });

  describe('zone helpers', () => {
    const cases: Array<[zone: string, at: string, offsetHours: number]> = [
      ['Asia/Tokyo', '2026-07-01T00:00:00Z', 9],
      ['America/Los_Angeles', '2026-03-08T09:59:59Z', -8],
      ['America/Los_Angeles', '2026-03-08T10:00:00Z', -7],
      ['Europe/London', '2026-10-25T00:59:59Z', 1],
      ['Europe/London', '2026-10-25T01:00:00Z', 0],
    ];
    it('reads zone offsets at an instant', () => {
      for (const [zone, at, hours] of cases) expect(zoneOffset(zone, T(at)), `${zone} ${at}`).to.equal(hours * 36e5);
    });

    it('maps wall times to instants: gap → end of the gap, repeated → first occurrence', () => {
      const wall = (s: string) => T(`${s}Z`);
      expect(iso(toInstant('America/Los_Angeles', wall('2026-03-08T02:30:00')))).to.equal('2026-03-08T10:00:00.000Z');
      expect(iso(toInstant('America/Los_Angeles', wall('2026-11-01T01:30:00')))).to.equal('2026-11-01T08:30:00.000Z');
      expect(iso(toInstant('America/Los_Angeles', wall('2026-11-01T02:00:00')))).to.equal('2026-11-01T10:00:00.000Z');
      expect(iso(toInstant('Asia/Tokyo', wall('2026-01-05T10:00:00')))).to.equal('2026-01-05T01:00:00.000Z');
    });

    it('finds local dates and the next local midnight', () => {
      expect(iso(localDay('Asia/Tokyo', T('2026-01-04T15:00:00Z')))).to.equal('2026-01-05T00:00:00.000Z');
      expect(iso(localDay('America/New_York', T('2026-01-05T04:59:59Z')))).to.equal('2026-01-04T00:00:00.000Z');
      // The day of spring-forward has 23 hours.
      expect(iso(nextMidnight('America/Los_Angeles', T('2026-03-08T08:00:00Z')))).to.equal('2026-03-09T07:00:00.000Z');
    });
  });
});
