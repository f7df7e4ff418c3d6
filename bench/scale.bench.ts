// A million rows in the built app (Debian Chromium): a generated 20-column contacts CSV through Upload → Map →
// Review with every row checked. Prints the time from the file input to the Review grid's issues, the longest
// main-thread task meanwhile, and the memory the tab retains once Review is shown (page AND workers); then scrolls
// Review's grid and moves through it by keyboard and its issues filter (bench/scale-scroll.ts: frame intervals, blank
// lines after jumps, times, long tasks).
// Usage: npm run bench:scale [-- --no-build] [-- --runs=N]; BENCH_ROWS=N runs one size of N rows instead of
// 100,000 and 1,000,000. Prints figures; asserts nothing about time.
// At every size up to 250,000 the same file also goes through react-spreadsheet-import (RSI, bench/rsi, installed
// there on first use; decision 135) in the same run, alternating with ours, each in a fresh browser, after one
// unrecorded warm-up of each; --runs defaults to 3 at those sizes. --no-rsi skips it, --no-warmup skips the warm-ups,
// BENCH_PROFILE_RSI=file.cpuprofile writes RSI's main-thread CPU profile (the last RSI run's).
// BENCH_IMPORT=1 also takes each run on through Import to Results (bench/scale-import.ts).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type CDPSession, type Page } from '@playwright/test';
import { startServer } from '../emulator/server.ts';
import { CHROMIUM_ARGS, chromiumPath } from '../scripts/chromium-path.ts';
import { csvFile } from './scale-data.ts';
import { prepareRsi, rsiRun, rsiVersion, serveRsi, type RsiFigures } from './scale-rsi.ts';
import { importLine, importPhase, type ImportFigures } from './scale-import.ts';
import { keysLine, measureGridKeys, measureScroll, scrollLine, type KeyFigures, type ScrollFigures } from './scale-scroll.ts';
import { chooseOption, chromeTrace, cpuProfile, frameWhen, longTasksSince, LONGTASK_OBSERVER, REVIEW_ISSUES_SHOWN } from './page-timing.ts';

// Under bench/out/ (git-ignored), never dist/: other runs serve that folder.
const OUT_DIR = 'bench/out/dist-scale';
const TOKEN = 'bench-token-0123456789';
const args = new Set(process.argv.slice(2));
const runsArg = [...args].find((a) => a.startsWith('--runs='))?.slice(7);
const runs = Number(runsArg ?? 1);
const fromEnv = process.env.BENCH_ROWS === undefined || process.env.BENCH_ROWS === '' ? null : Number(process.env.BENCH_ROWS);
const IMPORT = process.env.BENCH_IMPORT === '1';
const SIZES = fromEnv !== null && Number.isFinite(fromEnv) && fromEnv > 0 ? [Math.floor(fromEnv)] : [100_000, 1_000_000];
// RSI reads and checks on the main thread: 52 s with one 36 s task at 250k here (benchmarks.md §6); the goal is set at
// 100k and the issue compared up to 250k, so larger sizes run ours alone.
const RSI_MAX_ROWS = 250_000;
const compareRsi = (rows: number) => !args.has('--no-rsi') && rows <= RSI_MAX_ROWS;
// The issue asks for medians of 3 for the comparison; a size without it keeps the old default of one run.
const runsAt = (rows: number) => (runsArg === undefined && compareRsi(rows) ? 3 : runs);

const fact = (name: string) =>
  `[...document.querySelectorAll('.fact')].find((f) => f.querySelector('dt')?.textContent === '${name}')?.querySelector('dd')?.textContent ?? ''`;

interface HeapFigures {
  /** JS heap in use after a forced GC (Runtime.getHeapUsage usedSize), MB. */
  heapMb: number;
  /** ArrayBuffer backing stores (Runtime.getHeapUsage backingStorageSize), MB. */
  buffersMb: number;
  /** Blink/embedder heap (embedderHeapUsedSize; the page's DOM and its objects), MB. */
  embedderMb: number;
}

interface HeapUsage {
  usedSize: number;
  totalSize: number;
  embedderHeapUsedSize?: number;
  backingStorageSize?: number;
}

const mb = (bytes: number | undefined) => Math.round(((bytes ?? 0) / 1e6) * 10) / 10;

