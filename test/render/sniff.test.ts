import { expect } from '@open-wc/testing';
import { isSafeImageUrl, MAX_FILE_BYTES, sniffImageType } from '../../src/render/sniff.js';

const bytes = (...parts: Array<string | number[]>): Uint8Array =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? [...p].map((c) => c.charCodeAt(0)) : p)));

describe('sniffImageType', () => {
  const cases: Array<[string, Uint8Array, string | null]> = [
    ['PNG', bytes([0x89], 'PNG\r\n\x1a\n', [0, 0, 0, 13], 'IHDR'), 'image/png'],
    ['JPEG (JFIF)', bytes([0xff, 0xd8, 0xff, 0xe0, 0, 16], 'JFIF\0'), 'image/jpeg'],
    ['JPEG (Exif)', bytes([0xff, 0xd8, 0xff, 0xe1, 0, 16], 'Exif\0'), 'image/jpeg'],
    ['GIF87a', bytes('GIF87a', [1, 0, 1, 0, 0, 0]), 'image/gif'],
    ['GIF89a', bytes('GIF89a', [1, 0, 1, 0, 0, 0]), 'image/gif'],
    ['WebP', bytes('RIFF', [0x24, 0, 0, 0], 'WEBPVP8 '), 'image/webp'],
    ['SVG', bytes('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'), null],
    ['SVG with an XML declaration', bytes('<?xml version="1.0"?><svg>'), null],
    ['SVG after whitespace and a BOM', bytes([0xef, 0xbb, 0xbf], '  <svg>'), null],
    ['HTML', bytes('<!DOCTYPE html><script>alert(1)</script>'), null],
    ['a PNG signature with one wrong byte', bytes([0x89], 'PNG\r\n\x1a\x0b', [0, 0, 0, 13]), null],
    ['PNG text after a leading byte', bytes([0], [0x89], 'PNG\r\n\x1a\n'), null],
    ['GIF with an unknown version', bytes('GIF88a', [1, 0, 1, 0, 0, 0]), null],
    ['RIFF that is not WebP (WAVE audio)', bytes('RIFF', [0x24, 0, 0, 0], 'WAVEfmt '), null],
    ['a PDF', bytes('%PDF-1.7\n%'), null],
    ['a ZIP (or .docx)', bytes('PK\x03\x04', [20, 0, 0, 0, 8, 0, 0, 0]), null],
    ['an executable', bytes('MZ', [0x90, 0, 3, 0, 0, 0, 4, 0, 0, 0]), null],
    ['two JPEG bytes only', bytes([0xff, 0xd8]), null],
    ['no bytes', new Uint8Array(), null],
  ];
  for (const [name, input, expected] of cases) {
    it(`${expected ? `recognises ${name} as ${expected}` : `refuses ${name}`}`, () => expect(sniffImageType(input)).to.equal(expected));
  }

  it('looks only at the content, whatever a File claims', async () => {
    const file = new File(['<svg onload="alert(1)"></svg>'], 'photo.png', { type: 'image/png' });
    expect(sniffImageType(new Uint8Array(await file.slice(0, 12).arrayBuffer()))).to.equal(null);
  });

  it('accepts files up to 10 MiB', () => {
    expect(MAX_FILE_BYTES).to.equal(10 * 1024 * 1024);
  });
});

describe('isSafeImageUrl', () => {
  const origins = ['https://files.example.com', 'https://cdn.example.net/uploads'];
  const cases: Array<[string, boolean]> = [
    ['blob:http://localhost:8000/4b4f1b3e-0000-4000-8000-000000000000', true],
    ['https://files.example.com/a/b.png', true],
    ['HTTPS://FILES.EXAMPLE.COM/a.png', true],
    ['https://cdn.example.net/uploads/a.png?sig=1', true],
    ['https://cdn.example.net/uploads-evil/a.png', false],
    ['https://cdn.example.net/uploads/../admin/a.png', false],
    ['https://cdn.example.net/uploads/%2e%2e/admin/a.png', false],
    ['https://cdn.example.net/other/a.png', false],
    ['http://files.example.com/a.png', false],
    ['https://files.example.com:8443/a.png', false],
    ['https://files.example.com.evil.example/a.png', false],
    ['https://evil.example/files.example.com/a.png', false],
    ['https://files.example.com@evil.example/a.png', false],
    ['data:image/svg+xml,<svg onload=alert(1)>', false],
    ['data:image/png;base64,iVBORw0KGgo=', false],
    ['javascript:alert(1)', false],
    ['/uploads/a.png', false],
    ['//files.example.com/a.png', false],
    ['', false],
  ];
  for (const [url, expected] of cases) {
    it(`${expected ? 'allows' : 'refuses'} ${url}`, () => expect(isSafeImageUrl(url, origins)).to.equal(expected));
  }

  it('allows only blob: URLs when no upload origin is known', () => {
    expect(isSafeImageUrl('https://files.example.com/a.png')).to.be.false;
    expect(isSafeImageUrl(URL.createObjectURL(new Blob(['x'])))).to.be.true;
  });

  it('ignores upload origins that are not URLs', () => {
    expect(isSafeImageUrl('https://files.example.com/a.png', ['files.example.com', '', 'data:'])).to.be.false;
  });
});
