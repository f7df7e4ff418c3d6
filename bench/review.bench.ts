// Review-step figures in the built app (Debian Chromium): time until a 100,000-row × 8-column file's issues are
// shown after pressing Next on Map, the longest main-thread task meanwhile, and the same for one inline edit.
// Usage: npm run bench:review [-- --no-build] [-- --runs=N]. Prints figures; asserts nothing about time.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from '@playwright/test';
import { startServer } from '../emulator/server.ts';
import { CHROMIUM_ARGS, chromiumPath } from '../scripts/chromium-path.ts';
import { chooseOption, REVIEW_ISSUES_SHOWN } from './page-timing.ts';

const ROWS = 100_000;
// Under bench/out/ (git-ignored), never dist/: other runs serve that folder.
const OUT_DIR = 'bench/out/dist-bench';
const TOKEN = 'bench-token-0123456789';
const args = new Set(process.argv.slice(2));
const runs = Number([...args].find((a) => a.startsWith('--runs='))?.slice(7) ?? 2);
// --bad-every=N: every Nth email is malformed (default 20; 1 = every row has an issue, the heaviest view).
const badEvery = Number([...args].find((a) => a.startsWith('--bad-every='))?.slice(12) ?? 20);

/** 8 columns the Contacts module maps by name; every `badEvery`th email is malformed, every 500th row repeats the previous row's email. */
function benchCsv(): { csv: string; badEmailRow: number } {
  const lines = ['First_Name,Last_Name,Email,Phone,Title,Lead_Source,Date_of_Birth,Mailing_City'];
  for (let i = 1; i <= ROWS; i++) {
    const email = i % badEvery === 0 || i === 20 ? `broken-${i}-at-example` : i % 500 === 7 ? `person.${i - 1}@bench.example` : `person.${i}@bench.example`;
    lines.push(
      `First${i},Last ${i},${email},+1415555${String(i % 10_000).padStart(4, '0')},Engineer,Web,1980-01-${String((i % 28) + 1).padStart(2, '0')},City ${i % 97}`,
    );
  }
  return { csv: lines.join('\r\n') + '\r\n', badEmailRow: 20 };
}

// Collects long tasks from page start; the bench reads and clears them around each measured action.
const LONGTASK_OBSERVER = `
  window.__longTasks = [];
  new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__longTasks.push({ start: e.startTime, duration: e.duration }); })
    .observe({ type: 'longtask', buffered: true });
  // Frame gaps show blocking below the 50 ms long-task threshold too.
  window.__frames = [];
  let lastFrame = performance.now();
  const frame = (now) => { window.__frames.push({ at: now, gap: now - lastFrame }); lastFrame = now; requestAnimationFrame(frame); };
  requestAnimationFrame(frame);
`;

interface Figures {
  shownMs: number;
  longestTaskMs: number;
  longTasks: number;
  worstFrameGapMs: number;
}

async function longestSince(page: Page, since: number): Promise<{ longest: number; count: number; worstGap: number }> {
  // Long tasks are reported after they end, and suggestions are computed in tasks after the issues show.
  await page.waitForTimeout(1500);
  return page.evaluate<{ longest: number; count: number; worstGap: number }>(`(() => {
    const tasks = window.__longTasks.filter((t) => t.start + t.duration >= ${since});
    const gaps = window.__frames.filter((f) => f.at >= ${since});
    return { longest: tasks.reduce((m, t) => Math.max(m, t.duration), 0), count: tasks.length, worstGap: gaps.reduce((m, f) => Math.max(m, f.gap), 0) };
  })()`);
}

/** Press a button and time (in the page) until `done()` holds, polled every animation frame. */
async function timeUntil(page: Page, action: () => Promise<void>, doneScript: string): Promise<{ t0: number; ms: number }> {
  const t0 = await page.evaluate<number>('performance.now()');
  await action();
  // A string, not a function: tsx's name-keeping helper does not exist inside the page.
  const end = await page.evaluate<number>(`new Promise((resolve) => {
    const done = () => { ${doneScript} };
    const tick = () => (done() ? resolve(performance.now()) : requestAnimationFrame(tick));
    tick();
  })`);
  return { t0, ms: end - t0 };
}

