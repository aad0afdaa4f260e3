import { html, type TemplateResult } from 'lit/html.js';
import { anchor, link, linkText, safeUrl } from './links.js';
import { clean, MAX_LIST_ITEMS } from './text.js';

type Part = string | TemplateResult;
/** A list item: its text lines, and the nested list under it. */
type Item = [string, List?];
/** Ordered, the first number, the items. */
type List = [boolean, number, Item[]];

/** A list item: `- `, `* `, `1. `, `1) `, or `・` (Japanese bullet, space optional). */
const ITEM = /^(\s*)(?:([-*]|(\d{1,9})[.)])\s|・\s?)/;
/**
 * An autolink runs over ASCII URL characters only, so Japanese text right after a URL
 * (`https://jp.mercari.com/をご覧ください`) is not swallowed. `*`, `]` and `()` end it too,
 * which also keeps it inside the emphasis or link text it starts in; it does not end in
 * punctuation that ends a sentence (`.,:;!?'`).
 */
const AUTO = /(?<![a-z\d])(?:https?:\/\/|www\.)[-\w.~:/?#@!$&'+,;=%]*[-\w~/#@$&+=%]/iy;

/**
 * Inline markup of one block. Every closer search goes through `find`, which remembers its last
 * answer per delimiter: a block is walked strictly left to right, so each delimiter's searches
 * cover disjoint stretches and the block costs linear time, however many unmatched `*`, `` ` ``
 * or `[` it holds. Nesting is bounded by the grammar (a span never contains a closer of its own
 * kind), so recursion depth is a small constant.
 */
const inline = (s: string): Part[] => {
  const memo: Record<string, number> = {};
  // The first closer `k` at or after `from`, or Infinity.
  const find = (k: string, from: number): number => {
    let p = memo[k];
    if (!(p >= from)) {
      for (
        p = from;
        // An emphasis closer follows a non-space; a lone `*` is not half of `**`.
        (p = s.indexOf(k, p)) > 0 && k[0] == '*' && !(s[p - 1].trim() && (k[1] || !(s[p - 1] + s[p + 1]).includes(k)));
        p++
      );
      p = memo[k] = p < 0 ? Infinity : p;
    }
    return p;
  };
  const run = (i: number, b: number, noLink?: boolean): Part[] => {
    const out: Part[] = [];
    let t = i,
      e: number,
      j: number,
      h: Part | null,
      m: RegExpExecArray | null;
    // Empty text between two spans renders as nothing.
    const put = (el: Part, next: number) => {
      out.push(s.slice(t, i), el);
      t = i = next;
    };
    while (i < b) {
      const c = s[i];
      const d = s[i + 1] == c ? 2 : 1;
      // The delimiter: `` ` `` opens code, `*` or `**` emphasis (before a non-space).
      const k = c == '*' ? s.slice(i, i + d) : c;
      const n = i + k.length;
      if (c == '\n') put(html`<br>`, n);
      else if ((c == '`' || (c == '*' && s[n]?.trim())) && (e = find(k, n)) > n && e < b) {
        const x = c == '`' ? s.slice(n, e) : run(n, e, noLink);
        put(c == '`' ? html`<code>${x}</code>` : d > 1 ? html`<strong>${x}</strong>` : html`<em>${x}</em>`, e + d);
      } else if (
        c == '[' &&
        !noLink &&
        (e = find(']', i)) < b &&
        s[e + 1] == '(' &&
        (j = find(')', e)) < b &&
        (h = safeUrl(s.slice(e + 2, j)))
      ) {
        const x = s.slice(n, e);
        put(anchor(h, linkText(x, h) == x ? run(n, e, true) : h), j + 1);
      } else if (!noLink && ((AUTO.lastIndex = i), (m = AUTO.exec(s))) && (h = link(m[0])) != m[0]) put(h, i + m[0].length);
      else i = n;
    }
    out.push(s.slice(t, b));
    return out;
  };
  return run(0, s.length);
};

const list = ([o, n, items]: List): TemplateResult => {
  const li = items.map(([t, sub]) => html`<li>${inline(t)}${sub && list(sub)}</li>`);
  return o ? html`<ol start=${n}>${li}</ol>` : html`<ul>${li}</ul>`;
};

/**
 * Renders untrusted message text as Lit templates: paragraphs (blank line), line breaks,
 * `**bold**`, `*italic*`, `` `code` ``, bullet (`-`, `*`, `・`) and numbered lists (one nesting
 * level; deeper indentation stays at that level; past {@link MAX_LIST_ITEMS} items, lines join
 * the last item as text), `[text](url)` links and autolinked `http(s)://` and `www.` URLs.
 * Everything else is text, bound as text: no HTML is ever parsed. Links go through
 * {@link safeUrl} and {@link linkText}; unsafe ones stay text. Text is {@link clean}ed first.
 * Linear in the input length; {@link truncate} first to bound the DOM.
 */
export const renderMarkdown = (text: string): TemplateResult[] => {
  const out: TemplateResult[] = [];
  let para: string[] = [],
    l: List | undefined,
    last: Item;
  const flush = () => {
    if (para[0]) out.push(html`<p>${inline(para.join('\n'))}</p>`);
    if (l) out.push(list(l));
    para = [];
    l = undefined;
  };
  for (let line of text.split(/\r\n?|\n/)) {
    const m = ITEM.exec((line = clean(line)));
    if (!line.trim()) {
      flush();
      continue;
    }
    if (m) {
      const o = !!m[3],
        fresh: List = [o, +m[3] || 1, []],
        p = l && /\t|\s\s/.test(m[1]) && l[2].at(-1);
      if (!p && l?.[0] != o) {
        flush();
        l = fresh;
      }
      const x = (p ? (p[1] ||= fresh) : l!)[2];
      if (x.length < MAX_LIST_ITEMS) {
        x.push((last = [line.slice(m[0].length)]));
        continue;
      }
    }
    // Indented lines continue the item above; so do items past the cap, as text.
    if (l && (m || /^\s/.test(line))) last![0] += '\n' + line.trim();
    else {
      if (l) flush();
      para.push(line);
    }
  }
  flush();
  return out;
};
