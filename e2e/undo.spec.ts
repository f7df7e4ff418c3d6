// Undo an import (issue 10) in real Chromium against the real server: insert 50 → Undo → none remain and nothing
// else changed; failed deletes are reported and Retry undo finishes; after a reload the undo works from the
// import's result files; a record edited after the import is warned about and left alone.
import { test, expect } from '@playwright/test';
import type { APIRequestContext, Page } from '@playwright/test';
import { AUTH, listRecords, resetEmulator } from './support/emulator.ts';
import { recordSteps } from './support/steps.ts';
import { WizardPage } from './support/wizard.ts';
import { csvFile } from './fixtures/csv.ts';

test.beforeEach(async ({ request }) => {
  await resetEmulator(request);
});

const FIELDS = ['Last_Name', 'Email', 'First_Name', 'Title'];

function rows(n: number, tag: string): string[][] {
  return [['First_Name', 'Last_Name', 'Email'], ...Array.from({ length: n }, (_, i) => [`${tag}F${i}`, `${tag}L${i}`, `${tag}${i}@undo.example`])];
}

async function importContacts(page: Page, w: WizardPage, n: number, tag: string): Promise<void> {
  await w.open();
  await w.chooseDestination({ module: 'Contacts', operation: 'Insert' });
  await w.upload(csvFile(`${tag}.csv`, rows(n, tag)), n);
  await w.next('map columns');
  await w.next('review');
  await w.next('import plan');
  await w.startImport();
  await w.expectOutcome({ added: n });
}

