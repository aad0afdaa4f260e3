import type { Translate } from '../i18n/index.js';
import { DEFAULT_SCHEDULE, dayIntervals, dtf, localDay, zoneOffset, type Schedule } from './engine.js';

/** The time zone of the browser (the user), e.g. `Europe/Paris`. */
export const userTimeZone = (): string => new Intl.DateTimeFormat().resolvedOptions().timeZone;

const TOKYO = DEFAULT_SCHEDULE.timeZone;

/** A clock time in the locale's own 12/24-hour style, with the zone's short name if `named`. */
const clock = (locale: string, timeZone: string, t: number, named?: boolean) =>
  dtf(locale, timeZone, { hour: 'numeric', minute: '2-digit', timeZoneName: named ? 'short' : undefined })
    .format(t)
    // CLDR has no English abbreviation for Japan time; JST is what Japanese services print.
    .replace(timeZone == TOKYO ? 'GMT+9' : '\0', 'JST');

/**
 * Instant `t` (ms) as a clock time for the user: in their zone (default: the browser's), followed
 * by the schedule's when the two differ at `t`: "5:00 PM PST (10:00 AM JST)", or just "10:00 AM".
 */
export const formatTime = (s: Schedule, t: number, locale: string, tr: Translate, zone = userTimeZone()): string =>
  zoneOffset(zone, t) == zoneOffset(s.timeZone, t)
    ? clock(locale, zone, t)
    : tr('hours.bothZones', { local: clock(locale, zone, t, true), zone: clock(locale, s.timeZone, t, true) });

/**
 * The hours of the schedule's local day containing `at` as a sentence, in the schedule's zone:
 * "Operators are available 10:00 AM–6:30 PM (Japan time)." / "オペレーター対応時間は 10:00〜18:30（日本時間）です。"
 * `null` when that day has no hours. `locale` is a BCP 47 tag (it picks 12- or 24-hour clocks).
 */
export const formatHours = (s: Schedule, at: number, locale: string, tr: Translate): string | null => {
  const ranges = dayIntervals(s, localDay(s.timeZone, at)).map(([a, b]) =>
    tr('hours.range', { start: clock(locale, s.timeZone, a), end: clock(locale, s.timeZone, b) }),
  );
  return ranges.length
    ? tr('hours.available', {
        hours: new Intl.ListFormat(locale).format(ranges),
        // The zone name is the last part in en and ja ("1/5/2026, Pacific Time", "2026/1/5 アメリカ太平洋時間").
        zone: s.timeZone == TOKYO ? tr('hours.japanTime') : dtf(locale, s.timeZone, { timeZoneName: 'longGeneric' }).formatToParts(at).pop()!.value,
      })
    : null;
};

/**
 * When operators are back (`next`, from `nextOpening`), seen from `now`, in the user's zone
 * (default: the browser's) with a relative day word, plus the schedule's time when the zones differ:
 * "They will be back tomorrow at 5:00 PM PST (10:00 AM JST)." / "明日 10:00から対応します。" (it follows a
 * sentence about the operators, so it names them no more)
 */
export const formatNextOpening = (
  s: Schedule,
  next: number,
  now: number,
  locale: string,
  tr: Translate,
  zone = userTimeZone(),
): string => {
  const days = (localDay(zone, next) - localDay(zone, now)) / 864e5;
  return tr(days < 2 ? 'hours.backRelative' : 'hours.backOn', {
    day:
      days < 2
        ? new Intl.RelativeTimeFormat(locale, { numeric: 'auto' }).format(days, 'day')
        : dtf(locale, zone, days < 7 ? { weekday: 'long' } : { month: 'long', day: 'numeric' }).format(next),
    time: formatTime(s, next, locale, tr, zone),
  });
};
