import { readFileSync } from 'node:fs';
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
 * Lit's css`` literals reach the bundle as written; collapsing their whitespace saves ~1 KiB gzip.
 * Only literals without interpolations are touched, so no expression can be altered.
 */
const minifyCssLiterals = (): Plugin => ({
  name: 'minify-css-literals',
  transform(code, id) {
    if (!id.includes('/src/') || !code.includes('css`')) return null;
    return code.replace(/css`([^`$]*)`/g, (_, body: string) => {
      const min = body
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/\s+/g, ' ')
        .replace(/\s*([{};,>])\s*/g, '$1')
        .replace(/:\s+/g, ':')
        .replace(/;}/g, '}')
        .trim();
      return `css\`${min}\``;
    });
  },
});

export default defineConfig(({ command, mode }): UserConfig => {
  // `npm run demo` and `npm run build:demo`: the designers' page, backend mocked in the browser.
  if (command === 'serve' || mode === 'demo') {
    return {
      root: here('./demo'),
      define,
      plugins: [mswWorker()],
      server: { host: '127.0.0.1', port: 5173 },
      build: { outDir: here('./demo-dist'), emptyOutDir: true },
    };
  }
  // `vite build --mode iife`: one self-registering file for a <script> tag, every dependency inlined.
  if (mode === 'iife') {
    return {
      define,
      plugins: [minifyCssLiterals()],
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
      },
    };
  }
  // `vite build`: ESM for npm users; dependencies stay external so the host's bundler dedupes Lit.
  return {
    define,
    plugins: [minifyCssLiterals()],
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
        external: [/^lit(\/|$)/, /^@lit\//, 'nanostores', 'idb', /^msw(\/|$)/],
      },
    },
  };
});