/**
 * Every target's memory once Review is shown: the page through its own CDP session, each dedicated worker through
 * the browser session (attach, then commands relayed with Target.sendMessageToTarget). Each target is garbage
 * collected first (HeapProfiler.collectGarbage), so the figures are what the tab retains, not garbage.
 */
async function retained(browser: Browser, page: Page): Promise<{ page: HeapFigures; workers: HeapFigures[] }> {
  const session = await page.context().newCDPSession(page);
  await session.send('HeapProfiler.collectGarbage');
  const own = (await session.send('Runtime.getHeapUsage')) as HeapUsage;
  const pageFigures = { heapMb: mb(own.usedSize), buffersMb: mb(own.backingStorageSize), embedderMb: mb(own.embedderHeapUsedSize) };
  const browserSession = await browser.newBrowserCDPSession();
  const { targetInfos } = (await browserSession.send('Target.getTargets')) as { targetInfos: Array<{ targetId: string; type: string; url: string }> };
  const workers: HeapFigures[] = [];
  for (const t of targetInfos.filter((x) => x.type === 'worker')) {
    workers.push(await workerHeap(browserSession, t.targetId));
  }
  await session.detach();
  await browserSession.detach();
  return { page: pageFigures, workers };
}

async function workerHeap(browserSession: CDPSession, targetId: string): Promise<HeapFigures> {
  const { sessionId } = await browserSession.send('Target.attachToTarget', { targetId, flatten: false });
  let next = 1;
  const pending = new Map<number, (result: unknown) => void>();
  const onMessage = (e: { sessionId: string; message: string }) => {
    if (e.sessionId !== sessionId) return;
    const msg = JSON.parse(e.message) as { id?: number; result?: unknown };
    if (msg.id !== undefined) pending.get(msg.id)?.(msg.result);
  };
  browserSession.on('Target.receivedMessageFromTarget', onMessage);
  const call = (method: string) =>
    new Promise<unknown>((resolve) => {
      const id = next++;
      pending.set(id, resolve);
      void browserSession.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params: {} }) });
    });
  await call('HeapProfiler.collectGarbage');
  const u = (await call('Runtime.getHeapUsage')) as HeapUsage;
  browserSession.off('Target.receivedMessageFromTarget', onMessage);
  await browserSession.send('Target.detachFromTarget', { sessionId });
  return { heapMb: mb(u.usedSize), buffersMb: mb(u.backingStorageSize), embedderMb: mb(u.embedderHeapUsedSize) };
}

interface RunFigures {
  rows: number;
  fileMb: number;
  toReviewMs: number;
  toMapMs: number;
  longestTaskMs: number;
  longTasks: Array<{ at: number; ms: number }>;
  rowsShown: number;
  rowsWithIssues: number;
  memory: { page: HeapFigures; workers: HeapFigures[] };
  retainedMb: number;
  /** Review's grid scrolled (after the memory is read; null when the grid was not found). */
  scroll: ScrollFigures | null;
  /** Review's grid by keyboard (Ctrl+End, Ctrl+Home, PageDown) and its issues filter, after the scroll. */
  keys: KeyFigures;
  /** BENCH_IMPORT=1: the same page taken on through Import to Results. */
  imported: ImportFigures | null;
}

