// Bundle sizes (raw / gzip / brotli). `--check` enforces the budget from DESIGN.md.
import { readFileSync, existsSync } from 'node:fs';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';

export const BUDGET_GZIP = 24 * 1024;
const files = ['dist/mercari-chat-support.iife.js', 'dist/index.js'];

export function measure(file) {
  const raw = readFileSync(file);
  return {
    file,
    raw: raw.length,
    gzip: gzipSync(raw, { level: 9 }).length,
    brotli: brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

const kib = (n) => `${(n / 1024).toFixed(2)} KiB`;

if (import.meta.url === `file://${process.argv[1]}`) {
  const missing = files.filter((f) => !existsSync(f));
  if (missing.length) {
    console.error(`Missing ${missing.join(', ')}: run npm run build first.`);
    process.exit(1);
  }
  const rows = files.map(measure);
  console.table(rows.map((r) => ({ file: r.file, raw: kib(r.raw), gzip: kib(r.gzip), brotli: kib(r.brotli) })));
  const script = rows[0];
  if (process.argv.includes('--check')) {
    if (script.gzip > BUDGET_GZIP) {
      console.error(`Script-tag bundle is ${kib(script.gzip)} gzip, over the ${kib(BUDGET_GZIP)} budget.`);
      process.exit(1);
    }
    console.log(`Script-tag bundle ${kib(script.gzip)} gzip, within ${kib(BUDGET_GZIP)} (${kib(BUDGET_GZIP - script.gzip)} left).`);
  }
}
