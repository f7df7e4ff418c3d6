// Issue 9 in the browser: Review checks the file against the org before anything is written — duplicates of
// existing records (a), updates that match nothing and what each update changes (b), owners given as e-mails
// with an unknown and an inactive user (c), and a lookup to an account that does not exist (d). Every test ends
// with what the emulator really did, read back through its records API.
import { test, expect, type Page } from '@playwright/test';
import { byEmail, insertRecords, listRecords, resetEmulator } from './support/emulator.ts';
import { bulkReadHook, OrgCheck, seededUsers } from './support/org.ts';
import { recordSteps } from './support/steps.ts';
import { countText, WizardPage } from './support/wizard.ts';
import { csvFile, type FilePayload } from './fixtures/csv.ts';

test.beforeEach(async ({ request }) => {
  await resetEmulator(request);
});

test('(a) insert contacts where 3 e-mails already exist: Review predicts exactly those 3 skips naming the records, and Results agree', async ({
  page,
  request,
}, testInfo) => {
  const existing = await insertRecords(request, 'Contacts', [
    { Last_Name: 'Lovelace', First_Name: 'Ada', Email: 'ada.lovelace@example.com' },
    { Last_Name: 'Hopper', First_Name: 'Grace', Email: 'grace.hopper@example.com' },
    { Last_Name: 'Hamilton', First_Name: 'Margaret', Email: 'margaret.hamilton@example.com' },
  ]);
  const before = await listRecords(request, 'Contacts', ['Last_Name', 'Email']);
  const w = new WizardPage(page, recordSteps(page, testInfo));
  const org = new OrgCheck(page);
  await w.open();
  await w.chooseDestination({ module: 'Contacts', operation: 'Insert' });
  await w.upload(
    csvFile('contacts.csv', [
      ['First_Name', 'Last_Name', 'Email'],
      ['Ada', 'King', 'ada.lovelace@example.com'],
      ['Alan', 'Turing', 'alan.turing@example.com'],
      ['Grace', 'Brewster', 'grace.hopper@example.com'],
      ['Linus', 'Torvalds', 'linus.torvalds@example.com'],
      ['Katherine', 'Johnson', 'katherine.johnson@example.com'],
      ['Margaret', 'Heafield', 'margaret.hamilton@example.com'],
      ['Dorothy', 'Vaughan', 'dorothy.vaughan@example.com'],
      ['Mary', 'Jackson', 'mary.jackson@example.com'],
    ]),
    8,
  );
  await w.next('map columns');
  await w.next('review');

  // Before anything is read: what the check reads and what it costs.
  await expect(org.toggle).toBeChecked();
  await expect(org.plan).toContainText('Contacts');
  await expect(org.plan).toContainText('Email');
  await expect(org.plan).toContainText('1 Bulk Read job × 50 credits = 50 credits');
  await w.rec.step('org check plan');
  await org.run(50);
  await w.rec.step('org check done');

  // Exactly the three rows whose e-mail exists, each naming the record it duplicates.
  await expect(org.findings.getByRole('listitem')).toHaveCount(3);
  for (const [line, id] of [
    [2, existing[0]],
    [4, existing[1]],
    [7, existing[2]],
  ] as const) {
    await expect(org.findings.getByRole('listitem').filter({ hasText: new RegExp(`^Line ${line}:`) })).toContainText(id!);
  }
  await expect(page.getByLabel('Review summary')).toContainText(/Predicted to be skipped\s*3/);
  await org.expectOutcome(5, 0, 3);

  await w.next('import plan');
  await org.expectOutcome(5, 0, 3);
  await w.startImport();
  await w.expectOutcome({ added: 5, skipped: 3 });

  const after = await listRecords(request, 'Contacts', ['Last_Name', 'Email']);
  expect(after).toHaveLength(before.length + 5);
  const emails = byEmail(after);
  // The existing records are untouched: same ids, same last names.
  expect(emails.get('ada.lovelace@example.com')).toMatchObject({ id: existing[0], Last_Name: 'Lovelace' });
  expect(emails.get('grace.hopper@example.com')).toMatchObject({ id: existing[1], Last_Name: 'Hopper' });
  expect(emails.get('margaret.hamilton@example.com')).toMatchObject({ id: existing[2], Last_Name: 'Hamilton' });
});

