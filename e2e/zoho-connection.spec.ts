// Issue 5: the wizard connected to "Zoho CRM" (EU) instead of the built-in emulator. Zoho's accounts server and
// API hosts are stood in for by the e2e server (e2e/support/zoho-stand-in.ts), so the real client code runs its
// real paths: popup sign-in with `state`, direct CORS calls, the automatic /zoho-proxy fallback, expiry and
// re-sign-in — and every request is recorded to prove the token only ever travels in Authorization headers.
import { test, expect, type Page } from '@playwright/test';
import { ZOHO_CANARY_TOKEN } from './support/e2e-env.ts';
import { byEmail, dropCreateResponses, listJobs, listRecords, resetEmulator } from './support/emulator.ts';
import { recordSteps } from './support/steps.ts';
import { WizardPage } from './support/wizard.ts';
import {
  answerZohoHostsDirectly,
  CLIENT_ID,
  expectTokenOnlyInAuthorization,
  fakeZohoAccounts,
  recordConsole,
  recordRequests,
  requestLogLines,
} from './support/zoho-stand-in.ts';
import { csvFile, SEED_CONTACTS } from './fixtures/csv.ts';

test.beforeEach(async ({ request }) => {
  await resetEmulator(request);
});

/** The seed file's distinctive cell values (emails and long names) — canaries for the log checks (S4). */
const SEED_CELLS = SEED_CONTACTS.slice(1).flatMap((r) => r.filter((c) => c.includes('@') || c.length >= 7));

async function chooseZoho(page: Page): Promise<void> {
  await page.goto('/');
  await expect(page.getByText('Built-in emulator', { exact: true }).first()).toBeVisible();
  await page.getByRole('radio', { name: 'Zoho CRM', exact: true }).check({ force: true });
  await page.getByLabel('Data centre', { exact: true }).selectOption('EU');
}

/** Sign in through the popup; returns once the popup has handed over the answer and closed. */
async function signInWithPopup(page: Page): Promise<void> {
  await page.getByRole('radio', { name: 'Sign in with Zoho', exact: true }).check({ force: true });
  await page.getByLabel('Client ID', { exact: true }).fill(CLIENT_ID);
  const popup = page.waitForEvent('popup');
  await page.getByRole('button', { name: 'Sign in with Zoho', exact: true }).click();
  const win = await popup;
  if (!win.isClosed()) await win.waitForEvent('close');
}

async function expectConnected(page: Page): Promise<void> {
  const panel = page.getByTestId('zoho-connected');
  await expect(panel).toContainText('Zylker Emulated');
  await expect(panel).toContainText('https://www.zohoapis.eu');
  await expect(page.getByLabel('Module', { exact: true }).locator('option', { hasText: 'Contacts' })).toHaveCount(1);
}

/** Step 1 from a fresh page: Zoho CRM (EU), signed in through the popup, modules loaded. */
async function connectWithPopup(page: Page): Promise<void> {
  await chooseZoho(page);
  await signInWithPopup(page);
  await expectConnected(page);
}

async function importSeed(w: WizardPage): Promise<void> {
  await w.toImportPlan({ module: 'Contacts', operation: 'Insert' }, csvFile('contacts.csv', SEED_CONTACTS), 7);
  await w.startImport();
  await w.expectOutcome({ added: 6, skipped: 1 });
}

async function expectSeedLanded(request: Parameters<typeof listRecords>[0]): Promise<void> {
  const records = await listRecords(request, 'Contacts', ['First_Name', 'Last_Name', 'Email']);
  expect(records).toHaveLength(2 + 6);
  const emails = byEmail(records);
  for (const [first, last, email] of SEED_CONTACTS.slice(1)) {
    if (last === 'Mathison') continue;
    expect(emails.get(email!), email).toMatchObject({ First_Name: first, Last_Name: last, Email: email });
  }
}

