// The import phase of bench:scale (BENCH_IMPORT=1): the page that reached Review with every row checked goes on
// through the phone clean-up, Import and Results — every job COMPLETED, the merged result downloadable, the rows
// not written counted — and prints what that costs: time, longest main-thread task, retained memory per target.
// Kept in its own module (scale.bench.ts only calls it) so the Upload → Review bench stays as it was.
// Prints figures; asserts nothing about time. A wrong count or a missing file is reported as a failure line.
import { createReadStream, createWriteStream, statSync } from 'node:fs';
import type { Browser, Page } from '@playwright/test';
import { LEND_MEASURE } from '../src/worker/import-client.ts';
import { chromeTrace, cpuProfile, heapSnapshot, longTasksSince, rendererPeakMb, sampleRendererRss } from './page-timing.ts';

export interface HeapTarget {
  heapMb: number;
  buffersMb: number;
  embedderMb: number;
}

export interface ImportFigures {
  /** Review's phone clean-up: Apply pressed → the issues shown again. */
  cleanupMs: number;
  /** The longest main-thread task from Apply until the issues are shown again. */
  cleanupTaskMs: number;
  /** The clean-up's tasks over 50 ms, each with its start after Apply (for placing them in BENCH_CLEANUP_PROFILE). */
  cleanupTasks: Array<{ at: number; ms: number }>;
  /** After the clean-up: one cell edited by hand until the grid shows it checked, and its longest main-thread task. */
  editMs: number;
  editTaskMs: number;
  /** One row excluded until the grid shows it, and the longest task while it was excluded and included again. */
  excludeMs: number;
  excludeTaskMs: number;
  /**
   * Before the clean-up, when every row has an issue: one phone cell corrected by hand, until "Rows with issues" is
   * one lower (the row's re-check) and until the Phone clean-up counts one cell fewer (the column's clean-ups, read
   * after it); then one row excluded and included again, each until "Rows with issues" moves. With the longest
   * main-thread task from the edit until the include is shown.
   */
  issueEditMs: number;
  issueEditFixesMs: number;
  issueExcludeMs: number;
  issueIncludeMs: number;
  issueTaskMs: number;
  /** "Rows with issues" before and after the clean-up, as shown. */
  issuesBefore: string;
  issuesAfter: string;
  /** Review's Next → the plan ready ("Start import" enabled): split and zip in the worker. */
  toPlanMs: number;
  /** "Start import" → every job COMPLETED (the Results step's "Import results"). */
  toCompletedMs: number;
  /** Every job COMPLETED → the merged result shown (result ZIPs fetched and reconciled). */
  toMergedMs: number;
  /** Review's Next → merged result shown (the three above plus the Start click). */
  reviewToMergedMs: number;
  jobs: number;
  completedJobs: number;
  added: number;
  skipped: number;
  rowsNotWritten: number;
  /** The merged CSV as downloaded: data lines and MB, and the click → file saved time. */
  mergedRows: number;
  mergedMb: number;
  mergedDownloadMs: number;
  /** The longest main-thread task from the click on Download merged CSV until the file is saved. */
  downloadTaskMs: number;
  longestTaskMs: number;
  longTasks: Array<{ at: number; ms: number }>;
  memory: { page: HeapTarget; workers: HeapTarget[] };
  retainedMb: number;
  /** Each lending of the rows to the worker (decision 152): when (ms from Review's first edit) and how long. */
  lends: { at: number; ms: number }[];
  /**
   * The renderer's VmHWM at the end (MB). NOT the tab's peak: Linux raises it only when pages are unmapped, and
   * Chromium frees with madvise, so it read below the sampled resident memory in every run (decision 153).
   */
  rendererPeakMb: number;
  /** The largest resident memory (VmRSS) sampled every 200 ms during the import, MB, and when (s after its start). */
  residentMaxMb: number;
  residentMaxAtS: number;
  problems: string[];
}

const FIVE_MIN = 300_000;

/**
 * Writes heap snapshots of the page (`<file>`) and of each dedicated worker (`<file>.worker-N`), streamed chunk by
 * chunk as the DevTools protocol sends them (a worker's commands and events are relayed by the browser session).
 */