test('(b) update by Email with 2 unmatched rows: What will change shows old → new, and excluding unchanged rows lowers the count sent', async ({
  page,
  request,
}, testInfo) => {
  const ids = await insertRecords(request, 'Contacts', [
    { Last_Name: 'Curie', Email: 'marie.curie@example.com', Title: 'Chemist' },
    { Last_Name: 'Noether', Email: 'emmy.noether@example.com', Title: 'Mathematician' },
    { Last_Name: 'Franklin', Email: 'rosalind.franklin@example.com', Title: 'Chemist' },
    { Last_Name: 'Lamarr', Email: 'hedy.lamarr@example.com', Title: 'Inventor' },
  ]);
  const w = new WizardPage(page, recordSteps(page, testInfo));
  const org = new OrgCheck(page);
  await w.open();
  await w.chooseDestination({ module: 'Contacts', operation: 'Update', matchBy: 'Email' });
  await w.upload(
    csvFile('updates.csv', [
      ['Email', 'Title'],
      ['marie.curie@example.com', 'Nobel laureate'],
      ['emmy.noether@example.com', 'Mathematician'],
      ['rosalind.franklin@example.com', 'Crystallographer'],
      ['hedy.lamarr@example.com', 'Inventor'],
      ['nobody.one@example.com', 'Ghost'],
      ['nobody.two@example.com', 'Phantom'],
    ]),
    6,
  );
  await w.next('map columns');
  await w.next('review');
  await org.run(50);

  // The two unmatched rows are flagged in plain words.
  await expect(org.findings.getByRole('listitem')).toHaveCount(2);
  await expect(org.findings).toContainText(/Line 6:[^\n]*nobody\.one@example\.com[^\n]*RESOURCE_NOT_FOUND/);
  await expect(org.findings).toContainText(/Line 7:[^\n]*nobody\.two@example\.com[^\n]*RESOURCE_NOT_FOUND/);

  // What will change: two of the four matched records change their Title, shown old → new.
  const changes = page.getByRole('region', { name: 'What will change' });
  await expect(changes).toContainText('2 of 4 matched rows change their record');
  await expect(changes.getByRole('list', { name: 'Changes per field' })).toContainText('Title: 2');
  const changeGrid = page.getByRole('grid', { name: 'Changes to existing records' });
  await expect(changeGrid.getByRole('row').filter({ hasText: ids[0]! })).toContainText('Chemist → Nobel laureate');
  await expect(changeGrid.getByRole('row').filter({ hasText: ids[2]! })).toContainText('Chemist → Crystallographer');
  await w.rec.step('what will change');

  await changes.getByLabel('Show only rows that change').check();
  await expect(page.getByRole('grid', { name: 'Rows to import' })).toHaveAttribute('aria-rowcount', '3');
  await changes.getByLabel('Show only rows that change').uncheck();

  const summary = page.getByLabel('Review summary');
  await expect(summary).toContainText(/Rows to send\s*6/);
  await changes.getByRole('button', { name: 'Exclude 2 rows that change nothing' }).click();
  await expect(summary).toContainText(/Rows to send\s*4/);
  await expect(summary).toContainText(/Excluded\s*2/);
  await org.expectOutcome(0, 2, 2);
  await w.rec.step('unchanged rows excluded');

  await w.next('import plan');
  await org.expectOutcome(0, 2, 2);
  await w.startImport();
  await w.expectOutcome({ added: 0, updated: 2, skipped: 2 });

  const emails = byEmail(await listRecords(request, 'Contacts', ['Last_Name', 'Email', 'Title']));
  expect(emails.get('marie.curie@example.com')).toMatchObject({ id: ids[0], Title: 'Nobel laureate' });
  expect(emails.get('rosalind.franklin@example.com')).toMatchObject({ id: ids[2], Title: 'Crystallographer' });
  expect(emails.get('emmy.noether@example.com')).toMatchObject({ id: ids[1], Title: 'Mathematician' });
  expect(emails.has('nobody.one@example.com')).toBe(false);
});

