// `npm test`: makes sure Debian Chromium is there, runs the unit/integration suite (Vitest) and the e2e suite
// (Playwright), then prints one closing line `N passed, N failed` summing both. Exit code 1 on any failure.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, mkdirSync, rmSync } from 'node:fs';

const CHROMIUM = ['/usr/lib/chromium/chromium', '/usr/bin/chromium', '/usr/bin/chromium-browser'];

function ensureChromium(): void {
  if (process.env.CHROMIUM_PATH && existsSync(process.env.CHROMIUM_PATH)) return;
  if (CHROMIUM.some((p) => existsSync(p))) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot) {
    console.error('Chromium is needed for the browser tests. Install it with: sudo apt-get install -y chromium');
    process.exit(1);
  }
  console.log('Installing Debian chromium (apt-get install -y chromium)…');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const upd = spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  const inst = spawnSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env });
  if (upd.status !== 0 || inst.status !== 0 || !CHROMIUM.some((p) => existsSync(p))) {
    console.error('Could not install chromium with apt-get. Install it by hand: apt-get install -y chromium');
    process.exit(1);
  }
}

interface Counts {
  passed: number;
  failed: number;
  skipped: number;
}

function run(cmd: string, args: string[]): number {
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: process.env });
  return r.status ?? 1;
}

function vitestCounts(file: string): Counts {
  if (!existsSync(file)) return { passed: 0, failed: 1, skipped: 0 };
  const j = JSON.parse(readFileSync(file, 'utf8')) as {
    numPassedTests: number;
    numFailedTests: number;
    numPendingTests: number;
    numTodoTests: number;
    numFailedTestSuites: number;
  };
  // A suite that fails to load has no failed tests but must still count as a failure.
  return { passed: j.numPassedTests, failed: j.numFailedTests + j.numFailedTestSuites, skipped: j.numPendingTests + j.numTodoTests };
}

function playwrightCounts(file: string): Counts {
  if (!existsSync(file)) return { passed: 0, failed: 1, skipped: 0 };
  const j = JSON.parse(readFileSync(file, 'utf8')) as { stats: { expected: number; unexpected: number; flaky: number; skipped: number }; errors?: unknown[] };
  return { passed: j.stats.expected + j.stats.flaky, failed: j.stats.unexpected + (j.errors?.length ?? 0), skipped: j.stats.skipped };
}

const only = process.argv[2]; // 'unit' | 'e2e' | undefined (both)
mkdirSync('test-results', { recursive: true });
const total: Counts = { passed: 0, failed: 0, skipped: 0 };
let exit = 0;

if (only !== 'e2e') {
  rmSync('test-results/unit.json', { force: true });
  const code = run('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', '--outputFile.json=test-results/unit.json']);
  const c = vitestCounts('test-results/unit.json');
  if (code !== 0 && c.failed === 0) c.failed = 1;
  total.passed += c.passed;
  total.failed += c.failed;
  total.skipped += c.skipped;
  if (code !== 0) exit = 1;
}
if (only !== 'unit') {
  ensureChromium();
  rmSync('test-results/e2e.json', { force: true });
  const code = run('npx', ['playwright', 'test']);
  const c = playwrightCounts('test-results/e2e.json');
  if (code !== 0 && c.failed === 0) c.failed = 1;
  total.passed += c.passed;
  total.failed += c.failed;
  total.skipped += c.skipped;
  if (code !== 0) exit = 1;
}

console.log(`${total.passed} passed, ${total.failed} failed${total.skipped ? `, ${total.skipped} skipped` : ''}`);
process.exit(exit);
