// GET /crm/{v2…v8}/users?type&page&per_page&ids and GET /crm/{v2…v8}/users/{id} (docs/org-apis.md §2.1): the org's
// seeded users, paged (per_page ≤ 200), filtered by type; 204 with no body when nothing matches.
import type { Context, Hono } from 'hono';
import { usersQuery, type UserType, type UsersResponseOut, type ZohoUserOut } from '../../src/api/contract/users.ts';
import { DIGITS } from '../../src/api/contract/common.ts';
import type { Emulator } from '../context.ts';
import { ZohoError } from '../errors.ts';
import { jsonWithNumericIds } from '../quirks.ts';

/** Which users a `type` selects. The emulator's users are all confirmed; none is deleted, a developer or lite. */
function selects(type: UserType, u: ZohoUserOut, currentId: string): boolean {
  const active = u.status === 'active';
  const admin = u.profile.name === 'Administrator';
  switch (type) {
    case 'AllUsers':
    case 'ConfirmedUsers':
    case 'ActiveAndDeactive':
      return true;
    case 'ActiveUsers':
    case 'AllActiveUsers':
    case 'ActiveConfirmedUsers':
      return active;
    case 'DeactiveUsers':
      return u.status === 'inactive';
    case 'AdminUsers':
      return admin;
    case 'ActiveConfirmedAdmins':
      return admin && active;
    case 'CurrentUser':
      return u.id === currentId;
    // Role hierarchy and the remaining kinds have no members in the emulated org.
    default:
      return false;
  }
}

const noContent = (c: Context): Response => c.body(null, 204);

export function registerUsers(app: Hono, emu: Emulator): void {
  app.get('/crm/:version{v[2-8]}/users', (c) => {
    const parsed = usersQuery.safeParse(c.req.query());
    if (!parsed.success) {
      const i = parsed.error.issues[0]!;
      const param = String(i.path[0] ?? 'type');
      throw new ZohoError(400, 'INVALID_DATA', `The parameter ${param} is not valid: ${i.message}.`, { param_name: param });
    }
    const q = parsed.data;
    const type = q.type ?? 'AllUsers';
    const current = emu.user().id;
    const ids = q.ids ? new Set(q.ids) : null;
    const all = emu.users.all().filter((u) => selects(type, u, current) && (ids === null || ids.has(u.id)));
    const page = all.slice((q.page - 1) * q.per_page, q.page * q.per_page);
    if (page.length === 0) return noContent(c);
    const body: UsersResponseOut = {
      users: page,
      info: { per_page: q.per_page, count: page.length, page: q.page, more_records: q.page * q.per_page < all.length },
    };
    // Quirks mode: ids as bare JSON numbers, as Zoho's int64 schema allows.
    if (emu.hooks.quirks) return jsonWithNumericIds(c, body, 200);
    return c.json(body);
  });
  app.get('/crm/:version{v[2-8]}/users/:id', (c) => {
    const id = c.req.param('id');
    if (!DIGITS.test(id)) throw new ZohoError(400, 'INVALID_DATA', 'The user id must be digits.', { api_name: 'id' });
    const u = emu.users.byId(id);
    // Zoho answers a GET that finds nothing with 204, as for an empty list.
    if (!u) return noContent(c);
    return c.json({ users: [u] });
  });
}