test('(c) an Owner column of e-mails with an unknown and an inactive user: both flagged; after fixing, the records carry the right owner ids', async ({
  page,
  request,
}, testInfo) => {
  const { active, inactive } = await seededUsers(request);
  const w = new WizardPage(page, recordSteps(page, testInfo));
  const org = new OrgCheck(page);
  await w.open();
  await w.chooseDestination({ module: 'Contacts', operation: 'Insert' });
  await w.upload(
    csvFile('owners.csv', [
      ['Last_Name', 'Email', 'Owner'],
      ['Owned One', 'owned.one@example.com', active[0].email],
      ['Owned Two', 'owned.two@example.com', active[1].email.toUpperCase()],
      ['Owned Three', 'owned.three@example.com', 'nobody.here@example.com'],
      ['Owned Four', 'owned.four@example.com', inactive.email],
    ]),
    4,
  );
  await w.next('map columns');

  // Map: the owner column resolves through the users API, and says which values do not.
  const users = page.getByRole('group', { name: 'Users for column “Owner”' });
  await expect(users).toContainText('2 of 4 values resolve');
  await expect(users).toContainText(/nobody\.here@example\.com.*no user/);
  await expect(users).toContainText(new RegExp(`${inactive.email.replace(/[.]/g, '\\.')}.*inactive`));
  await w.rec.step('owner resolution');
  await w.next('review');
  // Before any Bulk Read (no Bulk Read credits): the users the Map step read already flag both owner cells on Review.
  const summary = page.getByLabel('Review summary');
  await expect(summary).toContainText(/Predicted to be skipped\s*2/);
  await expect(summary).toContainText(/Rows with issues\s*2/);
  await w.rec.step('owners flagged before the check');
  await org.run(50);
  await expect(org.findings.getByRole('listitem')).toHaveCount(2);
  await expect(org.findings).toContainText(/Line 4:.*nobody\.here@example\.com/);
  await expect(org.findings).toContainText(/Line 5:.*inactive/);

  // Fix both cells inline: the unknown owner to the first active user, the inactive one to the second.
  const grid = w.grid;
  for (const [from, to] of [
    ['nobody.here@example.com', active[0].email],
    [inactive.email, active[1].email],
  ] as const) {
    await grid.getByRole('gridcell', { name: from, exact: true }).click();
    await page.keyboard.press('Enter');
    await page.keyboard.press('Control+A');
    await page.keyboard.type(to);
    await page.keyboard.press('Enter');
  }
  // The file-only check re-checks each edited row against the users: nothing is predicted skipped any more.
  await expect(summary).toContainText(/Predicted to be skipped\s*0/);
  await org.run(50);
  await expect(org.findings).toHaveCount(0);
  await org.expectOutcome(4, 0, 0);
  await w.rec.step('owners fixed');

  await w.next('import plan');
  await w.startImport();
  await w.expectOutcome({ added: 4, skipped: 0 });

  const emails = byEmail(await listRecords(request, 'Contacts', ['Last_Name', 'Email', 'Owner']));
  const ownerOf = (email: string) => String((emails.get(email)?.Owner as { id?: unknown } | undefined)?.id);
  expect(ownerOf('owned.one@example.com')).toBe(active[0].id);
  expect(ownerOf('owned.two@example.com')).toBe(active[1].id);
  expect(ownerOf('owned.three@example.com')).toBe(active[0].id);
  expect(ownerOf('owned.four@example.com')).toBe(active[1].id);
});

/** An insert of contacts from `file` through Map (where `onMap` runs) to Review. */
async function insertToReview(w: WizardPage, file: FilePayload, rows: number, onMap: () => Promise<void> = () => Promise.resolve()): Promise<void> {
  await w.open();
  await w.chooseDestination({ module: 'Contacts', operation: 'Insert' });
  await w.upload(file, rows);
  await w.next('map columns');
  await onMap();
  await w.next('review');
}

/** insertToReview, then the org check (which costs `credits`). */
async function insertAndCheck(w: WizardPage, org: OrgCheck, file: FilePayload, rows: number, credits: number): Promise<void> {
  await insertToReview(w, file, rows);
  await org.run(credits);
}