test('Zoho CRM via popup sign-in and direct calls: seed case lands, token only in Authorization to Zoho hosts', async ({
  page,
  context,
  request,
}, testInfo) => {
  const requests = recordRequests(context);
  const consoleLines = recordConsole(context);
  const accounts = await fakeZohoAccounts(context, [{ token: ZOHO_CANARY_TOKEN, expiresIn: 3600 }]);
  await answerZohoHostsDirectly(context);
  const w = new WizardPage(page, recordSteps(page, testInfo));

  await chooseZoho(page);
  await w.rec.step('zoho chosen');
  await signInWithPopup(page);
  await expectConnected(page);
  await expect(page.getByTestId('zoho-connected')).toContainText('Direct from this browser to Zoho');
  await expect(page.getByTestId('zoho-connected')).toContainText(/expires in (59|60) min/);
  await expect(page.getByRole('banner')).toContainText('Zoho CRM · Zylker Emulated');
  expect(page.url()).not.toContain('access_token');
  await w.rec.step('signed in');

  // What the app asked Zoho for: the implicit flow with every scope, its own redirect URI and a fresh state.
  expect(accounts.calls).toHaveLength(1);
  const ask = accounts.calls[0]!;
  expect(ask.searchParams.get('response_type')).toBe('token');
  expect(ask.searchParams.get('client_id')).toBe(CLIENT_ID);
  expect(ask.searchParams.get('redirect_uri')).toBe(`${new URL(page.url()).origin}/`);
  expect(ask.searchParams.get('scope')?.split(',')).toEqual(
    expect.arrayContaining(['ZohoCRM.bulk.ALL', 'ZohoCRM.bulk.READ', 'ZohoCRM.users.READ', 'ZohoFiles.files.ALL', 'ZohoCRM.org.READ']),
  );
  expect(ask.searchParams.get('state')).toMatch(/^popup\.[0-9a-f-]{36}$/);

  await importSeed(w);
  await expectSeedLanded(request);

  const seen = await requests.settled();
  const zohoCalls = seen.filter(
    (r) =>
      r.url.startsWith('https://www.zohoapis.eu/') || r.url.startsWith('https://content.zohoapis.eu/') || r.url.startsWith('https://download-accl.zoho.eu/'),
  );
  expect(zohoCalls.some((r) => r.url === 'https://www.zohoapis.eu/crm/v8/org')).toBe(true);
  expect(zohoCalls.some((r) => r.url === 'https://content.zohoapis.eu/crm/v8/upload' && r.headers['x-crm-org'] !== undefined)).toBe(true);
  expect(zohoCalls.some((r) => r.url === 'https://www.zohoapis.eu/crm/bulk/v8/write' && r.method === 'POST')).toBe(true);
  expect(zohoCalls.some((r) => /^https:\/\/download-accl\.zoho\.eu\/crm\/bulk\/v8\/write\/\d+\/result$/.test(r.url))).toBe(true);
  // With CORS answered, Zoho calls are direct: nothing went through the proxy, and the Zoho token never went to the
  // emulator's own API (which the page used, with the emulator's token, before Zoho was chosen).
  const own = new URL(page.url()).origin;
  expect(seen.filter((r) => r.url.startsWith(`${own}/zoho-proxy/`)).map((r) => r.url)).toEqual([]);
  expect(seen.filter((r) => r.url.startsWith(`${own}/crm/`) && (r.headers['authorization'] ?? '').includes(ZOHO_CANARY_TOKEN)).map((r) => r.url)).toEqual([]);
  const { withToken } = await expectTokenOnlyInAuthorization({
    token: ZOHO_CANARY_TOKEN,
    requests: seen,
    consoleLines,
    pages: context.pages(),
    context,
    cells: SEED_CELLS,
  });
  expect(withToken).toBeGreaterThanOrEqual(zohoCalls.filter((r) => r.method !== 'OPTIONS').length);
});

test('direct calls cannot get through: automatic, explained fallback to /zoho-proxy; pasted token; import completes', async ({
  page,
  context,
  request,
}, testInfo) => {
  const requests = recordRequests(context);
  const consoleLines = recordConsole(context);
  // No route for Zoho's API hosts: Chromium cannot reach them (as with a CORS refusal or a blocked network).
  const w = new WizardPage(page, recordSteps(page, testInfo));

  await chooseZoho(page);
  await page.getByRole('radio', { name: 'Paste an access token', exact: true }).check({ force: true });
  await page.getByLabel('Access token', { exact: true }).fill(`Zoho-oauthtoken ${ZOHO_CANARY_TOKEN}`);
  await page.getByRole('button', { name: 'Connect with this token', exact: true }).click();
  await expectConnected(page);
  const panel = page.getByTestId('zoho-connected');
  await expect(panel).toContainText('Through this app’s server (/zoho-proxy)');
  await expect(panel).toContainText(/could not call www\.zohoapis\.eu directly/);
  await expect(panel).toContainText('never stores or logs the token');
  await expect(panel).toContainText('expiry unknown');
  await expect(page.getByLabel('Access token', { exact: true })).toHaveCount(0);
  await w.rec.step('connected through the proxy');

  await importSeed(w);
  await expectSeedLanded(request);

  const seen = await requests.settled();
  const proxied = seen.map((r) => new URL(r.url)).filter((u) => u.pathname.startsWith('/zoho-proxy/'));
  expect(proxied.some((u) => u.pathname === '/zoho-proxy/www.zohoapis.eu/crm/v8/org')).toBe(true);
  expect(proxied.some((u) => u.pathname === '/zoho-proxy/content.zohoapis.eu/crm/v8/upload')).toBe(true);
  expect(proxied.some((u) => /^\/zoho-proxy\/download-accl\.zoho\.eu\/crm\/bulk\/v8\/write\/\d+\/result$/.test(u.pathname))).toBe(true);
  // The direct attempt happened once, then everything went through the proxy.
  expect(seen.filter((r) => r.url.startsWith('https://')).map((r) => r.url)).toEqual(['https://www.zohoapis.eu/crm/v8/org']);
  expect(requestLogLines().some((l) => / POST \/zoho-proxy\/www\.zohoapis\.eu\/crm\/bulk\/v8\/write 201 /.test(l))).toBe(true);
  await expectTokenOnlyInAuthorization({ token: ZOHO_CANARY_TOKEN, requests: seen, consoleLines, pages: context.pages(), context, cells: SEED_CELLS });
});

