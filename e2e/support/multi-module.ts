// The related records of the multi-module e2e specs (issue 11): Accounts 10, Contacts 30 that look up accounts by
// name, Deals 15 that look up both — as rows (header first) for CSV files or workbook sheets — and the check that
// every record landed once with every lookup pointing at the id its parent row got.
import { expect, type Page } from '@playwright/test';
import { listRecords, type CrmRecord } from './emulator.ts';
import type { WizardPage } from './wizard.ts';

export const ACCOUNTS = 10;
export const CONTACTS = 30;
export const DEALS = 15;
export const accountName = (i: number) => `MM Account ${i}`;
export const email = (i: number) => `mm.person${i}@multi.example`;

/** `badAccount` gives that account a revenue Zoho refuses (so the row is skipped). */
export function accountRows(badAccount: number | null): string[][] {
  return [
    ['Account_Name', 'Annual_Revenue'],
    ...Array.from({ length: ACCOUNTS }, (_, i) => [accountName(i), i === badAccount ? 'lots' : String(1000 * (i + 1))]),
  ];
}

export function contactRows(): string[][] {
  return [
    ['Last_Name', 'Email', 'Account_Name.Account_Name'],
    ...Array.from({ length: CONTACTS }, (_, i) => [`Person ${i}`, email(i), accountName(i % ACCOUNTS)]),
  ];
}

export function dealRows(): string[][] {
  return [
    ['Deal_Name', 'Stage', 'Account_Name.Account_Name', 'Contact_Name.Email'],
    ...Array.from({ length: DEALS }, (_, i) => [`MM Deal ${i}`, 'Qualification', accountName((i + 1) % ACCOUNTS), email(2 * i)]),
  ];
}

export const lookupId = (v: unknown): string | null => (v !== null && typeof v === 'object' && 'id' in v ? String(v.id) : null);

/** Every record landed once and every lookup points at the id its parent row got. */
export async function expectAllLinked(request: Parameters<typeof listRecords>[0]): Promise<void> {
  const accounts = (await listRecords(request, 'Accounts', ['Account_Name'])).filter((r) => String(r.Account_Name).startsWith('MM Account '));
  expect(accounts).toHaveLength(ACCOUNTS);
  const accountId = new Map(accounts.map((r) => [String(r.Account_Name), r.id]));
  const contacts = (await listRecords(request, 'Contacts', ['Email', 'Account_Name'])).filter((r) => String(r.Email).endsWith('@multi.example'));
  expect(contacts).toHaveLength(CONTACTS);
  const contactId = new Map<string, string>();
  for (const c of contacts) {
    const i = Number(/person(\d+)@/.exec(String(c.Email))?.[1]);
    expect(lookupId(c.Account_Name), `contact ${i}`).toBe(accountId.get(accountName(i % ACCOUNTS)));
    contactId.set(String(c.Email), c.id);
  }
  const deals: CrmRecord[] = (await listRecords(request, 'Deals', ['Deal_Name', 'Account_Name', 'Contact_Name'])).filter((r) =>
    String(r.Deal_Name).startsWith('MM Deal '),
  );
  expect(deals).toHaveLength(DEALS);
  for (const d of deals) {
    const i = Number(String(d.Deal_Name).slice('MM Deal '.length));
    expect(lookupId(d.Account_Name), `deal ${i} account`).toBe(accountId.get(accountName((i + 1) % ACCOUNTS)));
    expect(lookupId(d.Contact_Name), `deal ${i} contact`).toBe(contactId.get(email(2 * i)));
  }
}

const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * On Import: the plan lists the three sources parents first (`sources`: how each is named, e.g. `accounts.csv`) with
 * 1,500 credits for the whole run; Start, then every row of each module is added (none skipped or held back).
 */
export async function startAndExpectAllAdded(page: Page, w: WizardPage, sources: readonly [string, string, string]): Promise<void> {
  const plan = page.getByRole('list', { name: 'Run plan' }).getByRole('listitem');
  await expect(plan).toHaveCount(3);
  await expect(plan.nth(0)).toHaveText(new RegExp(`^Accounts from ${escaped(sources[0])}: 10 rows, 1 job$`));
  await expect(plan.nth(1)).toHaveText(new RegExp(`^Contacts from ${escaped(sources[1])}: 30 rows, 1 job$`));
  await expect(plan.nth(2)).toHaveText(new RegExp(`^Deals from ${escaped(sources[2])}: 15 rows, 1 job$`));
  await expect(page.getByLabel('Credits for the whole run')).toHaveText(/3 jobs × 500 = 1[,.\u00a0\u202f ]?500 credits\.$/);
  await w.startImport();

  for (const [module, added] of [
    ['Accounts', ACCOUNTS],
    ['Contacts', CONTACTS],
    ['Deals', DEALS],
  ] as const) {
    await expect(page.getByRole('region', { name: `${module} results` })).toContainText(`Added: ${added} · Updated: 0 · Skipped: 0 · Held back: 0`, {
      timeout: 60_000,
    });
  }
  await w.rec.step('results');
}
