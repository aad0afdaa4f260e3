import { expect } from '@open-wc/testing';
import { DEFAULT_SCHEDULE, type Schedule } from '../../src/hours/engine.js';
import { formatHours, formatNextOpening, formatTime, userTimeZone } from '../../src/hours/format.js';
import { parseSchedule } from '../../src/hours/parse.js';
import { translator } from '../../src/i18n/index.js';

const T = (iso: string) => Date.parse(iso);
// ICU puts narrow no-break spaces before AM/PM and around some dashes; compare plain spaces.
const plain = (s: string | null) => (s == null ? s : s.replace(/\s/g, ' '));
const en = translator('en');
const ja = translator('ja');
const schedule = (hours: string): Schedule => parseSchedule(hours).schedule;

describe('hours/format', () => {
  describe('formatHours', () => {
    const monday = T('2026-01-05T12:00:00+09:00');
    const cases: Array<[name: string, s: Schedule, locale: string, want: string | null]> = [
      ['default, ja', DEFAULT_SCHEDULE, 'ja', 'オペレーター対応時間は 10:00〜18:30（日本時間）です。'],
      ['default, en (12-hour)', DEFAULT_SCHEDULE, 'en', 'Operators are available 10:00 AM–6:30 PM (Japan time).'],
      ['default, en-GB (24-hour)', DEFAULT_SCHEDULE, 'en-GB', 'Operators are available 10:00–18:30 (Japan time).'],
      ['split shift, ja', schedule('mon 10:00-12:00,13:00-17:00'), 'ja', 'オペレーター対応時間は 10:00〜12:00、13:00〜17:00（日本時間）です。'],
      ['split shift, en', schedule('mon 10:00-12:00,13:00-17:00'), 'en', 'Operators are available 10:00 AM–12:00 PM and 1:00 PM–5:00 PM (Japan time).'],
      ['another zone, en', schedule('America/Los_Angeles; daily 09:00-17:00'), 'en', 'Operators are available 9:00 AM–5:00 PM (Pacific Time).'],
      ['another zone, ja', schedule('America/Los_Angeles; daily 09:00-17:00'), 'ja', 'オペレーター対応時間は 9:00〜17:00（米国太平洋時間）です。'],
      ['a closed day', schedule('mon closed; tue 10:00-11:00'), 'en', null],
    ];
    for (const [name, s, locale, want] of cases) {
      it(`states the day’s hours in the schedule’s zone (${name})`, () => {
        expect(plain(formatHours(s, monday, locale, locale === 'ja' ? ja : en))).to.equal(want);
      });
    }

    it('uses the hours of the schedule’s local day, not the user’s', () => {
      // Sunday 20:00 in Los Angeles is already Monday in Tokyo.
      const s = schedule('mon 10:00-12:00');
      expect(plain(formatHours(s, T('2026-01-04T20:00:00-08:00'), 'en-GB', en))).to.equal('Operators are available 10:00–12:00 (Japan time).');
    });
  });

  describe('formatNextOpening', () => {
    // Monday 2026-01-05, 20:00 in Tokyo (03:00 in Los Angeles, 11:00 in London).
    const now = T('2026-01-05T20:00:00+09:00');
    const tomorrow10 = T('2026-01-06T10:00:00+09:00');
    const cases: Array<[name: string, next: number, locale: string, zone: string, want: string]> = [
      ['same zone, en', tomorrow10, 'en', 'Asia/Tokyo', 'They will be back tomorrow at 10:00 AM.'],
      ['same zone, ja', tomorrow10, 'ja', 'Asia/Tokyo', '明日 10:00から対応します。'],
      ['same offset, other zone name', tomorrow10, 'en', 'Asia/Seoul', 'They will be back tomorrow at 10:00 AM.'],
      ['user in Los Angeles, en', tomorrow10, 'en', 'America/Los_Angeles', 'They will be back today at 5:00 PM PST (10:00 AM JST).'],
      ['user in Los Angeles, ja', tomorrow10, 'ja', 'America/Los_Angeles', '今日 17:00 GMT-8（10:00 JST）から対応します。'],
      ['user in London, en-GB', tomorrow10, 'en-GB', 'Europe/London', 'They will be back tomorrow at 01:00 GMT (10:00 JST).'],
      ['a weekday this week, en', T('2026-01-09T10:00:00+09:00'), 'en', 'Asia/Tokyo', 'They will be back on Friday at 10:00 AM.'],
      ['a weekday this week, ja', T('2026-01-09T10:00:00+09:00'), 'ja', 'Asia/Tokyo', '金曜日 10:00から対応します。'],
      ['a week or more ahead, en', T('2026-01-12T10:00:00+09:00'), 'en', 'Asia/Tokyo', 'They will be back on January 12 at 10:00 AM.'],
      ['a week or more ahead, ja', T('2026-01-12T10:00:00+09:00'), 'ja', 'Asia/Tokyo', '1月12日 10:00から対応します。'],
    ];
    for (const [name, next, locale, zone, want] of cases) {
      it(`says when operators are back in the user’s zone and locale (${name})`, () => {
        expect(plain(formatNextOpening(DEFAULT_SCHEDULE, next, now, locale, locale === 'ja' ? ja : en, zone))).to.equal(want);
      });
    }

    it('counts days in the user’s zone across a DST change of the schedule’s zone', () => {
      // Los Angeles schedule; user in Tokyo on Sunday 2026-03-08 13:00 JST (Saturday 20:00 PST).
      const s = schedule('America/Los_Angeles; daily 10:00-18:30');
      const opening = T('2026-03-08T10:00:00-07:00'); // 10:00 PDT, the first day of DST = Monday 02:00 JST
      expect(plain(formatNextOpening(s, opening, T('2026-03-07T20:00:00-08:00'), 'en', en, 'Asia/Tokyo'))).to.equal(
        'They will be back tomorrow at 2:00 AM JST (10:00 AM PDT).',
      );
    });

    it('defaults to the browser’s zone', () => {
      const zone = userTimeZone();
      expect(zone).to.be.a('string').and.not.empty;
      expect(formatNextOpening(DEFAULT_SCHEDULE, tomorrow10, now, 'en', en)).to.equal(
        formatNextOpening(DEFAULT_SCHEDULE, tomorrow10, now, 'en', en, zone),
      );
    });
  });

  describe('formatTime', () => {
    const cases: Array<[locale: string, zone: string, want: string]> = [
      ['en', 'Asia/Tokyo', '6:30 PM'],
      ['ja', 'Asia/Tokyo', '18:30'],
      ['en', 'America/New_York', '4:30 AM EST (6:30 PM JST)'],
      ['ja', 'America/New_York', '4:30 GMT-5（18:30 JST）'],
    ];
    for (const [locale, zone, want] of cases) {
      it(`shows an instant in the user’s zone, then the schedule’s (${locale}, ${zone})`, () => {
        const t = T('2026-01-05T18:30:00+09:00');
        expect(plain(formatTime(DEFAULT_SCHEDULE, t, locale, locale === 'ja' ? ja : en, zone))).to.equal(want);
      });
    }
  });
});
