// Items 4–6 and 8: a European windows-1252 file, a 60,000-row import split into 3 jobs, resuming tracking
// after a reload, and files that are not CSV at all.
import { test, expect } from '@playwright/test';
import { byEmail, jobStatus, listRecords, resetEmulator, setRowDelay } from './support/emulator.ts';
import { recordSteps } from './support/steps.ts';
import { WizardPage } from './support/wizard.ts';
import { csvFile, emptyFile, EUROPEAN_EXPECTED, europeanFile, fakeXlsxAsCsv, manyContacts } from './fixtures/csv.ts';

test.beforeEach(async ({ request }) => {
  await resetEmulator(request);
});

test('4. semicolon windows-1252 file with dd/MM/yyyy dates: encoding confirmed, dates normalised, imported cleanly', async ({ page, request }, testInfo) => {
  const w = new WizardPage(page, recordSteps(page, testInfo));
  await w.open();
  await w.chooseDestination({ module: 'Contacts', operation: 'Insert' });
  await w.uploadFile(europeanFile());
  // The wizard must not guess: it proposes windows-1252 with a before/after preview and waits for a click.
  await expect(page.getByText(/not UTF-8/i).first()).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole('main')).toContainText('José');
  await w.rec.step('encoding proposal');
  // Until the user confirms, the wizard cannot move on with mis-decoded text.
  await expect(w.nextButton).toBeDisabled();
  await page.getByRole('button', { name: /windows-1252/i }).click();
  const summary = page.getByLabel('File summary');
  await expect(summary).toContainText(/windows-1252/i);
  await expect(summary).toContainText(/semicolon|;/i);
  await w.rec.step('encoding confirmed');
  await w.next('map columns');
  await w.next('review');
  // dd/MM/yyyy is never silently reinterpreted (bad-inputs #36): the user previews the clean-up, then applies it.
  await page.getByRole('button', { name: /^Preview .*Date_of_Birth/ }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText('31/12/1980');
  await expect(dialog).toContainText('1980-12-31');
  await w.rec.step('date clean-up preview');
  await dialog.getByRole('button', { name: /^Apply to 3 cells$/ }).click();
  await expect(dialog).toHaveCount(0);
  await expect(w.grid.getByRole('gridcell', { name: '1980-12-31', exact: true })).toBeVisible();
  await w.rec.step('dates normalised');
  await w.next('import plan');
  await w.startImport();
  await w.expectOutcome({ added: 3, skipped: 0 });

  const records = await listRecords(request, 'Contacts', ['First_Name', 'Last_Name', 'Email', 'Date_of_Birth']);
  const emails = byEmail(records);
  for (const expected of EUROPEAN_EXPECTED) expect(emails.get(expected.Email), expected.Email).toMatchObject(expected);
  // No replacement character ever reaches the CRM (bad-inputs #9).
  expect(JSON.stringify(records)).not.toContain('\ufffd');
});

test('5. a 60,000-row file becomes 3 jobs and one merged result', async ({ page, request }, testInfo) => {
  test.setTimeout(600_000);
  const w = new WizardPage(page, recordSteps(page, testInfo));
  await w.open();
  await w.chooseDestination({ module: 'Contacts', operation: 'Insert' });
  await w.upload(csvFile('sixty-thousand.csv', manyContacts(60_000, 'big')), 60_000);
  await w.next('map columns');
  await w.next('review');
  await w.next('import plan');
  await expect(page.getByRole('main')).toContainText(/\b3 jobs\b/);
  await w.startImport();
  await w.expectOutcome({ added: 60_000, skipped: 0 }, 480_000);
  // One merged result plus each of the three jobs: 25,000 + 25,000 + 10,000 rows, all added.
  const jobs = page
    .getByRole('table', { name: 'Counts per job' })
    .getByRole('row')
    .filter({ hasText: /Completed/i });
  await expect(jobs).toHaveCount(3);
  const digits = (s: string) => Number(s.replace(/\D/g, ''));
  const perJob: number[][] = [];
  for (const row of await jobs.all()) perJob.push((await row.getByRole('cell').allInnerTexts()).map(digits));
  // Columns: Job, Job id, Status, Rows, Added, Updated, Skipped.
  expect(perJob.map((cells) => [cells[3], cells[4], cells[6]])).toEqual([
    [25_000, 25_000, 0],
    [25_000, 25_000, 0],
    [10_000, 10_000, 0],
  ]);

  const records = await listRecords(request, 'Contacts', ['Email']);
  expect(records).toHaveLength(60_000 + 2);
  const emails = new Set(records.map((r) => String(r.Email)));
  for (const n of [1, 25_000, 25_001, 50_000, 50_001, 60_000]) expect(emails.has(`big.${n}@bulk.example`), `row ${n}`).toBe(true);
});

