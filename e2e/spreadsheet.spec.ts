// Issue 11 item 1: .xlsx workbooks in the file input. Dates in both date systems, text with leading zeros, long
// numbers and a title row above the header land in the emulator exactly; a damaged and a password-protected
// workbook get a clear message naming the file, and nothing is sent.
import { test, expect } from '@playwright/test';
import { byEmail, listJobs, listRecords, resetEmulator } from './support/emulator.ts';
import { recordSteps } from './support/steps.ts';
import { WizardPage } from './support/wizard.ts';
import { contactsWorkbook, encryptedWorkbook, truncatedWorkbook, type WorkbookContact } from './fixtures/workbook.ts';

const FIELDS = ['Last_Name', 'Email', 'Phone', 'Department', 'Date_of_Birth', 'Email_Opt_Out', 'Loyalty_Points'];

test.beforeEach(async ({ request }) => {
  await resetEmulator(request);
});

const CONTACTS: readonly WorkbookContact[] = [
  { lastName: 'Lovelace', email: 'ada@example.com', phone: 491701234567, department: '00123', bornSerial: 45000, optOut: true, loyalty: 12345678901234 },
  { lastName: 'Hopper', email: 'grace@example.com', phone: '00491701234567', department: '007', bornSerial: 3000, optOut: false, loyalty: 900719925474 },
  { lastName: 'Turing', email: 'alan@example.com', phone: '+14155550123', department: '0', bornSerial: 20000, optOut: false, loyalty: 1 },
];

for (const system of [
  { date1904: false, file: 'contacts-1900.xlsx', born: ['2023-03-15', '1908-03-18', '1954-10-03'] },
  { date1904: true, file: 'contacts-1904.xlsx', born: ['2027-03-16', '1912-03-19', '1958-10-04'] },
]) {
  test(`${system.file}: title row skipped, dates in the ${system.date1904 ? '1904' : '1900'} system, leading zeros and long numbers land exactly`, async ({
    page,
    request,
  }, testInfo) => {
    const w = new WizardPage(page, recordSteps(page, testInfo));
    await w.open();
    await w.chooseDestination({ module: 'Contacts', operation: 'Insert' });
    await w.upload(contactsWorkbook(system.file, CONTACTS, system.date1904), 3);

    // The workbook's sheets and the suggested header row (row 3, under the title row and a blank row).
    await expect(page.getByLabel('Sheet', { exact: true })).toHaveValue('Contacts');
    await expect(page.getByLabel('Header row')).toHaveValue('3');
    await expect(page.getByLabel('Header row').locator('option:checked')).toContainText('Row 3 (suggested)');
    await expect(page.getByRole('main')).toContainText('Row 1 above the header (row 3) is not imported');
    await expect(page.getByLabel('CSV file', { exact: true })).toBeVisible();

    await w.next('map columns');
    await w.next('review');
    // Review's line numbers are the sheet's row numbers.
    for (const line of [4, 5, 6]) await expect(page.getByRole('checkbox', { name: `Include row ${line}` })).toBeVisible();
    await w.next('import plan');
    await w.startImport();
    await w.expectOutcome({ added: 3, skipped: 0 });

    const records = byEmail(await listRecords(request, 'Contacts', FIELDS));
    const expected = [
      { Phone: '491701234567', Department: '00123', Loyalty_Points: '12345678901234', Email_Opt_Out: true },
      { Phone: '00491701234567', Department: '007', Loyalty_Points: '900719925474', Email_Opt_Out: false },
      { Phone: '+14155550123', Department: '0', Loyalty_Points: '1', Email_Opt_Out: false },
    ];
    CONTACTS.forEach((c, i) => {
      const r = records.get(c.email);
      expect(r, c.email).toBeDefined();
      expect({ ...r, Loyalty_Points: String(r?.Loyalty_Points) }).toMatchObject({
        Last_Name: c.lastName,
        Date_of_Birth: system.born[i],
        ...expected[i],
      });
    });
  });
}

