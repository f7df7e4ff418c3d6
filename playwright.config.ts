import { defineConfig, devices } from '@playwright/test';
import { chromiumPath } from './scripts/chromium-path.ts';

// e2e runs against `npm start`'s real server (built SPA + emulator) on its own port and a fresh DATA_DIR.
const PORT = Number(process.env.E2E_PORT ?? 4310);
const BASE = `http://127.0.0.1:${PORT}`;
const DATA_DIR = process.env.E2E_DATA_DIR ?? `.data-e2e-${PORT}`;
// Each e2e port builds into its own folder, so a build elsewhere (npm start, another run) never swaps files under it.
const STATIC_DIR = `dist-e2e-${PORT}`;

export default defineConfig({
  testDir: './e2e',
  timeout: 120_000,
  expect: { timeout: 15_000 },
  workers: 1,
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: [['list'], ['json', { outputFile: 'test-results/e2e.json' }]],
  outputDir: 'test-results/artifacts',
  use: { baseURL: BASE, trace: 'off', screenshot: 'only-on-failure' },
  projects: [
    {
      name: 'debian-chromium',
      use: {
        ...devices['Desktop Chrome'],
        viewport: { width: 1366, height: 900 },
        launchOptions: {
          executablePath: chromiumPath(),
          args: [
            '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
            '--disable-sync', '--no-first-run',
            // Stops Chromium's own DNS lookups of Google hosts on a closed network (toolchain P8).
            '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1 , EXCLUDE localhost',
          ],
        },
      },
    },
  ],
  webServer: {
    command: `rm -rf ${DATA_DIR} && npx vite build --outDir ${STATIC_DIR} --emptyOutDir && node --import tsx emulator/main.ts`,
    url: `${BASE}/healthz`,
    reuseExistingServer: false,
    timeout: 180_000,
    env: { PORT: String(PORT), DATA_DIR, STATIC_DIR, EMULATOR_ADMIN: '1', EMULATOR_TOKEN: 'e2e-token-0123456789' },
    stdout: 'pipe',
    stderr: 'pipe',
  },
});
