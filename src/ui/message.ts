import { html, nothing } from 'lit';
import type { Translate } from '../i18n/index.js';
import type { ChatMessage } from '../session/messages.js';
import type { QuickReply } from '../transport/types.js';

/** What a message row can ask the element to do. */
export interface MessageActions {
  retry(key: string): void;
  remove(key: string): void;
  reply(reply: QuickReply): void;
}

const roleLabel = { user: 'message.you', bot: 'message.bot', operator: 'message.operator', system: 'message.system' } as const;

/** One transcript row. Text is bound as text: never parsed as HTML. */
export function messageView(message: ChatMessage, t: Translate, actions: MessageActions, latest: boolean) {
  const { role, status } = message;
  const who = role === 'operator' && message.author ? message.author : t(roleLabel[role]);
  return html`<li class="msg ${role} ${status ?? ''}">
    <span class="sr">${who}:</span>
    ${role === 'operator' && message.author ? html`<span class="meta" aria-hidden="true">${message.author}</span>` : nothing}
    <div class="bubble">${message.text}</div>
    ${status && status !== 'sent'
      ? html`<span class="meta">${t(`status.${status}`)}
          ${status === 'failed'
            ? html`<button class="text-button" @click=${() => actions.retry(message.key)}>${t('action.retry')}</button>
                <button class="text-button" @click=${() => actions.remove(message.key)}>${t('action.delete')}</button>`
            : nothing}</span>`
      : nothing}
    ${latest && message.quickReplies?.length
      ? html`<div class="chips" part="quick-replies">
          ${message.quickReplies.map((reply) => html`<button class="chip" @click=${() => actions.reply(reply)}>${reply.label}</button>`)}
        </div>`
      : nothing}
  </li>`;
}
