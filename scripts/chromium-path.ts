// Finds Debian's Chromium for Playwright; the project never downloads a browser (toolchain P6).
import { existsSync } from 'node:fs';

const CANDIDATES = ['/usr/lib/chromium/chromium', '/usr/bin/chromium', '/usr/bin/chromium-browser'];

export function chromiumPath(): string {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv && existsSync(fromEnv)) return fromEnv;
  const found = CANDIDATES.find((p) => existsSync(p));
  if (!found) {
    throw new Error("No Chromium found. Install Debian's package: `apt-get install -y chromium` (as root), or set CHROMIUM_PATH.");
  }
  return found;
}

/**
 * Flags every launch here uses (tests and benches): root needs --no-sandbox; the rest keep Chromium off the closed
 * network, and the host-resolver rule stops its own DNS lookups of Google hosts (toolchain P8).
 */
export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1 , EXCLUDE localhost',
];