/** On Map: column 3 (Account_Name) looks accounts up by name. */
const accountsByName = (page: Page) => () => page.getByLabel('Lookup by (field of Accounts) for column 3').fill('Account_Name');

test('(d) contacts with an Account_Name lookup where one account is missing: flagged before sending', async ({ page, request }, testInfo) => {
  await insertRecords(request, 'Accounts', [{ Account_Name: 'Zylker Labs' }, { Account_Name: 'Acme Works' }]);
  const w = new WizardPage(page, recordSteps(page, testInfo));
  const org = new OrgCheck(page);
  await insertToReview(
    w,
    csvFile('with-accounts.csv', [
      ['Last_Name', 'Email', 'Account_Name'],
      ['Ito', 'ito@example.com', 'Zylker Labs'],
      ['Kim', 'kim@example.com', 'Acme Works'],
      ['Lee', 'lee@example.com', 'Globex Missing'],
    ]),
    3,
    accountsByName(page),
  );

  // The lookup's target module is read too: two Bulk Read jobs.
  await expect(org.plan).toContainText('Accounts');
  await expect(org.plan).toContainText('2 Bulk Read jobs × 50 credits = 100 credits');
  await org.run(100);
  await expect(org.findings.getByRole('listitem')).toHaveCount(1);
  await expect(org.findings).toContainText(/Line 4:.*Globex Missing/);
  await expect(page.getByLabel('Review summary')).toContainText(/Predicted to be skipped\s*1/);
  await org.expectOutcome(2, 0, 1);
  await w.rec.step('missing account flagged');

  await w.next('import plan');
  await w.startImport();
  await w.expectOutcome({ added: 2, skipped: 1 });
  await expect(page.getByRole('main').getByText(countText('Skipped', 1)).first()).toBeVisible();
  const emails = byEmail(await listRecords(request, 'Contacts', ['Last_Name', 'Email', 'Account_Name']));
  expect(emails.has('lee@example.com')).toBe(false);
  expect(emails.has('ito@example.com')).toBe(true);
});

