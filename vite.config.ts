import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin, type UserConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** nanostores reads process.env.NODE_ENV; pages have no `process`. */
const define = { 'process.env.NODE_ENV': JSON.stringify('production') };

/**
 * Serves msw's worker at the site root (its scope must be `/`) straight from node_modules, so
 * there is no copy that can drift from the installed msw.
 */
const mswWorker = (): Plugin => ({
  name: 'msw-worker',
  configureServer(server) {
    server.middlewares.use('/mockServiceWorker.js', (_req, res) => {
      res.setHeader('Content-Type', 'application/javascript');
      res.end(readFileSync(here('./node_modules/msw/lib/mockServiceWorker.js')));
    });
  },
  generateBundle() {
    this.emitFile({ type: 'asset', fileName: 'mockServiceWorker.js', source: readFileSync(here('./node_modules/msw/lib/mockServiceWorker.js')) });
  },
});

/**
 * Lit templates reach the bundle with their source indentation. Collapsing it in the static parts
 * of html``, svg`` and css`` literals (found through the parser, so expressions are never touched)
 * shrinks the bundle and drops whitespace-only text nodes from the DOM. The stylesheet's private
 * `--_*` tokens (never the public `--mcs-*` ones) are renamed to two-character names.
 */
const minifyTemplates = (): Plugin => ({
  name: 'minify-lit-templates',
  enforce: 'post',
  transform(code, id) {
    if (!id.includes('/src/') || !/(html|svg|css)`/.test(code)) return null;
    const edits: Array<[number, number, string]> = [];
    // The private `--_*` tokens get short names, the most used first.
    const counts = new Map<string, number>();
    for (const [name] of code.matchAll(/--_[\w-]+/g)) counts.set(name, (counts.get(name) ?? 0) + 1);
    const short = new Map([...counts.keys()].sort((a, b) => counts.get(b)! - counts.get(a)!).map((name, i) => [name, `--_${i.toString(36)}`]));
    const visit = (node: unknown): void => {
      if (!node || typeof node !== 'object') return;
      if (Array.isArray(node)) return node.forEach(visit);
      const n = node as { type?: string; tag?: { type: string; name?: string }; quasi?: { quasis: Array<{ start: number; end: number; value: { raw: string } }> } };
      if (n.type === 'TaggedTemplateExpression' && n.tag?.type === 'Identifier' && /^(html|svg|css)$/.test(n.tag.name ?? '')) {
        const isCss = n.tag.name === 'css';
        const quasis = n.quasi!.quasis;
        quasis.forEach((q, i) => {
          const raw = q.value.raw;
          // Whitespace next to an expression may separate it from an attribute name: keep one space.
          // It goes entirely only between tags and at the template's own two ends.
          const min = isCss
            ? raw.replace(/--_[\w-]+/g, (name) => short.get(name)!).replace(/\/\*[\s\S]*?\*\//g, '').replace(/\s+/g, ' ').replace(/\s*([{};,>])\s*/g, '$1').replace(/:\s+/g, ':').replace(/;}/g, '}').replace(/ (!important)| ([*/]) |(@media) (?=\()/g, '$1$2$3')
            : raw.replace(/\s*\n\s*/g, (ws, offset: number, all: string) => {
                const end = offset + ws.length;
                const drop = all[offset - 1] === '>' || all[end] === '<' || (offset === 0 && i === 0) || (end === all.length && i === quasis.length - 1);
                return drop ? '' : ' ';
              });
          if (min !== raw) edits.push([q.start, q.end, min]);
        });
      }
      for (const value of Object.values(node)) if (value && typeof value === 'object') visit(value);
    };
    visit(this.parse(code));
    let out = code;
    for (const [start, end, text] of edits.sort((a, b) => b[0] - a[0])) {
      // Quasi positions may or may not include the delimiters depending on the parser.
      const slice = out.slice(start, end);
      const inner = slice.startsWith('`') || slice.startsWith('}') ? [start + 1, end - (slice.endsWith('`') || slice.endsWith('${') ? (slice.endsWith('${') ? 2 : 1) : 0)] : [start, end];
      out = out.slice(0, inner[0]) + text + out.slice(inner[1]);
    }
    return { code: out, map: null };
  },
});

/**
 * The Japanese catalog ships as a list in the English catalog's key order, so the keys are in the
 * bundle once rather than twice (about 170 B gzip). The source stays keyed, which is what
 * translators work with; the build fails if a Japanese entry is missing, extra or not written
 * one per line as `'key': '…',`.
 */
const listedCatalog = (): Plugin => ({
  name: 'listed-ja-catalog',
  transform(_code, id) {
    if (!id.endsWith('/src/i18n/ja.ts')) return null;
    const entries = (source: string) => [...source.matchAll(/^ {2}'([\w.]+)': ('(?:[^'\\\n]|\\.)*'),$/gm)].map((m) => [m[1], m[2]] as const);
    const source = readFileSync(id, 'utf8');
    const ja = new Map(entries(source));
    const keys = entries(readFileSync(here('./src/i18n/en.ts'), 'utf8')).map(([key]) => key);
    const lines = source.split('\n').filter((line) => /^ {2}'/.test(line)).length;
    if (keys.length != ja.size || lines != ja.size || keys.some((key) => !ja.has(key))) this.error('src/i18n/ja.ts must have exactly the keys of en.ts, one `\'key\': \'text\',` per line');
    return {
      code: `import { en } from './en.js';\nconst keys = Object.keys(en);\nexport const ja = Object.fromEntries([${keys.map((key) => ja.get(key)).join(',')}].map((text, i) => [keys[i], text]));\n`,
      map: null,
    };
  },
});

