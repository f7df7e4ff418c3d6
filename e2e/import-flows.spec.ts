// Items 1–3 and 7 of the e2e list: the seed's insert case, update by Email, upsert, and fixing a skipped row
// inline then retrying it. Every test proves the records landed through the emulator's records API.
import { test, expect } from '@playwright/test';
import { byEmail, insertRecords, listRecords, resetEmulator } from './support/emulator.ts';
import { recordSteps } from './support/steps.ts';
import { WizardPage } from './support/wizard.ts';
import { csvFile, SEED_CONTACTS } from './fixtures/csv.ts';

const FIELDS = ['First_Name', 'Last_Name', 'Email', 'Phone', 'Title'];

test.beforeEach(async ({ request }) => {
  await resetEmulator(request);
});

test('1. seed case: 7 contacts with one duplicate Email → Added 6, Skipped 1, the skipped row shown whole with its reason', async ({
  page,
  request,
}, testInfo) => {
  const w = new WizardPage(page, recordSteps(page, testInfo));
  await w.open();
  await w.chooseDestination({ module: 'Contacts', operation: 'Insert' });
  await w.upload(csvFile('contacts.csv', SEED_CONTACTS), 7);
  await w.next('map columns');
  await w.next('review');
  await expect(w.grid).toBeVisible();
  await w.next('import plan');
  await w.startImport();
  await w.expectOutcome({ added: 6, skipped: 1 });

  // The skipped row is joined back to its whole source row (every column), with a plain-language reason.
  const skipped = page.getByRole('row').filter({ hasText: 'Mathison' });
  await expect(skipped).toHaveCount(1);
  for (const value of ['Alan', 'Mathison', 'alan.turing@example.com', '+14155550105']) await expect(skipped).toContainText(value);
  await expect(page.getByRole('main')).toContainText(/Line 6\b[^.]*(must be unique|duplicate|already)/i);
  await w.rec.step('skipped row with reason');

  const records = await listRecords(request, 'Contacts', FIELDS);
  expect(records).toHaveLength(2 + 6);
  const emails = byEmail(records);
  for (const [first, last, email, phone] of SEED_CONTACTS.slice(1)) {
    if (last === 'Mathison') continue;
    expect(emails.get(email!), email).toMatchObject({ First_Name: first, Last_Name: last, Email: email, Phone: phone });
  }
  expect(records.filter((r) => r.Last_Name === 'Mathison')).toEqual([]);
});

test('2. update matched by Email changes the existing records and creates none', async ({ page, request }, testInfo) => {
  const ids = await insertRecords(request, 'Contacts', [
    { Last_Name: 'Curie', First_Name: 'Marie', Email: 'marie.curie@example.com', Title: 'Chemist' },
    { Last_Name: 'Noether', First_Name: 'Emmy', Email: 'emmy.noether@example.com', Title: 'Mathematician' },
    { Last_Name: 'Franklin', First_Name: 'Rosalind', Email: 'rosalind.franklin@example.com', Title: 'Chemist' },
  ]);
  const w = new WizardPage(page, recordSteps(page, testInfo));
  await w.open();
  await w.chooseDestination({ module: 'Contacts', operation: 'Update', matchBy: 'Email' });
  await w.upload(
    csvFile('updates.csv', [
      ['Email', 'Title', 'Phone'],
      ['marie.curie@example.com', 'Nobel laureate', '+33140000001'],
      ['emmy.noether@example.com', 'Professor', '+49551000002'],
      ['rosalind.franklin@example.com', 'Crystallographer', '+44207000003'],
    ]),
    3,
  );
  await w.next('map columns');
  await w.next('review');
  await w.next('import plan');
  await w.startImport();
  await w.expectOutcome({ added: 0, updated: 3, skipped: 0 });

  const records = await listRecords(request, 'Contacts', FIELDS);
  expect(records).toHaveLength(2 + 3);
  const emails = byEmail(records);
  expect(emails.get('marie.curie@example.com')).toMatchObject({ id: ids[0], Last_Name: 'Curie', Title: 'Nobel laureate', Phone: '+33140000001' });
  expect(emails.get('emmy.noether@example.com')).toMatchObject({ id: ids[1], Last_Name: 'Noether', Title: 'Professor', Phone: '+49551000002' });
  expect(emails.get('rosalind.franklin@example.com')).toMatchObject({ id: ids[2], Title: 'Crystallographer', Phone: '+44207000003' });
});

test('3. upsert updates the matched record and adds the new ones', async ({ page, request }, testInfo) => {
  const [existingId] = await insertRecords(request, 'Contacts', [
    { Last_Name: 'Lamarr', First_Name: 'Hedy', Email: 'hedy.lamarr@example.com', Title: 'Actress' },
  ]);
  const w = new WizardPage(page, recordSteps(page, testInfo));
  await w.open();
  await w.chooseDestination({ module: 'Contacts', operation: 'Upsert', matchBy: 'Email' });
  await w.upload(
    csvFile('upsert.csv', [
      ['First_Name', 'Last_Name', 'Email', 'Title'],
      ['Hedy', 'Lamarr', 'hedy.lamarr@example.com', 'Inventor'],
      ['Barbara', 'Liskov', 'barbara.liskov@example.com', 'Professor'],
      ['Frances', 'Allen', 'frances.allen@example.com', 'Fellow'],
    ]),
    3,
  );
  await w.next('map columns');
  await w.next('review');
  await w.next('import plan');
  await w.startImport();
  await w.expectOutcome({ added: 2, updated: 1, skipped: 0 });

  const records = await listRecords(request, 'Contacts', FIELDS);
  expect(records).toHaveLength(2 + 3);
  const emails = byEmail(records);
  expect(emails.get('hedy.lamarr@example.com')).toMatchObject({ id: existingId, Title: 'Inventor' });
  expect(emails.get('barbara.liskov@example.com')).toMatchObject({ First_Name: 'Barbara', Last_Name: 'Liskov', Title: 'Professor' });
  expect(emails.get('frances.allen@example.com')).toMatchObject({ First_Name: 'Frances', Last_Name: 'Allen', Title: 'Fellow' });
});