async function oneRun(page: Page, baseUrl: string, csv: Buffer): Promise<{ open: Figures; edit: Figures; issueRows: string }> {
  await page.goto(baseUrl);
  await chooseOption(page, 'Module', /^\s*Contacts\b/);
  await page.getByRole('radio', { name: 'Insert', exact: true }).check({ force: true });
  await page.getByRole('button', { name: 'Next', exact: true }).click();
  await page.getByLabel('CSV file', { exact: true }).setInputFiles({ name: 'bench.csv', mimeType: 'text/csv', buffer: csv });
  await page.getByLabel('File summary').waitFor({ timeout: 120_000 });
  await page.getByRole('button', { name: 'Next', exact: true }).click();
  await page.getByRole('heading', { name: /map/i }).first().waitFor();
  await page.waitForTimeout(500);

  const next = page.getByRole('button', { name: 'Next', exact: true });
  const opened = await timeUntil(page, () => next.click(), REVIEW_ISSUES_SHOWN);
  const openTasks = await longestSince(page, opened.t0);
  const issueRows = await page.evaluate<string>(
    `[...document.querySelectorAll('.fact')].find((f) => f.querySelector('dt')?.textContent === 'Rows with issues')?.querySelector('dd')?.textContent ?? ''`,
  );

  // One inline edit: fix the first malformed email (line 21) and wait for its error mark to go.
  // Line 21 is below the grid's first screen, so it is not drawn yet: go down to it from line 2's e-mail by keyboard.
  const grid = page.getByRole('grid', { name: 'Rows to import' });
  await grid.getByRole('gridcell', { name: 'person.1@bench.example', exact: true }).click();
  for (let k = 0; k < 19; k++) await page.keyboard.press('ArrowDown');
  await grid.getByRole('gridcell', { name: 'broken-20-at-example', exact: true }).waitFor();
  await page.keyboard.press('Enter');
  await page.keyboard.press('Control+A');
  await page.keyboard.type('fixed.20@bench.example');
  const edited = await timeUntil(
    page,
    () => page.keyboard.press('Enter'),
    `const c = [...document.querySelectorAll('[role="gridcell"]')].find((e) => e.textContent?.includes('fixed.20@bench.example'));
     return !!c && !c.className.includes('dg-cell--error');`,
  );
  const editTasks = await longestSince(page, edited.t0);
  return {
    open: { shownMs: opened.ms, longestTaskMs: openTasks.longest, longTasks: openTasks.count, worstFrameGapMs: openTasks.worstGap },
    edit: { shownMs: edited.ms, longestTaskMs: editTasks.longest, longTasks: editTasks.count, worstFrameGapMs: editTasks.worstGap },
    issueRows,
  };
}

async function main(): Promise<void> {
  if (!args.has('--no-build')) execFileSync('npx', ['vite', 'build', '--outDir', OUT_DIR, '--emptyOutDir'], { stdio: 'inherit' });
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-review-'));
  const server = await startServer({ port: 0, dataDir, token: TOKEN, admin: true, staticDir: OUT_DIR });
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    args: [...CHROMIUM_ARGS],
  });
  try {
    const { csv } = benchCsv();
    const buffer = Buffer.from(csv, 'utf8');
    console.log(
      `review bench: ${ROWS.toLocaleString('en-US')} rows × 8 columns, ${(buffer.length / 1e6).toFixed(1)} MB, every ${badEvery}th email malformed, ${runs} runs`,
    );
    for (let r = 1; r <= runs; r++) {
      const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
      await context.addInitScript(LONGTASK_OBSERVER);
      const page = await context.newPage();
      const f = await oneRun(page, server.url, buffer);
      console.log(
        `run ${r}: open Review → issues shown ${f.open.shownMs.toFixed(0)} ms, longest main-thread task ${f.open.longestTaskMs.toFixed(0)} ms (${f.open.longTasks} long tasks), worst frame gap ${f.open.worstFrameGapMs.toFixed(0)} ms, rows with issues ${f.issueRows}; ` +
          `inline edit → mark cleared ${f.edit.shownMs.toFixed(0)} ms, longest task ${f.edit.longestTaskMs.toFixed(0)} ms (${f.edit.longTasks} long tasks), worst frame gap ${f.edit.worstFrameGapMs.toFixed(0)} ms`,
      );
      await context.close();
    }
    console.log(`load (uptime): ${execFileSync('uptime').toString().trim()}`);
  } finally {
    await browser.close();
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
