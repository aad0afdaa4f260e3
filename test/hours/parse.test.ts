import { expect } from '@open-wc/testing';
import { DEFAULT_SCHEDULE } from '../../src/hours/engine.js';
import { parseSchedule } from '../../src/hours/parse.js';

const closed: never[] = [];
const h = (hh: number, mm = 0) => hh * 60 + mm;

describe('hours/parse', () => {
  it('gives the default schedule, without errors, for null and undefined', () => {
    for (const input of [null, undefined]) expect(parseSchedule(input)).to.deep.equal({ schedule: DEFAULT_SCHEDULE, errors: [] });
  });

  it('reads the attribute form: zone, day ranges, split shifts, closed and special dates', () => {
    const { schedule, errors } = parseSchedule(
      'America/New_York; mon-fri 10:00-18:30; sat 10:00-12:00,13:00-17:00; 2026-12-31 closed; 2027-01-04 12:00-16:00',
    );
    expect(errors).to.deep.equal([]);
    expect(schedule.timeZone).to.equal('America/New_York');
    const weekday = [[h(10), h(18, 30)]];
    expect(schedule.weekly).to.deep.equal([closed, weekday, weekday, weekday, weekday, weekday, [[h(10), h(12)], [h(13), h(17)]]]);
    expect(schedule.dates).to.deep.equal({ '2026-12-31': [], '2027-01-04': [[h(12), h(16)]] });
  });

  it('reads the same schedule from an object', () => {
    const fromString = parseSchedule('Europe/London; mon-fri 10:00-18:30; sat 10:00-12:00,13:00-17:00; 2026-12-31 closed');
    const fromObject = parseSchedule({
      timeZone: 'Europe/London',
      weekly: { 'mon-fri': '10:00-18:30', sat: ['10:00-12:00', '13:00-17:00'] },
      dates: { '2026-12-31': 'closed' },
    });
    expect(fromObject).to.deep.equal(fromString);
  });

  it('keeps the default zone and weekly hours when only dates are given', () => {
    const { schedule } = parseSchedule('2026-12-31 closed');
    expect(schedule.timeZone).to.equal('Asia/Tokyo');
    expect(schedule.weekly).to.equal(DEFAULT_SCHEDULE.weekly);
  });

  it('lets later rules replace earlier ones, and closes days no rule names', () => {
    const { schedule } = parseSchedule('daily 09:00-17:00; sun closed; sat 10:00-12:00');
    expect(schedule.weekly[0]).to.deep.equal([]);
    expect(schedule.weekly[3]).to.deep.equal([[h(9), h(17)]]);
    expect(schedule.weekly[6]).to.deep.equal([[h(10), h(12)]]);
    expect(parseSchedule('mon 10:00-11:00').schedule.weekly[2]).to.deep.equal([]);
  });

  it('reads day ranges that wrap around the week and comma-separated days', () => {
    const open = (input: string) => parseSchedule(input).schedule.weekly.map((day) => day.length > 0);
    expect(open('fri-mon 10:00-11:00')).to.deep.equal([true, true, false, false, false, true, true]);
    expect(open('SAT,Sun,wed 10:00-11:00')).to.deep.equal([true, false, false, true, false, false, true]);
  });

  it('expands a date range, across the year end', () => {
    expect(Object.keys(parseSchedule('2026-12-29..2027-01-03 closed').schedule.dates)).to.deep.equal([
      '2026-12-29',
      '2026-12-30',
      '2026-12-31',
      '2027-01-01',
      '2027-01-02',
      '2027-01-03',
    ]);
  });

  it('reads overnight ranges written with +1 or past 24:00, and Japanese separators', () => {
    const cases: Array<[string, number[][]]> = [
      ['22:00-02:00+1', [[h(22), h(26)]]],
      ['22:00-26:00', [[h(22), h(26)]]],
      ['00:00-24:00', [[0, h(24)]]],
      ['9:00〜12:00, 13:00~17:00', [[h(9), h(12)], [h(13), h(17)]]],
      ['13:00-17:00,9:00–12:00', [[h(9), h(12)], [h(13), h(17)]]],
    ];
    for (const [hours, want] of cases) {
      const { schedule, errors } = parseSchedule(`mon ${hours}`);
      expect(errors, hours).to.deep.equal([]);
      expect(schedule.weekly[1], hours).to.deep.equal(want);
    }
  });

  it('passes an already-normalized schedule through unchanged', () => {
    const s = { ...DEFAULT_SCHEDULE, override: { state: 'open' as const } };
    expect(parseSchedule(s)).to.deep.equal({ schedule: s, errors: [] });
    expect(parseSchedule(s).schedule).to.equal(s);
  });

  it('checks the zone of a normalized schedule', () => {
    const broken = { ...DEFAULT_SCHEDULE, timeZone: 'Nowhere/City' };
    expect(parseSchedule(broken).schedule).to.equal(DEFAULT_SCHEDULE);
    expect(parseSchedule(broken).errors[0]).to.match(/bad zone "Nowhere\/City"/);
  });

  it('passes a backend override through', () => {
    const override = { state: 'closed' as const, until: 1 };
    expect(parseSchedule({ override }).schedule.override).to.equal(override);
  });

  describe('invalid input', () => {
    const cases: Array<[input: unknown, reason: RegExp]> = [
      ['Mars/Olympus_Mons; daily 10:00-18:00', /bad zone "Mars\/Olympus_Mons"/],
      [{ timeZone: 'Tokyo' }, /bad zone "Tokyo"/],
      ['mon 18:30-10:00', /bad hours "mon 18:30-10:00"/],
      ['mon 10:00-10:00', /bad hours "mon 10:00-10:00"/],
      ['mon 10:00-11:00+1', /bad hours "mon 10:00-11:00\+1"/],
      ['mon 25:00-26:00', /bad hours "mon 25:00-26:00"/],
      ['mon 10:60-11:00', /bad hours "mon 10:60-11:00"/],
      ['mon 10-18', /bad hours "mon 10-18"/],
      ['mon open', /bad hours "mon open"/],
      ['funday 10:00-11:00', /bad days "funday 10:00-11:00"/],
      ['mon-tue-wed 10:00-11:00', /bad days "mon-tue-wed 10:00-11:00"/],
      ['2026-02-30 closed', /bad days "2026-02-30 closed"/],
      ['2026-13-01 closed', /bad days "2026-13-01 closed"/],
      ['2026-1-5 closed', /bad days "2026-1-5 closed"/],
      ['2027-01-03..2026-12-29 closed', /bad days "2027-01-03..2026-12-29 closed"/],
      [{ weekly: { mon: 5 } }, /bad hours "mon 5"/],
      [{ weekly: { mon: ['10:00-12:00', null] } }, /bad hours "mon 10:00-12:00,"/],
      [42, /not a string or an object/],
    ];
    for (const [input, reason] of cases) {
      it(`rejects ${JSON.stringify(input)} with a reason and falls back to the default`, () => {
        const { schedule, errors } = parseSchedule(input);
        expect(errors).to.have.length(1);
        expect(errors[0]).to.match(reason);
        expect(schedule).to.equal(DEFAULT_SCHEDULE);
      });
    }

    it('reports every problem, not only the first', () => {
      expect(parseSchedule('Nowhere/City; mon 9-5; xyz closed').errors).to.have.length(3);
    });
  });
});
