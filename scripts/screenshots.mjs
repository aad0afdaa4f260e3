// Renders every demo preset in headless Chromium — phone and desktop, light and dark, ja and en —
// to PNG files under screenshots/, for designers to review and for pull-request comparison.
//
//   node scripts/screenshots.mjs [--no-build] [--only=queue,offline] [--lang=ja,en]
//                                [--viewport=phone,desktop] [--theme=light,dark]
//                                [--palette=mercari,ocean,ink] [--out=screenshots]
//
// It builds the demo (vite build --mode demo → demo-dist/), serves it on 127.0.0.1 with a tiny
// static server, and drives each preset once per language; the viewports and color schemes of a
// preset are shot from that one run. Japanese runs use the Asia/Tokyo time zone, English ones
// America/Los_Angeles (so both-zone times show). Files are named
// <preset>--<viewport>--<theme>--<lang>[--<palette>].png; screenshots/index.html shows them all. Exits non-zero
// if a preset fails or the page reports an error.
import { execSync } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { chromiumArgs, chromiumPath } from './chromium.mjs';
import { ensureChromium } from './ensure-chromium.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'demo-dist');

/** Screen sizes, CSS px. */
export const VIEWPORTS = { phone: { width: 375, height: 667 }, tablet: { width: 768, height: 1024 }, desktop: { width: 1280, height: 800 } };

/** Builds the demo into demo-dist/ with the project's Vite config (mode `demo`). */
export async function buildDemo() {
  const { build } = await import('vite');
  await build({ configFile: join(root, 'vite.config.ts'), mode: 'demo', logLevel: 'warn' });
}

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.map': 'application/json',
};

/** Serves `dir` on 127.0.0.1 (an ephemeral port). Resolves with `{ url, close }`. */
export function serveDir(dir = dist) {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    let file = normalize(join(dir, path));
    if (!file.startsWith(resolve(dir))) return res.writeHead(403).end();
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file)) return res.writeHead(404).end('not found');
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
    createReadStream(file).pipe(res);
  });
  return new Promise((done) =>
    server.listen(0, '127.0.0.1', () => done({ url: `http://127.0.0.1:${server.address().port}/`, close: () => new Promise((r) => server.close(r)) })),
  );
}

/** Japanese text renders as boxes without a CJK font: install one on Debian when we can. */
function ensureJapaneseFont() {
  let fonts = '';
  try {
    fonts = execSync('fc-list :lang=ja family', { encoding: 'utf8' });
  } catch {
    return;
  }
  if (fonts.trim()) return;
  if (process.getuid?.() !== 0) {
    console.warn('No Japanese font: ja screenshots will show boxes (apt-get install fonts-noto-cjk).');
    return;
  }
  console.log('Installing a Japanese font (fonts-noto-cjk)…');
  execSync('apt-get install -y -qq -o DPkg::Lock::Timeout=120 fonts-noto-cjk || (apt-get update -qq && apt-get install -y -qq -o DPkg::Lock::Timeout=120 fonts-noto-cjk)', {
    stdio: 'inherit',
  });
}

const option = (name, fallback) => {
  const arg = process.argv.find((a) => a.startsWith(`--${name}=`));
  return arg ? arg.slice(name.length + 3).split(',').filter(Boolean) : fallback;
};

/** Runs `tasks` (async functions) with at most `limit` at once. */
async function pool(tasks, limit) {
  const results = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, tasks.length) }, async () => {
      while (next < tasks.length) {
        const i = next++;
        results[i] = await tasks[i]();
      }
    }),
  );
  return results;
}

/** Waits until the page's stage has run its preset; returns `{ status, failure, errors }`. */
async function stageSettled(page, timeout = 30_000) {
  await page.waitForFunction(() => ['ready', 'failed'].includes(document.documentElement.dataset.stage ?? ''), null, { timeout });
  return page.evaluate(() => ({ status: window.mcsStage.status, failure: window.mcsStage.failure, errors: [...window.mcsStage.errors] }));
}

/**
 * Lets layout, fonts and the widget settle before a shot. After a viewport change the transcript
 * is scrolled to its end, as a person would see it on a device of that size: the widget keeps its
 * scroll position when it is resized (see the notes in README's Demo section).
 */
async function settle(page) {
  await page.evaluate(async () => {
    await document.fonts.ready;
    await window.mcsStage?.el.updateComplete;
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    const log = window.mcsStage?.el.shadowRoot?.querySelector('[part~="messages"]');
    if (log) log.scrollTop = log.scrollHeight;
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  });
}

/** The user's time zone per language: Japanese users in Japan; English ones in California, to show both zones. */
export const TIME_ZONES = { ja: 'Asia/Tokyo', en: 'America/Los_Angeles' };

