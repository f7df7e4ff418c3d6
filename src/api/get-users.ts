// `GET {api-domain}/crm/v8/users?type=…&page=&per_page=200` (docs/org-apis.md §2): every page of users, as the
// domain's OrgUser. Used by the Map step (owners by e-mail or name) and by the org check. A 204 is an empty page.
import { queryOptions, skipToken } from '@tanstack/react-query';
import type { OrgUser } from '../domain/org-check/types.ts';
import { USERS_MAX_PER_PAGE, usersResponse, type UserType, type ZohoUserRecord } from './contract/users.ts';
import { apiRequest } from './client.ts';
import { connectionKey, type Connection } from './connection.ts';
import { bulkWriteKeys } from './query-keys.ts';

/** Pages read before giving up: 200 × 500 = 100,000 users, far above any CRM org; guards against a server that always says more_records. */
const MAX_PAGES = 500;

export function toOrgUser(u: ZohoUserRecord): OrgUser {
  const name = u.full_name ?? [u.first_name, u.last_name].filter((x) => x !== null && x !== undefined && x !== '').join(' ');
  return { id: u.id, email: (u.email ?? '').trim(), fullName: name.trim(), status: u.status };
}

/**
 * All users of `type` (default AllUsers: the Map step must tell an inactive user from an unknown one, so it reads
 * them all and filters on status itself — docs/org-apis.md §2.1 notes AllUsers also lists deleted users).
 */
export async function fetchUsers(conn: Connection, type: UserType = 'AllUsers', signal?: AbortSignal): Promise<OrgUser[]> {
  const out: OrgUser[] = [];
  const seen = new Set<string>();
  for (let page = 1; page <= MAX_PAGES; page++) {
    const r = await apiRequest(conn, {
      path: '/crm/v8/users',
      query: { type, page: String(page), per_page: String(USERS_MAX_PER_PAGE) },
      schema: usersResponse,
      action: page === 1 ? 'read the users of the organisation' : `read page ${page} of the users`,
      ...(signal ? { signal } : {}),
    });
    for (const u of r.users) {
      // A user seen on an earlier page (the list shifted while paging) is kept once.
      if (seen.has(u.id)) continue;
      seen.add(u.id);
      out.push(toOrgUser(u));
    }
    if (!r.info.more_records || r.users.length === 0) return out;
  }
  return out;
}

/** No connection: nothing is fetched. Cached per connection; the org check reads them afresh. */
export const usersQuery = (conn: Connection | null, type: UserType = 'AllUsers') =>
  queryOptions({
    queryKey: bulkWriteKeys.users(conn ? connectionKey(conn) : 'none', type),
    queryFn: conn ? ({ signal }) => fetchUsers(conn, type, signal) : skipToken,
    staleTime: 60_000,
  });
