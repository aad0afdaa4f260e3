// The tests need a real Chromium. npm packages cannot download browsers here, so use Debian's.
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromiumPath } from './chromium.mjs';

export function ensureChromium() {
  if (existsSync(chromiumPath())) return;
  if (process.getuid?.() !== 0) {
    console.error('Chromium is missing: install it (apt-get install chromium) or set CHROME_PATH.');
    process.exit(1);
  }
  console.log('Installing Chromium from Debian…');
  execSync('apt-get update -qq && apt-get install -y -qq -o DPkg::Lock::Timeout=120 chromium', { stdio: 'inherit' });
}

if (import.meta.url === `file://${process.argv[1]}`) ensureChromium();