async function main() {
  const out = resolve(root, option('out', ['screenshots'])[0]);
  const langs = option('lang', ['ja', 'en']);
  const viewports = option('viewport', ['phone', 'desktop']);
  const themes = option('theme', ['light', 'dark']);
  // Demo themes (mercari, ocean, ink); other than the default, the theme id joins the file name.
  const palettes = option('palette', ['mercari']);
  ensureChromium();
  ensureJapaneseFont();
  if (!process.argv.includes('--no-build') || !existsSync(join(dist, 'index.html'))) {
    console.log('Building the demo…');
    await buildDemo();
  }
  const server = await serveDir();
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: chromiumArgs });
  const problems = [];
  const written = [];
  try {
    // The preset ids come from the demo itself, so a new preset is shot without touching this script.
    const probe = await browser.newPage();
    await probe.goto(`${server.url}?view=stage&preset=greeting`);
    await probe.waitForFunction(() => window.mcsStage);
    const all = await probe.evaluate(() => window.mcsStage.presets.map((p) => p.id));
    await probe.close();
    const only = option('only', all);
    // Only the script's own files are replaced: an --out pointing at a real folder loses nothing else.
    mkdirSync(out, { recursive: true });
    for (const name of readdirSync(out)) if (name.endsWith('.png') || name === 'index.html') rmSync(join(out, name));
    const started = Date.now();

    const jobs = only.flatMap((preset) =>
      langs.flatMap((lang) => palettes.map((palette) => async () => {
        const tag = palette === 'mercari' ? '' : `--${palette}`;
        const context = await browser.newContext({
          viewport: VIEWPORTS[viewports[0]],
          reducedMotion: 'reduce',
          colorScheme: themes[0] === 'dark' ? 'dark' : 'light',
          timezoneId: TIME_ZONES[lang] ?? 'Asia/Tokyo',
          locale: lang === 'ja' ? 'ja-JP' : 'en-US',
        });
        const page = await context.newPage();
        const pageErrors = [];
        page.on('pageerror', (e) => pageErrors.push(e.message));
        try {
          await page.goto(`${server.url}?view=stage&preset=${preset}&lang=${lang}&theme=${themes[0]}&palette=${palette}`);
          const result = await stageSettled(page);
          if (result.status !== 'ready') problems.push(`${preset} (${lang}): ${result.failure}`);
          for (const viewport of viewports) {
            await page.setViewportSize(VIEWPORTS[viewport]);
            for (const theme of themes) {
              await page.emulateMedia({ colorScheme: theme === 'dark' ? 'dark' : 'light' });
              await page.evaluate((t) => window.mcsStage.setTheme(t), theme);
              await settle(page);
              const file = join(out, `${preset}--${viewport}--${theme}--${lang}${tag}.png`);
              await page.screenshot({ path: file });
              written.push(file);
            }
          }
          const errors = [...(await page.evaluate(() => [...window.mcsStage.errors])), ...pageErrors];
          if (errors.length) problems.push(`${preset} (${lang}): errors: ${errors.join(' | ')}`);
        } catch (error) {
          problems.push(`${preset} (${lang}): ${error.message.split('\n')[0]}`);
        } finally {
          await context.close();
        }
      })),
    );
    // The control panel itself, once per language, for the record.
    jobs.push(
      ...langs.map((lang) => async () => {
        const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, reducedMotion: 'reduce', timezoneId: TIME_ZONES[lang] ?? 'Asia/Tokyo' });
        const page = await context.newPage();
        try {
          await page.goto(`${server.url}?preset=operator&lang=${lang}`);
          const frame = await (await page.waitForSelector('iframe')).contentFrame();
          await frame.waitForFunction(() => document.documentElement.dataset.stage === 'ready', null, { timeout: 30_000 });
          await page.waitForTimeout(300);
          const file = join(out, `_panel--desktop--light--${lang}.png`);
          await page.screenshot({ path: file });
          written.push(file);
        } catch (error) {
          problems.push(`panel (${lang}): ${error.message.split('\n')[0]}`);
        } finally {
          await context.close();
        }
      }),
    );
    await pool(jobs, 2);
    written.sort();
    writeFileSync(
      join(out, 'index.html'),
      `<!doctype html><meta charset="utf-8"><title>mercari-chat-support screenshots</title>
<style>body{font:14px system-ui;margin:1rem}figure{display:inline-block;margin:.5rem;vertical-align:top}img{max-width:320px;max-height:400px;border:1px solid #8886}figcaption{max-width:320px}</style>
<h1>mercari-chat-support — ${written.length} screenshots</h1>
${written.map((f) => `<figure><a href="${f.slice(out.length + 1)}"><img src="${f.slice(out.length + 1)}" alt="" loading="lazy"></a><figcaption>${f.slice(out.length + 1, -4)}</figcaption></figure>`).join('\n')}
`,
    );
    for (const file of written) console.log(`wrote ${file.slice(root.length)}`);
    console.log(`${written.length} screenshots in ${out.slice(root.length)}/ (index.html shows them all) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    await browser.close();
    await server.close();
  }
  if (problems.length) {
    console.error(`\n${problems.length} problem(s):\n- ${problems.join('\n- ')}`);
    process.exit(1);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
