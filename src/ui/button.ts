import { html } from 'lit/html.js';

/** A pill-shaped text button; `primary` fills it with the accent. */
export const textButton = (label: string, action: () => void, primary?: boolean) =>
  html`<button type="button" class="text-button ${primary ? 'primary' : ''}" @click=${action}>${label}</button>`;
