/**
 * The bot → operator conversation flow as a pure transition function. No I/O, no clock: the
 * session feeds it user actions, transport events and hours-engine events, runs the returned
 * command, and reports `illegal` results to the host as `mcs-error`.
 */
import type { ClientCommand, ServerEvent, TransportErrorCode } from '../transport/types.js';

/**
 * Where the conversation stands.
 * - `bot`: the 24-hour bot answers.
 * - `requested`: the user asked for an operator; the backend has not answered yet.
 * - `queued`: waiting for an operator (`position`, `etaSeconds`).
 * - `operator`: chatting with `operator`.
 * - `ended`: over; the survey is pending until `rated`.
 * - `after-hours`: the user asked for an operator while none work (or hours closed while
 *   waiting); the bot still answers and a message can be left.
 * - `message-left`: a message for operators was left (`ticket` once the backend confirms it).
 */
export type Phase = 'bot' | 'requested' | 'queued' | 'operator' | 'ended' | 'after-hours' | 'message-left';

/** The flow's state. Fields other than `phase`, `open` and `closingSoon` belong to one phase. */
export interface FlowState {
  readonly phase: Phase;
  /** Whether operators work now (hours engine, overridden by the backend). */
  readonly open: boolean;
  /** Whether closing time is near (the hours engine's warning window). */
  readonly closingSoon: boolean;
  /**
   * The user is asked first: for an operator while closing soon (asking again queues), or whether
   * to end the chat with one (`end` ends it); `cancel` answers no.
   */
  readonly confirm?: boolean;
  /** `queued`: position in the queue, 1 = next. */
  readonly position?: number;
  /** `queued`: estimated wait in seconds, when the backend gives one. */
  readonly etaSeconds?: number;
  /** `operator`: the operator's display name. */
  readonly operator?: string;
  /** Whether the other side (bot or operator) is typing. */
  readonly typing?: boolean;
  /** `ended`: whether the survey was answered. */
  readonly rated?: boolean;
  /** `ended` by the user: where they ended it from, to go back to if the server never hears of it. */
  readonly back?: FlowState;
  /** `message-left`: the backend's ticket id, once confirmed. */
  readonly ticket?: string;
}

/** What the user (or the host, through the element's methods) does. */
export type UserEvent =
  | { type: 'ask-operator'; context?: Record<string, unknown> }
  | { type: 'cancel' }
  | { type: 'end' }
  /** The user's "End chat" button: one tap must not end a chat with an operator, so it asks first. */
  | { type: 'ask-end' }
  | { type: 'rate'; score: 1 | 2 | 3 | 4 | 5; comment?: string }
  | { type: 'leave-message'; text: string; context?: Record<string, unknown> }
  | { type: 'new-conversation' };

/** What the business-hours engine reports, at the boundaries. */
export type HoursEvent = { type: 'opened' } | { type: 'closed' } | { type: 'closing-soon' };

/** A command the flow asked for was rejected by the transport. */
export interface FailedEvent {
  type: 'failed';
  command: ClientCommand['type'];
  code: TransportErrorCode;
}

/** The user answered this conversation's survey before a reload, or in another tab. */
export interface RatedEvent {
  type: 'rated';
}

/**
 * The server no longer had the conversation (it restarted without it, or expired it) and opened
 * another: nothing of the old one (queue, operator, survey, ticket) holds there.
 */
export interface LostEvent {
  type: 'lost';
}

/** Everything the flow reacts to. Server events are passed through unchanged. */
export type FlowEvent = UserEvent | HoursEvent | FailedEvent | RatedEvent | LostEvent | ServerEvent;

/** The result of one transition. */
export interface Transition {
  /** The next state; the very same object when nothing changed. */
  state: FlowState;
  /** A command for the session to send through the transport. */
  command?: ClientCommand;
  /** The event is not allowed in this phase (a user event only); `state` is unchanged. */
  illegal?: true;
}

/**
 * The state a conversation starts in.
 * @param open whether operators work now. Default true.
 * @param closingSoon whether closing time is near. Default false.
 */
export const initialState = (open = true, closingSoon = false): FlowState => ({ phase: 'bot', open, closingSoon });

/** The phase of a state. */
export const phaseOf = (state: FlowState): Phase => state.phase;

/** A state in another phase: the phase's own fields start afresh. */
const go = (s: FlowState, phase: Phase, extra?: Partial<FlowState>): FlowState => ({ phase, open: s.open, closingSoon: s.closingSoon, ...extra });

/**
 * One step of the flow. Never throws: a user event the phase does not allow comes back with
 * `illegal` and the same state; a server or hours event that no longer applies (a late queue
 * update after a cancel) leaves the state as is, because the server's later events settle it.
 */
