/**
 * The demo's simulated clock: real time plus an offset, so time keeps running after a jump. The
 * element (`now` property), the reference backend and the panel all read this one clock, so the
 * widget's business-hours engine and the backend's queue always agree on the time.
 */
import { toInstant, zoneOffset } from '../../src/hours/engine.js';

/** A clock that can be set to any instant and keeps ticking from there. */
export interface DemoClock {
  /** The simulated time, ms since the epoch. */
  now(): number;
  /** Jumps to `at` (ms since the epoch); time runs on from there. */
  set(at: number): void;
  /** Back to the real time. */
  reset(): void;
  /** Whether the clock differs from the real time by more than a second. */
  readonly simulated: boolean;
  /** Calls `listener` after every jump; returns the unsubscribe function. */
  onJump(listener: () => void): () => void;
}

/**
 * Creates a clock.
 * @param start the instant to start at (ms); default the real time.
 * @param realNow the real clock; default `Date.now` (tests pass a fake).
 */
export function createClock(start?: number, realNow: () => number = () => Date.now()): DemoClock {
  let offset = start === undefined ? 0 : start - realNow();
  const listeners = new Set<() => void>();
  return {
    now: () => realNow() + offset,
    set(at) {
      offset = at - realNow();
      for (const listener of [...listeners]) listener();
    },
    reset() {
      this.set(realNow());
    },
    get simulated() {
      return Math.abs(offset) > 1000;
    },
    onJump(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/**
 * The instant a wall-clock date and time happen in `timeZone`.
 * @param date `YYYY-MM-DD`
 * @param time `HH:MM` or `HH:MM:SS`
 * @returns ms since the epoch, or `NaN` when `date` or `time` is malformed.
 */
export function wallTime(timeZone: string, date: string, time: string): number {
  const d = /^(\d{4})-(\d\d)-(\d\d)$/.exec(date);
  const t = /^(\d\d?):(\d\d)(?::(\d\d))?$/.exec(time);
  if (!d || !t) return NaN;
  return toInstant(timeZone, Date.UTC(+d[1], +d[2] - 1, +d[3], +t[1], +t[2], +(t[3] ?? 0)));
}

/** The wall-clock date (`YYYY-MM-DD`) and time (`HH:MM:SS`) of instant `at` in `timeZone`. */
export function wallParts(timeZone: string, at: number): { date: string; time: string } {
  const iso = new Date(at + zoneOffset(timeZone, at)).toISOString();
  return { date: iso.slice(0, 10), time: iso.slice(11, 19) };
}