test('6. reloading in the middle of tracking picks the jobs up again', async ({ page, request }, testInfo) => {
  const w = new WizardPage(page, recordSteps(page, testInfo));
  await setRowDelay(request, 40); // 150 rows ≈ 6 s of IN PROGRESS
  await w.open();
  await w.chooseDestination({ module: 'Contacts', operation: 'Insert' });
  await w.upload(csvFile('slow.csv', manyContacts(150, 'slow')), 150);
  await w.next('map columns');
  await w.next('review');
  await w.next('import plan');
  await w.startImport();
  await expect(page.getByRole('progressbar').first()).toBeVisible({ timeout: 30_000 });
  const running = page
    .getByRole('main')
    .getByRole('row')
    .filter({ hasText: /In progress/i })
    .first();
  await expect(running).toBeVisible({ timeout: 30_000 });
  const jobId = (await running.getByRole('cell').nth(1).innerText()).trim();
  expect(jobId).toMatch(/^\d+$/);
  // The job really is still running on the server when the page goes away.
  expect(await jobStatus(request, jobId)).toMatch(/^(ADDED|INPROGRESS)$/);
  await w.rec.step('tracking before reload', { axe: false });

  await page.reload();
  await expect(page.getByRole('main')).toContainText(jobId, { timeout: 30_000 });
  await expect(page.getByRole('main').getByRole('row').filter({ hasText: jobId })).toContainText(/In progress|Completed/i);
  await w.rec.step('tracking resumed after reload');
  await w.expectOutcome({ added: 150, skipped: 0 }, 90_000);
  // The same single job, never a second one created by the reload.
  const jobs = page
    .getByRole('table', { name: 'Counts per job' })
    .getByRole('row')
    .filter({ hasText: /Completed/i });
  await expect(jobs).toHaveCount(1);
  await expect(jobs).toContainText(jobId);
  expect(await jobStatus(request, jobId)).toBe('COMPLETED');

  const records = await listRecords(request, 'Contacts', ['Email']);
  expect(records.filter((r) => String(r.Email).endsWith('@bulk.example'))).toHaveLength(150);
});

test('8. not a CSV: an XLSX renamed .csv and a 0-byte file get a clear message and cannot continue', async ({ page, request }, testInfo) => {
  const w = new WizardPage(page, recordSteps(page, testInfo));
  await w.open();
  await w.chooseDestination({ module: 'Contacts', operation: 'Insert' });

  await w.uploadFile(fakeXlsxAsCsv());
  const alert = page.getByRole('alert').filter({ hasText: /Excel|workbook/i });
  await expect(alert).toBeVisible({ timeout: 30_000 });
  await expect(alert).toContainText(/save it as CSV|save as CSV/i);
  await w.rec.step('xlsx renamed');
  await expect(w.nextButton).toBeDisabled();

  await w.uploadFile(emptyFile());
  await expect(page.getByRole('alert').filter({ hasText: /empty/i })).toBeVisible({ timeout: 30_000 });
  await w.rec.step('empty file');
  await expect(w.nextButton).toBeDisabled();
  await expect(page.getByLabel('CSV file', { exact: true })).toBeVisible(); // still on the upload step
  // Nothing left the browser: only the two seeded contacts exist.
  expect(await listRecords(request, 'Contacts', ['Email'])).toHaveLength(2);
});

test('8b. a ragged row is listed with its line number', async ({ page }, testInfo) => {
  const w = new WizardPage(page, recordSteps(page, testInfo));
  await w.open();
  await w.chooseDestination({ module: 'Contacts', operation: 'Insert' });
  await w.uploadFile(
    csvFile('ragged.csv', [
      ['First_Name', 'Last_Name', 'Email'],
      ['A', 'B', 'a@b.example'],
      ['C', 'D'],
      ['E', 'F', 'e@f.example'],
    ]),
  );
  await expect(page.getByRole('main')).toContainText(/line 3/i, { timeout: 30_000 });
  await w.rec.step('ragged row listed');
});