test('7. a skipped row fixed inline in the results grid and retried is added', async ({ page, request }, testInfo) => {
  const w = new WizardPage(page, recordSteps(page, testInfo));
  await w.open();
  await w.chooseDestination({ module: 'Contacts', operation: 'Insert' });
  // Line 3 reuses a seeded contact's Email: only the CRM can know, so the row is skipped by the job.
  await w.upload(
    csvFile('with-existing.csv', [
      ['First_Name', 'Last_Name', 'Email'],
      ['Dorothy', 'Vaughan', 'dorothy.vaughan@example.com'],
      ['Mary', 'Jackson', 'seed.one@seed.example'],
      ['Annie', 'Easley', 'annie.easley@example.com'],
    ]),
    3,
  );
  await w.next('map columns');
  await w.next('review');
  await w.next('import plan');
  await w.startImport();
  await w.expectOutcome({ added: 2, skipped: 1 });

  const cell = w.grid.getByRole('gridcell', { name: 'seed.one@seed.example', exact: true });
  await cell.click();
  await page.keyboard.press('Enter');
  const editor = w.grid.getByRole('textbox');
  await expect(editor).toBeFocused();
  await editor.fill('mary.jackson@example.com');
  await page.keyboard.press('Enter');
  await expect(w.grid.getByRole('gridcell', { name: 'mary.jackson@example.com', exact: true })).toBeVisible();
  await w.rec.step('skipped row fixed');

  await page.getByRole('button', { name: 'Retry skipped rows' }).click();
  await expect(
    page
      .getByRole('main')
      .getByText(/Added\s*:?\s*1\b/)
      .first(),
  ).toBeVisible({ timeout: 60_000 });
  await w.rec.step('retry outcome');

  const records = await listRecords(request, 'Contacts', FIELDS);
  const emails = byEmail(records);
  expect(records).toHaveLength(2 + 3);
  expect(emails.get('mary.jackson@example.com')).toMatchObject({ First_Name: 'Mary', Last_Name: 'Jackson' });
  // The seeded contact the row collided with is untouched.
  expect(emails.get('seed.one@seed.example')).toMatchObject({ Last_Name: 'Contact One' });
});

test('map a column the wizard did not match: the picker opens in place of its stand-in, by mouse and by keyboard, and the records carry the choice', async ({
  page,
  request,
}, testInfo) => {
  const w = new WizardPage(page, recordSteps(page, testInfo));
  await w.open();
  await w.chooseDestination({ module: 'Contacts', operation: 'Insert' });
  await w.upload(
    csvFile('unmatched.csv', [
      ['Surname', 'Mail', 'Job'],
      ['Picker', 'picker.one@example.com', 'Mapper'],
      ['Chooser', 'picker.two@example.com', 'Typist'],
    ]),
    2,
  );
  await w.next('map columns');
  // "Surname" is not matched to Last_Name: pick it with the mouse (the stand-in turns into the search box).
  const surname = page.getByRole('combobox', { name: 'Field for column 1 “Surname”' });
  await expect(surname).toHaveValue('Don’t import this column');
  await surname.click();
  await expect(page.getByRole('combobox', { name: 'Field for column 1 “Surname”' })).toBeFocused();
  await page.keyboard.type('Last Name');
  await page
    .getByRole('option', { name: /^Last Name/ })
    .first()
    .click();
  await expect(page.getByRole('combobox', { name: 'Field for column 1 “Surname”' })).toHaveValue('Last Name (Last_Name)');
  // "Job" → Title by keyboard only: Tab into its stand-in, type, Enter.
  const job = page.getByRole('combobox', { name: 'Field for column 3 “Job”' });
  await job.focus();
  await expect(page.getByRole('combobox', { name: 'Field for column 3 “Job”' })).toBeFocused();
  await page.keyboard.type('Title');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('combobox', { name: 'Field for column 3 “Job”' })).toHaveValue(/^Title \(Title\)$/);
  await w.rec.step('columns mapped with the pickers');
  await w.next('review');
  await w.next('import plan');
  await w.startImport();
  await w.expectOutcome({ added: 2, skipped: 0 });
  const emails = byEmail(await listRecords(request, 'Contacts', FIELDS));
  expect(emails.get('picker.one@example.com')).toMatchObject({ Last_Name: 'Picker', Title: 'Mapper' });
  expect(emails.get('picker.two@example.com')).toMatchObject({ Last_Name: 'Chooser', Title: 'Typist' });
});
