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
  /** One short English reason per problem, naming the rule (`bad zone "Tokyo"`); empty when the input was valid. */
  errors: string[];
}

const WEEKDAYS = 'sun mon tue wed thu fri sat'.split(' ');

/**
 * Reads business hours from the `hours` attribute (a string) or property (a `ScheduleInput`, or a
 * `Schedule`, passed through as is); never throws. `null`/`undefined` give the default schedule
 * without errors.
 *
 * The attribute form is `;`-separated: an optional IANA zone, then rules `DAYS HOURS`, later
 * rules replacing earlier ones for the same day:
 * `Asia/Tokyo; mon-fri 10:00-18:30; sat 10:00-12:00,13:00-17:00; 2026-12-29..2027-01-03 closed`.
 * The object form is read as the same rules.
 *
 * A range's end must be after its start; an overnight range is written with `+1` (`22:00-02:00+1`)
 * or an end past 24:00 (`22:00-26:00`), and belongs to the day it starts on. Equal ends, ends
 * before starts and ranges longer than 24 hours are errors.
 */
export const parseSchedule = (input: unknown): ParsedSchedule => {
  const o = input as ScheduleInput;
  const errors: string[] = [];
  const dates: Record<string, Interval[]> = {};
  let weekly: Interval[][] | undefined;
  let timeZone = DEFAULT_SCHEDULE.timeZone;
  // Already normalized (a `Schedule`, e.g. from an earlier parse): only the zone can be wrong.
  const normalized = Array.isArray(o?.weekly);
  // Rules as [days, hours]; a lone word is the zone.
  const rules: unknown[][] =
    typeof input == 'string'
      ? input.split(';').map((part) => part.trim().split(/\s+([^]*)/, 2))
      : input && typeof input == 'object'
        ? [[o.timeZone], ...Object.entries(normalized ? {} : { ...o.weekly, ...o.dates })]
        : [];
  if (input != null && !rules.length) errors.push('not a string or an object');
  for (const rule of rules) {
    const [key, value] = rule as [string, unknown];
    let why = 'zone';
    try {
      if (!(1 in rule)) {
        if (key) timeZone = zoneFormat(key) && key;
        continue;
      }
      why = 'hours';
      // An array of ranges reads like its comma-separated string.
      const list = (value == 'closed' ? [] : String(value).split(','))
        .map((text): Interval => {
          const [, h1, m1, h2, m2, next] = (/^\s*(\d\d?):([0-5]\d)\s*[-–~〜]\s*(\d\d?):([0-5]\d)(\+1)?\s*$/.exec(text) ?? []).map(Number);
          const start = h1 * 60 + m1;
          const end = h2 * 60 + m2 + (next ? 1440 : 0);
          // NaN (no match) fails every comparison.
          if (!(start < 1440 && start < end && end <= start + 1440)) throw 0;
          return [start, end];
        })
        .sort((x, y) => x[0] - y[0]);
      why = 'days';
      // Days are written as they are read: a rule with an error makes the whole schedule the default.
      const [from, to = from, extra] = key.split('..');
      if (/^\d{4}-/.test(from)) {
        const first = Date.parse(from);
        const last = Date.parse(to);
        // Date.parse rolls 2026-02-30 over to March and reads looser forms: only exact round trips
        // pass. At most 400 days, the engine's horizon.
        if (!(first <= last && last - first < 400 * 864e5) || dateKey(first) != from || dateKey(last) != to || extra != null) throw 0;
        for (let d = first; d <= last; d += 864e5) dates[dateKey(d)] = list;
      } else
        for (const part of (key == 'daily' ? 'sun-sat' : key.toLowerCase()).split(',')) {
          const [first, last = first, more] = part.trim().split('-').map((name) => WEEKDAYS.indexOf(name));
          if (first < 0 || last < 0 || more != null) throw 0;
          for (let i = first; ((weekly ??= [[], [], [], [], [], [], []])[i] = list), i != last; i = (i + 1) % 7);
        }
    } catch {
      errors.push(`bad ${why} "${rule.join(' ')}"`);
    }
  }
  return {
    schedule:
      errors.length || input == null
        ? DEFAULT_SCHEDULE
        : normalized
          ? (input as Schedule)
          : { timeZone, weekly: weekly ?? DEFAULT_SCHEDULE.weekly, dates, override: o.override },
    errors,
  };
};
