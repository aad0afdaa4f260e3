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
/** How far ahead the engine looks for a change (about a year); beyond it, nothing changes. */
const HORIZON = 400 * DAY;

/** The default: 10:00–18:30 every day, Japan time. */
export const DEFAULT_SCHEDULE: Schedule = {
  timeZone: 'Asia/Tokyo',
  weekly: Array(7).fill([[600, 1110]]),
  dates: {},
};

const formats: Record<string, Intl.DateTimeFormat> = {};

/**
 * A formatter of `locale` in `timeZone`: `options` plus the zone. Made once: building one costs
 * far more than using it, and the panel re-renders on every keystroke. Throws a `RangeError` for
 * an unknown zone name.
 */
export const dtf = (locale: string, timeZone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat =>
  (formats[locale + timeZone + JSON.stringify(options)] ??= new Intl.DateTimeFormat(locale, { timeZone, ...options }));

/**
 * The offset formatter of a zone ("1/5/2026, GMT+09:00"), in the same cache under the bare zone
 * name: the engine asks for it dozens of times per day it scans, so the key is not built each time.
 */
export const zoneFormat = (timeZone: string): Intl.DateTimeFormat =>
  (formats[timeZone] ??= new Intl.DateTimeFormat('en', { timeZone, timeZoneName: 'longOffset' }));

/** Offset of `timeZone` from UTC at instant `t` (both in ms): local wall time = `t + offset`. */
export const zoneOffset = (timeZone: string, t: number): number => {
  // "GMT" alone is UTC itself.
  const [, sign, h, m] = /([+-])(\d+):(\d+)/.exec(zoneFormat(timeZone).format(t)) ?? [];
  return sign ? +(sign + (+h * 60 + +m)) * 6e4 : 0;
};

/**
 * The instant a wall time (`w`: the local date and time written as if it were UTC, in ms) happens in
 * `timeZone`: the first instant at which the local clock shows `w` or later. So a wall time inside
 * a spring-forward gap maps to the end of the gap (02:30 on a US spring-forward day → 03:00 daylight
 * time), and a wall time repeated by a fall-back maps to its first occurrence.
 */
export const toInstant = (timeZone: string, w: number): number => {
  const reached = (t: number) => t + zoneOffset(timeZone, t) >= w;
  // The earliest instant `w` can be: under the larger of the offsets a day before and a day after.
  let t = w - Math.max(zoneOffset(timeZone, w - DAY), zoneOffset(timeZone, w + DAY));
  // At `t` the local clock already shows `w` (a repeated wall time: its first occurrence), or it
  // runs only forward from `t` (a gap, or no change): then the answer is the first instant
  // reached, found by halving steps (2^28 ms, three days, spans any offset change).
  if (reached(t)) return t;
  for (let step = 2 ** 27; step; step >>= 1) if (!reached(t + step)) t += step;
  return t + 1;
};

/** The ISO date (`YYYY-MM-DD`) of a UTC midnight (ms), as `Schedule.dates` keys are written. */
export const dateKey = (day: number): string => new Date(day).toISOString().slice(0, 10);

/** The local date of instant `t` in `timeZone`, as the UTC midnight of that date (ms). */
export const localDay = (timeZone: string, t: number): number => {
  const w = t + zoneOffset(timeZone, t);
  return w - (w % DAY);
};

/** The next local midnight after instant `t` in `timeZone`, as an instant (ms). */
export const nextMidnight = (timeZone: string, t: number): number => toInstant(timeZone, localDay(timeZone, t) + DAY);

/**
 * The intervals that start on a local date (`day`: its UTC midnight, as `localDay` returns), as
 * `[open, close]` instants in ms, in order. Intervals that vanish into a DST gap are dropped.
 */
export const dayIntervals = (s: Schedule, day: number): Array<[number, number]> =>
  (s.dates[dateKey(day)] ?? s.weekly[new Date(day).getUTCDay()] ?? [])
    .map((interval) => interval.map((minutes) => toInstant(s.timeZone, day + minutes * 6e4)) as [number, number])
    .filter(([a, b]) => a < b);

/**
 * The scheduled state (no override) at `at` and the first instant after it at which that state
 * changes, looking about a year ahead (`null`: no change within that). Intervals are walked in
 * order from the day before (an overnight interval starts then); touching ones merge.
 */
const scan = (s: Schedule, at: number): [open: boolean, change: number | null] => {
  let end = at;
  for (let day = localDay(s.timeZone, at) - DAY; day < at + HORIZON; day += DAY)
    for (const [a, b] of dayIntervals(s, day)) {
      if (a > end) return [end > at, end > at ? end : a];
      if (b > end) end = b;
    }
  return [end > at, null];
};

/**
 * Whether operators are available at instant `at` (ms), and the first instant after it at which
 * that changes (`null` if it does not change in the next year, or an override without `until`
 * holds it). The backend override wins while in force. Touching intervals (12:00–14:00 then
 * 14:00–16:00, or an overnight shift continued the next morning) count as one: no change between.
 */
export const hoursAt = (s: Schedule, at: number): [open: boolean, change: number | null] => {
  const { state, until } = s.override ?? {};
  // An override without a state, or one whose end has passed, is none.
  if (!state || until! <= at) return scan(s, at);
  const open = state == 'open';
  // An end past the year looked ahead, or no time at all (a custom adapter passes events on
  // unchecked), is none: within the horizon the override holds.
  const [then, change] = until! < at + HORIZON ? scan(s, until!) : [open, null];
  // After the override ends, the schedule takes over: a change then only if it differs.
  return [open, then != open ? until! : change];
};

/** Whether operators are available at instant `at` (ms); see `hoursAt`. */
export const isOpen = (s: Schedule, at: number): boolean => hoursAt(s, at)[0];

/** The first instant after `at` (ms) at which `isOpen` changes, or `null`; see `hoursAt`. */
export const nextChange = (s: Schedule, at: number): number | null => hoursAt(s, at)[1];

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
