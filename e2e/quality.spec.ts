// Items 9–11: axe on every step of a full import, a keyboard-only import, and hostile markup in the file.
import { test, expect } from '@playwright/test';
import { byEmail, E2E_TOKEN, listRecords, resetEmulator } from './support/emulator.ts';
import { expectVisibleFocus, focusedName, tabTo } from './support/keyboard.ts';
import { recordSteps } from './support/steps.ts';
import { WizardPage } from './support/wizard.ts';
import { csvFile, SEED_CONTACTS, XSS_CELLS, XSS_HEADER, xssContacts } from './fixtures/csv.ts';

test.beforeEach(async ({ request }) => {
  await resetEmulator(request);
});

test('9. accessibility: no serious or critical axe violations on any step, the grid included', async ({ page, request }, testInfo) => {
  const rec = recordSteps(page, testInfo);
  const w = new WizardPage(page, rec);
  await w.open();
  await rec.step('start');
  // Visit the Update variant of the destination form too (the "Match records by" select), then insert.
  await page.getByRole('radio', { name: 'Update', exact: true }).check({ force: true });
  await expect(page.getByLabel('Match records by')).toBeVisible();
  await rec.step('destination with match field');
  await w.chooseDestination({ module: 'Contacts', operation: 'Insert' });
  await w.upload(csvFile('contacts.csv', SEED_CONTACTS), 7);
  await w.next('map columns');
  await w.next('review');
  // The grid with a focused cell and its issue/tooltip state is scanned too.
  await w.grid.getByRole('gridcell').first().click();
  await page.keyboard.press('ArrowRight');
  await rec.step('review grid focused');
  await w.next('import plan');
  await w.startImport();
  await w.expectOutcome({ added: 6, skipped: 1 });
  expect(await listRecords(request, 'Contacts', ['Email'])).toHaveLength(2 + 6);
  await page.getByRole('button', { name: 'History' }).click();
  await rec.step('history');
  await testInfo.attach('axe-findings.txt', { body: rec.findings.join('\n') || 'none', contentType: 'text/plain' });
});

test('10. keyboard only: a small import from start to results without the mouse', async ({ page, request }, testInfo) => {
  const rec = recordSteps(page, testInfo);
  const w = new WizardPage(page, rec);
  await w.open();
  await page.keyboard.press('Tab');

  await tabTo(page, /^Module/);
  await expectVisibleFocus(page);
  await page.keyboard.type('Contacts');
  await expect(page.getByLabel('Module', { exact: true })).toHaveValue(/Contacts/);
  await tabTo(page, /^Insert/);
  await expect(page.getByRole('radio', { name: 'Insert', exact: true })).toBeChecked();
  await rec.step('destination by keyboard');
  await tabTo(page, /^Next$/);
  await page.keyboard.press('Enter');

  await tabTo(page, /^CSV file$/);
  await expectVisibleFocus(page);
  const chooser = page.waitForEvent('filechooser');
  await page.keyboard.press('Space');
  const file = csvFile('keyboard.csv', [
    ['First_Name', 'Last_Name', 'Email'],
    ['Key', 'Board', 'key.board@example.com'],
    ['Tab', 'Stop', 'tab.stop@example.com'],
  ]);
  await (await chooser).setFiles({ name: file.name, mimeType: file.mimeType, buffer: file.buffer });
  await expect(page.getByLabel('File summary')).toBeVisible({ timeout: 30_000 });
  await rec.step('upload by keyboard');
  await tabTo(page, /^Next$/);
  await page.keyboard.press('Enter');
  await rec.step('map by keyboard');
  await tabTo(page, /^Next$/);
  await page.keyboard.press('Enter');

  // Review: walk into the grid and move between cells with the arrows.
  await expect(w.grid).toBeVisible();
  for (let i = 0; i < 80; i++) {
    const inGrid = await page.evaluate(() => document.activeElement?.closest('[role="grid"]') !== null);
    if (inGrid) break;
    await page.keyboard.press('Tab');
  }
  const before = await focusedName(page);
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowRight');
  expect(await page.evaluate(() => document.activeElement?.closest('[role="grid"]') !== null)).toBe(true);
  expect(await focusedName(page)).not.toBe(before);
  await expectVisibleFocus(page);
  // Edit a cell with the keyboard only: Ctrl+Home, to "Board" (row 1, Last_Name), F2, retype, Enter.
  await page.keyboard.press('Control+Home');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await expect(page.locator(':focus')).toHaveText('Board');
  await page.keyboard.press('F2');
  await page.keyboard.press('Control+A');
  await page.keyboard.type('Boardman');
  await page.keyboard.press('Enter');
  await expect(page.locator(':focus')).toHaveText('Boardman');
  await rec.step('review grid by keyboard');
  await tabTo(page, /^Next$/);
  await page.keyboard.press('Enter');

  await tabTo(page, /^Start import$/);
  await rec.step('plan by keyboard');
  await page.keyboard.press('Enter');
  await w.expectOutcome({ added: 2, skipped: 0 });

  const emails = byEmail(await listRecords(request, 'Contacts', ['Email', 'Last_Name']));
  expect(emails.get('key.board@example.com')).toMatchObject({ Last_Name: 'Boardman' });
  expect(emails.get('tab.stop@example.com')).toMatchObject({ Last_Name: 'Stop' });
});

