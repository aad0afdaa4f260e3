// Bundle sizes (raw / gzip / brotli). `--check` enforces the budget from DESIGN.md.
import { readFileSync, existsSync } from 'node:fs';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';

/** DESIGN.md's budget for the script-tag bundle, every feature included. */
export const BUDGET_GZIP = 24 * 1024;
/**
 * What `npm test` enforces today. The bundle is over the budget (README, "Performance"): this
 * ceiling is the measured size plus a little, so it can only shrink. Lower it as cuts land.
 * Its history, raised only for what no cut could pay for:
 * - 27.7 → 28.0 KiB for the hand-built launcher: +0.25 KiB that brought the launcher and the
 *   longest start-up task under their 50 ms budgets;
 * - 28.0 → 28.05 KiB for a message-loss fix: a message for operators that could not be left was
 *   thrown away; it now goes back to the composer (+57 B);
 * - back to 28.0 KiB when Terser took 259 B off the build, which also paid for four fixes;
 * - 28.0 → 28.1 KiB for thirteen fixes found by a review (+106 B net): a logout in another tab
 *   showed an inline widget the old user's conversation; a second tab's message waited forever
 *   behind a closed widget; a bad hours frame broke the widget for good; a question after
 *   "Start a new conversation" vanished; announcements, banners, zoom and wrapping;
 * - down to 26.5 KiB when the element's base class replaced LitElement (−1.6 KiB), with a build
 *   that ships the Japanese catalog as a list and further cuts paying for that round's fixes;
 * - 26.5 → 26.8 KiB for the next round's fixes (+485 B, of which 227 B were paid by cuts: an
 *   ASCII build, loose equality, seven element and session simplifications): delivery defects
 *   (a server that lost the conversation, in every tab; Infinity seqs; a negative heartbeat; a
 *   clock set back; restored order), the phone-sized panel leaking Tab and screen readers to
 *   the page it hides (WCAG 2.4.11), "End chat" ending at one tap, commands that pretended to go
 *   through while offline, and four smaller UI defects. It measured 26.75 KiB then.
 */
export const CEILING_GZIP = 26.8 * 1024;
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
  const versus = script.gzip > BUDGET_GZIP ? `OVER the ${kib(BUDGET_GZIP)} budget by ${kib(script.gzip - BUDGET_GZIP)}` : `within the ${kib(BUDGET_GZIP)} budget`;
  console.log(`Script-tag bundle: ${kib(script.gzip)} gzip, ${versus}.`);
  if (process.argv.includes('--check')) {
    if (script.gzip > CEILING_GZIP) {
      console.error(`It grew past the enforced ceiling of ${kib(CEILING_GZIP)}: cut before adding.`);
      process.exit(1);
    }
    console.log(`Enforced ceiling ${kib(CEILING_GZIP)} holds (${kib(CEILING_GZIP - script.gzip)} to spare).`);
  }
}