async function confirmUndo(page: Page, expected: string, leaveChangedAlone?: boolean): Promise<void> {
  await page.getByRole('button', { name: /^(Undo this import|Resume undo)$/ }).click();
  const dialog = page.getByRole('dialog', { name: 'Undo this import?' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByTestId('undo-confirmation')).toHaveText(expected);
  if (leaveChangedAlone !== undefined) {
    const box = dialog.getByRole('checkbox', { name: 'Leave the records changed since the import alone' });
    if (leaveChangedAlone) await expect(box).toBeChecked();
    else await box.uncheck();
  }
  await dialog.getByRole('button', { name: 'Undo', exact: true }).click();
}

const byEmail = async (request: APIRequestContext, tag: string) =>
  (await listRecords(request, 'Contacts', FIELDS)).filter((r) => String(r.Email).startsWith(tag));

test('insert 50 contacts → Undo → none of them remain and no other record changed', async ({ page, request }, testInfo) => {
  const rec = recordSteps(page, testInfo);
  const w = new WizardPage(page, rec);
  const before = await listRecords(request, 'Contacts', FIELDS);
  await importContacts(page, w, 50, 'ins');
  expect(await byEmail(request, 'ins')).toHaveLength(50);
  await confirmUndo(page, 'Delete the 50 records this import added.');
  await expect(page.getByText('Undo finished', { exact: true })).toBeVisible({ timeout: 60_000 });
  await expect(page.getByText(/50 undone · 0 failed/)).toBeVisible();
  await rec.step('undo finished');
  expect(await listRecords(request, 'Contacts', FIELDS)).toEqual(before);
});

test('some deletes fail → reported per record → Retry undo finishes without deleting twice', async ({ page, request }, testInfo) => {
  const rec = recordSteps(page, testInfo);
  const w = new WizardPage(page, rec);
  await importContacts(page, w, 12, 'lock');
  const res = await request.post('/__emulator/admin/fail-deletes', { data: { count: 3 }, headers: AUTH });
  expect(res.status()).toBe(200);
  await confirmUndo(page, 'Delete the 12 records this import added.');
  await expect(page.getByText('Undo finished with 3 record(s) not undone')).toBeVisible({ timeout: 60_000 });
  const report = page.getByRole('table', { name: 'Undo, per record' });
  await expect(report.getByRole('row').filter({ hasText: 'RECORD_LOCKED' })).toHaveCount(3);
  await rec.step('undo with failures');
  expect(await byEmail(request, 'lock')).toHaveLength(3);
  await page.getByRole('button', { name: 'Retry undo' }).click();
  await expect(page.getByText('Undo finished', { exact: true })).toBeVisible({ timeout: 60_000 });
  await expect(page.getByText(/12 undone · 0 failed/)).toBeVisible();
  expect(await byEmail(request, 'lock')).toHaveLength(0);
  const bin = await request.get('/crm/v8/Contacts/deleted', { params: { type: 'recycle', per_page: 200 }, headers: AUTH });
  expect(((await bin.json()) as { data: unknown[] }).data).toHaveLength(12);
});

test('after a reload the undo works from the result files; a record edited after the import is warned about and left alone', async ({
  page,
  request,
}, testInfo) => {
  const rec = recordSteps(page, testInfo);
  const w = new WizardPage(page, rec);
  await importContacts(page, w, 6, 'edit');
  // Results is open: the import's end is noted now. Modified_Time has whole seconds, so edit in a later second.
  await expect(page.getByRole('button', { name: 'Undo this import' })).toBeVisible();
  await page.waitForTimeout(1100);
  const [edited] = await byEmail(request, 'edit');
  const put = await request.put('/crm/v8/Contacts', { data: { data: [{ id: edited!.id, Title: 'Edited after the import' }] }, headers: AUTH });
  expect(put.status()).toBe(200);

  await page.reload();
  await page.getByRole('button', { name: 'History' }).click();
  await page.getByRole('main').getByRole('row').filter({ hasText: 'edit.csv' }).getByRole('button').first().click();
  await expect(page.getByRole('button', { name: 'Undo this import' })).toBeVisible({ timeout: 30_000 });
  await page.getByRole('button', { name: 'Undo this import' }).click();
  const dialog = page.getByRole('dialog', { name: 'Undo this import?' });
  await expect(dialog.getByText('1 record was changed after the import')).toBeVisible();
  await rec.step('changed-since warning');
  await dialog.getByRole('button', { name: 'Undo', exact: true }).click();
  await expect(page.getByText(/5 undone · 0 failed · 1 left alone/)).toBeVisible({ timeout: 60_000 });
  const left = await byEmail(request, 'edit');
  expect(left.map((r) => [r.id, r.Title])).toEqual([[edited!.id, 'Edited after the import']]);
});

test('update 20 by Email → Undo from files after a reload (result ZIP + backup CSV) → every field back to its exact old value, empty ones too', async ({
  page,
  request,
}, testInfo) => {
  const rec = recordSteps(page, testInfo);
  const w = new WizardPage(page, rec);
  const seed = Array.from({ length: 20 }, (_, i) => ({
    Last_Name: `Up${i}`,
    Email: `up${i}@undo.example`,
    ...(i % 2 === 0 ? { First_Name: `Old${i}` } : {}),
    ...(i % 3 === 0 ? {} : { Title: `T${i}` }),
  }));
  const res = await request.post('/crm/v8/Contacts', { data: { data: seed }, headers: AUTH });
  expect(res.status()).toBe(201);
  const written = ['First_Name', 'Title', 'Last_Name'];
  const before = await listRecords(request, 'Contacts', FIELDS);
  // The backup of the fields the import writes, as Download backup makes it (id + those fields, BOM, CRLF).
  const targets = before.filter((r) => String(r.Email).startsWith('up'));
  const cell = (v: unknown) => (typeof v === 'string' ? v : '');
  const backupCsv = '\uFEFF' + ['id,' + written.join(','), ...targets.map((r) => [r.id, ...written.map((f) => cell(r[f]))].join(','))].join('\r\n') + '\r\n';

  await w.open();
  await w.chooseDestination({ module: 'Contacts', operation: 'Update', matchBy: 'Email' });
  const update = [
    ['Email', 'First_Name', 'Title', 'Last_Name'],
    ...Array.from({ length: 20 }, (_, i) => [`up${i}@undo.example`, `New${i}`, `NT${i}`, `NewLast${i}`]),
  ];
  await w.upload(csvFile('update.csv', update), 20);
  await w.next('map columns');
  await w.next('review');
  await w.next('import plan');
  await w.startImport();
  await w.expectOutcome({ added: 0, updated: 20 });
  const pending = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download result' }).click();
  const zipPath = await (await pending).path();

  await page.reload();
  await page.getByRole('button', { name: 'History' }).click();
  const panel = page.getByRole('region', { name: 'Undo from files' });
  await panel.getByLabel('Module of the import').selectOption('Contacts');
  await panel.getByLabel('Result ZIP files').setInputFiles(zipPath);
  await expect(panel.getByText(/20 result rows/)).toBeVisible();
  await panel.getByLabel('Backup CSV').setInputFiles({ name: 'backup.csv', mimeType: 'text/csv', buffer: Buffer.from(backupCsv, 'utf8') });
  await rec.step('undo from files');
  await confirmUndo(page, 'Put back the old values of the 20 records it updated.');
  await expect(page.getByText('Undo finished', { exact: true })).toBeVisible({ timeout: 90_000 });
  await expect(page.getByText(/20 undone · 0 failed/)).toBeVisible();
  const after = await listRecords(request, 'Contacts', FIELDS);
  expect(after).toEqual(before);
});

test('update by record id: Download backup before Start import, then Undo on Results puts every field back', async ({ page, request }, testInfo) => {
  const rec = recordSteps(page, testInfo);
  const w = new WizardPage(page, rec);
  const res = await request.post('/crm/v8/Contacts', {
    data: {
      data: Array.from({ length: 5 }, (_, i) => ({ Last_Name: `Id${i}`, Email: `id${i}@undo.example`, ...(i % 2 === 0 ? { Title: `Old title ${i}` } : {}) })),
    },
    headers: AUTH,
  });
  expect(res.status()).toBe(201);
  const before = await listRecords(request, 'Contacts', FIELDS);
  const targets = before.filter((r) => String(r.Email).startsWith('id'));
  await w.open();
  await w.chooseDestination({ module: 'Contacts', operation: 'Update', matchBy: 'Record id' });
  await w.upload(csvFile('by-id.csv', [['id', 'Title', 'First_Name'], ...targets.map((r, i) => [r.id, `New title ${i}`, `New first ${i}`])]), 5);
  await w.next('map columns');
  await w.next('review');
  await w.next('import plan');
  const pending = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download backup' }).click();
  const backup = await pending;
  expect(backup.suggestedFilename()).toMatch(/^backup-Contacts-.*\.csv$/);
  const backupPath = await backup.path();
  await expect(page.getByText('Backup of 5 records saved.')).toBeVisible();
  await rec.step('backup downloaded');
  await w.startImport();
  await w.expectOutcome({ added: 0, updated: 5 });
  expect((await listRecords(request, 'Contacts', FIELDS)).filter((r) => String(r.Title).startsWith('New title'))).toHaveLength(5);
  await page.getByLabel('Backup CSV').setInputFiles(backupPath);
  await confirmUndo(page, 'Put back the old values of the 5 records it updated.');
  await expect(page.getByText('Undo finished', { exact: true })).toBeVisible({ timeout: 90_000 });
  expect(await listRecords(request, 'Contacts', FIELDS)).toEqual(before);
});