test('the token expires mid-wizard: sign in again in the popup, nothing is lost, the import completes', async ({ page, context, request }, testInfo) => {
  const requests = recordRequests(context);
  const consoleLines = recordConsole(context);
  const accounts = await fakeZohoAccounts(context, [
    { token: ZOHO_CANARY_TOKEN, expiresIn: 15 },
    { token: ZOHO_CANARY_TOKEN, expiresIn: 3600 },
  ]);
  await answerZohoHostsDirectly(context);
  const w = new WizardPage(page, recordSteps(page, testInfo));

  await connectWithPopup(page);
  // A short-lived token is flagged at once, before any call fails.
  await expect(page.getByRole('status').filter({ hasText: /Your Zoho sign-in expires in/ })).toBeVisible();
  await w.chooseDestination({ module: 'Contacts', operation: 'Insert' });
  await w.upload(csvFile('contacts.csv', SEED_CONTACTS), 7);
  await w.next('map columns');
  const ended = page.getByRole('alert').filter({ hasText: 'Your Zoho sign-in has ended' });
  await expect(ended).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole('banner')).toContainText('token expired');
  await w.rec.step('sign-in ended on the map step');

  const popup = page.waitForEvent('popup');
  await ended.getByRole('button', { name: 'Sign in again' }).click();
  const win = await popup;
  if (!win.isClosed()) await win.waitForEvent('close');
  await expect(ended).toHaveCount(0);
  expect(accounts.calls).toHaveLength(2);
  // Still on the map step with the same file and mapping.
  await expect(page.getByRole('heading', { name: 'Map columns to fields' })).toBeVisible();
  await w.rec.step('signed in again, same step');

  await w.next('review');
  await w.next('import plan');
  await w.startImport();
  await w.expectOutcome({ added: 6, skipped: 1 });
  await expectSeedLanded(request);
  await expectTokenOnlyInAuthorization({ token: ZOHO_CANARY_TOKEN, requests: await requests.settled(), consoleLines, pages: context.pages(), context });
});

