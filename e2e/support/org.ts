// The org an org-check test starts from, set up and read back through the emulator's Zoho-shaped APIs (records,
// users), and the page-object steps of Review's "Check against the org", driven by accessible names only.
import { expect } from '@playwright/test';
import type { APIRequestContext, Locator, Page } from '@playwright/test';
import { E2E_TOKEN } from './emulator.ts';
import { countText } from './wizard.ts';

const AUTH = { Authorization: `Zoho-oauthtoken ${E2E_TOKEN}` };

export interface OrgUser {
  id: string;
  email: string;
  full_name: string;
  status: string;
}

/** Every user of the emulated org (all pages of `type=AllUsers`), active and inactive. */
export async function listUsers(request: APIRequestContext): Promise<OrgUser[]> {
  const out: OrgUser[] = [];
  for (let page = 1; ; page++) {
    const res = await request.get('/crm/v8/users', { params: { type: 'AllUsers', page, per_page: 200 }, headers: AUTH });
    if (res.status() === 204) break;
    expect(res.status(), await res.text()).toBe(200);
    const body = (await res.json()) as { users: OrgUser[]; info: { more_records: boolean } };
    out.push(...body.users.map((u) => ({ id: String(u.id), email: u.email, full_name: u.full_name, status: String(u.status).toLowerCase() })));
    if (!body.info.more_records) break;
  }
  return out;
}

/** Two distinct active users and one inactive user of the seeded org (the owner test needs all three kinds). */
export async function seededUsers(request: APIRequestContext): Promise<{ active: [OrgUser, OrgUser]; inactive: OrgUser }> {
  const users = await listUsers(request);
  const active = users.filter((u) => u.status === 'active');
  const inactive = users.find((u) => u.status !== 'active');
  expect(active.length, 'the emulator seeds at least two active users').toBeGreaterThanOrEqual(2);
  expect(inactive, 'the emulator seeds an inactive user').toBeDefined();
  return { active: [active[0]!, active[1]!], inactive: inactive! };
}

/**
 * Bulk Read hooks of the emulator: rows per page (paging becomes testable), how many next jobs end in FAILURE, and
 * how many next result downloads send half their ZIP.
 */
export async function bulkReadHook(request: APIRequestContext, data: { page_size?: number; fail_next?: number; cut_next?: number }): Promise<void> {
  const res = await request.post('/__emulator/admin/bulk-read', { data, headers: AUTH });
  expect(res.status(), await res.text()).toBe(200);
}

/** The Review step's org-check controls. */
export class OrgCheck {
  constructor(readonly page: Page) {}

  get toggle(): Locator {
    return this.page.getByRole('switch', { name: 'Check against the org' });
  }

  get plan(): Locator {
    return this.page.getByRole('group', { name: 'What the check reads' });
  }

  /** Press "Run the check (N credits)" (or "Check again (N credits)") and wait until it has finished. */
  async run(expectCredits: number): Promise<void> {
    await expect(this.toggle).toBeChecked();
    const credits = new Intl.NumberFormat('en-US').format(expectCredits);
    await this.page.getByRole('button', { name: new RegExp(`^(Run the check|Check again) \\(${credits} credits\\)$`) }).click();
    // A finished check that still counts rows edited after it is an earlier one: wait for the fresh one.
    await expect(this.page.getByRole('status').filter({ hasText: /^Checked against the org/, hasNotText: /edited since/ })).toBeVisible({ timeout: 60_000 });
  }

  /** The plain-language list of what the check found, one line per flagged row. */
  get findings(): Locator {
    return this.page.getByRole('list', { name: 'What the org check found' });
  }

  /** "Will add N · will update M · will skip K", wherever it is shown (Review after a check, Import before Start). */
  async expectOutcome(add: number, update: number, skip: number): Promise<void> {
    const line = this.page.getByRole('group', { name: 'Predicted outcome' });
    await expect(line).toContainText(countText('Will add', add));
    await expect(line).toContainText(countText('will update', update));
    await expect(line).toContainText(countText('will skip', skip));
  }
}