test('11. security: script/img markup in headers and cells is shown as text, nothing runs, nothing is left in storage', async ({ page, request }, testInfo) => {
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  // S7: the page is served with a strict CSP and nothing the app does (or the file holds) violates it.
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __cspViolations: string[] }).__cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  const refused: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) refused.push(m.text());
  });
  const rec = recordSteps(page, testInfo);
  const w = new WizardPage(page, rec);
  const response = await page.goto('/');
  const csp = response?.headers()['content-security-policy'] ?? '';
  expect(csp).toMatch(/script-src[^;]*'self'/);
  expect(csp).not.toMatch(/script-src[^;]*'unsafe-(inline|eval)'/);
  await w.open();
  const scriptsBefore = await page.locator('script').count();
  await w.chooseDestination({ module: 'Contacts', operation: 'Insert' });
  await w.upload(xssContacts(), 2);
  await expect(page.getByRole('main')).toContainText('<script>alert("name")</script>.csv');
  await w.next('map columns');
  await expect(page.getByRole('main')).toContainText(XSS_HEADER);
  await w.next('review');
  await expect(w.grid).toContainText(XSS_CELLS[0]!);
  await expect(w.grid).toContainText(XSS_CELLS[2]!);
  await w.rec.step('markup shown as text');
  await w.next('import plan');
  await w.startImport();
  await w.expectOutcome({ added: 2, skipped: 0 });

  expect(dialogs).toEqual([]);
  expect(await page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations)).toEqual([]);
  expect(refused).toEqual([]);
  expect(await page.locator('script').count()).toBe(scriptsBefore);
  expect(await page.locator('img[onerror], svg[onload], [onload], [onerror]').count()).toBe(0);

  // The cells reached the CRM byte for byte.
  const emails = byEmail(await listRecords(request, 'Contacts', ['First_Name', 'Last_Name', 'Email']));
  expect(emails.get('xss.one@example.com')).toMatchObject({ First_Name: XSS_CELLS[0] });
  expect(emails.get('xss.two@example.com')).toMatchObject({ Last_Name: XSS_CELLS[2] });

  // S1 / S9: no token and no row data persisted in the browser.
  const stored = await page.evaluate(async () => {
    const dump: string[] = [];
    for (const store of [localStorage, sessionStorage]) {
      for (let i = 0; i < store.length; i++) {
        const key = store.key(i) ?? '';
        dump.push(`${key}=${store.getItem(key) ?? ''}`);
      }
    }
    const dbs = await indexedDB.databases();
    for (const info of dbs) {
      if (!info.name) continue;
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const req = indexedDB.open(info.name!);
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(new Error(String(req.error)));
      });
      for (const name of Array.from(db.objectStoreNames)) {
        const all = await new Promise<unknown[]>((resolve, reject) => {
          const req = db.transaction(name, 'readonly').objectStore(name).getAll();
          req.onsuccess = () => resolve(req.result as unknown[]);
          req.onerror = () => reject(new Error(String(req.error)));
        });
        dump.push(`${info.name}/${name}=${JSON.stringify(all)}`);
      }
      db.close();
    }
    return dump.join('\n');
  });
  await testInfo.attach('browser-storage.txt', { body: stored || '(empty)', contentType: 'text/plain' });
  for (const secret of [E2E_TOKEN, 'xss.one@example.com', 'xss.two@example.com', XSS_CELLS[0]!, 'Scriptsson', XSS_CELLS[2]!]) {
    expect(stored, `browser storage must not hold ${secret}`).not.toContain(secret);
  }
});

test.describe('laptop viewport', () => {
  test.use({ viewport: { width: 1280, height: 720 } });

  test('1280×720: no step scrolls the page sideways; the grid scrolls inside itself', async ({ page, request }, testInfo) => {
    const rec = recordSteps(page, testInfo);
    const w = new WizardPage(page, rec);
    const noSideways = async (where: string) => {
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, `${where}: page is ${overflow}px wider than the viewport`).toBeLessThanOrEqual(0);
    };
    await w.open();
    await noSideways('destination');
    await w.chooseDestination({ module: 'Contacts', operation: 'Insert' });
    const wide: string[][] = [Array.from({ length: 30 }, (_, i) => (i === 0 ? 'Last_Name' : i === 1 ? 'Email' : `Extra column ${i}`))];
    for (let r = 1; r <= 40; r++) wide.push(wide[0]!.map((h, i) => (i === 0 ? `Wide ${r}` : i === 1 ? `wide.${r}@example.com` : `${h} value ${r}`)));
    await w.upload(csvFile('wide.csv', wide), 40);
    await noSideways('upload');
    await w.next('map columns');
    await noSideways('map columns');
    await w.next('review');
    await noSideways('review');
    const scroller = await w.grid.evaluate((g) => {
      const s = g.parentElement as HTMLElement;
      return { scrollWidth: s.scrollWidth, clientWidth: s.clientWidth };
    });
    expect(scroller.scrollWidth).toBeGreaterThan(scroller.clientWidth);
    // End goes to the row's last column, scrolling right; Home back to its start shows the first columns again, as in
    // a spreadsheet (the sticky leading cell was always in view, so the scroll used to stay at the far right).
    const scrollLeft = () => w.grid.evaluate((g) => (g.parentElement as HTMLElement).scrollLeft);
    await w.grid.getByRole('gridcell', { name: 'Wide 1', exact: true }).click();
    await page.keyboard.press('End');
    await expect.poll(scrollLeft).toBeGreaterThan(0);
    await page.keyboard.press('Home');
    await expect(page.locator(':focus')).toHaveAccessibleName('Include row 2');
    await expect.poll(scrollLeft).toBe(0);
    await w.next('import plan');
    await w.startImport();
    await w.expectOutcome({ added: 40, skipped: 0 });
    await noSideways('results');
    expect((await listRecords(request, 'Contacts', ['Email'])).length).toBe(2 + 40);
  });
});