test('(e) a Bulk Read job that fails: the check says so and the file-only prediction stands; run again, it pages through a small page size; a broken page on a third run stops it with words', async ({
  page,
  request,
}, testInfo) => {
  const [existing] = await insertRecords(request, 'Contacts', [
    { Last_Name: 'Page', Email: 'page.one@example.com' },
    { Last_Name: 'Page', Email: 'page.two@example.com' },
    { Last_Name: 'Page', Email: 'page.three@example.com' },
  ]);
  // Two records a page: the org's five contacts take three Bulk Read pages; the first job ends in FAILURE.
  await bulkReadHook(request, { page_size: 2, fail_next: 1 });
  const w = new WizardPage(page, recordSteps(page, testInfo));
  const org = new OrgCheck(page);
  await w.open();
  await w.chooseDestination({ module: 'Contacts', operation: 'Insert' });
  await w.upload(
    csvFile('paging.csv', [
      ['Last_Name', 'Email'],
      ['Again', 'page.one@example.com'],
      ['Fresh', 'page.fresh@example.com'],
    ]),
    2,
  );
  await w.next('map columns');
  await w.next('review');

  await page.getByRole('button', { name: 'Run the check (50 credits)' }).click();
  const failed = page.getByRole('status').filter({ hasText: 'The check against the org did not finish' });
  await expect(failed).toBeVisible({ timeout: 60_000 });
  await expect(failed).toContainText(/prediction from the file alone still stands|file-only prediction below still stands/);
  await expect(page.getByLabel('Review summary')).toContainText(/Predicted to be skipped\s*0/);
  await expect(page.getByRole('group', { name: 'Predicted outcome' })).toHaveCount(0);
  await w.rec.step('check failed, file-only prediction stands');

  await org.run(50);
  await expect(org.findings.getByRole('listitem')).toHaveCount(1);
  await expect(org.findings).toContainText(existing!);
  await org.expectOutcome(1, 0, 1);
  await w.rec.step('check after paging');

  // Checked again, the first page's result arrives broken (half its ZIP, as a complete answer) while the next page
  // is asked for: the check stops with words naming it, and says that the earlier check's result still shows.
  await bulkReadHook(request, { cut_next: 1 });
  await page.getByRole('button', { name: /^Check again \(/ }).click();
  const broken = page.getByRole('status').filter({ hasText: 'The check against the org did not finish' });
  await expect(broken).toBeVisible({ timeout: 60_000 });
  await expect(broken).toContainText(/The Bulk Read result of Contacts (was cut short|is not a readable ZIP)/);
  await expect(broken).toContainText('The result of the earlier check still shows below');
  await expect(broken).not.toContainText('found nothing wrong or right yet');
  await org.expectOutcome(1, 0, 1);
  await expect(page.getByRole('button', { name: /^Check again \(/ })).toBeVisible();
  await w.rec.step('broken page: check stopped, the earlier result still shows');
});

test('(f) edits after a check are predicted again against the same read: a duplicate made fresh adds, a fresh row made a duplicate is skipped naming the record', async ({
  page,
  request,
}, testInfo) => {
  const existing = await insertRecords(request, 'Contacts', [
    { Last_Name: 'Lovelace', First_Name: 'Ada', Email: 'ada.lovelace@example.com' },
    { Last_Name: 'Hopper', First_Name: 'Grace', Email: 'grace.hopper@example.com' },
    { Last_Name: 'Hamilton', First_Name: 'Margaret', Email: 'margaret.hamilton@example.com' },
  ]);
  const w = new WizardPage(page, recordSteps(page, testInfo));
  const org = new OrgCheck(page);
  await insertAndCheck(
    w,
    org,
    csvFile('contacts-edited.csv', [
      ['First_Name', 'Last_Name', 'Email'],
      ['Ada', 'King', 'ada.lovelace@example.com'],
      ['Alan', 'Turing', 'alan.turing@example.com'],
      ['Grace', 'Brewster', 'grace.hopper@example.com'],
      ['Linus', 'Torvalds', 'linus.torvalds@example.com'],
    ]),
    4,
    50,
  );
  await org.expectOutcome(2, 0, 2);

  const grid = w.grid;
  const rowOf = (email: string) => grid.getByRole('row').filter({ has: page.getByRole('gridcell', { name: email, exact: true }) });
  await expect(rowOf('ada.lovelace@example.com')).toContainText(`already belongs to record ${existing[0]!}`);
  const edit = async (from: string, to: string) => {
    await grid.getByRole('gridcell', { name: from, exact: true }).click();
    await page.keyboard.press('Enter');
    await page.keyboard.press('Control+A');
    await page.keyboard.type(to);
    await page.keyboard.press('Enter');
  };
  // Check again is never pressed below: every change comes from the re-prediction against the read already held.
  // A duplicate given a fresh e-mail now adds a record, and the counts move by one.
  await edit('ada.lovelace@example.com', 'ada.king@example.com');
  await expect(rowOf('ada.king@example.com')).toContainText('Adds a new record.');
  await org.expectOutcome(3, 0, 1);
  await expect(org.findings.getByRole('listitem')).toHaveCount(1);
  await expect(page.getByRole('status', { name: 'Org check update' })).toHaveText('');
  await w.rec.step('duplicate made fresh');

  // A fresh row given an e-mail the org holds becomes a predicted DUPLICATE skip naming that record.
  await edit('linus.torvalds@example.com', 'margaret.hamilton@example.com');
  await expect(rowOf('margaret.hamilton@example.com')).toContainText(`already belongs to record ${existing[2]!}`);
  await expect(rowOf('margaret.hamilton@example.com')).toContainText('DUPLICATE_DATA');
  await org.expectOutcome(2, 0, 2);
  await expect(org.findings.getByRole('listitem').filter({ hasText: /^Line 5:/ })).toContainText(existing[2]!);
  await w.rec.step('fresh row made a duplicate');

  // Import shows the re-predicted counts before Start, and the emulator agrees.
  await w.next('import plan');
  await org.expectOutcome(2, 0, 2);
  await expect(page.getByText(/edited after the check/)).toHaveCount(0);
  await w.startImport();
  await w.expectOutcome({ added: 2, skipped: 2 });
  const emails = byEmail(await listRecords(request, 'Contacts', ['Last_Name', 'Email']));
  expect(emails.get('ada.king@example.com')).toMatchObject({ Last_Name: 'King' });
  expect(emails.get('margaret.hamilton@example.com')).toMatchObject({ id: existing[2], Last_Name: 'Hamilton' });
});

test('(g) when the read is no longer held (a check that did not finish dropped it), an edit marks the check out of date instead of guessing', async ({
  page,
  request,
}, testInfo) => {
  const [ada] = await insertRecords(request, 'Contacts', [{ Last_Name: 'Lovelace', First_Name: 'Ada', Email: 'ada.lovelace@example.com' }]);
  const w = new WizardPage(page, recordSteps(page, testInfo));
  const org = new OrgCheck(page);
  await insertAndCheck(
    w,
    org,
    csvFile('stale.csv', [
      ['First_Name', 'Last_Name', 'Email'],
      ['Ada', 'King', 'ada.lovelace@example.com'],
      ['Alan', 'Turing', 'alan.turing@example.com'],
    ]),
    2,
    50,
  );
  await org.expectOutcome(1, 0, 1);
  await expect(org.findings).toContainText(ada!);

  // Check again fails (the Bulk Read job ends in FAILURE): the worker drops its copy of the org.
  await bulkReadHook(request, { fail_next: 1 });
  await page.getByRole('button', { name: 'Check again (50 credits)' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'The check against the org did not finish' })).toBeVisible({ timeout: 60_000 });

  // An edit now cannot be compared with the org: the check says it is out of date, and only the file-only prediction shows.
  await w.grid.getByRole('gridcell', { name: 'ada.lovelace@example.com', exact: true }).click();
  await page.keyboard.press('Enter');
  await page.keyboard.press('Control+A');
  await page.keyboard.type('ada.king@example.com');
  await page.keyboard.press('Enter');
  const stale = page.getByRole('status').filter({ hasText: 'The org check is out of date' });
  await expect(stale).toContainText('The org check needs to run again');
  await expect(page.getByRole('group', { name: 'Predicted outcome' })).toHaveCount(0);
  await expect(org.findings).toHaveCount(0);
  await expect(w.grid.getByRole('columnheader', { name: /In the org/ })).toHaveCount(0);
  await expect(page.getByLabel('Review summary')).toContainText(/Predicted to be skipped\s*0/);
  await w.rec.step('check out of date');

  // Check again reads the org anew and describes the rows as they stand.
  await org.run(50);
  await expect(stale).toHaveCount(0);
  await org.expectOutcome(2, 0, 0);
  await expect(w.grid.getByRole('row').filter({ hasText: 'ada.king@example.com' })).toContainText('Adds a new record.');
});

test('(h) the check’s own near-match clean-up and excluding a row are predicted again without Check again', async ({ page, request }, testInfo) => {
  await insertRecords(request, 'Accounts', [{ Account_Name: 'Zylker Labs' }]);
  await insertRecords(request, 'Contacts', [{ Last_Name: 'Lovelace', Email: 'ada.lovelace@example.com' }]);
  const w = new WizardPage(page, recordSteps(page, testInfo));
  const org = new OrgCheck(page);
  await insertToReview(
    w,
    csvFile('near-and-excluded.csv', [
      ['Last_Name', 'Email', 'Account_Name'],
      ['Ito', 'ito@example.com', 'zylker labs'],
      ['King', 'ada.lovelace@example.com', 'Zylker Labs'],
      ['Kim', 'kim@example.com', 'Zylker Labs'],
    ]),
    3,
    accountsByName(page),
  );
  await org.run(100);
  await org.expectOutcome(1, 0, 2);

  // The near match (same name up to case) is offered as a clean-up; applying it makes the row add.
  await page.getByRole('button', { name: /^Preview .*org.s spelling/ }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Apply to 1 cell' }).click();
  await expect(w.grid.getByRole('row').filter({ hasText: 'ito@example.com' })).toContainText('Adds a new record.');
  await org.expectOutcome(2, 0, 1);
  await w.rec.step('near match cleaned up');

  // Excluding the duplicate row takes it out of the counts; including it again puts its skip back.
  const include = w.grid.getByRole('checkbox', { name: 'Include row 3' });
  await include.uncheck();
  await expect(w.grid.getByRole('row').filter({ hasText: 'ada.lovelace@example.com' })).toContainText('Excluded: not sent.');
  await org.expectOutcome(2, 0, 0);
  await include.check();
  await expect(w.grid.getByRole('row').filter({ hasText: 'ada.lovelace@example.com' })).toContainText('DUPLICATE_DATA');
  await org.expectOutcome(2, 0, 1);

  await w.next('import plan');
  await org.expectOutcome(2, 0, 1);
  await w.startImport();
  await w.expectOutcome({ added: 2, skipped: 1 });
  const emails = byEmail(await listRecords(request, 'Contacts', ['Last_Name', 'Email']));
  expect(emails.has('ito@example.com')).toBe(true);
  expect(emails.get('ada.lovelace@example.com')).toMatchObject({ Last_Name: 'Lovelace' });
});

test('(i) a mapping change on Map after a check: one that reads the same is predicted again without a new Bulk Read; one that needs more says so', async ({
  page,
  request,
}, testInfo) => {
  await insertRecords(request, 'Contacts', [
    { Last_Name: 'Meitner', Email: 'lise.meitner@example.com', Title: 'Physicist' },
    { Last_Name: 'Hodgkin', Email: 'dorothy.hodgkin@example.com', Title: 'Chemist' },
  ]);
  const w = new WizardPage(page, recordSteps(page, testInfo));
  const org = new OrgCheck(page);
  await w.open();
  await w.chooseDestination({ module: 'Contacts', operation: 'Update', matchBy: 'Email' });
  await w.upload(
    csvFile('remap.csv', [
      ['Email', 'Title', 'Notes'],
      ['lise.meitner@example.com', 'Professor', 'n1'],
      ['dorothy.hodgkin@example.com', '', 'n2'],
    ]),
    2,
  );
  await w.next('map columns');
  await w.next('review');
  // Every Bulk Read job the page asks for (each costs 50 credits).
  let bulkReads = 0;
  page.on('request', (r) => {
    if (r.method() === 'POST' && /\/crm\/bulk\/v\d\/read$/.test(new URL(r.url()).pathname)) bulkReads += 1;
  });
  await org.run(50);
  expect(bulkReads).toBe(1);
  // The empty Title clears Hodgkin's: both rows change their record.
  const changes = page.getByRole('region', { name: 'What will change' });
  await expect(changes).toContainText('2 of 2 matched rows change their record');

  // Back on Map, Ignore empty for Title: the check reads the same, so it is predicted again — no Run, no credits.
  const back = page.getByRole('button', { name: 'Back', exact: true });
  await back.click();
  await page.getByRole('checkbox', { name: 'Ignore empty cells of column 2 “Title”' }).check();
  await w.next('review after ignore empty');
  await expect(changes).toContainText('1 of 2 matched rows change their record');
  await expect(page.getByRole('button', { name: 'Check again (50 credits)' })).toBeVisible();
  await org.expectOutcome(0, 2, 0);
  expect(bulkReads).toBe(1);

  // Back, Title unmapped: the mapping reads less than the check did, which still serves it — predicted again, and
  // nothing is left to change.
  await back.click();
  await page.getByRole('combobox', { name: 'Field for column 2 “Title”' }).click();
  await page.keyboard.type('Don’t import');
  await page
    .getByRole('option', { name: /^Don’t import/ })
    .first()
    .click();
  await w.next('review after unmapping Title');
  await expect(changes).toContainText('0 of 2 matched rows change their record');
  expect(bulkReads).toBe(1);

  // Back again, Notes mapped to Description: the check did not read Description, and says it must run again.
  await back.click();
  const notes = page.getByRole('combobox', { name: 'Field for column 3 “Notes”' });
  await notes.click();
  await page.keyboard.type('Description');
  await page
    .getByRole('option', { name: /^Description/ })
    .first()
    .click();
  await w.next('review after a new column');
  await expect(page.getByText(/the mapping changed and now needs fields of the org that the last check did not read/)).toBeVisible();
  await expect(changes).toHaveCount(0);
  expect(bulkReads).toBe(1);
});
