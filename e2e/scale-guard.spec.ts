// Issue 13 item 4 in the browser: files the tab could not hold are refused on Upload with a message saying what,
// why and how to split them, before the tab is at risk — and the tab stays usable for the next file (decision 130).
import { closeSync, openSync, truncateSync, writeSync } from 'node:fs';
import { test, expect, type Page } from '@playwright/test';
import { recordSteps } from './support/steps.ts';
import { WizardPage } from './support/wizard.ts';
import { csvFile } from './fixtures/csv.ts';

const refusal = (page: Page) => page.getByText('This file cannot be imported');

test("a file of Excel's maximum height (1,048,576 lines) is refused after parsing, and no row reaches the page", async ({ page }, testInfo) => {
  const path = testInfo.outputPath('excel-max.csv');
  // Header + 1,048,575 short rows: about 14 MB, so the size check passes and the row check must answer.
  const fd = openSync(path, 'w');
  writeSync(fd, 'Last_Name,Email\r\n');
  const rows = 1_048_575;
  let chunk = '';
  for (let i = 1; i <= rows; i++) {
    chunk += `L${i},\r\n`;
    if (chunk.length > 1 << 20) {
      writeSync(fd, chunk);
      chunk = '';
    }
  }
  writeSync(fd, chunk);
  closeSync(fd);

  const w = new WizardPage(page, recordSteps(page, testInfo));
  await w.open();
  await w.chooseDestination({ module: 'Contacts', operation: 'Insert' });
  await page.getByLabel('CSV file', { exact: true }).setInputFiles(path);
  await expect(refusal(page)).toBeVisible({ timeout: 60_000 });
  await expect(page.getByText('excel-max.csv has 1,048,575 data rows; one browser tab checks at most 1,000,000.')).toBeVisible();
  await expect(page.getByText(/1,048,576 lines, exactly Excel's maximum of 1,048,576/)).toBeVisible();
  await expect(page.getByText(/Split the file into 2 or more parts of at most 1,000,000 rows, each with the header row/)).toBeVisible();
  await expect(page.getByLabel('File summary')).toHaveCount(0);

  // The tab is fine: the next file opens as usual.
  await w.upload(
    csvFile('small.csv', [
      ['Last_Name', 'Email'],
      ['Lee', 'lee@example.com'],
    ]),
    1,
  );
  await expect(refusal(page)).toHaveCount(0);
});

test('a file past the size limit is refused before a byte is read', async ({ page }, testInfo) => {
  // A sparse 400 MB file: nothing is written to disk, and the app must answer from the size alone.
  const path = testInfo.outputPath('huge.csv');
  closeSync(openSync(path, 'w'));
  truncateSync(path, 400_000_000);

  const w = new WizardPage(page, recordSteps(page, testInfo));
  await w.open();
  await w.chooseDestination({ module: 'Contacts', operation: 'Insert' });
  await page.getByLabel('CSV file', { exact: true }).setInputFiles(path);
  await expect(refusal(page)).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText(/huge\.csv is 400 MB, more than the 347 MB one browser tab can check safely/)).toBeVisible();
  await expect(page.getByText(/about 3\.6 GB, past the 3\.1 GB the wizard allows one tab/)).toBeVisible();
  await expect(page.getByText(/Nothing was read\. Split the file into 2 or more parts of at most 347 MB/)).toBeVisible();
  await expect(page.getByLabel('File summary')).toHaveCount(0);
});
