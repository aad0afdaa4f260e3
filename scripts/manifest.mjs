// custom-elements.json is generated from JSDoc; `--check` fails when the committed copy is stale
// or when any public member lacks a description.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const out = mkdtempSync(join(tmpdir(), 'cem-'));
execFileSync('npx', ['cem', 'analyze', '--litelement', '--globs', 'src/**/*.ts', '--outdir', out], { stdio: 'pipe' });
const fresh = readFileSync(join(out, 'custom-elements.json'), 'utf8');

if (!process.argv.includes('--check')) {
  writeFileSync('custom-elements.json', fresh);
  console.log('custom-elements.json written.');
  process.exit(0);
}

let committed = '';
try {
  committed = readFileSync('custom-elements.json', 'utf8');
} catch {}
if (committed !== fresh) {
  console.error('custom-elements.json is stale: run `node scripts/manifest.mjs` and commit it.');
  process.exit(1);
}

const undocumented = [];
for (const mod of JSON.parse(fresh).modules) {
  for (const decl of mod.declarations ?? []) {
    if (!decl.customElement) continue;
    if (!decl.description && !decl.summary) undocumented.push(decl.name);
    for (const group of ['members', 'attributes', 'events', 'cssParts', 'cssProperties', 'slots']) {
      for (const item of decl[group] ?? []) {
        if (item.privacy === 'private' || item.privacy === 'protected' || item.name?.startsWith('_')) continue;
        if (!item.description) undocumented.push(`${decl.name} ${group} ${item.name}`);
      }
    }
  }
}
if (undocumented.length) {
  console.error(`Undocumented in custom-elements.json:\n  ${undocumented.join('\n  ')}`);
  process.exit(1);
}
console.log('custom-elements.json is current and fully documented.');
