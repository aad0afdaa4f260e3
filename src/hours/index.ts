export {
  DEFAULT_SCHEDULE,
  currentClose,
  dayIntervals,
  isOpen,
  localDay,
  nextChange,
  nextMidnight,
  nextOpening,
  toInstant,
  zoneOffset,
  type Interval,
  type Schedule,
} from './engine.js';
export { parseSchedule, type ParsedSchedule, type ScheduleInput } from './parse.js';
export { formatHours, formatNextOpening, formatTime, userTimeZone } from './format.js';