export function transition(s: FlowState, e: FlowEvent): Transition {
  const p = s.phase;
  const waiting = p == 'requested' || p == 'queued';
  // An operator is asked for, or chatting.
  const busy = waiting || p == 'operator';
  const idle = !busy && p != 'ended';
  const hours = (open: boolean): FlowState => {
    const t = { ...s, open, closingSoon: false, confirm: false };
    // Opening takes an after-hours conversation back to the bot; closing ends the wait for an operator.
    return (open ? p == 'after-hours' : waiting) ? go(t, open ? 'bot' : 'after-hours') : t;
  };
  // `false` marks a user event the phase does not allow.
  let next: FlowState | false = s;
  let command: ClientCommand | undefined;
  switch (e.type) {
    case 'ask-operator':
      if (!idle) next = false;
      else if (!s.open) next = go(s, 'after-hours');
      // Near closing the user is warned first; asking again means "queue me anyway".
      else if (s.closingSoon && !s.confirm) next = { ...s, confirm: true };
      else {
        command = { type: 'request-operator', context: e.context };
        next = go(s, 'requested');
      }
      break;
    case 'cancel':
      if (s.confirm) next = { ...s, confirm: false };
      else if (waiting) {
        command = { type: 'cancel-operator' };
        next = go(s, 'bot');
      }
      else next = p == 'after-hours' && go(s, 'bot');
      break;
    case 'ask-end':
      next = p == 'operator' && { ...s, confirm: true };
      break;
    case 'end':
      // Should the server never hear of it, the chat goes on, not the question.
      next = p != 'ended' && ((command = e), go(s, 'ended', { rated: false, back: { ...s, confirm: false } }));
      break;
    case 'rate':
      next = p == 'ended' && !s.rated && ((command = e), { ...s, rated: true });
      break;
    case 'rated':
      if (p == 'ended') next = { ...s, rated: true };
      break;
    case 'leave-message':
      next = idle && ((command = e), go(s, 'message-left'));
      break;
    case 'new-conversation':
      next = !busy && go(s, 'bot');
      break;
    case 'lost':
      next = go(s, 'bot');
      break;
    case 'opened':
    case 'closed':
      next = hours(e.type == 'opened');
      // Leaving the queue locally is not enough: the backend must stop offering an operator.
      if (e.type == 'closed' && waiting) command = { type: 'cancel-operator' };
      break;
    case 'hours':
      // `null` clears a backend override: the hours engine then reports the schedule's state.
      if (e.override.state) next = hours(e.override.state == 'open');
      break;
    case 'closing-soon':
      next = { ...s, closingSoon: true };
      break;
    case 'queue':
      // Position 0 means "no longer queued" (cancelled, or dropped at closing).
      if (e.position) {
        if (p == 'bot' || waiting) next = go(s, 'queued', { position: e.position, etaSeconds: e.etaSeconds });
      } else if (waiting) next = go(s, 'bot');
      break;
    case 'operator-joined':
      next = go(s, 'operator', { operator: e.name });
      break;
    case 'operator-left':
      if (p == 'operator') next = go(s, 'bot');
      break;
    case 'ended':
      if (p != 'ended') next = go(s, 'ended', { rated: false });
      // The server has the user's own end: should its answer still fail, there is no going back.
      else if (s.back) next = { ...s, back: undefined };
      break;
    case 'ticket':
      next = go(s, 'message-left', { ticket: e.id });
      break;
    case 'typing':
      next = { ...s, typing: e.active };
      break;
    case 'message':
      if (s.typing && e.message.role != 'user') next = { ...s, typing: false };
      break;
    case 'failed':
      if (e.command == 'request-operator' && p == 'requested') {
        next = e.code == 'unavailable' ? go(s, 'after-hours', { open: false }) : go(s, 'bot');
      } else if (e.command == 'leave-message' && p == 'message-left' && !s.ticket) next = go(s, s.open ? 'bot' : 'after-hours');
      // The UI must not claim what the server never heard: the chat goes on, or the survey is
      // offered again. A conflict means the server is already past it.
      else if (e.code != 'conflict') {
        if (e.command == 'end' && s.back) next = { ...s.back, open: s.open, closingSoon: s.closingSoon };
        if (e.command == 'rate' && s.rated) next = { ...s, rated: false };
      }
  }
  return next ? { state: next, command } : { state: s, illegal: true };
}

/**
 * Rebuilds the flow from a conversation's history (after a reload mid-conversation): folds the
 * sequenced server events, oldest first, over `state`. Afterwards, dispatch the hours engine's
 * current `opened`/`closed`, since an old `hours` event in the history may no longer hold.
 * @param state where to start. Default `initialState()`.
 */
export const replay = (events: readonly ServerEvent[], state = initialState()): FlowState =>
  events.reduce((s, e) => transition(s, e).state, state);