async function heapSnapshots(browser: Browser, page: Page, file: string): Promise<void> {
  const write = async (path: string, take: (onChunk: (chunk: string) => void) => Promise<void>) => {
    const out = createWriteStream(path);
    await take((chunk) => out.write(chunk));
    await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
    console.log(`heap snapshot at Results: ${path}`);
  };
  const session = await page.context().newCDPSession(page);
  await write(file, async (onChunk) => {
    session.on('HeapProfiler.addHeapSnapshotChunk', (e: { chunk: string }) => onChunk(e.chunk));
    await session.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
  });
  await session.detach();
  const browserSession = await browser.newBrowserCDPSession();
  const { targetInfos } = (await browserSession.send('Target.getTargets')) as { targetInfos: Array<{ targetId: string; type: string }> };
  let n = 0;
  for (const t of targetInfos.filter((x) => x.type === 'worker')) {
    const { sessionId } = await browserSession.send('Target.attachToTarget', { targetId: t.targetId, flatten: false });
    await write(`${file}.worker-${++n}`, async (onChunk) => {
      let done: () => void = () => undefined;
      const finished = new Promise<void>((resolve) => (done = resolve));
      const onMessage = (e: { sessionId: string; message: string }) => {
        if (e.sessionId !== sessionId) return;
        const msg = JSON.parse(e.message) as { id?: number; method?: string; params?: { chunk: string } };
        if (msg.method === 'HeapProfiler.addHeapSnapshotChunk' && msg.params) onChunk(msg.params.chunk);
        if (msg.id === 1) done();
      };
      browserSession.on('Target.receivedMessageFromTarget', onMessage);
      await browserSession.send('Target.sendMessageToTarget', {
        sessionId,
        message: JSON.stringify({ id: 1, method: 'HeapProfiler.takeHeapSnapshot', params: {} }),
      });
      await finished;
      browserSession.off('Target.receivedMessageFromTarget', onMessage);
    });
    await browserSession.send('Target.detachFromTarget', { sessionId });
  }
  await browserSession.detach();
}
const digits = (s: string) => Number(s.replace(/[^0-9]/g, '') || 'NaN');

/** A fact of the Import plan or Review summary (dt → dd), read from the page. */
const fact = (name: string) =>
  `[...document.querySelectorAll('.fact')].find((f) => f.querySelector('dt')?.textContent === '${name}')?.querySelector('dd')?.textContent ?? ''`;

/**
 * Resolves with performance.now() at the first animation frame where `condition` (an expression) holds. A string
 * evaluated by the DevTools protocol, not waitForFunction: the app's CSP forbids the eval that one needs.
 */
function until(page: Page, condition: string, timeoutMs = FIVE_MIN): Promise<number> {
  return page.evaluate<number>(
    `new Promise((resolve, reject) => {
      const end = performance.now() + ${timeoutMs};
      const tick = () => (${condition} ? resolve(performance.now()) : performance.now() > end ? reject(new Error('stalled: ' + ${JSON.stringify(condition.slice(0, 80))})) : requestAnimationFrame(tick));
      tick();
    })`,
  );
}

/** Counts the data lines of a CSV on disk (CRLF-terminated, no line breaks inside cells in this file). */
async function dataLines(path: string): Promise<number> {
  let lines = 0;
  for await (const chunk of createReadStream(path)) {
    const b = chunk as Buffer;
    for (let i = b.indexOf(10); i !== -1; i = b.indexOf(10, i + 1)) lines++;
  }
  return lines - 1; // the header
}

/**
 * Takes `page` (on Review, every row checked) through Import to Results. `measure` is the bench's own per-target
 * memory reading (each target garbage collected first), so the figures compare with Review's.
 */
