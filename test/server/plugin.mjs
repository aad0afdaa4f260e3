// @ts-check
// web-test-runner plugin: starts the real protocol server (test/server/server.mjs) with the
// reference backend when the runner starts, and tells test pages where it is at /__test-server.
import { mkdirSync, rmSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { startTestServer } from './server.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Bundles the TypeScript backend and protocol server for Node (they have no Node-only imports). */
export async function loadLib() {
  const dir = `${root}node_modules/.cache/mcs-test-server`;
  mkdirSync(dir, { recursive: true });
  const outfile = `${dir}/lib-${process.pid}.mjs`;
  await build({
    stdin: {
      contents: "export { createBackend } from './src/testing/backend/index.ts'; export { createProtocolServer } from './src/testing/protocol-server.ts';",
      resolveDir: root,
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile,
    logLevel: 'error',
  });
  try {
    return await import(pathToFileURL(outfile).href);
  } finally {
    rmSync(outfile, { force: true });
  }
}

/** The plugin. */
export function testServerPlugin() {
  /** @type {Awaited<ReturnType<typeof startTestServer>> | undefined} */
  let server;
  return {
    name: 'mcs-test-server',
    async serverStart() {
      server = await startTestServer(await loadLib());
    },
    async serverStop() {
      await server?.close();
    },
    /** @param {{ path: string }} context */
    serve(context) {
      if (context.path === '/__test-server') return { body: JSON.stringify({ url: server?.url }), type: 'json' };
    },
  };
}
