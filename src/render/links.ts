import { html, type TemplateResult } from 'lit/html.js';

/**
 * A word a reader takes for a URL: `scheme:something` (group 1 is the scheme), or a dotted name
 * ending in a letter TLD (`paypal.com`, `support@mercari.com`).
 */
const LOOKS = /^(?:([a-z][\w+.-]*:)\S|[^\s/]+\.[a-z]{2,}\b)/i;

/** Parses an absolute URL; `null` for anything relative or malformed. */
export const parseUrl = (raw: string | null): URL | null => {
  try {
    // `null` reads as the relative URL "null": refused like any other.
    return new URL(raw!);
  } catch {
    return null;
  }
};

/**
 * The normalised href for an untrusted URL, or `null` when it must not be linked.
 * Only absolute `https:`, `http:`, `mailto:` and `tel:` URLs pass, judged on what the browser's
 * own URL parser makes of them (the same parse that decides where a click goes): it strips
 * surrounding controls and spaces and tabs/newlines anywhere, lowercases the scheme, turns
 * `\` into `/`. Disguises that do not parse to an allowed scheme (`&#106;avascript:`,
 * `%6Aavascript:`, `java\0script:`, `//evil.example`, relative paths) have no scheme and are
 * refused, because the widget is embedded on pages whose base URL it does not control.
 * `www.` gains `https://`. URLs with credentials (`https://mercari.com@evil.example`) are
 * refused: they only exist to mislead. The returned string is what goes into `href`.
 */
export const safeUrl = (raw: string): string | null => {
  const s = raw.trim();
  const u = parseUrl(/^www\./i.test(s) ? 'https://' + s : s);
  return u && /^(https?|mailto|tel):$/.test(u.protocol) && !(u.username + u.password) ? u.href : null;
};

/**
 * Where a URL leads, for comparing: scheme, host and port (and any user name) for web URLs, the
 * whole URL for mailto:/tel:.
 */
const target = (u: URL): string => (u.host ? u.origin + u.username : u.href);

/**
 * The text to show for a link to `href` (already {@link safeUrl}-checked) whose author wrote
 * `text`: `text` itself, unless one of its words reads as a URL with another host (or, when it
 * names one, another scheme, or credentials, as in `https://mercari.com@evil.example`) — then
 * `href`, so the visible text never hides where it goes. Empty text also shows `href`.
 */
export const linkText = (text: string, href: string): string => {
  const b = parseUrl(href)!;
  return text.trim() &&
    text.split(/\s+/).every((w) => {
      const m = LOOKS.exec(w);
      // A bare name is read with the link's own scheme.
      const u = m && parseUrl(m[1] ? w : b.protocol + '//' + w);
      return !m || (u && target(u) == target(b));
    })
    ? text
    : href;
};

/** An `<a>` to an already checked href; it always opens a new tab without opener or referrer. */
export const anchor = (href: string, content: unknown): TemplateResult =>
  html`<a href=${href} target="_blank" rel="noopener noreferrer">${content}</a>`;

/**
 * Renders a link from untrusted data (an article card, an attachment): an `<a>` when `raw`
 * passes {@link safeUrl}, showing {@link linkText} of `text` (default: the URL as written);
 * otherwise `text` as plain text.
 */
export const link = (raw: string, text = raw): TemplateResult | string => {
  const href = safeUrl(raw);
  return href ? anchor(href, linkText(text, href)) : text;
};
