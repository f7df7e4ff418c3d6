// Issue 11 from one workbook: sheets Accounts (10, under a title row), Contacts (30, looking up accounts by name) and
// Deals (15, looking up both), plus a Notes sheet that is not ticked. Upload's "Import several sheets as one run"
// makes each ticked sheet a source of the run like a CSV file: module from the sheet name, its own Map and Review,
// one plan, parents first; the records API shows every lookup pointing at the right id. A parent row Zoho skips is
// reported by its sheet row number, and its children are held back naming that row.
import { test, expect, type Page } from '@playwright/test';
import { resetEmulator } from './support/emulator.ts';
import { ACCOUNTS, accountRows, CONTACTS, contactRows, DEALS, dealRows, expectAllLinked, startAndExpectAllAdded } from './support/multi-module.ts';
import { recordSteps } from './support/steps.ts';
import { WizardPage } from './support/wizard.ts';
import { sheetsWorkbook } from './fixtures/workbook.ts';

test.beforeEach(async ({ request }) => {
  await resetEmulator(request);
});

const SHEETS = ['Accounts', 'Contacts', 'Deals'] as const;
const source = (sheet: string) => `${sheet} (crm-export.xlsx)`;

function workbook(badAccount: number | null) {
  return sheetsWorkbook('crm-export.xlsx', [
    // A title and a blank row above the header: the sheet picker suggests row 3, and line numbers are sheet rows.
    { name: 'Accounts', aboveHeader: [['Accounts exported December 2026'], []], rows: accountRows(badAccount) },
    { name: 'Contacts', rows: contactRows() },
    { name: 'Deals', rows: dealRows() },
    { name: 'Notes', rows: [['Exported by the old CRM'], ['Owners are not included']] },
  ]);
}

/** Destination, the workbook, the three sheets ticked, each sheet's module read from its name, Map and Review of each unchanged, up to the run plan. */
async function toRunPlan(page: Page, w: WizardPage, badAccount: number | null): Promise<void> {
  await w.open();
  await w.chooseDestination({ module: 'Accounts', operation: 'Insert' });
  // The first sheet is shown as today; the workbook offers the run of several sheets besides.
  await w.upload(workbook(badAccount), ACCOUNTS);
  const start = page.getByRole('button', { name: /as one run$/ });
  await expect(start).toBeDisabled();
  for (const sheet of SHEETS) await page.getByRole('checkbox', { name: new RegExp(`^${sheet} — `) }).check();
  await expect(page.getByRole('checkbox', { name: /^Notes — / })).not.toBeChecked();
  await w.rec.step('sheets ticked');
  await page.getByRole('button', { name: 'Import 3 sheets as one run' }).click();

  await expect(page.getByRole('heading', { name: 'Upload 3 related sheets' })).toBeVisible();
  const files = page.getByRole('list', { name: 'Files of this run' });
  await expect(files).toContainText(`${source('Accounts')} ${ACCOUNTS} rows, 2 columns`);
  await expect(files).toContainText(`${source('Contacts')} ${CONTACTS} rows, 3 columns`);
  await expect(files).toContainText(`${source('Deals')} ${DEALS} rows, 4 columns`);
  for (const sheet of SHEETS) await expect(page.getByLabel(`Module for ${source(sheet)}`, { exact: true })).toHaveValue(sheet);
  await w.next('modules chosen');
  const current = (name: string) =>
    page.getByRole('navigation', { name: 'Files of this run' }).getByRole('button', { name: new RegExp(`^${name.replace(/[()]/g, '\\$&')}`) });
  for (const sheet of SHEETS) {
    await expect(current(source(sheet))).toHaveAttribute('aria-current', 'page');
    await expect(page.getByRole('heading', { name: 'Map columns to fields' })).toBeVisible();
    await w.next(`mapped ${sheet}`);
  }
  for (const sheet of SHEETS) {
    await expect(current(source(sheet))).toHaveAttribute('aria-current', 'page');
    await expect(w.grid).toBeVisible();
    await w.next(`reviewed ${sheet}`);
  }
  await expect(page.getByRole('heading', { name: 'Import several modules' })).toBeVisible();
}

test('a workbook with sheets Accounts 10, Contacts 30 and Deals 15 as one run: every record lands and every lookup points at the right record', async ({
  page,
  request,
}, testInfo) => {
  const w = new WizardPage(page, recordSteps(page, testInfo));
  await toRunPlan(page, w, null);

  await startAndExpectAllAdded(page, w, ['Accounts (crm-export.xlsx)', 'Contacts (crm-export.xlsx)', 'Deals (crm-export.xlsx)']);
  await expectAllLinked(request);
});

test('an account row Zoho skips is reported by its sheet row, and its contacts and deals are held back naming that row', async ({ page }, testInfo) => {
  const w = new WizardPage(page, recordSteps(page, testInfo));
  // Account 3 is on sheet row 7 (title, blank, header, then accounts 0–3); its contacts are 3, 13, 23 (sheet rows 5,
  // 15, 25), the deals naming it 2 and 12 (sheet rows 4 and 14).
  await toRunPlan(page, w, 3);
  await expect(page.getByLabel('Credits for the whole run')).toContainText('5 rows are held back before sending');
  await w.startImport();

  const accounts = page.getByRole('region', { name: 'Accounts results' });
  await expect(accounts).toContainText('Added: 9 · Updated: 0 · Skipped: 1 · Held back: 0', { timeout: 60_000 });
  await expect(accounts.getByRole('list', { name: `Skipped rows of ${source('Accounts')}` })).toContainText(/^Line 7: .*Annual Revenue/);
  const contacts = page.getByRole('region', { name: 'Contacts results' });
  await expect(contacts).toContainText('Added: 27 · Updated: 0 · Skipped: 0 · Held back: 3');
  const held = contacts.getByRole('list', { name: `Held-back rows of ${source('Contacts')}` }).getByRole('listitem');
  await expect(held).toHaveCount(3);
  for (const [n, line] of [
    [0, 5],
    [1, 15],
    [2, 25],
  ] as const)
    await expect(held.nth(n)).toContainText(new RegExp(`^Line ${line}: Account Name \\(column 3\\): its account, line 7 of Accounts, was not written`));
  const deals = page.getByRole('region', { name: 'Deals results' });
  await expect(deals).toContainText('Added: 13 · Updated: 0 · Skipped: 0 · Held back: 2');
  await expect(deals.getByRole('list', { name: `Held-back rows of ${source('Deals')}` })).toContainText(/^Line 4: .*line 7 of Accounts, was not written/);
  await w.rec.step('held back');
});