test('a workbook row skipped by the job is reported by its sheet row, keeps its exact values, and is added once fixed and retried', async ({
  page,
  request,
}, testInfo) => {
  const w = new WizardPage(page, recordSteps(page, testInfo));
  await w.open();
  await w.chooseDestination({ module: 'Contacts', operation: 'Insert' });
  // Row 5 of the sheet reuses a seeded contact's Email: only the CRM can know, so the job skips it.
  const rows = [CONTACTS[0]!, { ...CONTACTS[1]!, email: 'seed.one@seed.example' }, CONTACTS[2]!];
  await w.upload(contactsWorkbook('with-existing.xlsx', rows, false), 3);
  await w.next('map columns');
  await w.next('review');
  await w.next('import plan');
  await w.startImport();
  await w.expectOutcome({ added: 2, skipped: 1 });

  // The result join names the sheet's row and shows the row's own values (leading zeros, the date) as sent.
  await expect(page.getByRole('main')).toContainText(/Line 5\b[^.]*(must be unique|duplicate|already)/i);
  const skipped = page.getByRole('row').filter({ hasText: 'Hopper' });
  for (const value of ['007', '00491701234567', '1908-03-18']) await expect(skipped).toContainText(value);

  const cell = w.grid.getByRole('gridcell', { name: 'seed.one@seed.example', exact: true });
  await cell.click();
  await page.keyboard.press('Enter');
  const editor = w.grid.getByRole('textbox');
  await expect(editor).toBeFocused();
  await editor.fill('grace@example.com');
  await page.keyboard.press('Enter');
  await expect(w.grid.getByRole('gridcell', { name: 'grace@example.com', exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'Retry skipped rows' }).click();
  await expect(
    page
      .getByRole('main')
      .getByText(/Added\s*:?\s*1\b/)
      .first(),
  ).toBeVisible({ timeout: 60_000 });
  await w.rec.step('retry outcome');

  const records = byEmail(await listRecords(request, 'Contacts', FIELDS));
  expect(records.get('grace@example.com')).toMatchObject({ Last_Name: 'Hopper', Department: '007', Phone: '00491701234567', Date_of_Birth: '1908-03-18' });
  expect(records.get('seed.one@seed.example')).toMatchObject({ Last_Name: 'Contact One' });
});

test('a damaged and a password-protected workbook: a clear message naming the file, the wizard stays usable, nothing is sent', async ({
  page,
  request,
}, testInfo) => {
  const w = new WizardPage(page, recordSteps(page, testInfo));
  await w.open();
  await w.chooseDestination({ module: 'Contacts', operation: 'Insert' });

  await w.uploadFile(truncatedWorkbook());
  const damaged = page.getByRole('alert').filter({ hasText: 'broken-download.xlsx' });
  await expect(damaged).toBeVisible({ timeout: 30_000 });
  await expect(damaged).toContainText(/cannot be read.*save it again/);
  await w.rec.step('damaged workbook');
  await expect(w.nextButton).toBeDisabled();

  await w.uploadFile(encryptedWorkbook());
  const locked = page.getByRole('alert').filter({ hasText: 'salaries-protected.xlsx' });
  await expect(locked).toBeVisible({ timeout: 30_000 });
  await expect(locked).toContainText(/password-protected.*remove the password/);
  await w.rec.step('password-protected workbook');
  await expect(w.nextButton).toBeDisabled();

  // Still usable: a good workbook right after goes through.
  await w.upload(contactsWorkbook('contacts.xlsx', CONTACTS.slice(0, 1), false), 1);
  await expect(w.nextButton).toBeEnabled();

  // Nothing left the browser: no job, and only the two seeded contacts exist.
  expect(await listJobs(request)).toEqual([]);
  expect(await listRecords(request, 'Contacts', ['Email'])).toHaveLength(2);
});
