/**
 * Reads and drives the real widget through its shadow DOM, as a person would see and use it.
 * The presets use it to wait for a state; the demo test and the screenshot script use it to check
 * one. Public `part` names are preferred over internal classes wherever the element offers one.
 */
import type { MercariChatSupport } from '../../src/element/mercari-chat-support.js';

/** One transcript row as shown. */
export interface Row {
  role: 'user' | 'bot' | 'operator' | 'system' | '';
  text: string;
  /** Delivery status of the user's own messages: `queued`, `sending`, `failed`, or `` (sent). */
  status: string;
  /** Help-article cards under the row. */
  cards: number;
  /** Quick-reply buttons under the row. */
  replies: number;
}

const ROLES = ['user', 'bot', 'operator', 'system'] as const;
const STATUSES = ['queued', 'sending', 'failed'];

/** An element in the widget's shadow root. */
export const $ = <T extends Element = HTMLElement>(el: MercariChatSupport, selector: string): T | null =>
  el.shadowRoot?.querySelector<T>(selector) ?? null;

/** Every element matching `selector` in the widget's shadow root. */
export const $$ = <T extends Element = HTMLElement>(el: MercariChatSupport, selector: string): T[] => [
  ...(el.shadowRoot?.querySelectorAll<T>(selector) ?? []),
];

const text = (node: Element | null | undefined) => node?.textContent?.replace(/\s+/g, ' ').trim() ?? '';

/** The transcript, oldest first. */
export const rows = (el: MercariChatSupport): Row[] =>
  $$(el, '[part~="messages"] li[data-key]').map((li) => ({
    role: ROLES.find((r) => li.classList.contains(r)) ?? '',
    text: text(li.querySelector('.bubble')),
    status: STATUSES.find((s) => li.classList.contains(s)) ?? '',
    cards: li.querySelectorAll('.card').length,
    replies: li.querySelectorAll('[part~="quick-replies"] button').length,
  }));

/** Text of the phase bar (queue, operator, after hours, survey…), or `` when there is none. */
export const phaseText = (el: MercariChatSupport) => text($(el, '[part~="phase"]'));

/** Text of the connection/error banner, or ``. */
export const noticeText = (el: MercariChatSupport) => text($(el, '[part~="notice"]'));

/** Whether the banner shows an error (not just a connection status). */
export const hasErrorNotice = (el: MercariChatSupport) => !!$(el, '[part~="notice"] .error');

/** The typing indicator's text, or ``. */
export const typingText = (el: MercariChatSupport) => text($(el, '.typing'));

/** Whether the satisfaction survey form is shown. */
export const hasSurvey = (el: MercariChatSupport) => !!$(el, '[part~="survey"]:not([hidden])');

/** Clicks the first button in the widget matching `selector` whose text includes `label` (if given). */
export function click(el: MercariChatSupport, selector: string, label?: string): boolean {
  const button = $$<HTMLElement>(el, selector).find((b) => !label || text(b).includes(label));
  button?.click();
  return !!button;
}

/** Types `value` into the composer and submits it, as pressing the send button does. */
export function typeAndSend(el: MercariChatSupport, value: string): boolean {
  const input = $<HTMLTextAreaElement>(el, '[part~="composer"] textarea');
  const form = $<HTMLFormElement>(el, 'form[part~="composer"]');
  if (!input || !form) return false;
  input.value = value;
  input.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
  form.requestSubmit();
  return true;
}
