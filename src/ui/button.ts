import { html, nothing } from 'lit/html.js';

/** A pill-shaped text button; `primary` fills it with the accent; `about` is the id of what it acts on. */
export const textButton = (label: string, action: () => void, primary?: boolean, about?: string) =>
  html`<button type="button" class="text-button ${primary ? 'primary' : ''}" aria-describedby=${about ?? nothing} @click=${action}>${label}</button>`;
