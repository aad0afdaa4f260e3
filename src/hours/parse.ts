import type { HoursOverride } from '../transport/types.js';
import { DEFAULT_SCHEDULE, dateKey, zoneFormat, type Interval, type Schedule } from './engine.js';

/**
 * Business hours as a host writes them (the element's `hours` property).
 *
 * Keys name days: `mon` … `sun`, ranges `mon-fri` (wrapping: `fri-mon`), lists `sat,sun`,
 * `daily`; or dates: `2026-12-31`, ranges `2026-12-29..2027-01-03`. Values are `closed`, a range
 * `10:00-18:30`, several `10:00-12:00,13:00-17:00` (or an array of ranges). See `parseSchedule`.
 */
export interface ScheduleInput {
  /** IANA time zone of the wall times. Default `Asia/Tokyo`. */
  timeZone?: string;
  /** Weekly hours, e.g. `{ 'mon-fri': '10:00-18:30', sat: ['10:00-12:00', '13:00-17:00'] }`. Days not listed are closed; no weekly hours at all keeps the default 10:00–18:30 every day. */
  weekly?: Record<string, string | readonly string[]>;
  /** Hours of single dates, replacing the weekly hours, e.g. `{ '2026-12-31': 'closed' }`. */
  dates?: Record<string, string | readonly string[]>;
  /** A backend override, as the transport's `hours` event carries it. */
  override?: HoursOverride | null;
}

/** What `parseSchedule` returns: a usable schedule (the default if anything was wrong) and why not. */
export interface ParsedSchedule {
  /** The schedule; `DEFAULT_SCHEDULE` (with no override) when `errors` is not empty. */
  schedule: Schedule;
  /** One English sentence per problem, for an `mcs-error` event; empty when the input was valid. */
  errors: string[];
}

const WEEKDAYS = 'sun mon tue wed thu fri sat'.split(' ');
const BAD_DAYS = 'days are mon…sun, mon-fri, sat,sun, daily or YYYY-MM-DD[..YYYY-MM-DD]';
const BAD_HOURS = 'hours are "closed" or ranges like 10:00-18:30[,13:00-17:00]';
const BAD_RANGE = 'a range ends after it starts, within 24 hours (overnight: 22:00-02:00+1)';

/** The UTC midnight of an ISO date; throws unless it is a real calendar date. */
const isoDate = (s: string): number => {
  const t = Date.parse(s);
  // Date.parse rolls 2026-02-30 over to March; the round trip catches it.
  if (dateKey(t) !== s) throw BAD_DAYS;
  return t;
};

/** Weekday numbers (0 = Sunday) or ISO dates named by a day key; throws a reason when malformed. */
const dayKeys = (key: string): Array<number | string> => {
  const out: Array<number | string> = [];
  const [from, to = from, extra] = key.split('..');
  if (/^\d{4}-/.test(from)) {
    for (let d = isoDate(from), last = isoDate(to); d <= last && out.length < 366; d += 864e5) out.push(dateKey(d));
  } else {
    for (const part of (key === 'daily' ? 'sun-sat' : key.toLowerCase()).split(',')) {
      const [first, last = first, more] = part.trim().split('-').map((name) => WEEKDAYS.indexOf(name));
      if (first < 0 || last < 0 || more != null) throw BAD_DAYS;
      for (let i = first; out.push(i), i !== last; i = (i + 1) % 7);
    }
  }
  if (!out.length || extra != null) throw BAD_DAYS;
  return out;
};

/** The intervals of a value: `closed`, `10:00-18:30,22:00-02:00+1`, or an array of ranges. */
const intervals = (value: unknown): Interval[] =>
  (value === 'closed' ? [] : Array.isArray(value) ? value : String(value).split(','))
    .map((text): Interval => {
      const [, h1, m1, h2, m2, overnight] = /^\s*(\d\d?):([0-5]\d)\s*[-–~〜]\s*(\d\d?):([0-5]\d)(\+1)?\s*$/.exec(String(text)) ?? [];
      const start = +h1 * 60 + +m1;
      const end = +h2 * 60 + +m2 + (overnight ? 1440 : 0);
      // NaN (no match) fails every comparison.
      if (!(start < 1440 && end <= 2880)) throw BAD_HOURS;
      if (!(end > start && end - start <= 1440)) throw BAD_RANGE;
      return [start, end];
    })
    .sort((x, y) => x[0] - y[0]);

/**
 * Reads business hours from the `hours` attribute (a string) or property (a `ScheduleInput`, or a
 * `Schedule`, passed through as is); never throws. `null`/`undefined` give the default schedule
 * without errors.
 *
 * The attribute form is `;`-separated: an optional IANA zone, then rules `DAYS HOURS`, later
 * rules replacing earlier ones for the same day:
 * `Asia/Tokyo; mon-fri 10:00-18:30; sat 10:00-12:00,13:00-17:00; 2026-12-29..2027-01-03 closed`.
 *
 * A range's end must be after its start; an overnight range is written with `+1` (`22:00-02:00+1`)
 * or an end past 24:00 (`22:00-26:00`), and belongs to the day it starts on. Equal ends, ends
 * before starts and ranges longer than 24 hours are errors.
 */
export const parseSchedule = (input: unknown): ParsedSchedule => {
  const errors: string[] = [];
  const dates: Record<string, Interval[]> = {};
  let weekly: Interval[][] | undefined;
  let timeZone = DEFAULT_SCHEDULE.timeZone;
  let override: HoursOverride | null | undefined;
  const rule = (key: string, value: unknown) => {
    try {
      const list = intervals(value);
      for (const day of dayKeys(key)) {
        if (typeof day === 'string') dates[day] = list;
        else (weekly ??= [[], [], [], [], [], [], []])[day] = list;
      }
    } catch (reason) {
      // Only an impossible date throws something other than our reasons (a RangeError).
      errors.push(`hours "${key} ${String(value)}": ${typeof reason === 'string' ? reason : BAD_DAYS}`);
    }
  };
  const zone = (name: string) => {
    try {
      zoneFormat(name);
      timeZone = name;
    } catch {
      errors.push(`hours: unknown time zone "${name}"`);
    }
  };
  if (typeof input === 'string') {
    for (const part of input.split(';')) {
      const [, head, body] = /^\s*(\S*)\s*(.*?)\s*$/.exec(part)!;
      // A rule has hours after its days; a lone word is the zone.
      if (body) rule(head, body);
      else if (head) zone(head);
    }
  } else if (input && typeof input === 'object') {
    const o = input as ScheduleInput;
    // Already normalized (a `Schedule`, e.g. from an earlier parse): only the zone can be wrong.
    if (Array.isArray(o.weekly)) {
      zone(o.timeZone!);
      return { schedule: errors.length ? DEFAULT_SCHEDULE : (input as Schedule), errors };
    }
    if (o.timeZone != null) zone(o.timeZone);
    for (const map of [o.weekly, o.dates]) for (const key in map) rule(key, map[key]);
    override = o.override;
  } else if (input != null) errors.push('hours: expected a string or an object');
  return {
    schedule: errors.length || input == null ? DEFAULT_SCHEDULE : { timeZone, weekly: weekly ?? DEFAULT_SCHEDULE.weekly, dates, override },
    errors,
  };
};
