import { expect } from '@open-wc/testing';
import { clean, MAX_LABEL, MAX_LIST_ITEMS, MAX_QUICK_REPLIES, MAX_VISIBLE, safeLabel, truncate } from '../../src/render/text.js';

describe('clean', () => {
  const cases: Array<[string, string, string]> = [
    ['NUL', 'a\0b', 'a\ufffdb'],
    ['bell and escape', 'a\x07\x1b[31mb', 'a\ufffd\ufffd[31mb'],
    ['carriage return and vertical tab', 'a\rb\vc\fd', 'a\ufffdb\ufffdc\ufffdd'],
    ['DEL and C1 controls', 'a\x7fb\x85c\x9bd', 'a\ufffdb\ufffdc\ufffdd'],
    ['right-to-left override', 'invoice\u202Efdp.exe', 'invoice\ufffdfdp.exe'],
    ['every embedding and override', '\u202A\u202B\u202C\u202D\u202E', '\ufffd'.repeat(5)],
    ['every isolate', '\u2066\u2067\u2068\u2069', '\ufffd'.repeat(4)],
  ];
  for (const [name, input, expected] of cases) {
    it(`neutralises ${name}`, () => expect(clean(input)).to.equal(expected));
  }

  it('keeps line feeds, tabs, emoji, Japanese, RTL letters and zero-width joiners', () => {
    const text = 'こんにちは\n\tمرحبا 👩‍👩‍👧 \u200b\u200d\u200e x';
    expect(clean(text)).to.equal(text);
  });
});

describe('truncate', () => {
  it('leaves text within the limit alone', () => {
    expect(truncate('abc', 3)).to.equal('abc');
    expect(truncate('x'.repeat(MAX_VISIBLE))).to.equal('x'.repeat(MAX_VISIBLE));
  });

  it('cuts longer text at the limit, by default 4,000', () => {
    expect(MAX_VISIBLE).to.equal(4000);
    expect(truncate('abcdef', 4)).to.equal('abcd');
    expect(truncate('y'.repeat(1_000_000))).to.equal('y'.repeat(4000));
  });

  it('never splits a surrogate pair', () => {
    // '😀' is two code units: a cut after 'ab' + the high surrogate would leave half of it.
    expect(truncate('ab😀cd', 3)).to.equal('ab');
    expect(truncate('ab😀cd', 4)).to.equal('ab😀');
    expect(truncate('😀'.repeat(3000))).to.equal('😀'.repeat(2000));
    const odd = truncate('a' + '😀'.repeat(3000));
    expect(odd).to.equal('a' + '😀'.repeat(1999));
    expect(/[\ud800-\udbff]$/.test(odd)).to.be.false;
  });
});

describe('safeLabel', () => {
  it('shows a short name as it is', () => {
    expect(safeLabel('receipt.png')).to.equal('receipt.png');
    expect(safeLabel('領収書 2024.pdf')).to.equal('領収書 2024.pdf');
  });

  it('neutralises bidi overrides so a name cannot fake its extension', () => {
    expect(safeLabel('invoice\u202Egnp.exe')).to.equal('invoice\ufffdgnp.exe');
    expect(safeLabel('a\u2067b\u2069c\0.png')).to.equal('a\ufffdb\ufffdc\ufffd.png');
  });

  it('shortens long names in the middle, keeping the real extension visible', () => {
    const label = safeLabel('a'.repeat(500) + '.pdf.exe');
    expect(MAX_LABEL).to.equal(80);
    expect(label).to.equal('a'.repeat(69) + '…' + 'aa.pdf.exe');
    expect([...label].length).to.equal(80);
  });

  it('counts code points, so emoji are never cut in half', () => {
    const label = safeLabel('😀'.repeat(100), 20);
    expect(label).to.equal('😀'.repeat(9) + '…' + '😀'.repeat(10));
  });

  it('honours a custom maximum', () => {
    expect(safeLabel('abcdefghijklmnopqrstuvwxyz', 15)).to.equal('abcd…qrstuvwxyz');
  });
});

describe('limits', () => {
  it('caps lists and quick replies at small, fixed counts', () => {
    expect(MAX_LIST_ITEMS).to.equal(50);
    expect(MAX_QUICK_REPLIES).to.equal(10);
  });
});
