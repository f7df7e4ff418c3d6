// The react-spreadsheet-import (RSI) side of bench:scale (issue 13: "at 100k, time to Review ≤ 0.5× RSI measured on
// the same machine in the same run"). RSI lives in bench/rsi with its own package.json and lock (React 18, Chakra),
// never in the root install (decision 135): this module installs it there on first use, type-checks and builds its
// page with Vite, serves the build, and times one run in a page of its own.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join, normalize, resolve, sep } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Browser } from '@playwright/test';
import react from '@vitejs/plugin-react';
import { build } from 'vite';
import { cpuProfile, frameWhen, longTasksSince, LONGTASK_OBSERVER } from './page-timing.ts';
import { SEED_MODULES } from '../emulator/store/seed-metadata.ts';

const RSI_DIR = resolve(import.meta.dirname, 'rsi');
// Under bench/out/ (git-ignored, and ignored by lint and Prettier like every other build output).
const RSI_OUT = resolve(import.meta.dirname, 'out', 'rsi-dist');

/** The pinned version in bench/rsi/package.json (what the lock installs). */
export function rsiVersion(): string {
  const pkg = JSON.parse(readFileSync(join(RSI_DIR, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  return pkg.dependencies['react-spreadsheet-import'] ?? '?';
}

function installedVersion(name: string): string | null {
  const path = join(RSI_DIR, 'node_modules', name, 'package.json');
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as { version: string }).version : null;
}

/**
 * Installs bench/rsi from its lock when RSI or its React is missing or not the pinned version, then type-checks
 * and builds the page. `npm ci` without install scripts: nothing in RSI's tree needs one.
 */
export async function prepareRsi(): Promise<void> {
  const pkg = JSON.parse(readFileSync(join(RSI_DIR, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  const stale = Object.entries(pkg.dependencies).filter(([name, version]) => installedVersion(name) !== version);
  if (stale.length > 0) {
    const cmd = ['ci', '--prefix', 'bench/rsi', '--ignore-scripts', '--no-audit', '--no-fund'];
    console.log(
      `RSI comparison: installing bench/rsi (${stale.map(([n, v]) => `${n}@${v}`).join(', ')} not installed there): npm ${cmd.join(' ')} — ` +
        'its own node_modules, not the root project',
    );
    execFileSync('npm', cmd, { stdio: 'inherit' });
  }
  console.log(`RSI comparison: type-checking and building bench/rsi (react-spreadsheet-import ${rsiVersion()}, React ${installedVersion('react')})`);
  execFileSync('npx', ['tsc', '-p', 'bench/rsi'], { stdio: 'inherit' });
  await build({
    root: RSI_DIR,
    configFile: false,
    base: './',
    logLevel: 'warn',
    plugins: [react()],
    // One React for RSI, Chakra and the page: bench/rsi's own (RSI 4 and Chakra 2 are built for React 18).
    resolve: { dedupe: ['react', 'react-dom'] },
    build: { outDir: RSI_OUT, emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 5000 },
  });
}

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };

/** Serves the RSI build on 127.0.0.1 (a module script needs http; the emulator's CSP is for our app alone). */
export async function serveRsi(): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const path = normalize(join(RSI_OUT, decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)));
    const file = path.endsWith(sep) ? join(path, 'index.html') : path;
    if (!file.startsWith(RSI_OUT) || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    const ext = file.slice(file.lastIndexOf('.'));
    res.writeHead(200, { 'content-type': TYPES[ext] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise<void>((ok) => server.close(() => ok())) };
}

export interface RsiFigures {
  /** File set on RSI's input → its validation step showing the table with every row validated. */
  toValidationMs: number;
  /** File set → the header-selection step shown (RSI has read and parsed the whole file by then). */
  toHeaderStepMs: number;
  longestTaskMs: number;
  longTasks: Array<{ at: number; ms: number }>;
  /** Rows in the validation table, and rows with an error-level finding (RSI's "Show only rows with errors"). */
  rowsShown: number;
  rowsWithErrors: number;
  /** Flagged cells among the rows the grid has rendered, per column and level: which rules fired (a sanity check). */
  flaggedVisible: string;
}

// The validation step's table: its heading, and a grid whose rows are all there (react-data-grid's aria-rowcount is
// the header row plus every data row). RSI validates every row before it shows this step (addErrorsAndRunHooks).
const gridRows = `Number(document.querySelector('[role=grid]')?.getAttribute('aria-rowcount') ?? '0') - 1`;
const VALIDATION_SHOWN = (rows: number) => `
  const h = [...document.querySelectorAll('h1,h2,h3,header')].some((e) => e.textContent === 'Validate data');
  return h && ${gridRows} >= ${rows};
`;

// RSI marks a cell with rdg-cell-error / rdg-cell-warning; the column's name is its header at the same aria-colindex.
const FLAGGED_VISIBLE = `(() => {
  const counts = new Map();
  for (const cell of document.querySelectorAll('[role=gridcell].rdg-cell-error, [role=gridcell].rdg-cell-warning')) {
    const col = cell.getAttribute('aria-colindex');
    const name = document.querySelector('[role=columnheader][aria-colindex="' + col + '"]')?.textContent ?? '?';
    const key = name + ' ' + (cell.classList.contains('rdg-cell-error') ? 'error' : 'warning');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const rowsRendered = new Set([...document.querySelectorAll('[role=gridcell]')].map((c) => c.parentElement)).size;
  return [...counts].map(([k, n]) => k + ' ×' + n).join(', ') + ' in ' + rowsRendered + ' rendered rows';
})()`;

/** Contacts' Lead Source values in the emulator's seed: the pick list RSI's page checks against, as ours does. */
function leadSources(): string[] {
  const field = SEED_MODULES.find((m) => m.api_name === 'Contacts')?.fields.find((f) => f.api_name === 'Lead_Source');
  const values = (field?.pick_list_values ?? []).map((v) => v.actual_value);
  if (values.length === 0) throw new Error("The emulator's seed has no Contacts Lead Source pick list.");
  return values;
}

/**
 * One RSI run in a fresh context: the file set on RSI's dropzone input by path (as our run does), then what a user
 * does: "Next" on header selection (RSI proposes the first row), "Next" on column matching (its auto-matches kept),
 * "Continue" if it asks about unmatched required columns, until the validation table shows every row.
 */
export async function rsiRun(browser: Browser, url: string, file: string, rows: number): Promise<RsiFigures> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  await context.addInitScript(LONGTASK_OBSERVER);
  await context.addInitScript(`window.__leadSources = ${JSON.stringify(leadSources())};`);
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error('RSI page error:', e.message));
  page.on('crash', () => console.error('RSI page crashed'));
  try {
    await page.goto(url);
    const input = page.getByTestId('rsi-dropzone');
    await input.waitFor({ state: 'attached', timeout: 60_000 });
    // BENCH_PROFILE_RSI=file.cpuprofile: RSI's main-thread CPU profile from the file input to the validation table
    // (the last run's; for placing its long tasks — the build is minified, names are partly kept).
    const stopProfile = await cpuProfile(context, page, process.env.BENCH_PROFILE_RSI);
    const t0 = await page.evaluate<number>('performance.now()');
    await input.setInputFiles(file);
    await page.getByRole('heading', { name: 'Select header row' }).waitFor({ timeout: 600_000 });
    const tHeader = await page.evaluate<number>('performance.now()');
    await page.getByRole('button', { name: 'Next', exact: true }).click();
    await page.getByRole('heading', { name: 'Match Columns' }).waitFor({ timeout: 600_000 });
    await page.getByRole('button', { name: 'Next', exact: true }).click();
    const validation = page.getByRole('heading', { name: 'Validate data' });
    const unmatched = page.getByRole('button', { name: 'Continue', exact: true });
    await validation.or(unmatched).first().waitFor({ timeout: 600_000 });
    if (await unmatched.isVisible()) await unmatched.click();
    const end = await frameWhen(page, VALIDATION_SHOWN(rows));
    await stopProfile();
    await page.waitForTimeout(1500);
    const tasks = await longTasksSince(page, t0);
    const rowsShown = await page.evaluate<number>(gridRows);
    const flaggedVisible = await page.evaluate<string>(FLAGGED_VISIBLE);
    // After the clock: RSI's own filter, to show that every row was checked (every phone carries spaces).
    // A click is a discrete event: React renders the filtered table before the next frame. Every row of this file has
    // an error, so the count need not change; the switch must read as on.
    const filter = page.getByRole('checkbox', { name: 'Show only rows with errors' });
    await filter.check({ force: true });
    const rowsWithErrors = await page.evaluate<number>(
      `new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve(${gridRows}))))`,
    );
    if (!(await filter.isChecked())) throw new Error("RSI's error filter did not switch on");
    return {
      toValidationMs: Math.round(end - t0),
      toHeaderStepMs: Math.round(tHeader - t0),
      longestTaskMs: tasks.reduce((m, t) => Math.max(m, t.ms), 0),
      longTasks: tasks,
      rowsShown,
      rowsWithErrors,
      flaggedVisible,
    };
  } finally {
    await context.close();
  }
}
