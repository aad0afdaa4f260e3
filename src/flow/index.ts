export { initialState, phaseOf, replay, transition } from './flow.js';
export type { FailedEvent, FlowEvent, FlowState, HoursEvent, Phase, RatedEvent, Transition, UserEvent } from './flow.js';
