// The related records of the multi-module e2e specs (issue 11): Accounts 10, Contacts 30 that look up accounts by
// name, Deals 15 that look up both — as rows (header first) for CSV files or workbook sheets — and the check that
// every record landed once with every lookup pointing at the id its parent row got.
import { expect } from '@playwright/test';
import { listRecords, type CrmRecord } from './emulator.ts';

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