test('Back keeps what was entered: destination, file and mapping survive going back and forth', async ({ page, request }, testInfo) => {
  const w = new WizardPage(page, recordSteps(page, testInfo));
  await w.open();
  await w.chooseDestination({ module: 'Contacts', operation: 'Upsert', matchBy: 'Email' });
  await w.upload(
    csvFile('back.csv', [
      ['Last_Name', 'Email', 'Notes'],
      ['Back', 'back.forth@example.com', 'keep me'],
    ]),
    1,
  );
  await w.next('map columns');
  const back = page.getByRole('button', { name: 'Back', exact: true });
  await back.click();
  await expect(page.getByLabel('File summary')).toContainText('back.csv');
  await back.click();
  await expect(page.getByLabel('Module', { exact: true })).toHaveValue(/Contacts/);
  await expect(page.getByRole('radio', { name: 'Upsert', exact: true })).toBeChecked();
  await expect(page.getByLabel('Match records by').locator('option:checked')).toContainText('Email');
  await w.rec.step('destination kept');
  await w.nextButton.click();
  await expect(page.getByLabel('File summary')).toContainText('back.csv');
  await w.rec.step('file kept');
  await w.next('map columns again');
  await w.next('review');
  await w.next('import plan');
  await w.startImport();
  await w.expectOutcome({ added: 1, updated: 0, skipped: 0 });
  const records = await listRecords(request, 'Contacts', ['Email', 'Last_Name']);
  expect(byEmail(records).get('back.forth@example.com')).toMatchObject({ Last_Name: 'Back' });
});

test('29/30. a pipe-delimited file with commas in values: the delimiter can be overridden in one click and the upload is re-serialised', async ({
  page,
  request,
}, testInfo) => {
  const w = new WizardPage(page, recordSteps(page, testInfo));
  await w.open();
  await w.chooseDestination({ module: 'Contacts', operation: 'Insert' });
  const text = [
    'Last_Name|Email|Mailing_Street',
    'Pipe, Jr.|pipe.one@example.com|1 Main St, Suite 2, Springfield',
    'Bar, Sr.|pipe.two@example.com|5 Side Rd, Unit 9, Shelbyville',
    '',
  ].join('\r\n');
  await w.uploadFile({ name: 'piped.csv', mimeType: 'text/csv', buffer: Buffer.from(text, 'utf8') });
  const summary = page.getByLabel('File summary');
  await expect(summary).toBeVisible({ timeout: 30_000 });
  // Force the wrong reading first, then correct it: both are one click and the parse follows the choice.
  const comma = page.getByRole('button', { name: 'comma (,)' });
  await comma.click();
  await expect(comma).toHaveAttribute('aria-pressed', 'true');
  await expect(summary.getByText(/^3$/)).toHaveCount(0);
  const pipe = page.getByRole('button', { name: 'pipe (|)' });
  await pipe.click();
  await expect(pipe).toHaveAttribute('aria-pressed', 'true');
  await expect(summary).toContainText(/pipe/i);
  await expect(summary.getByText(/^3$/)).toHaveCount(1); // three columns
  await w.rec.step('pipe delimiter');
  await w.next('map columns');
  await w.next('review');
  await expect(w.grid.getByRole('gridcell', { name: '1 Main St, Suite 2, Springfield', exact: true })).toBeVisible();
  await w.next('import plan');
  await w.startImport();
  await w.expectOutcome({ added: 2, skipped: 0 });
  const emails = byEmail(await listRecords(request, 'Contacts', ['Last_Name', 'Email', 'Mailing_Street']));
  expect(emails.get('pipe.one@example.com')).toMatchObject({ Last_Name: 'Pipe, Jr.', Mailing_Street: '1 Main St, Suite 2, Springfield' });
  expect(emails.get('pipe.two@example.com')).toMatchObject({ Last_Name: 'Bar, Sr.', Mailing_Street: '5 Side Rd, Unit 9, Shelbyville' });
});
