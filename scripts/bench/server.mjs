// @ts-check
// The benchmark's servers, all on 127.0.0.1: a static server for the pages and the built
// bundles (node:http, no dependencies), and the loopback protocol server of test/server/.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { pages } from './pages.mjs';
import { loadLib } from '../../test/server/plugin.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const types = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.map': 'application/json', '.html': 'text/html; charset=utf-8', '.json': 'application/json' };

/** Bundles scripts/bench/entry.ts (outbox, WebSocket adapter) for the browser, in memory. */
async function benchLib() {
  const result = await build({
    entryPoints: [join(root, 'scripts/bench/entry.ts')],
    bundle: true,
    format: 'esm',
    target: 'es2022',
    minify: true,
    write: false,
    logLevel: 'error',
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  return result.outputFiles[0].text;
}

/**
 * Starts the static server. `/dist/*` comes from the build (the script-tag bundle with
 * `?mark` gets `performance.mark('mcs:exec')` in front and `mcs:evaluated` after it, so pages can
 * time from the moment the script starts running and split evaluation from the first render); `/bench/lib.js` is the bundled entry; `/bench/<name>.html` the pages.
 * @returns {Promise<{ url: string, close(): Promise<void> }>}
 */
export async function startStaticServer() {
  const lib = await benchLib();
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const send = (status, type, body) => res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' }).end(body);
    try {
      if (url.pathname === '/favicon.ico') return send(204, 'text/plain', '');
      if (url.pathname === '/bench/lib.js') return send(200, types['.js'], lib);
      const page = /^\/bench\/([a-z-]+)\.html$/.exec(url.pathname);
      if (page && pages[page[1]]) return send(200, types['.html'], pages[page[1]](url.searchParams));
      const file = normalize(url.pathname).replace(/^\/+/, '');
      if (!file.startsWith('dist/')) return send(404, 'text/plain', 'not found');
      let body = await readFile(join(root, file));
      if (url.searchParams.has('mark')) {
        // A leading `//#` magic comment (the compile hint) only works as the file's first line.
        const head = body.subarray(0, body.indexOf('\n') + 1);
        const keep = head.toString().startsWith('//#') ? head.length : 0;
        body = Buffer.concat([body.subarray(0, keep), Buffer.from("performance.mark('mcs:exec');"), body.subarray(keep), Buffer.from("\n;performance.mark('mcs:evaluated');")]);
      }
      return send(200, types[extname(file)] ?? 'application/octet-stream', body);
    } catch {
      return send(404, 'text/plain', 'not found');
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const address = /** @type {import('node:net').AddressInfo} */ (server.address());
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: () => new Promise((resolve) => (server.closeAllConnections(), server.close(() => resolve(undefined)))),
  };
}


/**
 * Starts the real WebSocket + HTTP/SSE protocol server (test/server/server.mjs) with the
 * reference backend, and returns a small client for its control endpoint.
 */
export async function startProtocolServer() {
  const { startTestServer } = await import(pathToFileURL(join(root, 'test/server/server.mjs')).href);
  const server = await startTestServer(await loadLib());
  /** @param {{ instance?: string, op: string, args?: unknown[] }} body */
  const control = async (body) => {
    const res = await fetch(`${server.url}/__control`, { method: 'POST', body: JSON.stringify(body) });
    const answer = await res.json();
    if (!answer.ok) throw new Error(answer.error);
    return answer.value;
  };
  return {
    /** A fresh backend instance (bot answers at once, operators open). */
    async instance() {
      /** @type {{ id: string, wsUrl: string, httpUrl: string }} */
      const created = await control({ op: 'create', args: [{}] });
      const call = (op, ...args) => control({ instance: created.id, op, args });
      return {
        wsUrl: created.wsUrl,
        /** @returns {Promise<{ clientId: string, text: string }[]>} */
        received: (conversationId) => call('backend.control.received', conversationId),
        /** @returns {Promise<{ requests: { kind: string }[] }>} */
        stats: () => call('stats'),
        dispose: () => call('dispose'),
      };
    },
    close: () => server.close(),
  };
}
