// @ts-check
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromeLauncher, defaultReporter } from '@web/test-runner';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { a11ySnapshotPlugin } from '@web/test-runner-commands/plugins';
import { summaryReporter } from './scripts/summary-reporter.mjs';
import { chromiumPath, chromiumArgs } from './scripts/chromium.mjs';
import { testServerPlugin } from './test/server/plugin.mjs';

const mswWorker = fileURLToPath(new URL('./node_modules/msw/lib/mockServiceWorker.js', import.meta.url));

/** nanostores reads process.env.NODE_ENV; browsers have no `process`. */
const nodeEnvPlugin = {
  name: 'node-env',
  transform(context) {
    if (context.response.is('js') && typeof context.body === 'string' && context.body.includes('process.env.NODE_ENV')) {
      return { body: context.body.replaceAll('process.env.NODE_ENV', '"development"') };
    }
  },
};

/** README's "Security" CSP, plus the loopback test server in connect-src. */
export const STRICT_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' blob:; connect-src 'self' ws://127.0.0.1:* http://127.0.0.1:*; " +
  "object-src 'none'; base-uri 'none'; require-trusted-types-for 'script'; trusted-types lit-html";

/** @type {import('@web/test-runner').TestRunnerConfig} */
export default {
  files: ['test/**/*.test.ts', 'test/**/*.test.html'],
  nodeResolve: { exportConditions: ['browser', 'production'] },
  concurrency: 2,
  testFramework: { config: { timeout: 10000 } },
  // The framework first, then the guard that fails a test leaving an unhandled promise rejection.
  testRunnerHtml: (testFramework) =>
    `<!DOCTYPE html><html><head></head><body><script type="module" src="${testFramework}"></script><script type="module" src="/test/helpers/unhandled.js"></script></body></html>`,
  testsFinishTimeout: 240000,
  browserStartTimeout: 60000,
  browsers: [
    chromeLauncher({
      launchOptions: { executablePath: chromiumPath(), headless: true, args: chromiumArgs },
      // Test files run two at a time. Pages of one browser context are tabs of one window, and the
      // tab behind gets no frames: no image decoding, animation frames or resize observations
      // until it comes to the front. A context of its own makes each page a window of its own.
      createPage: async ({ browser }) => (await browser.createBrowserContext()).newPage(),
    }),
  ],
  middleware: [
    // The strict-CSP test page gets exactly the policy README tells hosts to use.
    function strictCspMiddleware(context, next) {
      if (context.path === '/test/csp/page.html') context.set('Content-Security-Policy', STRICT_CSP);
      return next();
    },
    // The msw worker must be served from the root to control every test page; served from
    // node_modules so it never drifts from the installed msw version.
    function mswWorkerMiddleware(context, next) {
      if (context.path === '/mockServiceWorker.js') {
        context.type = 'application/javascript';
        context.body = readFileSync(mswWorker, 'utf8');
        return;
      }
      return next();
    },
  ],
  plugins: [
    nodeEnvPlugin,
    esbuildPlugin({ ts: true, target: 'es2022', tsconfig: fileURLToPath(new URL('./tsconfig.json', import.meta.url)) }),
    // A real WebSocket + HTTP/SSE server (127.0.0.1, ephemeral port) hosting the reference backend.
    testServerPlugin(),
    // The browser's accessibility tree: names and descriptions as screen readers get them.
    a11ySnapshotPlugin(),
  ],
  reporters: [defaultReporter(), summaryReporter()],
};
