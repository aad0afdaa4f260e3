import { svg } from 'lit';

/** Decorative icons; every button that shows one carries its own accessible name. */
export const closeIcon = svg`<svg viewBox="0 0 24 24" aria-hidden="true"><path d="m5 5 14 14M19 5 5 19" fill="none" stroke="currentColor" stroke-width="2"/></svg>`;
export const sendIcon = svg`<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M3 20.5V14l9-2-9-2V3.5L22 12Z"/></svg>`;
export const clipIcon = svg`<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M16.5 7v10a4.5 4.5 0 0 1-9 0V5.5a3 3 0 0 1 6 0V16a1.5 1.5 0 0 1-3 0V7" fill="none" stroke="currentColor" stroke-width="1.5"/></svg>`;
