/**
 * The widget's `--mcs-*` design tokens as the demo edits them, the demo's themes, and the host
 * CSS that applies a theme. Defaults are read from the element's own stylesheet, so the editor
 * can never show a stale default; a test checks this list names every token the stylesheet reads.
 */

/** How a token's value is edited. */
export type TokenKind = 'color' | 'length' | 'font' | 'number';

/** One token. Descriptions mirror the element's `@cssproperty` JSDoc. */
export interface TokenInfo {
  /** Without the `--mcs-` prefix, e.g. `accent`. */
  name: string;
  kind: TokenKind;
  description: string;
}

/** Every token, in the order the editor shows them. */
export const TOKENS: readonly TokenInfo[] = [
  { name: 'accent', kind: 'color', description: 'Brand color of the launcher, header and send button.' },
  { name: 'on-accent', kind: 'color', description: 'Text and icon color on the accent.' },
  { name: 'bg', kind: 'color', description: 'Panel background.' },
  { name: 'fg', kind: 'color', description: 'Panel text color.' },
  { name: 'muted', kind: 'color', description: 'Secondary text (timestamps, statuses).' },
  { name: 'surface', kind: 'color', description: 'Bot bubble and banner background.' },
  { name: 'border', kind: 'color', description: 'Borders and input outlines.' },
  { name: 'user-bg', kind: 'color', description: "The user's bubbles." },
  { name: 'user-fg', kind: 'color', description: "Text on the user's bubbles." },
  { name: 'operator-bg', kind: 'color', description: 'Operator bubbles.' },
  { name: 'error', kind: 'color', description: 'Error text.' },
  { name: 'focus', kind: 'color', description: 'Focus ring.' },
  { name: 'radius', kind: 'length', description: 'Corner radius of panel and bubbles.' },
  { name: 'font', kind: 'font', description: 'Font stack (system fonts only; nothing is downloaded).' },
  { name: 'z-index', kind: 'number', description: 'Stacking level of launcher and panel.' },
  { name: 'launcher-size', kind: 'length', description: 'Launcher diameter.' },
  { name: 'panel-width', kind: 'length', description: 'Panel width on large screens.' },
  { name: 'panel-height', kind: 'length', description: 'Panel height on large screens.' },
  { name: 'spacing', kind: 'length', description: 'Base padding.' },
  { name: 'offset', kind: 'length', description: 'Distance from the viewport edges.' },
];

/** Token values by name (without prefix). */
export type TokenValues = Record<string, string>;

/** Light and dark token values. Tokens that are not colors apply to both and live in `light`. */
export interface ThemeTokens {
  light: TokenValues;
  dark: TokenValues;
}

/** The parts of the `var()` that opens at `at` in `css`: its name and fallback, and where it ends. */
function varAt(css: string, at: number): { name: string; fallback?: string; end: number } {
  let depth = 0;
  let comma = -1;
  for (let i = at + 4; i < css.length; i++) {
    const c = css[i];
    if (c === '(') depth++;
    else if (c === ')' && depth-- === 0) {
      const name = css.slice(at + 4, comma < 0 ? i : comma).trim();
      return comma < 0 ? { name, end: i + 1 } : { name, fallback: css.slice(comma + 1, i).trim(), end: i + 1 };
    } else if (c === ',' && depth === 0 && comma < 0) comma = i;
  }
  return { name: '', end: css.length };
}

/** A stylesheet's token defaults. */
export interface TokenDefaults extends ThemeTokens {
  /** Tokens whose default is another token's value, e.g. `{ 'user-bg': 'accent' }`. */
  follows: Record<string, string>;
}

/**
 * The defaults the element's stylesheet falls back to: for each `var(--mcs-NAME, fallback)` (first
 * use), the fallback with inner `var()`s resolved through the private properties the stylesheet
 * declares. For `dark`, a private property declared as `--_X: var(--_dk) VALUE` (the stylesheet's
 * dark-mode switch) resolves to `VALUE`. A fallback that is another token's private property
 * (`var(--_accent)`) is reported in `follows`.
 * @param cssText the element's stylesheet text (`MercariChatSupport.styles.cssText`)
 */
