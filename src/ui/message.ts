import { html, nothing, render } from 'lit/html.js';
import type { Translate } from '../i18n/index.js';
import { textButton } from './button.js';
import { isSafeImageUrl, link, renderMarkdown, safeLabel, truncate, MAX_QUICK_REPLIES, MAX_VISIBLE } from '../render/index.js';
import type { Phase } from '../flow/index.js';
import type { ChatMessage } from '../session/messages.js';
import type { QuickReply } from '../transport/types.js';

/** What a message row can ask the element to do. */
export interface MessageActions {
  retry(key: string): void;
  remove(key: string): void;
  reply(reply: QuickReply): void;
  expand(key: string): void;
}

const author = ({ role, author }: ChatMessage, t: Translate) =>
  role == 'operator' && author ? safeLabel(author) : t(role == 'user' ? 'message.you' : `message.${role}`);

/**
 * What a screen reader is told when `message` arrives: "Support bot: …", with the text as the
 * transcript shows it (markdown rendered, not read out as asterisks), and a pause between its
 * paragraphs, lines and list items rather than their words run together.
 */
export function speech(message: ChatMessage, t: Translate): string {
  const box = document.createElement('p');
  render(renderMarkdown(truncate(message.text)), box);
  for (const block of box.querySelectorAll('p, li, br')) block.after(' ');
  return `${author(message, t)}: ${box.textContent!.replace(/\s+/g, ' ').trim()}`;
}

/**
 * Each message's text rendered once per "show more" step: the panel re-renders on every
 * keystroke, and parsing up to 30 messages' markdown each time made typing slow.
 */
const bubbles = new WeakMap<ChatMessage, [shown: number, body: unknown, truncated: boolean]>();

/**
 * One transcript row. Untrusted text only ever reaches the DOM through Lit text bindings and
 * the safe renderer: never parsed as HTML.
 * @param latest the conversation's phase when this is the newest message from the other side (its
 *   quick replies are live), else false. A quick reply asking for an operator shows only in the
 *   bot phase: pressed while one is asked for or chatting it would do nothing.
 * @param shown how many times the user chose "show more"; each shows four times as much, so a
 *   1 MB message never lands in the DOM at once.
 * @param imageOrigins where images may be loaded from (besides `blob:`).
 */
export function messageView(
  message: ChatMessage,
  t: Translate,
  actions: MessageActions,
  latest: Phase | false,
  shown: number,
  imageOrigins: readonly string[],
) {
  const { role, status, key } = message;
  const who = author(message, t);
  // A failed message is one of the user's, keyed by its client id (no spaces): its Retry and
  // Delete say which message they act on.
  const about = status == 'failed' ? `m-${key}` : undefined;
  const cached = bubbles.get(message);
  let [, body, truncated] = cached ?? [];
  if (cached?.[0] != shown) {
    const visible = truncate(message.text, MAX_VISIBLE * 4 ** shown);
    bubbles.set(message, [shown, (body = renderMarkdown(visible)), (truncated = visible != message.text)]);
  }
  return html`<li class="msg ${role} ${status ?? ''}" data-key=${key}>
    <span class="sr">${who}:</span>
    ${role == 'operator' && message.author ? html`<span class="meta" aria-hidden="true">${who}</span>` : nothing}
    <div class="bubble" id=${about ?? nothing}>${body}${truncated
        ? textButton(t('message.showMore'), () => actions.expand(key))
        : nothing}</div>
    ${message.attachments?.map((file) => {
      const name = t('message.attachment', { name: safeLabel(file.name) });
      return file.type.startsWith('image/') && file.type != 'image/svg+xml' && isSafeImageUrl(file.url, imageOrigins)
        ? html`<img class="photo" src=${file.url} alt=${name} loading="lazy">`
        : link(file.url, name);
    })}
    ${message.articles?.map(
      (article) => html`<div class="card">
        <span class="meta">${t('message.article')}</span>
        <strong>${link(article.url, safeLabel(article.title, 120))}</strong>
        ${article.summary ? html`<span>${safeLabel(article.summary, 300)}</span>` : nothing}
      </div>`,
    )}
    ${status && status != 'sent'
      ? html`<span class="meta">${t(`status.${status as 'queued'}`)}
          ${status == 'failed'
            ? [textButton(t('action.retry'), () => actions.retry(key), false, about), textButton(t('action.delete'), () => actions.remove(key), false, about)]
            : nothing}</span>`
      : nothing}
    ${latest && message.quickReplies?.length
      ? html`<div class="chips" part="quick-replies">
          ${message.quickReplies
            .filter((reply) => latest == 'bot' || reply.action != 'operator')
            .slice(0, MAX_QUICK_REPLIES)
            .map((reply) => html`<button class="chip" @click=${() => actions.reply(reply)}>${safeLabel(reply.label)}</button>`)}
        </div>`
      : nothing}
  </li>`;
}
