/**
 * Characters never shown as themselves: C0 controls except tab and line feed, DEL, C1 controls,
 * and the bidi embeddings, overrides and isolates that can make text read in an order other than
 * the one it is stored in ("Trojan Source", CVE-2021-42574; `invoice\u202Efdp.exe`).
 */
const UNSAFE = /[\0-\b\v-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g;

/** Characters of a message shown before "show more" (UTF-16 code units). Default 4,000. */
export const MAX_VISIBLE = 4000;
/** Items one list renders as `<li>`; further items stay as text lines in the last item. */
export const MAX_LIST_ITEMS = 50;
/** Quick-reply buttons shown under one message; the element drops the rest. */
export const MAX_QUICK_REPLIES = 10;
/** Characters (code points) of a file name, author name or button label before it is shortened. */
export const MAX_LABEL = 80;

/**
 * Neutralises text for display: every unsafe character (see above) becomes U+FFFD, so nothing
 * reorders or hides what follows, and the reader sees that something was there.
 */
export const clean = (text: string): string => text.replace(UNSAFE, '\ufffd');

/**
 * The part of a message shown: its first `limit` UTF-16 code units (default {@link MAX_VISIBLE}),
 * one fewer if the cut would split a surrogate pair. Shorter than `text`, it tells the element to
 * offer "show more".
 */
export const truncate = (text: string, limit = MAX_VISIBLE): string =>
  // A low surrogate (U+DC00–DFFF) just past the cut means half an emoji would stay: cut before it.
  text.slice(0, text.charCodeAt(limit) >> 10 == 55 ? limit - 1 : limit);

/**
 * A file name, author name or label made safe to show: {@link clean}ed, and when longer than
 * `max` code points (default {@link MAX_LABEL}) shortened in the middle, keeping the last 10
 * so a file's real extension stays visible (`very-long-na…ice.pdf.exe`).
 */
export const safeLabel = (text: string, max = MAX_LABEL): string => {
  const c = [...clean(text)];
  if (c.length > max) c.splice(max - 11, c.length - max + 1, '…');
  return c.join('');
};