export function defaultsFrom(cssText: string): TokenDefaults {
  const declared = new Map<string, string>();
  for (const [, name, value] of cssText.matchAll(/(--_[\w-]+)\s*:([^;{}]*)[;}]/g)) if (!declared.has(name)) declared.set(name, value.trim());
  const resolve = (value: string, dark: boolean, depth = 0): string => {
    if (!value.startsWith('var(') || depth > 8) return value;
    const v = varAt(value, 0);
    const own = declared.get(v.name);
    if (dark && own?.startsWith('var(--_dk)')) return own.slice('var(--_dk)'.length).trim();
    if (v.fallback !== undefined) return resolve(v.fallback, dark, depth + 1);
    return own ? resolve(own, dark, depth + 1) : '';
  };
  const out: TokenDefaults = { light: {}, dark: {}, follows: {} };
  const uses = (css: string) => [...css.matchAll(/var\(--mcs-/g)].map((m) => varAt(css, m.index));
  for (const v of uses(cssText)) {
    const name = v.name.slice('--mcs-'.length);
    if (name in out.light || v.fallback === undefined) continue;
    out.light[name] = resolve(v.fallback, false);
    out.dark[name] = resolve(v.fallback, true);
    const inner = v.fallback.startsWith('var(') ? varAt(v.fallback, 0) : undefined;
    const other = inner && inner.fallback === undefined ? /^var\(--mcs-([\w-]+)/.exec(declared.get(inner.name) ?? '')?.[1] : undefined;
    if (other) out.follows[name] = other;
  }
  // The other way to write dark defaults: a `:host([theme='dark'])` rule that repeats the tokens.
  const dark = /:host\(\[theme=['"]?dark['"]?\]\)\s*\{([^}]*)\}/.exec(cssText)?.[1] ?? '';
  for (const v of uses(dark)) if (v.fallback !== undefined) out.dark[v.name.slice('--mcs-'.length)] = resolve(v.fallback, true);
  for (const [name, other] of Object.entries(out.follows)) out.dark[name] = out.dark[other];
  return out;
}

/** Every `--mcs-*` name (without prefix) a stylesheet reads, in order of first use. */
export const tokenNamesIn = (cssText: string): string[] => [...new Set([...cssText.matchAll(/var\(--mcs-([\w-]+)/g)].map((m) => m[1]))];

/** A theme the demo offers: token values for light and dark, and optional `::part()` rules. */
export interface DemoTheme {
  id: string;
  label: string;
  description: string;
  tokens: ThemeTokens;
  /** Extra host CSS, e.g. `::part()` rules; `ELEMENT` stands for the element's selector. */
  parts?: string;
}

/**
 * The Mercari-like default (the widget's own defaults) and two alternatives. Every pair of text
 * and background colors in each was checked for WCAG AA contrast (≥ 4.5:1; borders and focus ≥ 3:1).
 */
export const THEMES: readonly DemoTheme[] = [
  {
    id: 'mercari',
    label: 'Mercari (default)',
    description: 'The widget as it ships: Mercari red, rounded, system font.',
    tokens: { light: {}, dark: {} },
  },
  {
    id: 'ocean',
    label: 'Ocean',
    description: 'Calm blue, softer corners, a larger launcher.',
    tokens: {
      light: {
        accent: '#0a58ca',
        'on-accent': '#ffffff',
        bg: '#ffffff',
        fg: '#10243e',
        muted: '#4a5a6e',
        surface: '#eef4fb',
        border: '#7d8fa6',
        'user-bg': '#0a58ca',
        'user-fg': '#ffffff',
        'operator-bg': '#e3f4ee',
        error: '#b3261e',
        focus: '#b45309',
        radius: '20px',
        'launcher-size': '64px',
      },
      dark: {
        accent: '#7cb4ff',
        'on-accent': '#0b1a2e',
        bg: '#0f1b2b',
        fg: '#e8f0fa',
        muted: '#a9b8cb',
        surface: '#1a2a40',
        border: '#6f83a0',
        'user-bg': '#7cb4ff',
        'user-fg': '#0b1a2e',
        'operator-bg': '#173d35',
        error: '#ffb4ab',
        focus: '#fbbf24',
      },
    },
  },
  {
    id: 'ink',
    label: 'Ink',
    description: 'Monochrome and square: high contrast, small radius, a square launcher via ::part(launcher).',
    tokens: {
      light: {
        accent: '#1a1a1a',
        'on-accent': '#ffffff',
        bg: '#fafaf7',
        fg: '#1a1a1a',
        muted: '#555555',
        surface: '#ecebe6',
        border: '#767676',
        'user-bg': '#1a1a1a',
        'user-fg': '#ffffff',
        'operator-bg': '#fff4cc',
        error: '#a4000f',
        focus: '#0050d8',
        radius: '6px',
        spacing: '14px',
      },
      dark: {
        accent: '#f5f5f0',
        'on-accent': '#111111',
        bg: '#111111',
        fg: '#f5f5f0',
        muted: '#b0b0a8',
        surface: '#222222',
        border: '#8a8a85',
        'user-bg': '#f5f5f0',
        'user-fg': '#111111',
        'operator-bg': '#3a3320',
        error: '#ff9b8f',
        focus: '#7fb0ff',
      },
    },
    parts: 'ELEMENT::part(launcher) {\n  border-radius: 14px;\n}\nELEMENT::part(header) {\n  letter-spacing: 0.02em;\n}',
  },
];

/** The theme with `id`, or the default. */
export const themeById = (id: string | null | undefined): DemoTheme => THEMES.find((t) => t.id === id) ?? THEMES[0];

const isColor = (name: string) => TOKENS.find((t) => t.name === name)?.kind === 'color';

/** Merges edits over a theme's values: an empty string removes the token (back to the default). */
export function mergeTokens(base: ThemeTokens, edits: ThemeTokens): ThemeTokens {
  const merge = (a: TokenValues, b: TokenValues) => {
    const out = { ...a, ...b };
    for (const key of Object.keys(out)) if (!out[key]) delete out[key];
    return out;
  };
  return { light: merge(base.light, edits.light), dark: merge(base.dark, edits.dark) };
}

/**
 * The host-page CSS that applies `tokens` (and `parts`) to the elements matching `selector`, as a
 * designer would hand it to a developer. A color set only for light stays in the light scheme
 * (`theme="light"`, or `auto` when the user prefers light); dark colors apply under `theme="dark"`
 * and `auto` when the user prefers dark. A light color that has a dark counterpart, and every
 * token that is not a color, goes in the plain rule, which is what most themes need.
 */
export function themeCss(tokens: ThemeTokens, parts = '', selector = 'mercari-chat-support'): string {
  const decls = (values: TokenValues, keep: (name: string) => boolean) =>
    Object.entries(values)
      .filter(([name, value]) => keep(name) && value)
      .map(([name, value]) => `  --mcs-${name}: ${value};`)
      .join('\n');
  const rule = (sel: string, body: string, indent = '') =>
    body ? `${indent}${sel} {\n${body.replace(/^/gm, indent)}\n${indent}}` : '';
  const paired = (name: string) => !isColor(name) || !!tokens.dark[name];
  const base = decls({ ...tokens.dark, ...tokens.light }, (n) => !isColor(n) || (!!tokens.light[n] && paired(n)));
  const lightOnly = decls(tokens.light, (n) => isColor(n) && !paired(n));
  const dark = decls(tokens.dark, isColor);
  const scheme = (mode: 'light' | 'dark', body: string) =>
    body
      ? [
          rule(`${selector}[theme='${mode}']`, body),
          `@media (prefers-color-scheme: ${mode}) {\n${rule(`${selector}:not([theme='${mode === 'light' ? 'dark' : 'light'}'])`, body, '  ')}\n}`,
        ].join('\n')
      : '';
  return [rule(selector, base), scheme('light', lightOnly), scheme('dark', dark), parts.replaceAll('ELEMENT', selector)].filter(Boolean).join('\n\n');
}

/** `#abc` → `#aabbcc`; other values unchanged (for `<input type="color">`, which needs six digits). */
export const sixDigitHex = (value: string): string => {
  const short = /^#([0-9a-f])([0-9a-f])([0-9a-f])$/i.exec(value.trim());
  return short ? `#${short[1]}${short[1]}${short[2]}${short[2]}${short[3]}${short[3]}`.toLowerCase() : value.trim().toLowerCase();
};

/** WCAG 2 contrast ratio of two `#rgb`/`#rrggbb` colors, or `undefined` for anything else. */
export function contrast(a: string, b: string): number | undefined {
  const luminance = (value: string) => {
    const hex = /^#([0-9a-f]{6})$/i.exec(sixDigitHex(value))?.[1];
    if (!hex) return undefined;
    const [r, g, bl] = [0, 2, 4].map((i) => {
      const c = parseInt(hex.slice(i, i + 2), 16) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const x = luminance(a);
  const y = luminance(b);
  if (x === undefined || y === undefined) return undefined;
  return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
}

/** Text/background pairs the editor checks, with the minimum ratio WCAG AA asks for. */
export const CONTRAST_PAIRS: ReadonlyArray<{ fg: string; bg: string; min: number; label: string }> = [
  { fg: 'fg', bg: 'bg', min: 4.5, label: 'Text on panel' },
  { fg: 'muted', bg: 'bg', min: 4.5, label: 'Secondary text on panel' },
  { fg: 'fg', bg: 'surface', min: 4.5, label: 'Bot bubble text' },
  { fg: 'muted', bg: 'surface', min: 4.5, label: 'Secondary text on banners' },
  { fg: 'on-accent', bg: 'accent', min: 4.5, label: 'Header and button text' },
  { fg: 'user-fg', bg: 'user-bg', min: 4.5, label: 'Your bubbles' },
  { fg: 'fg', bg: 'operator-bg', min: 4.5, label: 'Operator bubbles' },
  { fg: 'error', bg: 'surface', min: 4.5, label: 'Error banner' },
  { fg: 'border', bg: 'bg', min: 3, label: 'Input outlines' },
  { fg: 'focus', bg: 'bg', min: 3, label: 'Focus ring' },
];
