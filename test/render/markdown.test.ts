import { expect } from '@open-wc/testing';
import { renderMarkdown } from '../../src/render/markdown.js';
import { MAX_LIST_ITEMS, truncate } from '../../src/render/text.js';
import { mount, renderToMarkup } from './dom.js';

const md = (text: string) => renderToMarkup(renderMarkdown(text));
const a = (href: string, text: string) => `<a target="_blank" rel="noopener noreferrer" href="${href}">${text}</a>`;

describe('renderMarkdown', () => {
  describe('blocks', () => {
    const cases: Array<[string, string, string]> = [
      ['a plain line as a paragraph', 'Hello', '<p>Hello</p>'],
      ['nothing for empty text', '', ''],
      ['nothing for blank lines only', '\n  \n\t\n', ''],
      ['paragraphs split by blank lines', 'a\n\nb\n \n\nc', '<p>a</p><p>b</p><p>c</p>'],
      ['line breaks inside a paragraph', 'a\nb\nc', '<p>a<br>b<br>c</p>'],
      ['CRLF and CR line ends like LF', 'a\r\nb\r\rc', '<p>a<br>b</p><p>c</p>'],
      ['a bullet list with -', '- a\n- b', '<ul><li>a</li><li>b</li></ul>'],
      ['a bullet list with *', '* a\n* b', '<ul><li>a</li><li>b</li></ul>'],
      ['a bullet list with ・, space optional', '・配送について\n・ 支払いについて', '<ul><li>配送について</li><li>支払いについて</li></ul>'],
      ['a numbered list from its first number', '3. c\n4. d', '<ol start="3"><li>c</li><li>d</li></ol>'],
      ['a numbered list with )', '1) a\n2) b', '<ol start="1"><li>a</li><li>b</li></ol>'],
      ['a list right after a paragraph line', '手順:\n1. 開く\n2. 送る', '<p>手順:</p><ol start="1"><li>開く</li><li>送る</li></ol>'],
      ['a paragraph right after a list', '- a\nafter', '<ul><li>a</li></ul><p>after</p>'],
      ['an indented line as part of the item', '- a\n  more\n- b', '<ul><li>a<br>more</li><li>b</li></ul>'],
      ['a new list when bullets turn into numbers', '- a\n1. b', '<ul><li>a</li></ul><ol start="1"><li>b</li></ol>'],
      ['one nested level', '- a\n  - b\n  - c\n- d', '<ul><li>a<ul><li>b</li><li>c</li></ul></li><li>d</li></ul>'],
      ['a nested numbered list under a bullet', '- a\n  1. b', '<ul><li>a<ol start="1"><li>b</li></ol></li></ul>'],
      ['a tab as nesting', '- a\n\t- b', '<ul><li>a<ul><li>b</li></ul></li></ul>'],
      ['deeper indentation at the nested level, flat', '- a\n  - b\n    - c\n        - d', '<ul><li>a<ul><li>b</li><li>c</li><li>d</li></ul></li></ul>'],
      ['an indented first item at the top level', '    - a', '<ul><li>a</li></ul>'],
      ['a marker without a space as text', '-a\n*b\n1.c', '<p>-a<br>*b<br>1.c</p>'],
      ['a lone dash as text', '-', '<p>-</p>'],
      ['headings, quotes and rules as text', '# Title\n> quote\n---', '<p># Title<br>&gt; quote<br>---</p>'],
    ];
    for (const [name, input, expected] of cases) {
      it(`renders ${name}`, () => expect(md(input)).to.equal(expected));
    }

    it(`renders at most ${MAX_LIST_ITEMS} items per list and keeps the rest as text in the last one`, () => {
      const lines = Array.from({ length: 60 }, (_, i) => `- item ${i + 1}`);
      const container = document.createElement('div');
      container.innerHTML = md(lines.join('\n'));
      const items = container.querySelectorAll('li');
      expect(items.length).to.equal(MAX_LIST_ITEMS);
      expect(items[0].textContent).to.equal('item 1');
      expect(items[49].textContent).to.equal('item 50- item 51- item 52- item 53- item 54- item 55- item 56- item 57- item 58- item 59- item 60');
      expect(items[49].querySelectorAll('br').length).to.equal(10);
    });

    it('caps nested lists too', () => {
      const lines = ['- top', ...Array.from({ length: 60 }, (_, i) => `  - sub ${i}`)];
      const container = document.createElement('div');
      container.innerHTML = md(lines.join('\n'));
      expect(container.querySelectorAll('ul ul > li').length).to.equal(MAX_LIST_ITEMS);
      expect(container.querySelectorAll('li').length).to.equal(MAX_LIST_ITEMS + 1);
    });
  });

  describe('inline', () => {
    const cases: Array<[string, string, string]> = [
      ['bold', '**大事** です', '<p><strong>大事</strong> です</p>'],
      ['italic', 'an *important* note', '<p>an <em>important</em> note</p>'],
      ['inline code', 'run `npm test`', '<p>run <code>npm test</code></p>'],
      ['markup inside code as text', '`**x** [a](https://a.example) <b>`', '<p><code>**x** [a](https://a.example) &lt;b&gt;</code></p>'],
      ['italic inside bold', '**a *b* c**', '<p><strong>a <em>b</em> c</strong></p>'],
      ['bold inside italic', '*a **b** c*', '<p><em>a <strong>b</strong> c</em></p>'],
      ['code inside bold', '**see `x`**', '<p><strong>see <code>x</code></strong></p>'],
      ['bold across a line break', '**a\nb**', '<p><strong>a<br>b</strong></p>'],
      ['formatting inside list items', '- **a**\n- `b`', '<ul><li><strong>a</strong></li><li><code>b</code></li></ul>'],
      ['an unclosed bold as text', '**a', '<p>**a</p>'],
      ['an unclosed italic as text', 'a *b', '<p>a *b</p>'],
      ['an unclosed code span as text', 'a `b', '<p>a `b</p>'],
      ['stars around spaces as text', '2 * 3 * 4 and ** x **', '<p>2 * 3 * 4 and ** x **</p>'],
      ['empty emphasis and code as text', '**** `` **', '<p>**** `` **</p>'],
      ['bold that does not cross paragraphs', '**a\n\nb**', '<p>**a</p><p>b**</p>'],
      ['a link', '[Help](https://help.example/x)', `<p>${a('https://help.example/x', 'Help')}</p>`],
      ['formatting inside link text', '[**Help** center](https://help.example/)', `<p>${a('https://help.example/', '<strong>Help</strong> center')}</p>`],
      ['a mailto link', '[mail us](mailto:help@example.com)', `<p>${a('mailto:help@example.com', 'mail us')}</p>`],
      ['a tel link', '[call](tel:+81-3-0000-0000)', `<p>${a('tel:+81-3-0000-0000', 'call')}</p>`],
      ['a www. link target as https', '[x](www.example.com)', `<p>${a('https://www.example.com/', 'x')}</p>`],
      ['an unsafe link as text', '[x](javascript:alert(1))', '<p>[x](javascript:alert(1))</p>'],
      ['a relative link as text', '[x](/account)', '<p>[x](/account)</p>'],
      ['brackets without a target as text', '[x] and [y] (z)', '<p>[x] and [y] (z)</p>'],
      ['a link whose text names another host with the real URL', '[jp.mercari.com](https://evil.example/login)', `<p>${a('https://evil.example/login', 'https://evil.example/login')}</p>`],
      ['a link with empty text as its URL', '[](https://a.example/)', `<p>${a('https://a.example/', 'https://a.example/')}</p>`],
      ['an autolink', 'see https://a.example/b?c=d#e now', `<p>see ${a('https://a.example/b?c=d#e', 'https://a.example/b?c=d#e')} now</p>`],
      ['an autolink without trailing punctuation', 'Go to https://a.example/b.', `<p>Go to ${a('https://a.example/b', 'https://a.example/b')}.</p>`],
      ['an autolink inside parentheses', '(https://a.example/b)', `<p>(${a('https://a.example/b', 'https://a.example/b')})</p>`],
      ['an autolink that stops at Japanese text', 'https://jp.mercari.com/help/をご覧ください', `<p>${a('https://jp.mercari.com/help/', 'https://jp.mercari.com/help/')}をご覧ください</p>`],
      ['an autolink right after Japanese text', '詳しくはhttps://a.example/', `<p>詳しくは${a('https://a.example/', 'https://a.example/')}</p>`],
      ['a www. autolink as https', 'www.mercari.com/jp', `<p>${a('https://www.mercari.com/jp', 'www.mercari.com/jp')}</p>`],
      ['an autolink inside bold', '**https://a.example/x**', `<p><strong>${a('https://a.example/x', 'https://a.example/x')}</strong></p>`],
      ['an autolink in a list item', '- http://a.example', `<ul><li>${a('http://a.example/', 'http://a.example')}</li></ul>`],
      ['no autolink inside a word', 'xhttps://a.example awww.b.example', '<p>xhttps://a.example awww.b.example</p>'],
      ['no autolink without a host', 'https:// and www. alone', '<p>https:// and www. alone</p>'],
      ['no autolink with credentials', 'https://mercari.com@evil.example/', '<p>https://mercari.com@evil.example/</p>'],
      ['no nested link inside link text', '[see https://a.example/](https://a.example/x)', `<p>${a('https://a.example/x', 'see https://a.example/')}</p>`],
      ['markdown-looking characters in a URL as part of it', 'https://a.example/a_b_c', `<p>${a('https://a.example/a_b_c', 'https://a.example/a_b_c')}</p>`],
    ];
    for (const [name, input, expected] of cases) {
      it(`renders ${name}`, () => expect(md(input)).to.equal(expected));
    }
  });

  describe('time (linear, no catastrophic backtracking)', () => {
    // Ceilings are sanity bounds for a loaded CI machine; the real times are logged.
    const CEILING_MS = 1000;
    const MB = 1_000_000;
    const fill = (unit: string) => unit.repeat(Math.ceil(MB / unit.length));
    const timed = (label: string, fn: () => void) => {
      const start = performance.now();
      fn();
      const ms = performance.now() - start;
      console.log(`render timing: ${label}: ${ms.toFixed(1)} ms`);
      return ms;
    };

    const unit =
      '**配送**について: 詳しくは https://jp.mercari.com/help/ をご覧ください。*Note* `code` [help](https://help.example/a)\n' +
      '- item one\n- item two\n  - nested\n1. first\n\nA plain paragraph of ordinary text that goes on for a while.\n\n';
    const prose = fill(unit);

    it('parses 1 MB of markdown prose and renders it into the DOM in full, in time linear in its length', () => {
      // Rich prose takes a second or more in full, so an absolute ceiling would measure the
      // machine's load: an eighth of it is timed too (after a warm-up), and the whole must stay
      // well under the sixty-four times as long a quadratic pass would take (about 8× for
      // parsing here, 11–16× with the DOM, which lays out more as it grows).
      const eighth = unit.repeat(prose.length / unit.length / 8);
      renderMarkdown(eighth);
      const parts = [eighth, prose].map((text) => [
        timed(`${text.length} B prose, parse only`, () => renderMarkdown(text)),
        timed(`${text.length} B prose, parse + full DOM render`, () => mount(renderMarkdown(text)).remove()),
      ]);
      const container = mount(renderMarkdown(prose));
      // Two links per repeated unit: the autolink and the [help] link.
      expect(container.querySelectorAll('a').length).to.equal((2 * prose.length) / unit.length);
      expect(container.querySelectorAll('ul ul').length).to.equal(prose.length / unit.length);
      container.remove();
      expect(parts[1][0] / parts[0][0], 'parse: whole against an eighth').to.be.below(24);
      expect(parts[1][1] / parts[0][1], 'parse + DOM: whole against an eighth').to.be.below(32);
      expect(parts[1][1], 'a hang guard').to.be.below(CEILING_MS * 30);
    });

    it('renders 1 MB of markdown as the element does (truncated to MAX_VISIBLE)', () => {
      let container!: HTMLElement;
      const ms = timed('1 MB prose, truncate + parse + DOM render', () => (container = mount(renderMarkdown(truncate(prose)))));
      expect(container.textContent!.length).to.be.below(4000);
      container.remove();
      expect(ms).to.be.below(200);
    });

    it('parses 1 MB of plain text and renders it as one text node', () => {
      const text = fill('ordinary words without any markup at all ');
      let container!: HTMLElement;
      const ms = timed('1 MB plain text, parse + render', () => (container = mount(renderMarkdown(text))));
      expect(container.textContent).to.equal(text);
      expect(container.querySelectorAll('*').length).to.equal(1);
      container.remove();
      expect(ms).to.be.below(CEILING_MS);
    });

    const pathological: Array<[string, string]> = [
      ['1M *', fill('*')],
      ['1M `', fill('`')],
      ['1M [', fill('[')],
      ['1M ]', fill(']')],
      ['[]( repeated', fill('[](')],
      ['[a]( repeated', fill('[a](')],
      ['[a](x) unsafe links', fill('[a](javascript:x)')],
      ['**a repeated (no closer)', '**' + fill('a **a')],
      ['*a repeated', fill('*a')],
      ['a* repeated (closers, no openers)', fill('a* ')],
      ['`a repeated', fill('`a')],
      ['alternating * and space', fill('* ')],
      ['1M h', fill('h')],
      ['h and space', fill('h ')],
      ['http:// repeated', fill('http://')],
      ['www. repeated', fill('www.')],
      ['one 1 MB URL', 'https://a.example/' + fill('a')],
      ['one URL of 1M dots', 'https://a.example/' + fill('.')],
      ['one URL ending in 1M )', 'https://a.example/' + fill(')')],
      ['1M spaces then a marker', fill(' ') + '- x'],
      ['one line of 1M markers', fill('- ')],
      ['500k list lines', fill('-\n- a\n')],
      ['deep indentation', Array.from({ length: 1400 }, (_, i) => ' '.repeat(i) + '- x').join('\n')],
      ['1M newlines', fill('\n')],
      ['1M NUL and bidi', fill('\0\u202e')],
      ['link text of 1M dotted words', '[' + fill('a.bc ') + '](https://a.example/)'],
      ['link text of one 1M word', '[' + fill('a') + '.com](https://a.example/)'],
      ['1M surrogate pairs', fill('😀')],
    ];
    // What these guard against is backtracking: quadratic work on 1 MB takes minutes. Linear work
    // takes up to a second on a loaded test machine (500k list items are the slowest), so the
    // ceiling sits far from both.
    const LINEAR_MS = 5000;
    for (const [name, input] of pathological) {
      it(`parses ${name} in linear time`, () => {
        let parsed!: ReturnType<typeof renderMarkdown>;
        const parse = timed(`${name} (${(input.length / MB).toFixed(1)} MB), parse`, () => (parsed = renderMarkdown(input)));
        expect(parse).to.be.below(LINEAR_MS);
        const visible = truncate(input);
        const shown = timed(`${name}, truncate + parse + render`, () => mount(renderMarkdown(visible)).remove());
        expect(parsed.length > 0, 'renders something exactly when there is text').to.equal(input.trim() != '');
        expect(shown).to.be.below(CEILING_MS);
      });
    }
  });
});