/**
 * A second minifier over the script-tag bundle, on the file as written. Terser, run after Oxc has
 * minified the chunk, takes about 160 B gzip more off; either alone does worse. The source map is
 * carried through, so it still points into `src/`.
 */
const terserAfter = (): Plugin => ({
  name: 'terser-after-oxc',
  async writeBundle({ dir }, bundle) {
    const { minify } = await import('terser');
    for (const name of Object.keys(bundle).filter((file) => file.endsWith('.js'))) {
      const file = `${dir}/${name}`;
      const out = await minify(readFileSync(file, 'utf8'), {
        ecma: 2020,
        // Single-use functions stay where they are defined rather than being inlined as
        // expressions: smaller here after gzip, and V8 runs some code faster so.
        compress: { passes: 3, reduce_funcs: false },
        // Lit keeps its `_$` properties unmangled only so that separately built Lit packages agree
        // on them; here every Lit package is in this one file.
        mangle: { properties: { regex: /^_\$/ } },
        // The compile hint must stay the first line. ASCII only: the Japanese catalog as `\u`
        // escapes reads right even from a server that sends no charset, and gzips ~100 B smaller
        // than UTF-8, whose three-byte characters vary in every byte.
        format: { comments: /^# allFunctionsCalledOnLoad/, ascii_only: true },
        sourceMap: { content: readFileSync(`${file}.map`, 'utf8'), url: `${name}.map` },
      });
      writeFileSync(file, out.code!);
      writeFileSync(`${file}.map`, out.map as string);
    }
  },
});

export default defineConfig(({ command, mode }): UserConfig => {
  // `npm run demo` and `npm run build:demo`: the designers' page, backend mocked in the browser.
  if (command === 'serve' || mode === 'demo') {
    return {
      root: here('./demo'),
      define,
      // The same template minification as the library builds, so the demo renders what ships.
      plugins: [mswWorker(), minifyTemplates()],
      server: { host: '127.0.0.1', port: 5173 },
      build: { outDir: here('./demo-dist'), emptyOutDir: true },
    };
  }
  // `vite build --mode iife`: one self-registering file for a <script> tag, every dependency inlined.
  if (mode === 'iife') {
    return {
      define,
      plugins: [minifyTemplates(), listedCatalog(), terserAfter()],
      build: {
        emptyOutDir: false,
        sourcemap: true,
        minify: true,
        target: 'es2022',
        lib: {
          entry: here('./src/index.ts'),
          formats: ['iife'],
          name: 'MercariChatSupport',
          fileName: () => 'mercari-chat-support.iife.js',
        },
        // Chrome's explicit compile hint: compile every function while the script streams in, off
        // the main thread, instead of one by one on first call during start-up, where lazy
        // compilation was most of the launcher's cost. It must be the file's first line.
        rolldownOptions: {
          output: {
            postBanner: '//# allFunctionsCalledOnLoad',
            // `window.MercariChatSupport` needs no "[object Module]" tag.
            generatedCode: { symbols: false },
          },
        },
      },
    };
  }
  // `vite build`: ESM for npm users; dependencies stay external so the host's bundler dedupes Lit.
  return {
    define,
    plugins: [minifyTemplates(), listedCatalog()],
    build: {
      emptyOutDir: true,
      sourcemap: true,
      minify: true,
      target: 'es2022',
      lib: {
        entry: { index: here('./src/index.ts'), testing: here('./src/testing/index.ts') },
        formats: ['es'],
      },
      rolldownOptions: {
        external: [/^lit(\/|$)/, /^@lit\//, 'nanostores', /^msw(\/|$)/],
        // Library mode leaves ES output readable unless the output itself asks for minification.
        output: { minify: true },
      },
    },
  };
});
