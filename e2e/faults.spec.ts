// Transport and job faults the wizard must survive (bad-inputs #41, #42, #44, #45, #46, #47), injected with the emulator's
// admin hooks. Each test checks what really landed: exactly once, nothing lost, nothing duplicated.
import { test, expect } from '@playwright/test';
import type { Page } from '@playwright/test';
import {
  corruptResults,
  dropCreateResponses,
  failJob,
  failUploads,
  jobStatus,
  listJobs,
  listRecords,
  resetEmulator,
  setRowDelay,
  throttle,
} from './support/emulator.ts';
import { recordSteps } from './support/steps.ts';
import { WizardPage } from './support/wizard.ts';
import { csvFile, manyContacts } from './fixtures/csv.ts';

test.beforeEach(async ({ request }) => {
  await resetEmulator(request);
});

async function toImportPlan(w: WizardPage, rows: number, tag: string): Promise<void> {
  await w.open();
  await w.toImportPlan({ module: 'Contacts', operation: 'Insert' }, csvFile(`${tag}.csv`, manyContacts(rows, tag)), rows);
}

function completedJobs(page: Page) {
  return page
    .getByRole('table', { name: 'Counts per job' })
    .getByRole('row')
    .filter({ hasText: /Completed/i });
}

test('41. two failed uploads (503) are retried with backoff and the rows land exactly once', async ({ page, request }, testInfo) => {
  const w = new WizardPage(page, recordSteps(page, testInfo));
  await toImportPlan(w, 3, 'retry');
  await failUploads(request, 2, 503);
  await w.startImport();
  await w.expectOutcome({ added: 3, skipped: 0 });
  await expect(completedJobs(page)).toHaveCount(1);
  const records = await listRecords(request, 'Contacts', ['Email']);
  expect(records.filter((r) => String(r.Email).endsWith('@bulk.example'))).toHaveLength(3);
});

test('41b. uploads that keep failing say nothing was imported; Retry after recovery imports once', async ({ page, request }, testInfo) => {
  const w = new WizardPage(page, recordSteps(page, testInfo));
  await toImportPlan(w, 3, 'down');
  await failUploads(request, 1000, 500);
  await w.startImport();
  await expect(page.getByRole('main')).toContainText(/nothing was imported|upload failed|could not upload/i, { timeout: 90_000 });
  const retry = page.getByRole('button', { name: /^Retry/ }).first();
  await expect(retry).toBeVisible();
  await w.rec.step('upload failed');
  expect(await listRecords(request, 'Contacts', ['Email'])).toHaveLength(2);

  await failUploads(request, 0);
  await retry.click();
  await w.expectOutcome({ added: 3, skipped: 0 });
  await expect(completedJobs(page)).toHaveCount(1);
  const records = await listRecords(request, 'Contacts', ['Email']);
  expect(records.filter((r) => String(r.Email).endsWith('@bulk.example'))).toHaveLength(3);
});

test('44. 429 throttling honours Retry-After, says "waiting for rate limit", then completes', async ({ page, request }, testInfo) => {
  const w = new WizardPage(page, recordSteps(page, testInfo));
  await toImportPlan(w, 3, 'throttled');
  await throttle(request, 3, 2);
  await w.startImport();
  await expect(page.getByRole('main')).toContainText(/waiting for (the )?rate limit/i, { timeout: 30_000 });
  await w.rec.step('waiting for rate limit', { axe: false });
  await w.expectOutcome({ added: 3, skipped: 0 }, 90_000);
  await expect(completedJobs(page)).toHaveCount(1);
  const records = await listRecords(request, 'Contacts', ['Email']);
  expect(records.filter((r) => String(r.Email).endsWith('@bulk.example'))).toHaveLength(3);
});

