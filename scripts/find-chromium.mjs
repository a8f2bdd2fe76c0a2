// Pretest: find a Chromium for Playwright. CHROMIUM_PATH first, then Debian's /usr/bin/chromium.
// Where neither exists and we are root, install Debian's package; otherwise say what to do in one line.
import { existsSync } from 'node:fs';
import { execSync } from 'node:child_process';

const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium'].filter(Boolean);
const found = candidates.find((p) => existsSync(p));
if (found) {
  console.log(`chromium: ${found}`);
  process.exit(0);
}
if (typeof process.getuid === 'function' && process.getuid() === 0) {
  console.log('chromium: not found, installing Debian chromium with apt-get…');
  execSync('apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium', {
    stdio: 'inherit',
  });
  if (existsSync('/usr/bin/chromium')) process.exit(0);
}
console.error(
  'chromium: not found. Install it (sudo apt-get install chromium) or set CHROMIUM_PATH to a Chromium binary.',
);
process.exit(1);
