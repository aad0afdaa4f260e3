import { html } from 'lit/html.js';

/** The close cross as a filled outline; the launcher draws it too (see `iconNode`). */
export const CLOSE_PATH = 'M6.4 5 5 6.4 10.6 12 5 17.6 6.4 19 12 13.4 17.6 19 19 17.6 13.4 12 19 6.4 17.6 5 12 10.6Z';

/** Decorative icons; every button that shows one carries its own accessible name. */
export const closeIcon = html`<svg viewBox="0 0 24 24" aria-hidden="true"><path d=${CLOSE_PATH} /></svg>`;
export const sendIcon = html`<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M3 20.5V14l9-2-9-2V3.5L22 12Z"/></svg>`;
export const clipIcon = html`<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M16.5 7v10a4.5 4.5 0 0 1-9 0V5.5a3 3 0 0 1 6 0V16a1.5 1.5 0 0 1-3 0V7" fill="none" stroke="currentColor" stroke-width="1.5"/></svg>`;

/** The launcher's chat bubble, which it draws without a template (see the element's `createRenderRoot`). */
export const CHAT_PATH = 'M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2Zm3 6v2h2V9Zm4 0v2h2V9Zm4 0v2h2V9Z';

/** A filled decorative icon as a DOM node, marked as the templates mark theirs. */
export function iconNode(d: string): SVGSVGElement {
  const make = (tag: string) => document.createElementNS('http://www.w3.org/2000/svg', tag);
  const icon = make('svg') as SVGSVGElement;
  const path = make('path');
  icon.setAttribute('viewBox', '0 0 24 24');
  icon.ariaHidden = 'true';
  path.setAttribute('d', d);
  icon.append(path);
  return icon;
}
