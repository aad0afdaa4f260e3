import { en, type Catalog, type MessageKey } from './en.js';
import { ja } from './ja.js';

export type { Catalog, MessageKey };

/** Languages with a built-in catalog. */
export const catalogs: Record<string, Catalog> = { en, ja };

/**
 * Picks the UI language: the element's `locale`, else the page's `lang`, else the browser's
 * languages; the first one with a catalog wins, English last.
 */
export function resolveLocale(candidates: ReadonlyArray<string | null | undefined>): string {
  for (const candidate of candidates) {
    const base = candidate?.toLowerCase().split('-')[0];
    if (base && base in catalogs) return base;
  }
  return 'en';
}

/** A translate function bound to one language, with optional host overrides. Numbers in `params` are written the language's way (`Intl`). */
export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

/**
 * The translate function of `locale` (a BCP 47 tag; its base language picks the catalog, English
 * when there is none), with `overrides` (a host's `strings`) winning over the catalog.
 */
export function translator(locale: string, overrides?: Partial<Catalog>): Translate {
  const catalog = catalogs[locale.split('-')[0]] ?? en;
  return (key, params) => {
    const text = overrides?.[key] ?? catalog[key] ?? en[key];
    return params ? text.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? params[name].toLocaleString(locale) : m)) : text;
  };
}