async function oneRun(browser: Browser, baseUrl: string, file: string, rows: number): Promise<RunFigures> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  await context.addInitScript(LONGTASK_OBSERVER);
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error('page error:', e.message));
  page.on('crash', () => console.error('page crashed'));
  try {
    await page.goto(baseUrl);
    await chooseOption(page, 'Module', /^\s*Contacts\b/);
    await page.getByRole('radio', { name: 'Insert', exact: true }).check({ force: true });
    await page.getByRole('button', { name: 'Next', exact: true }).click();
    const input = page.getByLabel('CSV file', { exact: true });
    await input.waitFor({ state: 'attached' });
    // BENCH_PROFILE=file.cpuprofile: a main-thread CPU profile from the file input to Review (for finding long tasks).
    const stopProfile = await cpuProfile(context, page, process.env.BENCH_PROFILE);
    // BENCH_TRACE=file.json: a Chrome trace over the same span (what a "(program)" task in the profile is).
    const stopTrace = await chromeTrace(page, process.env.BENCH_TRACE);
    const t0 = await page.evaluate<number>('performance.now()');
    // A path, not a buffer: Chromium reads the file itself, as it would a user's.
    await input.setInputFiles(file);
    await page.getByLabel('File summary').waitFor({ timeout: 600_000 });
    await page.getByRole('button', { name: 'Next', exact: true }).click();
    await page.getByRole('heading', { name: /map/i }).first().waitFor({ timeout: 600_000 });
    const tMap = await page.evaluate<number>('performance.now()');
    await page.getByRole('button', { name: 'Next', exact: true }).click();
    const end = await frameWhen(page, REVIEW_ISSUES_SHOWN);
    await stopProfile();
    await stopTrace();
    // Long tasks are reported after they end; suggestions are computed in tasks after the issues show.
    await page.waitForTimeout(1500);
    const tasks = await longTasksSince(page, t0);
    const toNumber = (s: string) => Number(s.replace(/[^0-9]/g, '') || 'NaN');
    const rowsToSend = toNumber(await page.evaluate<string>(fact('Rows to send')));
    const excluded = toNumber(await page.evaluate<string>(fact('Excluded')));
    const rowsWithIssues = toNumber(await page.evaluate<string>(fact('Rows with issues')));
    const memory = await retained(browser, page);
    const all = [memory.page, ...memory.workers];
    const retainedMb = Math.round(all.reduce((s, m) => s + m.heapMb + m.buffersMb + m.embedderMb, 0));
    // After the memory is read, so the figures above are Review's as it opened; the grid is left at its top.
    const scroll = await measureScroll(page);
    const keys = await measureGridKeys(page, rows);
    // A failed import phase (a stall, a crash) is reported, and the Review figures above are still printed.
    const imported = IMPORT
      ? await importPhase(browser, page, rows, retained).catch((e: unknown) => {
          console.error(`import phase failed at ${rows} rows: ${e instanceof Error ? e.message : String(e)}`);
          return null;
        })
      : null;
    return {
      rows,
      fileMb: Math.round((statSync(file).size / 1e6) * 10) / 10,
      toReviewMs: Math.round(end - t0),
      toMapMs: Math.round(tMap - t0),
      longestTaskMs: tasks.reduce((m, t) => Math.max(m, t.ms), 0),
      longTasks: tasks,
      rowsShown: (Number.isNaN(rowsToSend) ? 0 : rowsToSend) + (Number.isNaN(excluded) ? 0 : excluded),
      rowsWithIssues,
      memory,
      retainedMb,
      scroll,
      keys,
      imported,
    };
  } finally {
    await context.close();
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)] as number;
};