test('forged sign-in answers are refused and scrubbed; a wrong pasted token is explained', async ({ page, context }, testInfo) => {
  const rec = recordSteps(page, testInfo);
  // 1. A link carrying a token but no state this tab asked for (e.g. planted by another site).
  await page.goto(`/#access_token=${ZOHO_CANARY_TOKEN}&expires_in=3600&state=forged`);
  await expect(page.getByRole('alert').filter({ hasText: 'state mismatch' })).toBeVisible();
  expect(page.url()).not.toContain('access_token');
  await expect(page.getByRole('banner')).toContainText('Zoho CRM · not signed in');
  await rec.step('forged link refused');

  // 2. A popup answer whose state does not match the request.
  await fakeZohoAccounts(context, [{ token: ZOHO_CANARY_TOKEN, expiresIn: 3600, tamperState: true }]);
  await answerZohoHostsDirectly(context);
  await page.getByLabel('Data centre', { exact: true }).selectOption('EU');
  await signInWithPopup(page);
  await expect(page.getByRole('alert').filter({ hasText: 'state mismatch' })).toBeVisible();
  await expect(page.getByTestId('zoho-connected')).toHaveCount(0);

  // 3. A pasted token Zoho does not accept.
  await page.getByRole('radio', { name: 'Paste an access token', exact: true }).check({ force: true });
  await page.getByLabel('Access token', { exact: true }).fill('1000.not-a-valid-token');
  await page.getByRole('button', { name: 'Connect with this token', exact: true }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Zoho did not accept the token (INVALID_TOKEN)' })).toBeVisible();
  await expect(page.getByTestId('zoho-connected')).toHaveCount(0);
  await rec.step('wrong token explained');
});

test('pop-ups blocked: sign in in the same tab instead; the answer is checked, scrubbed and nothing is kept', async ({ page, context }, testInfo) => {
  const requests = recordRequests(context);
  const consoleLines = recordConsole(context);
  const rec = recordSteps(page, testInfo);
  // A pop-up blocker: window.open gives nothing back.
  await page.addInitScript(() => {
    window.open = () => null;
  });
  await fakeZohoAccounts(context, [{ token: ZOHO_CANARY_TOKEN, expiresIn: 3600 }]);
  await answerZohoHostsDirectly(context);
  await chooseZoho(page);
  await page.getByLabel('Client ID', { exact: true }).fill(CLIENT_ID);
  await page.getByRole('button', { name: 'Sign in with Zoho', exact: true }).click();
  const blocked = page.getByRole('status').filter({ hasText: 'The browser blocked the sign-in window' });
  await expect(blocked).toBeVisible();
  await rec.step('pop-up blocked');
  await blocked.getByRole('button', { name: 'Sign in in this tab' }).click();
  await expectConnected(page);
  expect(page.url()).not.toContain('access_token');
  expect(await page.evaluate(() => sessionStorage.getItem('zoho-bulk-import.sign-in.v1'))).toBeNull();
  // The client id and data centre are remembered (not secrets); the token is not.
  expect(await page.evaluate(() => localStorage.getItem('zoho-bulk-import.zoho-client.v1'))).toBe(JSON.stringify({ clientId: CLIENT_ID, dc: 'EU' }));
  await rec.step('signed in in this tab');
  await expectTokenOnlyInAuthorization({ token: ZOHO_CANARY_TOKEN, requests: await requests.settled(), consoleLines, pages: context.pages(), context });
});

test('42 with Zoho: a create-job answer lost in transit is not re-sent; the admin is told to check the CRM', async ({ page, context, request }, testInfo) => {
  await fakeZohoAccounts(context, [{ token: ZOHO_CANARY_TOKEN, expiresIn: 3600 }]);
  await answerZohoHostsDirectly(context);
  const w = new WizardPage(page, recordSteps(page, testInfo));
  await connectWithPopup(page);
  await w.toImportPlan({ module: 'Contacts', operation: 'Insert' }, csvFile('contacts.csv', SEED_CONTACTS), 7);
  await dropCreateResponses(request, 1);
  await w.startImport();
  await expect(page.getByRole('main')).toContainText('may or may not have been created, so it was not sent again', { timeout: 60_000 });
  await w.rec.step('ambiguous create explained');
  // Zoho has no Idempotency-Key: exactly the one job the lost request made exists — nothing was sent twice.
  await expect.poll(async () => (await listJobs(request)).length).toBe(1);
  await page.waitForTimeout(2_000);
  expect(await listJobs(request)).toHaveLength(1);
});

test('after a reload the Zoho token is gone: History keeps the import, opening it asks to connect, signing in again shows Zoho’s counts', async ({
  page,
  context,
}, testInfo) => {
  await fakeZohoAccounts(context, [
    { token: ZOHO_CANARY_TOKEN, expiresIn: 3600 },
    { token: ZOHO_CANARY_TOKEN, expiresIn: 3600 },
  ]);
  await answerZohoHostsDirectly(context);
  const w = new WizardPage(page, recordSteps(page, testInfo));
  await connectWithPopup(page);
  await importSeed(w);

  // Reload: memory is gone, so is the token. Nothing is asked of Zoho until the admin signs in again.
  const afterReload = recordRequests(context);
  await page.reload();
  await expect(page.getByRole('banner')).toContainText('Built-in emulator');
  await page.getByRole('button', { name: 'History', exact: true }).click();
  const open = page.getByRole('button', { name: /^Open the import started .* into Contacts$/ });
  await expect(open).toHaveCount(1);
  await open.click();
  const elsewhere = page.getByRole('status').filter({ hasText: 'This import was sent to Zoho CRM at https://www.zohoapis.eu' });
  await expect(elsewhere).toBeVisible();
  await w.rec.step('zoho run opened while on the emulator');
  expect((await afterReload.settled()).filter((r) => r.url.includes('zohoapis') || r.url.includes('/zoho-proxy/'))).toEqual([]);

  // Sign in again (step 1), then open the import: its counts come from Zoho's job details.
  await elsewhere.getByRole('button', { name: 'Start a new import' }).click();
  await page.getByRole('radio', { name: 'Zoho CRM', exact: true }).check({ force: true });
  await page.getByLabel('Data centre', { exact: true }).selectOption('EU');
  await signInWithPopup(page);
  await expectConnected(page);
  await page.getByRole('button', { name: 'History', exact: true }).click();
  await open.click();
  await w.expectOutcome({ added: 6, skipped: 1 });
  await expect(page.getByRole('main')).toContainText('This tab no longer holds the uploaded rows');
});
