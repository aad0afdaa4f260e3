/**
 * Everything that describes what the demo shows, as URL parameters, so any view is a link a
 * designer can share: `?preset=queue&lang=en&theme=dark&viewport=phone`.
 */
import type { ThemeTokens } from './tokens.js';

/** The demo's business hours: 10:00–18:30 Japan time every day, closed over the year end. */
export const DEMO_HOURS = 'Asia/Tokyo; daily 10:00-18:30; 2026-12-31..2027-01-03 closed';
/** Where the mock backend answers (msw intercepts these; nothing leaves the browser). */
export const ENDPOINTS = { ws: 'wss://chat.demo.invalid/v1', http: 'https://chat.demo.invalid/v1' } as const;

/** Where the demo's chat widget sits. */
export type Position = 'bottom-right' | 'bottom-left' | 'inline';
/** The preview's size. */
export type Viewport = 'phone' | 'tablet' | 'desktop';

/** The demo's state. Every field has a default, so an empty query string is a valid state. */
export interface DemoState {
  /** Scenario preset id. Default `greeting`. */
  preset: string;
  /** Widget and help-page language. Default `ja`. */
  lang: 'ja' | 'en';
  /** The element's `theme` attribute. Default `auto`. */
  theme: 'auto' | 'light' | 'dark';
  /** Demo theme id (`mercari`, `ocean`, `ink`). Default `mercari`. */
  palette: string;
  /** The element's `position` attribute. Default `bottom-right`. */
  position: Position;
  /** Preview size. Default `desktop`. */
  viewport: Viewport;
  /** Transport: WebSocket or HTTP + Server-Sent Events. Default `ws`. */
  transport: 'ws' | 'http';
  /** Simulated wall time in the schedule's zone, `YYYY-MM-DDTHH:MM`, overriding the preset's. */
  at?: string;
  /** Business hours in the attribute form; default the demo's schedule. */
  hours?: string;
  /** Whether the backend's simulated operator joins and answers by itself; default per preset. */
  auto?: boolean;
  /** Token edits on top of the palette; an empty value clears the palette's value. */
  tokens: ThemeTokens;
}

const oneOf = <T extends string>(value: string | null, options: readonly T[], fallback: T): T =>
  options.includes(value as T) ? (value as T) : fallback;

/** Reads a state from URL parameters; unknown or malformed values fall back to defaults. */
export function readState(params: URLSearchParams): DemoState {
  const tokens: ThemeTokens = { light: {}, dark: {} };
  for (const [key, value] of params) {
    const m = /^(t|td)\.([a-z][\w-]*)$/.exec(key);
    if (m) tokens[m[1] === 't' ? 'light' : 'dark'][m[2]] = value;
  }
  const at = params.get('at');
  const auto = params.get('auto');
  return {
    preset: params.get('preset') || 'greeting',
    lang: oneOf(params.get('lang'), ['ja', 'en'], 'ja'),
    theme: oneOf(params.get('theme'), ['auto', 'light', 'dark'], 'auto'),
    palette: params.get('palette') || 'mercari',
    position: oneOf(params.get('position'), ['bottom-right', 'bottom-left', 'inline'], 'bottom-right'),
    viewport: oneOf(params.get('viewport'), ['phone', 'tablet', 'desktop'], 'desktop'),
    transport: oneOf(params.get('transport'), ['ws', 'http'], 'ws'),
    ...(at && /^\d{4}-\d\d-\d\dT\d\d:\d\d$/.test(at) ? { at } : {}),
    ...(params.get('hours') ? { hours: params.get('hours')! } : {}),
    ...(auto === '1' || auto === '0' ? { auto: auto === '1' } : {}),
    tokens,
  };
}

/** Writes a state as URL parameters, leaving out defaults so links stay short. */
export function writeState(state: DemoState): URLSearchParams {
  const params = new URLSearchParams();
  const put = (key: string, value: string | undefined, fallback?: string) => {
    if (value !== undefined && value !== fallback) params.set(key, value);
  };
  put('preset', state.preset);
  put('lang', state.lang);
  put('theme', state.theme, 'auto');
  put('palette', state.palette, 'mercari');
  put('position', state.position, 'bottom-right');
  put('viewport', state.viewport, 'desktop');
  put('transport', state.transport, 'ws');
  put('at', state.at);
  put('hours', state.hours);
  put('auto', state.auto === undefined ? undefined : state.auto ? '1' : '0');
  for (const [name, value] of Object.entries(state.tokens.light)) params.set(`t.${name}`, value);
  for (const [name, value] of Object.entries(state.tokens.dark)) params.set(`td.${name}`, value);
  return params;
}
