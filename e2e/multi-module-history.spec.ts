// Issue 11 item 5 in the browser: a run of several modules (Accounts + Contacts from two CSV files) is one group in
// History with a line per module and its counts, and each module's merged Excel-safe result holds its own rows with
// the record ids the records API has; a reload mid-run keeps tracking the job already created, sends nothing twice
// and names the module never sent; "Undo the whole run" deletes the contacts, then the accounts, and nothing the run
// wrote is left. Decision 120. And an Owner column of e-mails in such a run goes out as user ids (decision 121).
import { test, expect, type Download, type Locator, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
import { jobStatus, listRecords, resetEmulator, setRowDelay } from './support/emulator.ts';
import { ACCOUNTS, CONTACTS, accountName, accountRows, contactRows, email, lookupId } from './support/multi-module.ts';
import { seededUsers } from './support/org.ts';
import { recordSteps } from './support/steps.ts';
import { WizardPage } from './support/wizard.ts';
import { requestLogLines } from './support/zoho-stand-in.ts';
import { csvFile } from './fixtures/csv.ts';

test.beforeEach(async ({ request }) => {
  await resetEmulator(request);
});

/** Contacts first on purpose: the run still writes the accounts first. `badAccount` makes that account's row skipped. */
async function toRunPlan(page: Page, w: WizardPage, badAccount: number | null): Promise<void> {
  await w.open();
  await w.chooseDestination({ module: 'Accounts', operation: 'Insert' });
  const files = [csvFile('contacts.csv', contactRows()), csvFile('accounts.csv', accountRows(badAccount))];
  await page.getByLabel('CSV file', { exact: true }).setInputFiles(files.map((f) => ({ name: f.name, mimeType: f.mimeType, buffer: f.buffer })));
  await expect(page.getByLabel('Module for accounts.csv', { exact: true })).toHaveValue('Accounts');
  await expect(page.getByLabel('Module for contacts.csv', { exact: true })).toHaveValue('Contacts');
  await w.next('modules chosen');
  for (const name of ['contacts.csv', 'accounts.csv']) {
    await expect(page.getByRole('heading', { name: 'Map columns to fields' })).toBeVisible();
    await w.next(`mapped ${name}`);
  }
  for (const name of ['contacts.csv', 'accounts.csv']) {
    await expect(w.grid).toBeVisible();
    await w.next(`reviewed ${name}`);
  }
  await expect(page.getByRole('heading', { name: 'Import several modules' })).toBeVisible();
}

async function download(scope: Locator, page: Page, name: string | RegExp): Promise<Buffer> {
  const pending = page.waitForEvent('download');
  await scope.getByRole('button', { name }).click();
  const file: Download = await pending;
  return readFileSync(await file.path());
}

const parse = (bytes: Buffer) => Papa.parse<string[]>(bytes.toString('utf8').replace(/^\uFEFF/, ''), { skipEmptyLines: true }).data;

const mmAccounts = async (request: Parameters<typeof listRecords>[0]) =>
  (await listRecords(request, 'Accounts', ['Account_Name'])).filter((r) => String(r.Account_Name).startsWith('MM Account '));
const mmContacts = async (request: Parameters<typeof listRecords>[0]) =>
  (await listRecords(request, 'Contacts', ['Email', 'Account_Name'])).filter((r) => String(r.Email).endsWith('@multi.example'));

test('History shows an Accounts + Contacts run as one group with both modules and their counts; each module’s merged result holds its own rows', async ({
  page,
  request,
}, testInfo) => {
  const w = new WizardPage(page, recordSteps(page, testInfo));
  // Account 3 (line 5) is skipped by Zoho: its 3 contacts are held back, the other 27 are written.
  await toRunPlan(page, w, 3);
  await w.startImport();
  await expect(page.getByRole('region', { name: 'Contacts results' })).toContainText('Added: 27 · Updated: 0 · Skipped: 0 · Held back: 3', {
    timeout: 60_000,
  });

  await page.getByRole('button', { name: 'History', exact: true }).click();
  const main = page.getByRole('main');
  // One group, no stray single-module entries.
  await expect(main.getByRole('button', { name: /^Open the run of several modules started/ })).toHaveCount(1);
  await expect(main.getByRole('button', { name: /^Open the import started/ })).toHaveCount(0);
  const group = main.getByRole('row', { name: /^Run of several modules started/ });
  await expect(group).toContainText('Accounts, Contacts');
  expect((await group.getByRole('cell').allInnerTexts()).map((t) => t.trim()).join('|')).toContain('|36|0|1|Finished|');
  // A line per module in the order the run wrote them: Accounts, then Contacts.
  const lines = main.getByRole('row', { name: / from (accounts|contacts)\.csv$/ });
  await expect(lines).toHaveCount(2);
  await expect(lines.nth(0)).toHaveAccessibleName('Accounts from accounts.csv');
  await expect(lines.nth(1)).toHaveAccessibleName('Contacts from contacts.csv');
  expect((await lines.nth(0).getByRole('cell').allInnerTexts()).map((t) => t.trim()).join('|')).toMatch(/Accounts · 10 rows\|.*\|9\|0\|1\|Finished\|/);
  expect((await lines.nth(1).getByRole('cell').allInnerTexts()).map((t) => t.trim()).join('|')).toMatch(/Contacts · 27 rows\|.*\|27\|0\|0\|Finished\|/);
  await w.rec.step('history group');

  await main.getByRole('button', { name: /^Open the run of several modules started/ }).click();
  const accounts = page.getByRole('region', { name: 'Accounts from accounts.csv' });
  const contacts = page.getByRole('region', { name: 'Contacts from contacts.csv' });
  await expect(accounts.getByRole('button', { name: 'Download merged CSV (Excel-safe)' })).toBeVisible({ timeout: 30_000 });
  await w.rec.step('group opened');

  const accountIds = new Map((await mmAccounts(request)).map((r) => [String(r.Account_Name), r.id]));
  expect(accountIds.size).toBe(ACCOUNTS - 1);
  const acc = parse(await download(accounts, page, 'Download merged CSV (Excel-safe)'));
  const ah = acc[0] ?? [];
  expect(ah).toEqual(['Line', 'Account_Name', 'Annual_Revenue', 'STATUS', 'RECORD_ID', 'ERRORS', 'REASON']);
  expect(acc).toHaveLength(1 + ACCOUNTS);
  for (const row of acc.slice(1)) {
    const i = Number(row[0]) - 2;
    expect(row[1]).toBe(accountName(i));
    if (i === 3) expect([row[3], row[4]]).toEqual(['SKIPPED', '']);
    else expect([row[3], row[4]], `account ${i}`).toEqual(['ADDED', accountIds.get(accountName(i))]);
  }

  const contactIds = new Map((await mmContacts(request)).map((r) => [String(r.Email), r]));
  expect(contactIds.size).toBe(CONTACTS - 3);
  const con = parse(await download(contacts, page, 'Download merged CSV (Excel-safe)'));
  expect(con[0]).toEqual(['Line', 'Last_Name', 'Email', 'Account_Name.Account_Name', 'STATUS', 'RECORD_ID', 'ERRORS', 'REASON']);
  // The 27 contacts sent, each joined to its whole source row (the account by name, as the file wrote it).
  expect(con).toHaveLength(1 + CONTACTS - 3);
  for (const row of con.slice(1)) {
    const i = Number(row[0]) - 2;
    expect(i % ACCOUNTS).not.toBe(3);
    expect(row.slice(1, 5)).toEqual([`Person ${i}`, email(i), accountName(i % ACCOUNTS), 'ADDED']);
    const record = contactIds.get(email(i));
    expect(row[5]).toBe(record?.id);
    expect(lookupId(record?.Account_Name)).toBe(accountIds.get(accountName(i % ACCOUNTS)));
  }
  await w.rec.step('downloads checked');
});

test('a reload while the accounts job runs: the group is still there, that job is tracked to the end, nothing is sent twice, and the contacts are named as not sent', async ({
  page,
  request,
}, testInfo) => {
  const w = new WizardPage(page, recordSteps(page, testInfo));
  await toRunPlan(page, w, null);
  await setRowDelay(request, 800); // 10 accounts ≈ 8 s of IN PROGRESS
  await w.startImport();
  // The accounts job exists (its id is in History) and is still running on the server when the page goes away.
  const handle = await page.waitForFunction(
    () => {
      const h = JSON.parse(localStorage.getItem('zoho-bulk-import.history.v1') ?? '{"runs":[]}') as {
        runs: { multiRun: unknown; jobs: { jobId: string | null }[] }[];
      };
      return h.runs.flatMap((r) => (r.multiRun ? r.jobs.map((j) => j.jobId) : [])).find((id) => id !== null) ?? null;
    },
    undefined,
    { timeout: 30_000 },
  );
  const jobId = String(await handle.jsonValue());
  expect(await jobStatus(request, jobId)).toMatch(/^(ADDED|INPROGRESS)$/);
  await w.rec.step('running before reload', { axe: false });

  await page.reload();
  await expect(page.getByRole('heading', { name: /^Run of several modules/ })).toBeVisible({ timeout: 30_000 });
  const modules = page.getByRole('list', { name: 'Modules of this run' }).getByRole('listitem');
  await expect(modules).toHaveCount(2);
  await expect(modules.nth(1)).toHaveText('Contacts from contacts.csv: Not sent');
  await expect(page.getByRole('region', { name: 'Accounts from accounts.csv' })).toContainText(jobId);
  await w.rec.step('tracking resumed after reload', { axe: false });
  await expect(modules.nth(0)).toHaveText('Accounts from accounts.csv: 10 rows · added 10 · updated 0 · skipped 0 · Finished', { timeout: 60_000 });
  const notSent = page.getByRole('status').filter({ hasText: 'Part of this run was not sent' });
  await expect(notSent.getByRole('listitem')).toHaveText(['Contacts from contacts.csv: never sent.']);
  await expect(notSent).toContainText('The page was reloaded or closed before its turn');
  await expect(notSent).toContainText('pick the file again in a new import of that module on its own');
  await expect(page.getByRole('heading', { name: 'Run of several modules', exact: true })).toBeVisible();
  await w.rec.step('group finished after reload');

  // Every account once (the job was not created again), no contact at all.
  expect(await jobStatus(request, jobId)).toBe('COMPLETED');
  expect(await mmAccounts(request)).toHaveLength(ACCOUNTS);
  expect(await mmContacts(request)).toHaveLength(0);

  // History keeps the group and says the same.
  await page.getByRole('button', { name: 'History', exact: true }).click();
  const main = page.getByRole('main');
  await expect(main.getByRole('row', { name: /^Run of several modules started/ })).toContainText('Not fully sent');
  await expect(main.getByRole('row', { name: 'Contacts from contacts.csv' })).toContainText('Not sent');
  await expect(main.getByRole('row', { name: 'Accounts from accounts.csv' })).toContainText('Finished');
});

test('Undo the whole run deletes the contacts, then the accounts: nothing the run wrote is left', async ({ page, request }, testInfo) => {
  const w = new WizardPage(page, recordSteps(page, testInfo));
  await toRunPlan(page, w, null);
  await w.startImport();
  await expect(page.getByRole('region', { name: 'Contacts results' })).toContainText('Added: 30 · Updated: 0 · Skipped: 0 · Held back: 0', {
    timeout: 60_000,
  });
  expect(await mmAccounts(request)).toHaveLength(ACCOUNTS);
  expect(await mmContacts(request)).toHaveLength(CONTACTS);

  const files = page.getByRole('region', { name: 'Result files and undo' });
  await files.getByRole('button', { name: 'Undo the whole run' }).click();
  await expect(page.getByTestId('undo-confirmation')).toHaveText('Delete the 40 records this run added, children first: Contacts 30, then Accounts 10.');
  await w.rec.step('confirm undo');
  await page.getByRole('dialog').getByRole('button', { name: 'Undo', exact: true }).click();
  await expect(files.getByRole('status').filter({ hasText: 'Undo of the whole run finished' })).toBeVisible({ timeout: 60_000 });
  const perModule = files.getByRole('list', { name: 'Undo per module' }).getByRole('listitem');
  await expect(perModule.nth(0)).toHaveText('Contacts: 30 undone · 0 failed · 0 left alone · 0 cannot be undone');
  await expect(perModule.nth(1)).toHaveText('Accounts: 10 undone · 0 failed · 0 left alone · 0 cannot be undone');
  await w.rec.step('undone');

  expect(await mmContacts(request)).toHaveLength(0);
  expect(await mmAccounts(request)).toHaveLength(0);
  // The server saw every contact delete before the first account delete.
  const deletes = requestLogLines().filter((l) => / DELETE \/crm\/v8\/(Contacts|Accounts)\b/.test(l));
  const lastContact = deletes.map((l) => / DELETE \/crm\/v8\/Contacts\b/.test(l)).lastIndexOf(true);
  const firstAccount = deletes.findIndex((l) => / DELETE \/crm\/v8\/Accounts\b/.test(l));
  expect(lastContact).toBeGreaterThanOrEqual(0);
  expect(firstAccount).toBeGreaterThan(lastContact);
});

test('an Owner column of e-mails in a run of several files is sent as user ids, as a single import does: every contact owned by the right user', async ({
  page,
  request,
}, testInfo) => {
  const { active } = await seededUsers(request);
  const w = new WizardPage(page, recordSteps(page, testInfo));
  await w.open();
  await w.chooseDestination({ module: 'Accounts', operation: 'Insert' });
  const contacts = csvFile('contacts.csv', [
    ['Last_Name', 'Email', 'Account_Name.Account_Name', 'Owner'],
    ['Owned One', email(0), accountName(0), active[0].email],
    ['Owned Two', email(1), accountName(1), active[1].email.toUpperCase()],
    ['Owned By Nobody', email(2), accountName(0), 'nobody.here@example.com'],
  ]);
  const accounts = csvFile('accounts.csv', accountRows(null).slice(0, 3));
  await page.getByLabel('CSV file', { exact: true }).setInputFiles([contacts, accounts].map((f) => ({ name: f.name, mimeType: f.mimeType, buffer: f.buffer })));
  await w.next('modules chosen');
  await expect(page.getByRole('group', { name: 'Users for column “Owner”' })).toContainText('2 of 3 values resolve');
  await w.next('mapped contacts.csv');
  await w.next('mapped accounts.csv');
  await expect(w.grid).toBeVisible();
  // The owner naming no user is flagged on this file's Review too, from the users the Map step read (decision 174).
  await expect(page.getByLabel('Review summary')).toContainText(/Predicted to be skipped\s*1/);
  await w.next('reviewed contacts.csv');
  await expect(w.grid).toBeVisible();
  await w.next('reviewed accounts.csv');
  await expect(page.getByRole('alert').filter({ hasText: 'Users cannot be sent' })).toHaveCount(0);
  await w.startImport();
  await expect(page.getByRole('region', { name: 'Contacts results' })).toContainText('Added: 2 · Updated: 0 · Skipped: 1 · Held back: 0', { timeout: 60_000 });

  const owners = new Map((await listRecords(request, 'Contacts', ['Email', 'Owner', 'Account_Name'])).map((r) => [String(r.Email), r]));
  expect(lookupId(owners.get(email(0))?.Owner)).toBe(active[0].id);
  expect(lookupId(owners.get(email(1))?.Owner)).toBe(active[1].id);
  const accountIds = new Map((await mmAccounts(request)).map((r) => [String(r.Account_Name), r.id]));
  expect(lookupId(owners.get(email(0))?.Account_Name)).toBe(accountIds.get(accountName(0)));
});
