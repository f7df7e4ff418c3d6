// The Review grid inside the real wizard: ARIA grid counts, issue highlights with the message on focus and
// hover, per-column counts, the issues filter, exclude/include, inline edit that revalidates, formula marks.
import { test, expect } from '@playwright/test';
import { byEmail, listRecords, resetEmulator } from './support/emulator.ts';
import { recordSteps } from './support/steps.ts';
import { WizardPage } from './support/wizard.ts';
import { csvFile } from './fixtures/csv.ts';

test.beforeEach(async ({ request }) => {
  await resetEmulator(request);
});

function reviewFile() {
  const rows: string[][] = [['First_Name', 'Last_Name', 'Email', 'Description']];
  for (let i = 1; i <= 200; i++) {
    const email = i === 2 ? 'not-an-email' : `row.${i}@grid.example`;
    const description = i === 4 ? '=HYPERLINK("http://evil.example","click")' : i === 5 ? 'long '.repeat(80).trim() : `note ${i}`;
    rows.push([`First${i}`, `Grid ${i}`, email, description]);
  }
  return csvFile('review.csv', rows);
}

test('review grid: issues on focus and hover, counts, filter, exclude, inline fix, formula mark — then only included rows land', async ({
  page,
  request,
}, testInfo) => {
  const rec = recordSteps(page, testInfo);
  const w = new WizardPage(page, rec);
  await w.open();
  await w.chooseDestination({ module: 'Contacts', operation: 'Insert' });
  await w.upload(reviewFile(), 200);
  await w.next('map columns');
  await w.next('review');

  const grid = w.grid;
  await expect(grid).toHaveAttribute('aria-rowcount', '201');
  // Fewer rows are in the DOM than in the file: the grid is virtualised.
  expect(await grid.getByRole('row').count()).toBeLessThan(120);
  // The Email column header counts its issue in words.
  await expect(grid.getByRole('columnheader').filter({ hasText: 'Email' })).toContainText(/1 error/);

  // Keyboard focus on the bad cell exposes the message through aria-describedby.
  const bad = grid.getByRole('gridcell', { name: 'not-an-email', exact: true });
  await bad.click();
  const describedBy = await bad.getAttribute('aria-describedby');
  expect(describedBy).toBeTruthy();
  await expect(page.locator(`[id="${describedBy ?? ''}"]`)).toContainText(/email/i);
  // Hover shows the same message as a tooltip.
  await bad.hover();
  await expect(page.locator('.dg-tooltip')).toContainText(/email/i);
  await rec.step('issue on focus and hover');

  // Formula-like values are marked, and long values keep their full text available.
  const formula = grid.getByRole('gridcell').filter({ hasText: '=HYPERLINK' });
  await expect(formula).toContainText('formula-like value');
  const long = grid.getByRole('gridcell').filter({ hasText: 'long long' });
  await expect(long).toHaveAttribute('title', 'long '.repeat(80).trim());

  // Show only rows with issues.
  await page.getByLabel('Show only rows with issues').check();
  await expect(grid).toHaveAttribute('aria-rowcount', '2');
  await rec.step('only rows with issues');
  await page.getByLabel('Show only rows with issues').uncheck();
  await expect(grid).toHaveAttribute('aria-rowcount', '201');

  // Exclude line 6 (row 5, the long value) and fix the bad email inline.
  await page.getByLabel('Include row 6', { exact: true }).uncheck();
  await expect(page.getByLabel('Include row 6', { exact: true })).not.toBeChecked();
  await bad.click();
  await page.keyboard.press('Enter');
  await page.keyboard.press('Control+A');
  await page.keyboard.type('fixed.row.2@grid.example');
  await page.keyboard.press('Enter');
  const fixed = grid.getByRole('gridcell', { name: 'fixed.row.2@grid.example', exact: true });
  await expect(fixed).toBeFocused();
  await expect(fixed).not.toHaveClass(/dg-cell--error/);
  await expect(grid.getByRole('columnheader').filter({ hasText: 'Email' })).not.toContainText(/error/);
  await rec.step('fixed and excluded');

  await w.next('import plan');
  await w.startImport();
  await w.expectOutcome({ added: 199, skipped: 0 });

  const records = await listRecords(request, 'Contacts', ['Last_Name', 'Email', 'Description']);
  expect(records).toHaveLength(2 + 199);
  const emails = byEmail(records);
  expect(emails.get('fixed.row.2@grid.example')).toMatchObject({ Last_Name: 'Grid 2' });
  expect(emails.has('row.5@grid.example')).toBe(false);
  expect(emails.get('row.4@grid.example')).toMatchObject({ Description: '=HYPERLINK("http://evil.example","click")' });
});

