import { html, nothing } from 'lit/html.js';
import type { FlowState, UserEvent } from '../flow/index.js';
import type { Translate } from '../i18n/index.js';
import { textButton as button } from './button.js';

/** What the phase bar can ask the element to do. */
export interface PhaseActions {
  /** Asks for an operator, as the composer's own button does. */
  ask(): void;
  cancel(): void;
  leave(): void;
  /** Any other step of the flow: ending, the survey, a new conversation. */
  act(event: UserEvent): void;
}

/** Hours text the bar shows, already formatted in the user's time zone. */
export interface HoursText {
  /** "They will be back tomorrow at 10:00 (17:00 PST).", after a sentence about the operators. */
  back: string;
  /** Closing time for the "closing soon" warning, e.g. "18:30". */
  closes: string;
  /** The UI language, for the survey's digits. */
  lang: string;
}

const scores = [1, 2, 3, 4, 5] as const;

/** Two sentences in a row: a space between them, unless the first ends with an ideographic full stop (Japanese runs them on). */
const sentences = (first: string, second: string) => first + (first.endsWith('。') ? '' : ' ') + second;

/**
 * The bar between transcript and composer that says where the conversation stands and offers
 * the next step. Rendered from the flow state only, so every phase looks the same after a reload.
 * @param leaving whether the composer is in "leave a message for operators" mode.
 */
export function phaseView(flow: FlowState, t: Translate, hours: HoursText, actions: PhaseActions, leaving: boolean) {
  const bar = (text: unknown, next?: unknown) => html`<div class="phase" part="phase"><p>${text}</p>${next}</div>`;
  const cancel = button(t('flow.cancel'), actions.cancel);
  const act = (event: UserEvent) => () => actions.act(event);
  const restart = (primary?: boolean) => button(t('flow.newConversation'), act({ type: 'new-conversation' }), primary);

  if (flow.confirm) {
    return flow.phase == 'operator'
      ? bar(t('flow.confirmEnd'), [button(t('flow.keep'), actions.cancel), button(t('flow.end'), act({ type: 'end' }))])
      : bar(t('flow.confirmClosing', { time: hours.closes }), [button(t('flow.askAnyway'), actions.ask, true), cancel]);
  }
  switch (flow.phase) {
    case 'requested':
      return bar(t('flow.requested'), cancel);
    case 'queued':
      // Without an estimate, the text has no place for the minutes.
      return bar(
        t(flow.etaSeconds ? 'flow.queuedEta' : 'flow.queued', {
          position: flow.position ?? 1,
          minutes: Math.max(1, Math.round((flow.etaSeconds ?? 0) / 60)),
        }),
        cancel,
      );
    case 'operator':
      // A list of one, as the question's buttons are a list: Lit keeps this node for "Keep chatting",
      // and keyboard focus with it, so the question lands on the safe answer and "no" on "End chat".
      return bar(t('flow.operator', { name: flow.operator ?? t('message.operator') }), [button(t('flow.end'), act({ type: 'ask-end' }))]);
    case 'after-hours':
      return bar(sentences(t('flow.away'), hours.back), leaving ? cancel : button(t('flow.leaveMessage'), actions.leave, true));
    case 'message-left':
      return bar(sentences(t('flow.messageLeft'), hours.back));
    case 'ended':
      // Thanked, the survey is only hidden: should the rating not reach the server, it comes back
      // as the user filled it in.
      return html`${flow.rated ? bar(t('survey.thanks'), restart(true)) : nothing}
        <form
          class="phase survey"
          part="phase survey"
          ?hidden=${flow.rated}
          @submit=${(event: SubmitEvent) => {
            event.preventDefault();
            // The radios are required, so the browser submits only with one of them checked.
            const data = new FormData(event.target as HTMLFormElement);
            actions.act({ type: 'rate', score: Number(data.get('score')) as 1, comment: (data.get('comment') as string) || undefined });
          }}>
          <p>${t('flow.ended')}</p>
          <fieldset>
            <legend>${t('survey.title')}</legend>
            <div class="scores">
              <span class="meta" id="low" aria-hidden="true">${t('survey.low')}</span>
              ${scores.map(
                (score) =>
                  html`<label class="score">
                    <input type="radio" name="score" value=${score} required aria-label=${t('survey.score', { score })} aria-describedby=${score == 1 ? 'low' : score == 5 ? 'high' : nothing}>
                    <span aria-hidden="true">${score.toLocaleString(hours.lang)}</span>
                  </label>`,
              )}
              <span class="meta" id="high" aria-hidden="true">${t('survey.high')}</span>
            </div>
          </fieldset>
          <label class="comment">${t('survey.comment')}<textarea name="comment" rows="2" maxlength="1000"></textarea></label>
          <div class="chips">${restart()}<button class="text-button primary">${t('survey.submit')}</button></div>
        </form>`;
    default:
      return nothing;
  }
}

/** The "talk to an operator" entry point shown under the composer while the bot answers. */
export function askOperatorView(flow: FlowState, t: Translate, ask: () => void) {
  return flow.phase == 'bot' && !flow.confirm
    ? html`<button type="button" class="text-button ask" part="ask-operator" @click=${ask}>${t('flow.askOperator')}</button>`
    : nothing;
}
