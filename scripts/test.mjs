// `npm test`: every check CI makes, in the order that fails fastest.
import { spawnSync } from 'node:child_process';
import { ensureChromium } from './ensure-chromium.mjs';

const steps = [
  ['type check', 'npx', ['tsc', '--noEmit', '-p', 'tsconfig.json']],
  ['lint', 'npx', ['eslint', '.']],
  ['build', 'npm', ['run', '--silent', 'build']],
  ['package contents', 'node', ['--test', 'test/package/']],
  ['manifest', 'node', ['scripts/manifest.mjs', '--check']],
  ['size budget', 'node', ['scripts/size.mjs', '--check']],
  ['browser tests', 'npx', ['web-test-runner', ...process.argv.slice(2)]],
];

ensureChromium();
for (const [name, command, args] of steps) {
  const started = performance.now();
  console.log(`\n▶ ${name}`);
  const { status } = spawnSync(command, args, { stdio: 'inherit' });
  // The browser tests end with the "N passed, N failed" line CI reads: nothing may follow it.
  if (name !== 'browser tests') console.log(`  ${name}: ${status === 0 ? 'ok' : 'FAILED'} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  if (status !== 0) {
    // Keep the closing line CI reads truthful when a step before the browser tests fails.
    if (name !== 'browser tests') console.log(`0 passed, 1 failed`);
    process.exit(status ?? 1);
  }
}