async function main(): Promise<void> {
  if (!args.has('--no-build')) execFileSync('npx', ['vite', 'build', '--outDir', OUT_DIR, '--emptyOutDir'], { stdio: 'inherit' });
  // RSI's page is installed and built even with --no-build when its output is missing (it is cheap next to a run).
  const withRsi = SIZES.some(compareRsi);
  if (withRsi && (!args.has('--no-build') || !existsSync('bench/out/rsi-dist/index.html'))) await prepareRsi();
  const rsiServer = withRsi ? await serveRsi() : null;
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-scale-'));
  const server = await startServer({ port: 0, dataDir, token: TOKEN, admin: true, staticDir: OUT_DIR });
  const results = new Map<number, RunFigures[]>();
  const rsiResults = new Map<number, RsiFigures[]>();
  try {
    for (const rows of SIZES) {
      const file = csvFile(rows);
      const rsiUrl = compareRsi(rows) ? (rsiServer?.url ?? null) : null;
      if (rsiUrl !== null && !args.has('--no-warmup')) {
        // One unrecorded run of each first: the first launch and the first read of the file are slower for whoever goes first.
        const w = await withBrowser((b) => oneRun(b, server.url, file, rows));
        const wr = await withBrowser((b) => rsiRun(b, rsiUrl, file, rows));
        console.log(
          `${rows.toLocaleString('en-US')} rows warm-up (not counted): ours → Review ${w.toReviewMs} ms, RSI → validation ${wr.toValidationMs} ms; load ${loadNow()}`,
        );
      }
      for (let r = 1; r <= runsAt(rows); r++) {
        // Alternating which goes first (ours, RSI, RSI, ours, …) so a drift in the machine's load favours neither.
        if (rsiUrl !== null && r % 2 === 0) rsiResults.set(rows, [...(rsiResults.get(rows) ?? []), await rsiMeasured(rsiUrl, file, rows, r)]);
        // A fresh browser per run: what one run retains must not count in the next.
        const browser = await chromium.launch({ executablePath: chromiumPath(), args: [...CHROMIUM_ARGS] });
        try {
          const f = await oneRun(browser, server.url, file, rows);
          const load = execFileSync('uptime')
            .toString()
            .trim()
            .replace(/.*load average: /, '');
          const w = f.memory.workers.map((m, i) => `worker ${i + 1} heap ${m.heapMb} MB + ArrayBuffers ${m.buffersMb} MB`).join(', ');
          console.log(
            `${rows.toLocaleString('en-US')} rows (${f.fileMb} MB) run ${r}: file input → Map ${f.toMapMs} ms, → Review with issues shown ${f.toReviewMs} ms; ` +
              `rows shown ${f.rowsShown.toLocaleString('en-US')}, rows with issues ${f.rowsWithIssues.toLocaleString('en-US')}; longest main-thread task ${f.longestTaskMs} ms ` +
              `(${f.longTasks.map((t) => `${t.ms} ms at +${t.at}`).join(', ') || 'none over 50 ms'}); retained after GC ${f.retainedMb} MB = ` +
              `page heap ${f.memory.page.heapMb} MB + ArrayBuffers ${f.memory.page.buffersMb} MB + Blink ${f.memory.page.embedderMb} MB, ${w || 'no worker'}; load ${load}`,
          );
          console.log(f.scroll ? scrollLine(rows, f.scroll) : '  grid scrolled: no grid found');
          console.log(keysLine(rows, f.keys));
          if (f.imported) console.log(importLine(f.imported, f.fileMb, load));
          results.set(rows, [...(results.get(rows) ?? []), f]);
        } finally {
          await browser.close();
        }
        if (rsiUrl !== null && r % 2 === 1) rsiResults.set(rows, [...(rsiResults.get(rows) ?? []), await rsiMeasured(rsiUrl, file, rows, r)]);
      }
      const rsi = rsiResults.get(rows) ?? [];
      const ours = results.get(rows) ?? [];
      if (rsi.length > 0 && ours.length > 0) {
        const o = median(ours.map((f) => f.toReviewMs));
        const x = median(rsi.map((f) => f.toValidationMs));
        console.log(
          `${rows.toLocaleString('en-US')} rows, medians of ${ours.length} and ${rsi.length}: ours → Review ${o} ms, react-spreadsheet-import ${rsiVersion()} → validation ${x} ms; ` +
            `ours/RSI ${(o / x).toFixed(2)} (goal ≤ 0.5${rows === 100_000 ? '' : ', set at 100,000 rows'}); longest main-thread task ours ${Math.max(...ours.map((f) => f.longestTaskMs))} ms, ` +
            `RSI ${Math.max(...rsi.map((f) => f.longestTaskMs))} ms; load ${loadNow()}`,
        );
      }
    }
  } finally {
    await server.close();
    await rsiServer?.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
  const big = results.get(Math.max(...SIZES)) ?? [];
  const at100k = results.get(100_000) ?? [];
  const rsi100k = rsiResults.get(100_000) ?? [];
  console.log(`load (uptime): ${execFileSync('uptime').toString().trim()}`);
  console.log(
    JSON.stringify({
      rows_big: Math.max(...SIZES),
      file_mb_1m: big[0]?.fileMb ?? null,
      rows_shown_1m: big[0]?.rowsShown ?? null,
      rows_1m_to_review_ms: big.length > 0 ? median(big.map((f) => f.toReviewMs)) : null,
      retained_mb_1m: big.length > 0 ? median(big.map((f) => f.retainedMb)) : null,
      longest_task_ms: Math.max(0, ...[...results.values()].flat().map((f) => f.longestTaskMs)),
      review_100k_ms: at100k.length > 0 ? median(at100k.map((f) => f.toReviewMs)) : null,
      rsi_100k_ms: rsi100k.length > 0 ? median(rsi100k.map((f) => f.toValidationMs)) : null,
      review_vs_rsi_100k:
        rsi100k.length > 0 && at100k.length > 0
          ? Math.round((median(at100k.map((f) => f.toReviewMs)) / median(rsi100k.map((f) => f.toValidationMs))) * 100) / 100
          : null,
      // Review's grid scrolled at the largest size (not among the issue's keys; its "every grid interaction at 1M").
      scroll_1m_longest_task_ms: big.length > 0 ? Math.max(...big.map((f) => f.scroll?.longestTaskMs ?? NaN)) : null,
      scroll_1m_frame_max_ms: big.length > 0 ? Math.max(...big.map((f) => Math.max(f.scroll?.steady.maxMs ?? NaN, f.scroll?.fling.maxMs ?? NaN))) : null,
      grid_keys_1m_longest_task_ms: big.length > 0 ? Math.max(...big.map((f) => f.keys.longestTaskMs)) : null,
      scroll_1m_blank_lines: big.length > 0 ? Math.max(...big.map((f) => f.scroll?.blankLines.length ?? NaN)) : null,
      ...(IMPORT ? importJson(big) : {}),
    }),
  );
}

const loadNow = () =>
  execFileSync('uptime')
    .toString()
    .trim()
    .replace(/.*load average: /, '');

async function withBrowser<T>(run: (browser: Browser) => Promise<T>): Promise<T> {
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: [...CHROMIUM_ARGS] });
  try {
    return await run(browser);
  } finally {
    await browser.close();
  }
}

