import type { HoursOverride } from '../transport/types.js';

/**
 * One opening interval of a day, in minutes after the local midnight of the day it starts on:
 * `[start, end]` with `0 ≤ start < 1440` and `start < end ≤ start + 1440`. An `end` past 1440
 * runs overnight into the next day (`[1320, 1560]` is 22:00–02:00).
 */
export type Interval = readonly [start: number, end: number];

/** A business-hours schedule, normalized (build one from friendlier input with `parseSchedule`). */
export interface Schedule {
  /** IANA time zone the wall times are in. Default `Asia/Tokyo`. */
  timeZone: string;
  /** Seven lists of intervals sorted by start, indexed like `Date#getDay()`: 0 = Sunday … 6 = Saturday. */
  weekly: ReadonlyArray<ReadonlyArray<Interval>>;
  /** Overrides per local date (`YYYY-MM-DD`): an empty list closes the day, a list replaces its hours. */
  dates: Readonly<Record<string, ReadonlyArray<Interval>>>;
  /** A backend override (emergency closure, forced open); `null`, absent or expired means none. */
  override?: HoursOverride | null;
}

const DAY = 864e5;

/** The default: 10:00–18:30 every day, Japan time. */
export const DEFAULT_SCHEDULE: Schedule = {
  timeZone: 'Asia/Tokyo',
  weekly: Array(7).fill([[600, 1110]]),
  dates: {},
};

// Building a DateTimeFormat costs far more than using one: one per zone, made on first use.
const formats: Record<string, Intl.DateTimeFormat> = {};

/** The cached wall-clock formatter of a zone. Throws a `RangeError` for an unknown zone name. */
export const zoneFormat = (timeZone: string): Intl.DateTimeFormat =>
  (formats[timeZone] ??= new Intl.DateTimeFormat('en-US', {
    timeZone,
    // h23: some engines print midnight as 24:00 with hour12: false.
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }));

/** Offset of `timeZone` from UTC at instant `t` (both in ms): local wall time = `t + offset`. */
export const zoneOffset = (timeZone: string, t: number): number => {
  const [mo, d, y, h, mi, s] = zoneFormat(timeZone).format(t).match(/\d+/g)!.map(Number);
  return Date.UTC(y, mo - 1, d, h, mi, s) - Math.floor(t / 1e3) * 1e3;
};

/**
 * The instant a wall time (`w`: the local date and time written as if it were UTC, in ms) happens in
 * `timeZone`: the first instant at which the local clock shows `w` or later. So a wall time inside
 * a spring-forward gap maps to the end of the gap (02:30 on a US spring-forward day → 03:00 daylight
 * time), and a wall time repeated by a fall-back maps to its first occurrence.
 */
export const toInstant = (timeZone: string, w: number): number => {
  const a = zoneOffset(timeZone, w - DAY);
  const b = zoneOffset(timeZone, w + DAY);
  if (a === b) return w - a;
  const ta = w - a;
  const tb = w - b;
  const va = zoneOffset(timeZone, ta) === a;
  const vb = zoneOffset(timeZone, tb) === b;
  if (va || vb) return va && vb ? Math.min(ta, tb) : va ? ta : tb;
  // In a gap: find the transition, the first second that already has the later offset.
  let lo = tb / 1e3;
  let hi = ta / 1e3;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (zoneOffset(timeZone, mid * 1e3) === b) hi = mid;
    else lo = mid;
  }
  return hi * 1e3;
};

/** The ISO date (`YYYY-MM-DD`) of a UTC midnight (ms), as `Schedule.dates` keys are written. */
export const dateKey = (day: number): string => new Date(day).toISOString().slice(0, 10);

/** The local date of instant `t` in `timeZone`, as the UTC midnight of that date (ms). */
export const localDay = (timeZone: string, t: number): number => {
  const w = t + zoneOffset(timeZone, t);
  return Math.floor(w / DAY) * DAY;
};

/** The next local midnight after instant `t` in `timeZone`, as an instant (ms). */
export const nextMidnight = (timeZone: string, t: number): number => toInstant(timeZone, localDay(timeZone, t) + DAY);

/**
 * The intervals that start on a local date (`day`: its UTC midnight, as `localDay` returns), as
 * `[open, close]` instants in ms, in order. Intervals that vanish into a DST gap are dropped.
 */
export const dayIntervals = (s: Schedule, day: number): Array<[number, number]> => {
  return (s.dates[dateKey(day)] ?? s.weekly[new Date(day).getUTCDay()] ?? [])
    .map(([a, b]): [number, number] => [toInstant(s.timeZone, day + a * 6e4), toInstant(s.timeZone, day + b * 6e4)])
    .filter(([a, b]) => a < b);
};

/** Whether the weekly and dated hours alone (no override) are open at `at`. */
const scheduled = (s: Schedule, at: number): boolean => {
  const d = localDay(s.timeZone, at);
  // An interval starts on the day of `at` or, overnight, on the day before.
  return [d - DAY, d].some((day) => dayIntervals(s, day).some(([a, b]) => a <= at && at < b));
};

/**
 * The first instant after `at` at which the scheduled state (no override) stops being `open`,
 * looking about a year ahead; `null` if it never does within that.
 */
const walk = (s: Schedule, at: number, open: boolean): number | null => {
  let end = at;
  for (let i = 0, day = localDay(s.timeZone, at) - DAY; i < 400; i++, day += DAY) {
    for (const [a, b] of dayIntervals(s, day)) {
      if (!open) {
        if (a > at) return a;
      } else if (a > end) return end;
      else if (b > end) end = b;
    }
  }
  return null;
};

/** The backend override in force at `at`, if any. */
const forced = ({ override: o }: Schedule, at: number): HoursOverride | null | undefined =>
  o?.state && !(o.until! <= at) ? o : null;

/** Whether operators are available at instant `at` (ms). The backend override wins while in force. */
export const isOpen = (s: Schedule, at: number): boolean => {
  const o = forced(s, at);
  return o ? o.state === 'open' : scheduled(s, at);
};

/**
 * The first instant after `at` (ms) at which `isOpen` changes, or `null` if it does not change in
 * the next year (or an override without `until` holds it). Touching intervals (12:00–14:00 then
 * 14:00–16:00, or an overnight shift continued the next morning) count as one: no change between.
 */
export const nextChange = (s: Schedule, at: number): number | null => {
  const o = forced(s, at);
  if (!o) return walk(s, at, scheduled(s, at));
  const until = o.until;
  if (until == null) return null;
  const open = scheduled(s, until);
  return open !== (o.state === 'open') ? until : walk(s, until, open);
};

/** When the interval open at `at` closes (ms); `null` if closed at `at` or it does not close within a year. */
export const currentClose = (s: Schedule, at: number): number | null => (isOpen(s, at) ? nextChange(s, at) : null);

/**
 * The next instant after `at` at which operators become available (ms): when closed, the next
 * opening; when open, the opening after the current interval closes. `null` if none within a year.
 */
export const nextOpening = (s: Schedule, at: number): number | null => {
  const from = isOpen(s, at) ? nextChange(s, at) : at;
  return from == null ? null : nextChange(s, from);
};
