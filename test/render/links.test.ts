import { expect } from '@open-wc/testing';
import { anchor, link, linkText, parseUrl, safeUrl } from '../../src/render/links.js';
import { renderToMarkup } from './dom.js';

describe('safeUrl', () => {
  const allowed: Array<[string, string]> = [
    ['https://example.com', 'https://example.com/'],
    ['http://example.com/a?b=c#d', 'http://example.com/a?b=c#d'],
    ['HTTPS://EXAMPLE.COM/Path', 'https://example.com/Path'],
    ['  https://example.com/x \n', 'https://example.com/x'],
    ['\u3000https://example.com/全角\u3000', 'https://example.com/%E5%85%A8%E8%A7%92'],
    ['ht\ttps://exa\nmple.com/', 'https://example.com/'],
    ['https:\\\\example.com\\a', 'https://example.com/a'],
    ['www.mercari.com/jp/help', 'https://www.mercari.com/jp/help'],
    ['WWW.example.com', 'https://www.example.com/'],
    ['mailto:help@example.com', 'mailto:help@example.com'],
    ['MAILTO:help@example.com', 'mailto:help@example.com'],
    ['tel:+81-3-1234-5678', 'tel:+81-3-1234-5678'],
    ['https://例え.jp/', 'https://xn--r8jz45g.jp/'],
  ];
  for (const [raw, href] of allowed) {
    it(`allows ${JSON.stringify(raw)} as ${href}`, () => expect(safeUrl(raw)).to.equal(href));
  }

  const refused = [
    'javascript:alert(1)',
    'JaVaScRiPt:alert(1)',
    ' javascript:alert(1)',
    '\0javascript:alert(1)',
    '\x01\x1fjavascript:alert(1)',
    'java\tscript:alert(1)',
    'java\nscript:alert(1)',
    'java\rscript:alert(1)',
    'java\0script:alert(1)',
    'java\u200bscript:alert(1)',
    'ｊａｖａｓｃｒｉｐｔ:alert(1)',
    '&#106;avascript:alert(1)',
    '&#x6A;avascript:alert(1)',
    '&#0000106&#0000097vascript:alert(1)',
    'javascript&colon;alert(1)',
    'javascript&#58;alert(1)',
    '%6Aavascript:alert(1)',
    'javascript%3Aalert(1)',
    '%20javascript:alert(1)',
    'jav&#x09;ascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'DATA:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
    'data:image/svg+xml,<svg onload=alert(1)>',
    'vbscript:msgbox(1)',
    'VBScript:msgbox(1)',
    'file:///etc/passwd',
    'blob:https://example.com/1234',
    'about:blank',
    'chrome://settings',
    'ftp://example.com/x',
    'ws://example.com/',
    'intent://x#Intent;scheme=javascript;end',
    '//evil.example/x',
    '\\\\evil.example\\x',
    '/\\evil.example',
    '/relative/path',
    'relative/path',
    '../up',
    '#fragment',
    '?query',
    'https://user:pass@evil.example/',
    'https://mercari.com@evil.example/',
    'https://',
    'http://',
    'mailto',
    '',
    '   ',
  ];
  for (const raw of refused) {
    it(`refuses ${JSON.stringify(raw)}`, () => expect(safeUrl(raw)).to.equal(null));
  }
});

describe('parseUrl', () => {
  it('parses absolute URLs and returns null for relative or malformed ones', () => {
    expect(parseUrl('https://a.example/x')?.host).to.equal('a.example');
    expect(parseUrl('/x')).to.equal(null);
    expect(parseUrl('http://[')).to.equal(null);
  });
});

describe('linkText', () => {
  const cases: Array<[string, string, string, string]> = [
    ['keeps ordinary text', 'Help center', 'https://help.example/a', 'Help center'],
    ['keeps Japanese text', 'ヘルプセンターを見る', 'https://help.example/a', 'ヘルプセンターを見る'],
    ['keeps a URL on the same host', 'https://help.example/other', 'https://help.example/a', 'https://help.example/other'],
    ['keeps a bare host that matches', 'help.example', 'https://help.example/a', 'help.example'],
    ['keeps ordinary punctuation', 'Tip: see e.g. v1.2 (3.5)', 'https://help.example/', 'Tip: see e.g. v1.2 (3.5)'],
    ['shows the href for another host', 'paypal.com', 'https://evil.example/', 'https://evil.example/'],
    ['shows the href for a URL word inside a sentence', 'log in at paypal.com now', 'https://evil.example/', 'https://evil.example/'],
    ['shows the href for a host with trailing punctuation', 'visit paypal.com.', 'https://evil.example/', 'https://evil.example/'],
    ['shows the href for a scheme that differs', 'http://help.example/', 'https://help.example/', 'https://help.example/'],
    ['shows the href for a javascript: label', 'javascript:alert(1)', 'https://help.example/', 'https://help.example/'],
    ['shows the href for a look-alike host', 'https://аpple.com', 'https://apple.com/', 'https://apple.com/'],
    ['shows the href for credentials in the label', 'https://mercari.com@evil.example', 'https://evil.example/', 'https://evil.example/'],
    ['shows the href for a mailto label to someone else', 'mailto:help@mercari.com', 'mailto:x@evil.example', 'mailto:x@evil.example'],
    ['shows the href for an address label on a web link of the same host', 'help@mercari.com', 'https://mercari.com/', 'https://mercari.com/'],
    ['shows the href for an address label on a web link', 'help@mercari.com', 'https://evil.example/', 'https://evil.example/'],
    ['keeps a mailto label that matches', 'mailto:help@mercari.com', 'mailto:help@mercari.com', 'mailto:help@mercari.com'],
    ['shows the href for empty text', '', 'https://help.example/', 'https://help.example/'],
    ['shows the href for blank text', ' \t', 'https://help.example/', 'https://help.example/'],
  ];
  for (const [name, text, href, shown] of cases) {
    it(name, () => expect(linkText(text, href)).to.equal(shown));
  }
});

describe('anchor', () => {
  it('always opens a new tab without opener or referrer', () => {
    expect(renderToMarkup(anchor('https://a.example/', 'A'))).to.equal(
      '<a target="_blank" rel="noopener noreferrer" href="https://a.example/">A</a>',
    );
  });
});

describe('link', () => {
  it('renders a safe URL as a link showing the URL as written', () => {
    expect(renderToMarkup(link('HTTPS://a.example'))).to.equal(
      '<a target="_blank" rel="noopener noreferrer" href="https://a.example/">HTTPS://a.example</a>',
    );
  });

  it('renders a title as the link text', () => {
    expect(renderToMarkup(link('https://help.example/12', '<b>Returns</b> & refunds'))).to.equal(
      '<a target="_blank" rel="noopener noreferrer" href="https://help.example/12">&lt;b&gt;Returns&lt;/b&gt; &amp; refunds</a>',
    );
  });

  it('renders an unsafe URL as plain text', () => {
    expect(link('javascript:alert(1)', 'Click')).to.equal('Click');
    expect(renderToMarkup(link('javascript:alert(1)'))).to.equal('javascript:alert(1)');
  });

  it('shows the real URL when the title names another host', () => {
    expect(renderToMarkup(link('https://evil.example/', 'jp.mercari.com'))).to.equal(
      '<a target="_blank" rel="noopener noreferrer" href="https://evil.example/">https://evil.example/</a>',
    );
  });
});