test('an inline edit updates the clean-up offered for its column once the worker has re-read the column; excluding a row re-checks it alone', async ({
  page,
}, testInfo) => {
  const rec = recordSteps(page, testInfo);
  const w = new WizardPage(page, rec);
  await w.open();
  await w.chooseDestination({ module: 'Contacts', operation: 'Insert' });
  const rows: string[][] = [['Last_Name', 'Email', 'Description']];
  for (let i = 1; i <= 30; i++) rows.push([`Trim ${i}`, i === 9 ? 'not-an-email' : `trim.${i}@grid.example`, i <= 3 ? `  padded ${i}  ` : `note ${i}`]);
  await w.upload(csvFile('trim.csv', rows), 30);
  await w.next('map columns');
  await w.next('review');
  const cleanUps = page.getByRole('region', { name: 'Suggested clean-ups' });
  await expect(cleanUps).toContainText('Description — Trim spaces: 3 cells');
  // The row's own re-check answers first; the column's clean-ups follow, read over the whole column.
  await w.grid.getByRole('gridcell', { name: 'padded 2', exact: true }).click();
  await page.keyboard.press('Enter');
  await page.keyboard.press('Control+A');
  await page.keyboard.type('tidy 2');
  await page.keyboard.press('Enter');
  await expect(w.grid.getByRole('gridcell', { name: 'tidy 2', exact: true })).toBeVisible();
  await expect(cleanUps).toContainText('Description — Trim spaces: 2 cells');
  await rec.step('clean-up count after the edit');

  // Excluding the row with the bad e-mail (line 10) takes its error away; including it again brings it back.
  const emailHeader = w.grid.getByRole('columnheader').filter({ hasText: 'Email' });
  await expect(emailHeader).toContainText(/1 error/);
  await page.getByLabel('Include row 10', { exact: true }).uncheck();
  await expect(emailHeader).not.toContainText(/error/);
  await page.getByLabel('Include row 10', { exact: true }).check();
  await expect(emailHeader).toContainText(/1 error/);
  await expect(cleanUps).toContainText('Description — Trim spaces: 2 cells');
});

test('review grid at 250,000 rows: virtualised, Ctrl+End reaches the last line, scrolling measured', async ({ page }, testInfo) => {
  test.setTimeout(300_000);
  const rec = recordSteps(page, testInfo);
  const w = new WizardPage(page, rec);
  await w.open();
  await w.chooseDestination({ module: 'Contacts', operation: 'Insert' });
  const rows: string[][] = [['First_Name', 'Last_Name', 'Email', 'Title']];
  for (let i = 1; i <= 250_000; i++) rows.push([`F${i}`, `Last ${i}`, `big.${i}@grid.example`, i % 1000 === 0 ? '=1+1' : 'Engineer']);
  await w.upload(csvFile('quarter-million.csv', rows), 250_000);
  await w.next('map columns');
  await w.next('review');

  const grid = w.grid;
  await expect(grid).toHaveAttribute('aria-rowcount', '250001');
  expect(await grid.getByRole('row').count()).toBeLessThan(80);
  await grid.getByRole('gridcell', { name: 'F1', exact: true }).click();
  await page.keyboard.press('Control+End');
  const last = grid.getByRole('gridcell', { name: 'Engineer', exact: true }).last();
  await expect(page.locator(':focus')).toHaveAttribute('aria-colindex', '5');
  await expect(page.locator(':focus').locator('xpath=..')).toHaveAttribute('aria-rowindex', '250001');
  await expect(grid.getByRole('row').filter({ hasText: 'big.250000@grid.example' })).toHaveCount(1);
  await expect(last).toBeVisible();
  await rec.step('last line focused');
  await page.keyboard.press('Control+Home');
  await expect(page.locator(':focus')).toHaveAccessibleName('Include row 2');
  // Past 100,000 rows the grid is laid out in bands of rows (here 3 a band): moving row by row and page by page
  // crosses bands, and the focused cell stays rendered and in view — below the sticky header, above the bottom edge
  // (the row used to end up hidden under the bottom edge by the header's height). 440 px grid, 36 px rows: 9 a page.
  await page.keyboard.press('ArrowRight');
  for (let i = 0; i < 3; i++) await page.keyboard.press('PageDown');
  for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowDown');
  await expect(page.locator(':focus')).toHaveAccessibleName(/^F32\b/);
  await expect(page.locator(':focus').locator('xpath=..')).toHaveAttribute('aria-rowindex', '33');
  // In view inside the grid's own scroll area, below its 60 px sticky header (the page itself may need scrolling).
  const focusedInGrid = () =>
    page.evaluate(() => {
      const cell = document.activeElement as HTMLElement;
      const scroller = cell.closest('[role="grid"]')?.parentElement;
      if (!scroller) return false;
      const c = cell.getBoundingClientRect();
      const s = scroller.getBoundingClientRect();
      return c.top >= s.top + 60 - 1 && c.bottom <= s.bottom + 1;
    });
  await expect.poll(focusedInGrid).toBe(true);
  for (let i = 0; i < 2; i++) await page.keyboard.press('PageUp');
  await expect(page.locator(':focus').locator('xpath=..')).toHaveAttribute('aria-rowindex', '15');
  await expect.poll(focusedInGrid).toBe(true);

  // Figures, not assertions (tests never assert on time): frame intervals while scrolling 100 px per frame.
  const frames = await page.evaluate(async () => {
    const el = document.querySelector('[role="grid"]')?.parentElement;
    if (!el) return null;
    const times: number[] = [];
    let last = performance.now();
    for (let i = 0; i < 200; i++) {
      el.scrollTop += 100;
      await new Promise((r) => requestAnimationFrame(() => r(null)));
      const now = performance.now();
      times.push(now - last);
      last = now;
    }
    times.sort((a, b) => a - b);
    return { medianMs: times[100], p95Ms: times[190], maxMs: times[199] };
  });
  await testInfo.attach('scroll-frames.json', { body: JSON.stringify(frames), contentType: 'application/json' });
  console.log('review grid 250k rows, scroll frame intervals', JSON.stringify(frames));

  // With bands (here 25 rows a band), what is drawn follows the scroll position, a few rows ahead: wherever the
  // scroll stops, every line between the header and the bottom edge is drawn in the very next frame.
  const gaps = await page.evaluate(async () => {
    const el = document.querySelector('[role="grid"]')?.parentElement;
    if (!el) return ['no grid'];
    el.scrollIntoView({ block: 'nearest' });
    const missing: string[] = [];
    for (const top of [12_345, 1_234_567, 4_000_017, 8_999_999, el.scrollHeight]) {
      el.scrollTop = top;
      await new Promise((r) => requestAnimationFrame(() => r(null)));
      const s = el.getBoundingClientRect();
      for (let y = s.top + 62; y < s.bottom - 20; y += 12) {
        if (!document.elementFromPoint(s.left + 200, y)?.closest('[role="row"]')) missing.push(`scrollTop ${top}, y ${Math.round(y - s.top)}`);
      }
    }
    return missing;
  });
  expect(gaps).toEqual([]);
});