export async function importPhase(
  browser: Browser,
  page: Page,
  rows: number,
  measure: (browser: Browser, page: Page) => Promise<{ page: HeapTarget; workers: HeapTarget[] }>,
): Promise<ImportFigures> {
  const problems: string[] = [];
  // At 1M each click can wait tens of seconds for a busy main thread (more on a loaded machine): no 30 s default.
  page.setDefaultTimeout(FIVE_MIN);
  const now = () => page.evaluate<number>('performance.now()');
  // Milestones on stderr as they happen, so a stall at 1M shows where it stopped.
  const began = Date.now();
  // The renderer's resident memory, sampled: each milestone says what it is, and the end where the largest was.
  const rss = await sampleRendererRss(browser);
  const mark = (what: string) => console.error(`  [import +${Math.round((Date.now() - began) / 1000)} s, resident ${rss.now()} MB] ${what}`);

  // Before the clean-up, every row has an issue (its phone): the re-check of an edited row and of one row excluded
  // and included again must not go over the whole table. Each is timed to what the user sees change.
  const grid0 = page.getByRole('grid').first();
  const issuesShown = () => page.evaluate<string>(fact('Rows with issues'));
  const issues0 = await issuesShown();
  // Line 2's Phone (the fifth column): a phone starts with '+', so its cell is also marked formula-like.
  await grid0.locator('[data-cell="0:5"]').click({ timeout: 60_000 });
  const tFix = await now();
  await page.keyboard.press('Enter');
  await page.keyboard.press('Control+A');
  await page.keyboard.type('+14155550001');
  await page.keyboard.press('Enter');
  const tFixed = await until(page, `(${fact('Rows with issues')}) !== ${JSON.stringify(issues0)}`);
  const fewer = `${(rows - 1).toLocaleString('en-US')} cells`;
  const tFixes = await until(
    page,
    `[...document.querySelectorAll('.fix-item')].some((e) => (e.textContent ?? '').startsWith('Phone — Phone') && (e.textContent ?? '').includes(${JSON.stringify(fewer)}))`,
  );
  const issues1 = await issuesShown();
  const include3 = page.getByLabel('Include row 3', { exact: true });
  const tEx = await now();
  await include3.uncheck();
  const tExed = await until(page, `(${fact('Rows with issues')}) !== ${JSON.stringify(issues1)}`);
  const issues2 = await issuesShown();
  const tIn = await now();
  await include3.check();
  const tIned = await until(page, `(${fact('Rows with issues')}) !== ${JSON.stringify(issues2)}`);
  const issueTaskMs = Math.max(0, ...(await longTasksSince(page, tFix)).filter((t) => t.at <= tIned - tFix).map((t) => t.ms));
  const issueEditMs = Math.round(tFixed - tFix);
  const issueEditFixesMs = Math.round(tFixes - tFix);
  const issueExcludeMs = Math.round(tExed - tEx);
  const issueIncludeMs = Math.round(tIned - tIn);
  mark(
    `before the clean-up: a phone corrected, its row re-checked in ${issueEditMs} ms (rows with issues ${issues0} → ${issues1}), the Phone clean-up counting ${fewer} after ${issueEditFixesMs} ms; ` +
      `one row excluded in ${issueExcludeMs} ms (→ ${issues2}) and included again in ${issueIncludeMs} ms; longest main-thread task ${issueTaskMs} ms`,
  );

  // Every phone of the bench file is written with spaces, which Zoho refuses: without the clean-up every row
  // would come back SKIPPED. The user's path is Review's one-click clean-up of the Phone column.
  await page.getByRole('button', { name: /^Preview .* in “Phone”$/ }).click();
  const apply = page.getByRole('dialog').getByRole('button', { name: /^Apply to [\d,]+ cells?$/ });
  await apply.waitFor({ timeout: FIVE_MIN });
  const issuesBefore = await page.evaluate<string>(fact('Rows with issues'));
  // BENCH_CLEANUP_PROFILE=file.cpuprofile: a main-thread CPU profile from Apply until the grid interactions below are done.
  const stopCleanupProfile = await cpuProfile(page.context(), page, process.env.BENCH_CLEANUP_PROFILE);
  // BENCH_CLEANUP_TRACE=file.json: a Chrome trace over the same span (which GC a long task holds, for instance).
  const stopCleanupTrace = await chromeTrace(page, process.env.BENCH_CLEANUP_TRACE);
  const tApply = await now();
  mark('clean-up: Apply');
  // The click returns once the page has handled it: at 1M the Apply handler holds the main thread for many seconds.
  await apply.click({ timeout: FIVE_MIN });
  // Done when "Rows with issues" shows a new figure, the dialog is closed and no check runs (a few rows keep a
  // warning of another column, so the figure need not reach 0).
  const tClean = await until(
    page,
    `(!document.querySelector('[role=dialog]') && !document.querySelector('[data-review-checking]') && (${fact('Rows with issues')}) !== ${JSON.stringify(issuesBefore)})`,
  );
  const cleanupMs = Math.round(tClean - tApply);
  const cleanupTasks = (await longTasksSince(page, tApply)).filter((t) => t.at <= cleanupMs);
  const cleanupTaskMs = Math.max(0, ...cleanupTasks.map((t) => t.ms));
  const issuesAfter = await page.evaluate<string>(fact('Rows with issues'));
  mark(`clean-up done: rows with issues ${issuesBefore} → ${issuesAfter}`);

  // Grid interactions after the clean-up has edited every row: one cell edited by hand (and checked again), one row
  // excluded and included again. Each is timed to the grid showing it, with its longest main-thread task.
  const grid = page.getByRole('grid').first();
  const cell = grid.getByRole('gridcell', { name: 'First1', exact: true });
  await cell.click({ timeout: 60_000 });
  const tEdit = await now();
  await page.keyboard.press('Enter');
  await page.keyboard.press('Control+A');
  await page.keyboard.type('First1x');
  await page.keyboard.press('Enter');
  const tEdited = await until(
    page,
    `(!document.querySelector('[data-review-checking]') && [...document.querySelectorAll('[role=gridcell]')].some((c) => c.textContent === 'First1x'))`,
  );
  const include = page.getByLabel('Include row 2', { exact: true });
  const tExclude = await now();
  await include.uncheck();
  const tExcluded = await until(
    page,
    `document.querySelector('[aria-label="Include row 2"]')?.checked === false && !document.querySelector('[data-review-checking]')`,
  );
  await include.check();
  await until(page, `document.querySelector('[aria-label="Include row 2"]')?.checked === true && !document.querySelector('[data-review-checking]')`);
  await page.waitForTimeout(500);
  await stopCleanupProfile();
  await stopCleanupTrace();
  // Starts after Apply, as the clean-up's are (and BENCH_CLEANUP_PROFILE's clock).
  const gridTasks = (await longTasksSince(page, tApply)).filter((t) => t.at + t.ms >= tEdit - tApply);
  const editTaskMs = Math.max(0, ...gridTasks.filter((t) => t.at <= tEdited - tApply).map((t) => t.ms));
  const excludeTaskMs = Math.max(0, ...gridTasks.filter((t) => t.at + t.ms >= tExclude - tApply).map((t) => t.ms));
  const editMs = Math.round(tEdited - tEdit);
  const excludeMs = Math.round(tExcluded - tExclude);
  mark(
    `grid: one cell edited in ${editMs} ms (longest task ${editTaskMs} ms), one row excluded in ${excludeMs} ms and included again (longest task ${excludeTaskMs} ms); ` +
      `tasks over 50 ms after Apply: ${gridTasks.map((t) => `${t.ms} ms at +${t.at}`).join(', ') || 'none'}`,
  );

  // BENCH_IMPORT_PROFILE=file.cpuprofile: a main-thread CPU profile from Review's Next until the merged CSV is saved
  // (for placing the import's long tasks; its clock starts about where the long tasks' "+ms" offsets do).
  const stopProfile = await cpuProfile(page.context(), page, process.env.BENCH_IMPORT_PROFILE);
  // BENCH_IMPORT_TRACE=file.json: a Chrome trace over the same span (a trace of the whole import is ~100 MB).
  const stopTrace = await chromeTrace(page, process.env.BENCH_IMPORT_TRACE);
  const t0 = await now();
  await page.getByRole('button', { name: 'Next', exact: true }).click();
  const start = page.getByRole('button', { name: 'Start import' });
  await start.waitFor({ timeout: FIVE_MIN });
  const tPlan = await until(page, `[...document.querySelectorAll('button')].some((b) => b.textContent?.trim() === 'Start import' && !b.disabled)`);
  const jobs = digits(await page.evaluate<string>(fact('Jobs')));
  const toSend = digits(await page.evaluate<string>(fact('Rows to send')));
  if (toSend !== rows) problems.push(`the plan sends ${toSend} rows, not ${rows}`);
  await start.click();
  const tStart = await now();
  mark(`plan ready (${jobs} jobs), Start pressed`);
  await page.getByRole('heading', { name: 'Import results' }).waitFor({ timeout: 4 * FIVE_MIN });
  const tCompleted = await now();
  mark('every job COMPLETED');
  const mergedButton = page.getByRole('button', { name: 'Download merged CSV (Excel-safe)' });
  await mergedButton.waitFor({ timeout: FIVE_MIN });
  const tMerged = await now();
  mark('merged result shown');

  // Long tasks are reported after they end.
  await page.waitForTimeout(1500);
  const tasks = await longTasksSince(page, t0);

  const table = page.getByRole('table', { name: 'Counts per job' });
  const jobRows = await table.locator('tbody tr').count();
  const completedJobs = await table
    .locator('tbody tr')
    .filter({ hasText: /Completed/i })
    .count();
  if (jobRows !== jobs || completedJobs !== jobs) problems.push(`${completedJobs} of ${jobRows} job rows COMPLETED; the plan had ${jobs} jobs`);
  // The outcome bar's caption and legend: "Added N", "Skipped N".
  const main = await page.getByRole('main').innerText();
  const count = (label: string) => {
    const m = new RegExp(`\\b${label}\\s*:?\\s*([\\d,]+)`).exec(main);
    return m ? digits(m[1] as string) : 0;
  };
  const added = count('Added');
  const skipped = count('Skipped');
  const notWritten = /([\d,]+) rows? not written/.exec(main);
  const rowsNotWritten = notWritten ? digits(notWritten[1] as string) : 0;
  if (added + skipped !== rows) problems.push(`added ${added} + skipped ${skipped} ≠ ${rows} rows`);

  const sampled = rss.stop();
  mark(`largest resident memory sampled during the import: ${sampled.maxMb} MB at +${Math.round(sampled.atMs / 1000)} s`);
  const memory = await measure(browser, page);
  const peakMb = await rendererPeakMb(browser);
  // BENCH_RESULTS_HEAP=file.heapsnapshot: the page's heap at Results, after the memory reading.
  await heapSnapshot(page.context(), page, process.env.BENCH_RESULTS_HEAP);
  const lends = (
    await page.evaluate<{ start: number; ms: number }[]>(
      `performance.getEntriesByName(${JSON.stringify(LEND_MEASURE)}).map((e) => ({ start: e.startTime, ms: e.duration }))`,
    )
  ).map((e) => ({ at: Math.round(e.start - tFix), ms: Math.round(e.ms) }));
  mark('memory read');
  // BENCH_IMPORT_SNAPSHOT=file.heapsnapshot: the page's and the workers' heaps at Results, for finding what they hold
  // (DevTools opens them).
  if (process.env.BENCH_IMPORT_SNAPSHOT) await heapSnapshots(browser, page, process.env.BENCH_IMPORT_SNAPSHOT);
  const all = [memory.page, ...memory.workers];
  const retainedMb = Math.round(all.reduce((s, m) => s + m.heapMb + m.buffersMb + m.embedderMb, 0));

  // The merged result as a user gets it: the file saved, its data lines counted. A crash here (the tab running
  // out of memory while building the file) is a finding, reported with the figures above rather than thrown.
  let mergedRows = 0;
  let mergedMb = 0;
  let mergedDownloadMs = -1;
  let downloadTaskMs = 0;
  try {
    const tClick = await now();
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: FIVE_MIN }), mergedButton.click({ timeout: FIVE_MIN })]);
    const path = await download.path();
    mergedDownloadMs = Math.round((await now()) - tClick);
    mark('merged CSV saved');
    mergedRows = await dataLines(path);
    mergedMb = Math.round((statSync(path).size / 1e6) * 10) / 10;
    if (mergedRows !== rows) problems.push(`the merged CSV holds ${mergedRows} data lines, not ${rows}`);
    await page.waitForTimeout(500);
    downloadTaskMs = await page.evaluate<number>(
      `Math.max(0, ...window.__longTasks.filter((t) => t.start + t.duration >= ${tClick}).map((t) => Math.round(t.duration)))`,
    );
  } catch (e) {
    problems.push(`Download merged CSV failed: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
    mark('merged CSV download failed');
  }
  await stopProfile();
  await stopTrace();

  return {
    cleanupMs,
    cleanupTaskMs,
    cleanupTasks,
    issueEditMs,
    issueEditFixesMs,
    issueExcludeMs,
    issueIncludeMs,
    issueTaskMs,
    editMs,
    editTaskMs,
    excludeMs,
    excludeTaskMs,
    issuesBefore,
    issuesAfter,
    toPlanMs: Math.round(tPlan - t0),
    toCompletedMs: Math.round(tCompleted - tStart),
    toMergedMs: Math.round(tMerged - tCompleted),
    reviewToMergedMs: Math.round(tMerged - t0),
    jobs,
    completedJobs,
    added,
    skipped,
    rowsNotWritten,
    mergedRows,
    mergedMb,
    mergedDownloadMs,
    downloadTaskMs,
    longestTaskMs: tasks.reduce((m, t) => Math.max(m, t.ms), 0),
    longTasks: tasks,
    memory,
    retainedMb,
    lends,
    rendererPeakMb: peakMb,
    residentMaxMb: sampled.maxMb,
    residentMaxAtS: Math.round(sampled.atMs / 1000),
    problems,
  };
}

/** One line of figures, in the style of the Review line above it. */
export function importLine(f: ImportFigures, fileMb: number, load: string): string {
  const w = f.memory.workers.map((m, i) => `worker ${i + 1} heap ${m.heapMb} MB + ArrayBuffers ${m.buffersMb} MB`).join(', ');
  const top = [...f.longTasks].sort((a, b) => b.ms - a.ms).slice(0, 12);
  return (
    `  import: before the clean-up, one phone corrected: its row re-checked in ${f.issueEditMs} ms, the column's clean-up updated in ${f.issueEditFixesMs} ms; one row excluded in ${f.issueExcludeMs} ms and included in ${f.issueIncludeMs} ms (longest task ${f.issueTaskMs} ms); phone clean-up ${f.cleanupMs} ms (rows with issues ${f.issuesBefore} → ${f.issuesAfter}; longest main-thread task ${f.cleanupTaskMs} ms${f.cleanupTasks.length > 0 ? `: ${f.cleanupTasks.map((t) => `${t.ms} ms at +${t.at}`).join(', ')}` : ''}); then one cell edited in ${f.editMs} ms (longest task ${f.editTaskMs} ms), one row excluded in ${f.excludeMs} ms and included again (longest task ${f.excludeTaskMs} ms); Review Next → plan ${f.toPlanMs} ms (${f.jobs} jobs), Start → all jobs COMPLETED ${f.toCompletedMs} ms ` +
    `(${f.completedJobs} COMPLETED), → merged result ${f.toMergedMs} ms; Review → merged result ${f.reviewToMergedMs} ms; ` +
    `added ${f.added.toLocaleString('en-US')}, skipped ${f.skipped.toLocaleString('en-US')}, rows not written listed ${f.rowsNotWritten.toLocaleString('en-US')}; ` +
    `merged CSV ${f.mergedRows.toLocaleString('en-US')} rows, ${f.mergedMb} MB, saved in ${f.mergedDownloadMs} ms (longest task meanwhile ${f.downloadTaskMs} ms); ` +
    `longest main-thread task ${f.longestTaskMs} ms (${f.longTasks.length} over 50 ms; largest: ${top.map((t) => `${t.ms} ms at +${t.at}`).join(', ') || 'none'}); ` +
    `rows lent to the worker ${f.lends.length} times (${f.lends.map((l) => `${l.ms} ms at +${l.at}`).join(', ') || 'never'}); ` +
    `retained at Results ${f.retainedMb} MB (${Math.round((f.retainedMb / fileMb) * 10) / 10}× the file, goal 2×) = page heap ${f.memory.page.heapMb} MB + ` +
    `ArrayBuffers ${f.memory.page.buffersMb} MB + Blink ${f.memory.page.embedderMb} MB, ${w || 'no worker'}; the renderer's resident memory at most ${f.residentMaxMb} MB (sampled, at +${f.residentMaxAtS} s of the import; its VmHWM at the end ${f.rendererPeakMb} MB); load ${load}` +
    (f.problems.length > 0 ? `\n  IMPORT PROBLEMS: ${f.problems.join('; ')}` : '')
  );
}
