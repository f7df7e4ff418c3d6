// The org's users (docs/org-apis.md §2), seeded once next to the current user and kept as one JSON list in `meta`
// (a handful of rows, read far more often than written). Bulk Write resolves Owner / user-lookup values here.
import type Database from 'better-sqlite3';
import type { ZohoUserOut } from '../../src/api/contract/users.ts';
import type { IdAllocator } from '../ids.ts';
import { SEED_USER, SEED_USERS, type SeedUser } from './seed-metadata.ts';

/** Build the seeded list: the current user (administrator) first, then SEED_USERS. Ids from the allocator. */
export function seedUsers(currentUserId: string, ids: IdAllocator): ZohoUserOut[] {
  const [first, ...rest] = SEED_USER.name.split(' ');
  const current: SeedUser = {
    first_name: first ?? null,
    last_name: rest.join(' '),
    email: SEED_USER.email,
    status: 'active',
    role: 'CEO',
    profile: 'Administrator',
  };
  const roleIds = new Map<string, string>();
  const profileIds = new Map<string, string>();
  const idOf = (m: Map<string, string>, name: string): string => {
    let id = m.get(name);
    if (id === undefined) m.set(name, (id = ids.take()));
    return id;
  };
  return [current, ...SEED_USERS].map((u, i) => {
    const id = i === 0 ? currentUserId : ids.take();
    return {
      id,
      email: u.email,
      full_name: [u.first_name, u.last_name].filter(Boolean).join(' '),
      first_name: u.first_name,
      last_name: u.last_name,
      status: u.status,
      confirm: true,
      role: { id: idOf(roleIds, u.role), name: u.role },
      profile: { id: idOf(profileIds, u.profile), name: u.profile },
      zuid: String(700_000_100 + i),
    };
  });
}

export class UserStore {
  private readonly db: Database.Database;
  private cache: { list: ZohoUserOut[]; byId: Map<string, ZohoUserOut>; byEmail: Map<string, ZohoUserOut> } | null = null;

  constructor(db: Database.Database) {
    this.db = db;
  }

  invalidate(): void {
    this.cache = null;
  }

  private load(): NonNullable<UserStore['cache']> {
    if (this.cache) return this.cache;
    const row = this.db.prepare(`SELECT value FROM meta WHERE key = 'users'`).get() as { value: string } | undefined;
    const list = row ? (JSON.parse(row.value) as ZohoUserOut[]) : [];
    this.cache = {
      list,
      byId: new Map(list.map((u) => [u.id, u])),
      // Zoho treats e-mail addresses case-insensitively; so does the lookup.
      byEmail: new Map(list.map((u) => [u.email.toLowerCase(), u])),
    };
    return this.cache;
  }

  all(): readonly ZohoUserOut[] {
    return this.load().list;
  }

  byId(id: string): ZohoUserOut | null {
    return this.load().byId.get(id) ?? null;
  }

  byEmail(email: string): ZohoUserOut | null {
    return this.load().byEmail.get(email.trim().toLowerCase()) ?? null;
  }
}