test('review at 250,000 rows: the check runs in the worker with progress; Back cancels it, Next waits for it', async ({ page }, testInfo) => {
  test.setTimeout(300_000);
  const rec = recordSteps(page, testInfo);
  const w = new WizardPage(page, rec);
  await w.open();
  await w.chooseDestination({ module: 'Contacts', operation: 'Insert' });
  // Eight typed columns, so the check takes long enough to be seen. Every 50,000th email is malformed: 5 rows the
  // check must find, wherever an earlier check was interrupted.
  const rows: string[][] = [['First_Name', 'Last_Name', 'Email', 'Phone', 'Date_of_Birth', 'Email_Opt_Out', 'Loyalty_Points', 'Mailing_City']];
  for (let i = 1; i <= 250_000; i++) {
    rows.push([
      `F${i}`,
      `Wait ${i}`,
      i % 50_000 === 0 ? `bad-${i}` : `wait.${i}@grid.example`,
      `+1415555${String(i % 10_000).padStart(4, '0')}`,
      `19${50 + (i % 50)}-0${1 + (i % 9)}-1${i % 10}`,
      i % 2 ? 'true' : 'false',
      String(i),
      'Chennai',
    ]);
  }
  await w.upload(csvFile('check-in-worker.csv', rows), 250_000);
  await w.next('map columns');

  // 1. The check shows determinate progress while the page stays usable; Back leaves (and cancels) it.
  await w.nextButton.click();
  const progress = page.getByRole('progressbar', { name: 'Checking rows' });
  await expect(progress).toBeVisible();
  await page.getByRole('button', { name: 'Back', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Map columns to fields' })).toBeVisible();

  // 2. Next on Review while the check runs: the button says it waits, then the plan opens with the right issues.
  await w.nextButton.click();
  await expect(progress).toBeVisible();
  await page.getByRole('button', { name: /^Next/ }).click();
  await expect(page.getByRole('button', { name: 'Next (waiting for the check)…' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Ready to import' })).toBeVisible({ timeout: 60_000 });
  await rec.step('plan after the check');
  await page.getByRole('button', { name: 'Back', exact: true }).click();
  const summary = page.getByLabel('Review summary');
  await expect(summary.locator('.fact').filter({ hasText: 'Rows with issues' }).locator('dd')).toHaveText('5');
  await expect(summary.locator('.fact').filter({ hasText: 'Predicted to be skipped' }).locator('dd')).toHaveText('5');
  await expect(w.grid).toHaveAttribute('aria-rowcount', '250001');
});
