import { defineConfig, devices } from '@playwright/test';
import { CHROMIUM_ARGS, chromiumPath } from './scripts/chromium-path.ts';
import { BASE, DATA_DIR, REQUEST_LOG, SERVER_OUT, STATIC_DIR, ZOHO_CANARY_TOKEN } from './e2e/support/e2e-env.ts';

// e2e runs against `npm start`'s real server (built SPA + emulator) on its own port and a fresh DATA_DIR.
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
          args: [...CHROMIUM_ARGS],
        },
      },
    },
  ],
  webServer: {
    // The server's output is also kept in a file so the e2e leak checks can search it (bad-inputs S4).
    command: `rm -rf ${DATA_DIR} && npx vite build --outDir ${STATIC_DIR} --emptyOutDir && mkdir -p ${DATA_DIR} && node --import tsx emulator/main.ts 2>&1 | tee ${SERVER_OUT}`,
    url: `${BASE}/healthz`,
    reuseExistingServer: false,
    timeout: 180_000,
    env: {
      PORT: String(new URL(BASE).port),
      DATA_DIR,
      STATIC_DIR,
      EMULATOR_ADMIN: '1',
      EMULATOR_TOKEN: 'e2e-token-0123456789',
      // Zoho stand-in (admin mode only): accept the canary as a Zoho token; /zoho-proxy dials this server itself.
      EMULATOR_EXTRA_TOKENS: ZOHO_CANARY_TOKEN,
      ZOHO_PROXY_UPSTREAM: BASE,
      REQUEST_LOG,
    },
    stdout: 'pipe',
    stderr: 'pipe',
  },
});