test('45. a job that ends FAILED part-way: the counts reconcile and the unwritten rows can be retried', async ({ page, request }, testInfo) => {
  const w = new WizardPage(page, recordSteps(page, testInfo));
  await setRowDelay(request, 60); // 100 rows ≈ 6 s
  await toImportPlan(w, 100, 'partial');
  await w.startImport();
  const running = page
    .getByRole('main')
    .getByRole('row')
    .filter({ hasText: /In progress/i })
    .first();
  await expect(running).toBeVisible({ timeout: 30_000 });
  const jobId = (await running.getByRole('cell').nth(1).innerText()).trim();
  await expect.poll(async () => (await listRecords(request, 'Contacts', ['Email'])).length, { timeout: 30_000 }).toBeGreaterThan(2 + 5);
  await failJob(request, jobId);
  expect(await jobStatus(request, jobId)).toBe('FAILED');
  await setRowDelay(request, 0);

  await expect(page.getByRole('main')).toContainText(/failed/i, { timeout: 60_000 });
  await w.rec.step('job failed');
  const landed = (await listRecords(request, 'Contacts', ['Email'])).filter((r) => String(r.Email).endsWith('@bulk.example')).length;
  expect(landed).toBeGreaterThan(0);
  expect(landed).toBeLessThan(100);
  // What the page says was added is what the CRM holds; the rest is reported, not lost.
  await expect(
    page
      .getByRole('main')
      .getByText(new RegExp(`Added\\s*:?\\s*${landed}\\b`))
      .first(),
  ).toBeVisible();
  await expect(page.getByRole('main')).toContainText(new RegExp(`\\b${100 - landed}\\b`));

  await page.getByRole('button', { name: 'Retry skipped rows' }).click();
  await expect(
    page
      .getByRole('main')
      .getByText(new RegExp(`Added\\s*:?\\s*${100 - landed}\\b`))
      .first(),
  ).toBeVisible({ timeout: 60_000 });
  await w.rec.step('unwritten rows retried');
  const records = await listRecords(request, 'Contacts', ['Email']);
  const mine = records.map((r) => String(r.Email)).filter((e) => e.endsWith('@bulk.example'));
  expect(mine).toHaveLength(100);
  expect(new Set(mine).size).toBe(100);
});

test('47. leaving the page while the upload is retrying asks for confirmation first', async ({ page, request }, testInfo) => {
  const w = new WizardPage(page, recordSteps(page, testInfo));
  await toImportPlan(w, 3, 'unload');
  await failUploads(request, 2, 503); // the upload sits in its backoff loop for a moment (the wizard retries up to 3 times)
  await w.startImport();
  const dialog = page.waitForEvent('dialog', { timeout: 10_000 });
  await page.close({ runBeforeUnload: true });
  const prompt = await dialog;
  expect(prompt.type()).toBe('beforeunload');
  await prompt.dismiss(); // stay on the page
  expect(page.isClosed()).toBe(false);
  await w.expectOutcome({ added: 3, skipped: 0 }, 90_000);
  const records = await listRecords(request, 'Contacts', ['Email']);
  expect(records.filter((r) => String(r.Email).endsWith('@bulk.example'))).toHaveLength(3);
  // Once nothing is in flight the page closes without a prompt (the warning is tied to the upload).
  const prompted = page.waitForEvent('dialog', { timeout: 5_000 }).then(
    async (d) => {
      await d.accept();
      return true;
    },
    () => false,
  );
  await page.close({ runBeforeUnload: true });
  expect(await prompted).toBe(false);
});

test('42. the create-job answer is lost after the job was made: the replay (same Idempotency-Key) gets that job, never a second', async ({
  page,
  request,
}, testInfo) => {
  const w = new WizardPage(page, recordSteps(page, testInfo));
  await toImportPlan(w, 3, 'lostanswer');
  await dropCreateResponses(request, 1);
  await w.startImport();
  await w.expectOutcome({ added: 3, skipped: 0 });
  const jobs = await listJobs(request);
  expect(jobs).toHaveLength(1);
  await expect(completedJobs(page)).toHaveCount(1);
  await expect(completedJobs(page).first()).toContainText(jobs[0]!.id);
  const records = await listRecords(request, 'Contacts', ['Email']);
  expect(records.filter((r) => String(r.Email).endsWith('@bulk.example'))).toHaveLength(3);
});

for (const kind of ['drop-row', 'echo'] as const) {
  test(`46. the result file disagrees (${kind}): "could not reconcile", no success claim, both files offered`, async ({ page, request }, testInfo) => {
    const w = new WizardPage(page, recordSteps(page, testInfo));
    await toImportPlan(w, 3, `disagree-${kind}`);
    await corruptResults(request, 1, kind);
    await w.startImport();
    const banner = page.getByRole('alert').filter({ hasText: 'Could not reconcile the result with the rows sent' });
    await expect(banner).toBeVisible({ timeout: 60_000 });
    await expect(banner).toContainText(
      kind === 'drop-row'
        ? '3 rows were sent but the result file has 2'
        : /result row 1 \(source line 2\): column "[^"]+" reads "TAMPERED", not what was sent in that row/,
    );
    await expect(page.getByText(/every row was written/i)).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Download result' })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Download the rows sent' })).toBeVisible();
    await w.rec.step('could not reconcile');
    // What landed is what the CRM says; the wizard only refused to claim it row by row.
    const records = await listRecords(request, 'Contacts', ['Email']);
    expect(records.filter((r) => String(r.Email).endsWith('@bulk.example'))).toHaveLength(3);
  });
}
