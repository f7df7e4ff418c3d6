// The Review phase of `npm run bench:org`: the same org and the same file as the bench page, but through the built
// app's own Review step in Chromium, driven by accessible names — so the main-thread figures cover what an admin's
// page does when a check's answer arrives (counts over every row, the "In the org" column, "What will change" and
// its table), not only the entry points the bench page calls. Then one inline edit and its re-prediction.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from '@playwright/test';
import { orgFileCsv, orgLastNameOfRow } from './org-file.ts';
import { chooseOption, chromeTrace, cpuProfile, frameWhen, longTasksSince, LONGTASK_OBSERVER, REVIEW_ISSUES_SHOWN } from './page-timing.ts';

/** Long tasks hide everything under 50 ms: the gaps between animation frames show how close the page came. */
const FRAME_GAPS = `
  window.__frameGaps = [];
  let last = performance.now();
  const frame = (now) => { window.__frameGaps.push({ at: now, gap: now - last }); last = now; requestAnimationFrame(frame); };
  requestAnimationFrame(frame);
`;

export interface ReviewWindow {
  /** From the press (or the edit's Enter) until the answer is on screen, ms. */
  shownMs: number;
  longestTaskMs: number;
  longTasks: number;
  worstFrameGapMs: number;
}

export interface ReviewFigures {
  check: ReviewWindow;
  /** "Will add N · will update M · will skip K" as Review shows it. */
  outcomeLine: string;
  edit: ReviewWindow;
  /** The Last Name count of "Changes per field" after the edit put one row's org value back. */
  lastNameAfterEdit: string;
}

const UPDATING = `document.querySelector('[aria-label="Org check update"]')?.textContent ?? ''`;

async function windowSince(page: Page, t0: number, shownAt: number): Promise<ReviewWindow> {
  // Long tasks are reported after they end; the answer's render may still be finishing in later tasks.
  await page.waitForTimeout(1500);
  const tasks = await longTasksSince(page, t0);
  const worstGap = await page.evaluate<number>(`window.__frameGaps.filter((f) => f.at >= ${t0}).reduce((m, f) => Math.max(m, f.gap), 0)`);
  return { shownMs: shownAt - t0, longestTaskMs: tasks.reduce((m, t) => Math.max(m, t.ms), 0), longTasks: tasks.length, worstFrameGapMs: worstGap };
}

/** Upsert by Email of the bench file into Contacts through the app, the check run from Review, then one edit. */
export async function reviewPhase(browser: Browser, url: string, rows: number, orgRecords: number, domain: string): Promise<ReviewFigures> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  const dir = mkdtempSync(join(tmpdir(), 'org-bench-file-'));
  const file = join(dir, 'contacts.csv');
  try {
    await context.addInitScript(LONGTASK_OBSERVER + FRAME_GAPS);
    const page = await context.newPage();
    page.on('pageerror', (e) => console.error('page error (Review phase):', e.message));
    await page.goto(url);
    await chooseOption(page, 'Module', /^\s*Contacts\b/);
    await page.getByRole('radio', { name: 'Upsert', exact: true }).check({ force: true });
    await chooseOption(page, 'Match records by', /\bEmail\b/);
    await page.getByRole('button', { name: 'Next', exact: true }).click();
    // From a file: Playwright refuses a buffer over 50 MB (a million rows are ~75 MB).
    writeFileSync(file, orgFileCsv(rows, orgRecords, domain), 'utf8');
    await page.getByLabel('CSV file', { exact: true }).setInputFiles(file);
    await page.getByLabel('File summary').waitFor({ timeout: 120_000 });
    await page.getByRole('button', { name: 'Next', exact: true }).click();
    // The headers are the fields' API names: every column is matched without help.
    await page.getByRole('heading', { name: /map/i }).first().waitFor();
    await page.getByRole('button', { name: 'Next', exact: true }).click();
    // The file-only check of Review first, so the org check is measured on its own.
    await frameWhen(page, REVIEW_ISSUES_SHOWN, 120_000);
    const run = page.getByRole('button', { name: /^Run the check \(/ });
    await run.waitFor({ timeout: 60_000 });
    await page.waitForTimeout(1000);

    // BENCH_REVIEW_PROFILE=file.cpuprofile: the page's main-thread CPU profile from the press to the edit's answer.
    const stopProfile = await cpuProfile(context, page, process.env.BENCH_REVIEW_PROFILE);
    // BENCH_REVIEW_TRACE=file.json: a Chrome trace over the same span (tasks, their collections; with BENCH_TRACE_CPU=1
    // V8's samples too, for bench/trace-profile.ts --thread=CrRendererMain).
    const stopTrace = await chromeTrace(page, process.env.BENCH_REVIEW_TRACE);
    const t0 = await page.evaluate<number>('performance.now()');
    await run.click();
    const shown = await frameWhen(
      page,
      `return [...document.querySelectorAll('[role="status"]')].some((e) => (e.textContent ?? '').startsWith('Checked against the org'));`,
      300_000,
    );
    const check = await windowSince(page, t0, shown);
    const outcomeLine = (await page.getByRole('group', { name: 'Predicted outcome' }).first().textContent()) ?? '';

    // Line 3 (row 2) updates a record and changes its Last Name: put the org's value back.
    const grid = page.getByRole('grid', { name: 'Rows to import' });
    await grid.getByRole('gridcell', { name: 'Renamed 2', exact: true }).click();
    await page.keyboard.press('Enter');
    await page.keyboard.press('Control+A');
    await page.keyboard.type(orgLastNameOfRow(2, orgRecords));
    const e0 = await page.evaluate<number>('performance.now()');
    await page.keyboard.press('Enter');
    // The re-prediction starts (a moment after the edit) and lands.
    await frameWhen(page, `return (${UPDATING}) !== '';`, 30_000);
    const landed = await frameWhen(page, `return (${UPDATING}) === '';`, 60_000);
    const edit = await windowSince(page, e0, landed);
    await stopProfile();
    await stopTrace();
    const lastNameAfterEdit =
      (await page
        .getByRole('list', { name: 'Changes per field' })
        .getByText(/^Last Name:/)
        .textContent()) ?? '';
    return { check, outcomeLine: outcomeLine.trim(), edit, lastNameAfterEdit: lastNameAfterEdit.trim() };
  } finally {
    await context.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
