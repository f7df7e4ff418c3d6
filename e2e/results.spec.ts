// Results step: Zoho's result ZIP, the merged Excel-safe CSV (S8), the rows-not-written CSV, and the history
// of past imports surviving a reload. Downloads are opened and checked, not just clicked.
import { test, expect } from '@playwright/test';
import type { Download, Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { strFromU8, unzipSync } from 'fflate';
import Papa from 'papaparse';
import { listRecords, resetEmulator } from './support/emulator.ts';
import { recordSteps } from './support/steps.ts';
import { WizardPage } from './support/wizard.ts';
import { csvFile } from './fixtures/csv.ts';

test.beforeEach(async ({ request }) => {
  await resetEmulator(request);
});

const ROWS = [
  ['First_Name', 'Last_Name', 'Email', 'Title'],
  ['Hyper', 'Link', 'hyper.link@example.com', '=HYPERLINK("http://evil.example","click")'],
  ['At', '@SUM(1+1)', 'at.sum@example.com', 'Analyst'],
  ['Plain', 'Person', 'plain.person@example.com', 'Manager'],
  ['Again', 'Duplicate', 'hyper.link@example.com', 'Clerk'],
];

async function download(page: Page, name: string | RegExp): Promise<{ file: Download; bytes: Buffer }> {
  const pending = page.waitForEvent('download');
  await page.getByRole('button', { name }).click();
  const file = await pending;
  const path = await file.path();
  return { file, bytes: readFileSync(path) };
}

const parse = (text: string) => Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { skipEmptyLines: true }).data;

test('downloads: Zoho result ZIP, merged Excel-safe CSV and rows not written; history survives a reload', async ({ page, request }, testInfo) => {
  const rec = recordSteps(page, testInfo);
  const w = new WizardPage(page, rec);
  await w.open();
  await w.chooseDestination({ module: 'Contacts', operation: 'Insert' });
  await w.upload(csvFile('formulas.csv', ROWS), 4);
  await w.next('map columns');
  await w.next('review');
  await w.next('import plan');
  await w.startImport();
  await w.expectOutcome({ added: 3, skipped: 1 });
  const jobId = (await page.getByRole('table', { name: 'Counts per job' }).getByRole('row').nth(1).getByRole('cell').nth(1).innerText()).trim();
  expect(jobId).toMatch(/^\d+$/);

  // 1. Zoho's own result: a ZIP with one CSV, one row per input row in order, STATUS/RECORD_ID/ERRORS.
  const zip = await download(page, 'Download result');
  expect(zip.bytes.subarray(0, 4).toString('latin1')).toBe('PK\u0003\u0004');
  const entries = unzipSync(new Uint8Array(zip.bytes));
  const names = Object.keys(entries);
  expect(names).toHaveLength(1);
  const result = parse(strFromU8(entries[names[0]!]!));
  const header = result[0] ?? [];
  expect(header.slice(-3)).toEqual(['STATUS', 'RECORD_ID', 'ERRORS']);
  const status = result.slice(1).map((r) => r[header.indexOf('STATUS')]);
  expect(status).toEqual(['ADDED', 'ADDED', 'ADDED', 'SKIPPED']);
  expect(result[4]?.[header.indexOf('ERRORS')]).toMatch(/DUPLICATE_DATA/);

  // 2. The merged CSV: BOM, CRLF, every source row, formula leaders escaped in user cells (S8).
  const merged = await download(page, /merged CSV/i);
  const text = merged.bytes.toString('utf8');
  expect(text.startsWith('\uFEFF')).toBe(true);
  expect(text).toContain('\r\n');
  expect(text.replace(/\r\n/g, '')).not.toMatch(/\n/);
  const rows = parse(text);
  expect(rows.length).toBe(1 + 4);
  const cells = rows.slice(1).flat();
  expect(cells).toContain(`'=HYPERLINK("http://evil.example","click")`);
  expect(cells).toContain(`'@SUM(1+1)`);
  for (const cell of cells) expect(cell, `cell ${cell}`).not.toMatch(/^[=+@\t\r]/);

  // 3. Rows not written: the skipped row whole, with its reason.
  const notWritten = await download(page, /rows not written/i);
  const skipped = parse(notWritten.bytes.toString('utf8'));
  expect(skipped.length).toBe(2);
  expect(skipped[1]).toEqual(expect.arrayContaining(['Again', 'Duplicate', 'hyper.link@example.com', 'Clerk']));
  expect(skipped[1]?.join(' ')).toMatch(/unique|duplicate|already/i);
  await rec.step('downloads checked');

  // The CRM holds the formula text unchanged (the escape is only for spreadsheets).
  const records = await listRecords(request, 'Contacts', ['Email', 'Title', 'Last_Name']);
  expect(records.find((r) => r.Email === 'hyper.link@example.com')).toMatchObject({ Title: '=HYPERLINK("http://evil.example","click")' });
  expect(records.find((r) => r.Email === 'at.sum@example.com')).toMatchObject({ Last_Name: '@SUM(1+1)' });

  // History lists the import (job id, module, counts) and survives a reload.
  await page.getByRole('button', { name: 'History' }).click();
  await expect(page.getByRole('main')).toContainText(jobId);
  await rec.step('history');
  await page.reload();
  await page.getByRole('button', { name: 'History' }).click();
  const main = page.getByRole('main');
  const entry = main.getByRole('row').filter({ hasText: jobId });
  await expect(entry).toHaveCount(1);
  const historyCells = (await entry.getByRole('cell').allInnerTexts()).map((t) => t.trim());
  expect(historyCells).toContain('Contacts');
  // Added, Updated, Skipped side by side.
  expect(historyCells.join('|')).toContain('|3|0|1|');
  await rec.step('history after reload');
});