/** One recorded RSI run in a fresh browser, printed like ours. */
async function rsiMeasured(url: string, file: string, rows: number, r: number): Promise<RsiFigures> {
  const f = await withBrowser((b) => rsiRun(b, url, file, rows));
  console.log(
    `${rows.toLocaleString('en-US')} rows react-spreadsheet-import run ${r}: file input → header step ${f.toHeaderStepMs} ms, → validation table ${f.toValidationMs} ms; ` +
      `rows shown ${f.rowsShown.toLocaleString('en-US')}, rows with errors ${f.rowsWithErrors.toLocaleString('en-US')} (flagged: ${f.flaggedVisible}); longest main-thread task ${f.longestTaskMs} ms ` +
      `(${f.longTasks.map((t) => `${t.ms} ms at +${t.at}`).join(', ') || 'none over 50 ms'}); load ${loadNow()}`,
  );
  return f;
}

await main();

/** The import phase's keys of the last line (BENCH_IMPORT=1 only, so the line is unchanged without it). */
function importJson(big: RunFigures[]): Record<string, number | null> {
  const done = big.map((f) => f.imported).filter((f): f is ImportFigures => f !== null);
  const first = done[0];
  return {
    import_jobs_1m: first?.completedJobs ?? null,
    import_merged_rows_1m: first?.mergedRows ?? null,
    import_skipped_1m: first?.skipped ?? null,
    import_review_to_merged_ms: done.length > 0 ? median(done.map((f) => f.reviewToMergedMs)) : null,
    import_longest_task_ms: done.length > 0 ? Math.max(...done.map((f) => f.longestTaskMs)) : null,
    // Review after the clean-up: applying it, one cell edited by hand, one row excluded and included again.
    import_cleanup_task_ms: done.length > 0 ? Math.max(...done.map((f) => f.cleanupTaskMs)) : null,
    import_grid_task_ms: done.length > 0 ? Math.max(...done.map((f) => Math.max(f.editTaskMs, f.excludeTaskMs))) : null,
    import_merged_save_task_ms: done.length > 0 ? Math.max(...done.map((f) => f.downloadTaskMs)) : null,
    // Review before the clean-up (every row has an issue): an edited row's re-check, one row excluded, and the longest task.
    import_issue_edit_ms: done.length > 0 ? median(done.map((f) => f.issueEditMs)) : null,
    import_issue_exclude_ms: done.length > 0 ? median(done.map((f) => f.issueExcludeMs)) : null,
    import_issue_task_ms: done.length > 0 ? Math.max(...done.map((f) => f.issueTaskMs)) : null,
    import_retained_mb_1m: done.length > 0 ? median(done.map((f) => f.retainedMb)) : null,
  };
}
