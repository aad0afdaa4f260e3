import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { hoursAt, nextMidnight, type Schedule } from '../hours/engine.js';
import { userTimeZone } from '../hours/format.js';

/** Options of `createHoursController`. */
export interface HoursControllerOptions {
  /** Returns the current schedule; a different object than last time is picked up on the host's next update. */
  schedule: () => Schedule;
  /** The clock, ms since the epoch. Default `Date.now`. */
  now?: () => number;
  /** How long before a close `closingSoon` turns on, in minutes. Default 15. Read at every check, so a getter follows a changing setting. */
  closingSoonMinutes?: number;
  /** The user's IANA time zone, whose midnight changes "tomorrow" into "today". Default: the browser's. */
  timeZone?: string;
  /**
   * Called when operators become available (`opened`), stop (`closed`), or the closing-soon window
   * starts (`closing-soon`), with the instant it was noticed (ms); not for the first reading.
   */
  onChange?: (change: 'opened' | 'closed' | 'closing-soon', at: number) => void;
}

/** Live business-hours state of a host; read it while rendering. */
export interface HoursController extends ReactiveController {
  /** Whether operators are available now. */
  readonly open: boolean;
  /** Whether the current interval closes within `closingSoonMinutes`. */
  readonly closingSoon: boolean;
  /** When the current interval closes (ms), or `null` when closed or not closing within a year. */
  readonly closesAt: number | null;
  /** When operators are next available after now (ms; after the current interval when open), or `null`. */
  readonly nextOpening: number | null;
  /** Re-reads the clock and the schedule now, once the state has been read (the host updates if anything changed). */
  refresh(): void;
}

/**
 * A reactive controller that keeps a host's business-hours state right to the millisecond: one
 * timer to the next boundary (opening, closing-soon, closing, or the user's midnight), re-armed
 * each time it fires, and a re-check on `visibilitychange`, `focus` and `online` because timers
 * stall while a device sleeps. No polling. Adds itself to `host`.
 *
 * Nothing is computed until the state is first read: the first time-zone lookup loads the
 * browser's time-zone data, a long task that must not land on a host page's start-up while
 * the widget is still closed.
 */
export const createHoursController = (
  host: ReactiveControllerHost,
  options: HoursControllerOptions,
): HoursController => {
  const { schedule, now = Date.now, timeZone, onChange } = options;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let last: Schedule | undefined;
  // Open, closing soon, closes at, next opening, and the user's next midnight ("tomorrow" becomes
  // "today" then): what the host renders from, so any difference asks for an update.
  let state: [boolean, boolean, number | null, number | null, number] | undefined;
  // Requesting an update from `hostUpdate` is harmless: the host's update is already under way.
  const sync = () => {
    const s = (last = schedule());
    const t = now();
    const [open, change] = hoursAt(s, t);
    const closesAt = open ? change : null;
    const warn = closesAt ? closesAt - (options.closingSoonMinutes ?? 15) * 6e4 : NaN;
    const midnight = nextMidnight(timeZone ?? userTimeZone(), t);
    const next: typeof state = [open, t >= warn, closesAt, open ? change && hoursAt(s, change)[1] : change, midnight];
    // The first reading is taken by whoever reads the state, so it needs no update of its own.
    if (state) {
      if (open != state[0]) onChange?.(open ? 'opened' : 'closed', t);
      if (next[1] > state[1]) onChange?.('closing-soon', t);
      if (next + '' != state + '') host.requestUpdate();
    }
    state = next;
    clearTimeout(timer);
    // Waking at least every midnight also keeps the delay far below setTimeout's 2^31-1 ms limit.
    timer = setTimeout(sync, Math.min(...[change!, warn, midnight].filter((x) => x > t)) - t);
  };
  // Once read, the state is kept current; before that there is nothing to keep.
  const recheck = () => state && sync();
  const read = () => (state ?? sync(), state!);
  const listen = (method: 'addEventListener' | 'removeEventListener') => {
    document[method]('visibilitychange', recheck);
    window[method]('focus', recheck);
    window[method]('online', recheck);
  };
  const c: HoursController = {
    get open() {
      return read()[0];
    },
    get closingSoon() {
      return read()[1];
    },
    get closesAt() {
      return read()[2];
    },
    get nextOpening() {
      return read()[3];
    },
    refresh: recheck,
    hostConnected() {
      listen('addEventListener');
      recheck();
    },
    hostUpdate() {
      if (last && schedule() != last) sync();
    },
    hostDisconnected() {
      listen('removeEventListener');
      clearTimeout(timer);
    },
  };
  host.addController(c);
  return c;
};
