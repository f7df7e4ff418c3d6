// Issue 5: the whole wizard against the emulator in Zoho quirks mode (upload file_id and job id as bare 19-digit
// numbers, `IN PROGRESS`, a relative download_url, v2 string module, RESOURCE_NOT_FOUND as 400). The seed case
// must end exactly as in the default mode, proving the client tolerates Zoho's other documented forms.
import { test, expect, type Response } from '@playwright/test';
import { AUTH, byEmail, listRecords, resetEmulator } from './support/emulator.ts';
import { recordSteps } from './support/steps.ts';
import { WizardPage } from './support/wizard.ts';
import { csvFile, SEED_CONTACTS } from './fixtures/csv.ts';

test.beforeEach(async ({ request }) => {
  await resetEmulator(request);
  const res = await request.post('/__emulator/admin/quirks', { data: { on: true }, headers: AUTH });
  expect(res.status(), await res.text()).toBe(200);
});

test.afterEach(async ({ request }) => {
  const res = await request.post('/__emulator/admin/quirks', { data: { on: false }, headers: AUTH });
  expect(res.status(), await res.text()).toBe(200);
});

test('seed case with Zoho quirks on: Added 6, Skipped 1, records landed, quirky answers were really served', async ({ page, request }, testInfo) => {
  const bodies: { url: string; status: number; text: string }[] = [];
  const pending: Promise<void>[] = [];
  page.on('response', (r: Response) => {
    const url = new URL(r.url());
    if (!/^\/crm\/(v8\/upload|bulk\/v8\/write)/.test(url.pathname) || url.pathname.endsWith('/result')) return;
    pending.push(
      r.text().then(
        (text) => void bodies.push({ url: url.pathname, status: r.status(), text }),
        () => undefined,
      ),
    );
  });

  const w = new WizardPage(page, recordSteps(page, testInfo));
  await w.open();
  await w.toImportPlan({ module: 'Contacts', operation: 'Insert' }, csvFile('contacts.csv', SEED_CONTACTS), 7);
  await w.startImport();
  await w.expectOutcome({ added: 6, skipped: 1 });
  const skipped = page.getByRole('row').filter({ hasText: 'Mathison' });
  await expect(skipped).toHaveCount(1);
  await expect(page.getByRole('main')).toContainText(/Line 6\b[^.]*(must be unique|duplicate|already)/i);
  await w.rec.step('quirks: outcome and skipped row');

  await Promise.all(pending);
  const upload = bodies.find((b) => b.url === '/crm/v8/upload');
  expect(upload?.text).toMatch(/"file_id":\d{19},/);
  const created = bodies.find((b) => b.url === '/crm/bulk/v8/write');
  expect(created?.text).toMatch(/"id":\d{19},/);
  const details = bodies.filter((b) => /^\/crm\/bulk\/v8\/write\/\d+$/.test(b.url));
  expect(details.length).toBeGreaterThan(0);
  const last = details.at(-1)!.text;
  expect(last).toContain('"module":"Contacts"');
  expect(last).toMatch(/"download_url":"\/crm\/bulk\/v8\/write\/\d{19}\/result"/);

  const records = await listRecords(request, 'Contacts', ['First_Name', 'Last_Name', 'Email', 'Phone']);
  expect(records).toHaveLength(2 + 6);
  const emails = byEmail(records);
  for (const [first, last2, email] of SEED_CONTACTS.slice(1)) {
    if (last2 === 'Mathison') continue;
    expect(emails.get(email!), email).toMatchObject({ First_Name: first, Last_Name: last2, Email: email });
  }
});
