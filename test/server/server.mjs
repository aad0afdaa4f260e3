// @ts-check
// A real protocol server for browser tests: Node `http` + `ws` on 127.0.0.1, an ephemeral port,
// serving isolated reference-backend instances at /i/<id> (WebSocket upgrade, POST frames, GET
// Server-Sent Events, POST /upload), with a JSON control endpoint (/__control) that test pages
// use to create instances, inject faults and inspect what the server received.
import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';

const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, OPTIONS',
  'access-control-allow-headers': 'authorization, content-type, last-event-id',
  'access-control-expose-headers': 'retry-after',
  'access-control-max-age': '600',
};

/** Reads a request body as a Buffer. */
const readBody = (req) =>
  new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });

/**
 * Starts the server.
 * @param {{ createBackend: Function, createProtocolServer: Function }} lib the bundled reference backend and protocol server
 * @returns {Promise<{ url: string, wsUrl: string, close(): Promise<void> }>}
 */
export async function startTestServer(lib) {
  /** @type {Map<string, { backend: any, server: any }>} */
  const instances = new Map();
  let counter = 0;
  let base = '';

  const create = (options = {}) => {
    const { open, ...backendOptions } = options.backend ?? {};
    const backend = lib.createBackend({
      now: () => Date.now(),
      botDelayMs: 0,
      simulateOperator: false,
      ...(open === undefined ? { isOperatorOpen: () => true } : { isOperatorOpen: () => open }),
      ...backendOptions,
    });
    const server = lib.createProtocolServer(backend, options.server ?? {});
    const id = `i${++counter}`;
    instances.set(id, { backend, server });
    return { id, httpUrl: `http://${base}/i/${id}`, wsUrl: `ws://${base}/i/${id}` };
  };

  /** Resolves `op` ("faults.drop", "backend.control.operator.say", "stats"…) on an instance and calls it. */
  const control = ({ instance, op, args = [] }) => {
    if (op === 'create') return create(args[0]);
    const target = instances.get(instance);
    if (!target) throw new Error(`unknown instance ${instance}`);
    if (op === 'dispose') {
      target.server.dispose();
      target.backend.dispose();
      instances.delete(instance);
      return null;
    }
    const path = op.split('.');
    let owner = target;
    for (const key of path.slice(0, -1)) owner = owner?.[key];
    const fn = path[0] === 'stats' ? target.server.stats : owner?.[path.at(-1)];
    if (typeof fn !== 'function') throw new Error(`unknown control ${op}`);
    return fn.apply(path[0] === 'stats' ? target.server : owner, args) ?? null;
  };

  const http = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://x');
      if (req.method === 'OPTIONS') return res.writeHead(204, CORS).end();
      if (url.pathname === '/__control' && req.method === 'POST') {
        const body = JSON.parse((await readBody(req)).toString('utf8'));
        let result;
        try {
          result = { ok: true, value: await control(body) };
        } catch (e) {
          result = { ok: false, error: String(e?.message ?? e) };
        }
        return res.writeHead(200, { ...CORS, 'content-type': 'application/json' }).end(JSON.stringify(result));
      }
      const match = /^\/i\/([^/]+)(\/upload)?$/.exec(url.pathname);
      const instance = match && instances.get(match[1]);
      if (!instance) return res.writeHead(404, CORS).end();
      const header = (name) => {
        const v = req.headers[name];
        return v === undefined ? null : Array.isArray(v) ? v.join(', ') : v;
      };
      /** @type {any} */
      let request;
      if (match[2] && req.method === 'POST') {
        const body = await readBody(req);
        request = { kind: 'upload', header, param: url.searchParams.get('name'), size: body.length };
      } else if (req.method === 'POST') {
        request = { kind: 'post', header, body: (await readBody(req)).toString('utf8') };
      } else if (req.method === 'GET') {
        request = { kind: 'events', header, param: url.searchParams.get('conversationId') };
      } else return res.writeHead(405, CORS).end();
      const reply = await instance.server.http(request);
      if (reply.status === 0) return void req.socket.destroy();
      res.writeHead(reply.status, { ...CORS, ...reply.headers });
      if (!reply.stream) return res.end(reply.body ?? '');
      res.flushHeaders();
      const stop = reply.stream(
        (chunk) => res.write(chunk),
        () => res.end(),
      );
      res.on('close', stop);
    } catch (e) {
      if (!res.headersSent) res.writeHead(500, CORS);
      res.end(String(e));
    }
  });

  const wss = new WebSocketServer({ noServer: true });
  http.on('upgrade', (req, socket, head) => {
    const match = /^\/i\/([^/?]+)/.exec(req.url ?? '');
    const instance = match && instances.get(match[1]);
    if (!instance) return socket.destroy();
    wss.handleUpgrade(req, socket, head, (ws) => {
      const handler = instance.server.accept({
        send: (text) => ws.send(text),
        close: () => ws.terminate(),
      });
      ws.on('message', (data, binary) => handler.message(binary ? '' : data.toString('utf8')));
      ws.on('close', () => handler.close());
      ws.on('error', () => handler.close());
    });
  });

  await new Promise((resolve) => http.listen(0, '127.0.0.1', () => resolve(undefined)));
  const address = /** @type {import('node:net').AddressInfo} */ (http.address());
  base = `127.0.0.1:${address.port}`;
  return {
    url: `http://${base}`,
    wsUrl: `ws://${base}`,
    async close() {
      for (const { server, backend } of instances.values()) {
        server.dispose();
        backend.dispose();
      }
      for (const client of wss.clients) client.terminate();
      http.closeAllConnections();
      await new Promise((resolve) => http.close(() => resolve(undefined)));
    },
  };
}
