// @ts-check
// What `npm publish` would ship, checked from `npm pack --dry-run --json` (run after the build):
// `node --test test/package/`.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));

/** Every file path an `exports` map (or a plain field) points to. */
function targets(value) {
  if (typeof value === 'string') return [value.replace(/^\.\//, '')];
  if (value && typeof value === 'object') return Object.values(value).flatMap(targets);
  return [];
}

describe('npm package contents', () => {
  /** @type {Set<string>} */
  let files;
  /** @type {{ size: number, unpackedSize: number }} */
  let summary;

  before(() => {
    assert.ok(existsSync('dist/index.js') && existsSync('dist/mercari-chat-support.iife.js'), 'dist/ is missing: run npm run build first');
    const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const [report] = JSON.parse(out);
    files = new Set(report.files.map((f) => f.path));
    summary = report;
  });

  it('ships the ESM and script-tag bundles, each with its source map', () => {
    for (const file of ['dist/index.js', 'dist/mercari-chat-support.iife.js', 'dist/testing.js']) {
      assert.ok(files.has(file), `${file} is not packed`);
      assert.ok(files.has(`${file}.map`), `${file}.map is not packed`);
    }
    for (const file of [...files].filter((f) => f.endsWith('.js'))) assert.ok(files.has(`${file}.map`), `${file} has no source map`);
  });

  it('ships type declarations for every entry, the framework declarations included', () => {
    for (const file of ['dist/types/index.d.ts', 'dist/types/testing/index.d.ts', 'dist/types/frameworks/react.d.ts', 'dist/types/frameworks/vue.d.ts']) {
      assert.ok(files.has(file), `${file} is not packed`);
    }
  });

  it('ships every file package.json points to', () => {
    const fields = [pkg.main, pkg.module, pkg.types, pkg.unpkg, pkg.customElements, ...targets(pkg.exports)].filter(Boolean).map((f) => f.replace(/^\.\//, ''));
    assert.ok(fields.length > 5);
    for (const file of fields) assert.ok(files.has(file), `package.json names ${file}, which is not packed`);
  });

  it('ships the manifest, README, license and package.json', () => {
    for (const file of ['custom-elements.json', 'README.md', 'LICENSE', 'package.json']) assert.ok(files.has(file), `${file} is not packed`);
    assert.equal(pkg.customElements, 'custom-elements.json');
    assert.match(readFileSync('LICENSE', 'utf8'), /^MIT License/);
  });

  it('ships no sources, tests, demo, scripts, build caches or dependencies', () => {
    const allowed = /^(dist\/|custom-elements\.json$|README\.md$|LICENSE$|package\.json$|CHANGELOG\.md$)/;
    const stray = [...files].filter((f) => !allowed.test(f));
    assert.deepEqual(stray, []);
    const unwanted = [...files].filter((f) => /(^|\/)(node_modules|test|tests|demo|\.tmp[^/]*)\//.test(f) || /\.test\.|\.tsbuildinfo$/.test(f));
    assert.deepEqual(unwanted, []);
  });

  it('keeps the test tooling out of the widget: only the testing entry carries the reference backend', () => {
    const backendMarker = 'simulateOperator';
    for (const file of ['dist/index.js', 'dist/mercari-chat-support.iife.js']) {
      assert.ok(!readFileSync(file, 'utf8').includes(backendMarker), `${file} contains the reference backend`);
    }
    assert.ok(readFileSync('dist/testing.js', 'utf8').includes(backendMarker), 'dist/testing.js lacks the reference backend');
  });

  it('starts the script-tag bundle with the compile hint, so Chrome compiles it off the main thread', () => {
    const [first, second] = readFileSync('dist/mercari-chat-support.iife.js', 'utf8').split('\n', 2);
    assert.equal(first, '//# allFunctionsCalledOnLoad');
    assert.match(second, /^var MercariChatSupport=/);
  });

  it('writes the script-tag bundle in ASCII, so a server that sends no charset cannot garble the Japanese text', () => {
    const bytes = readFileSync('dist/mercari-chat-support.iife.js');
    assert.ok(bytes.length > 0);
    assert.equal(bytes.findIndex((byte) => byte > 0x7f), -1);
    assert.match(bytes.toString('latin1'), /\\u30[0-9a-f]{2}/);
  });

  it('stays small enough to install in a blink', () => {
    assert.ok(summary.unpackedSize < 3 * 1024 * 1024, `unpacked size ${summary.unpackedSize} B`);
  });
});
