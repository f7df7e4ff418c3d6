// Users API (docs/org-apis.md §2): `GET {api-domain}/crm/{v2…v8}/users?type=…&page=&per_page=&ids=` and
// `GET …/users/{id}`. The query schema is what the emulator validates with; the response schemas are what the
// client parses with and tolerate Zoho's variants: 204 with no body (an empty page), numeric ids, numbers sent as
// strings, `info` missing, statuses in any case, unknown keys kept.
import { z } from 'zod';
import { zohoId } from './common.ts';

/** Users in one page, the maximum and the default `per_page`. */
export const USERS_MAX_PER_PAGE = 200;
/** At most this many ids in `ids=`. */
export const USERS_MAX_IDS = 100;

/** Every `type` Zoho lists (v7 page plus the v8 OpenAPI additions). */
export const USER_TYPES = [
  'AllUsers',
  'ActiveUsers',
  'DeactiveUsers',
  'ConfirmedUsers',
  'NotConfirmedUsers',
  'DeletedUsers',
  'ActiveConfirmedUsers',
  'AdminUsers',
  'ActiveConfirmedAdmins',
  'CurrentUser',
  'DeveloperUsers',
  'AllActiveUsers',
  'ActiveLiteUser',
  'ActiveAndDeactive',
  'ChildRoleUsers',
  'ParentRoleUsers',
  'SubordinateRoleUsers',
  'ConfirmedReportingUsers',
] as const;
export type UserType = (typeof USER_TYPES)[number];

/** Statuses Zoho documents; only `active` users can own records or fill a user lookup. */
export const USER_STATUSES = ['active', 'inactive', 'deleted', 'disabled', 'closed', 'disabled dormant'] as const;

// ---------------------------------------------------------------- request (the emulator validates with this)

export const usersQuery = z.object({
  type: z.enum(USER_TYPES).optional(),
  page: z.coerce.number().int().min(1).default(1),
  per_page: z.coerce.number().int().min(1).max(USERS_MAX_PER_PAGE).default(USERS_MAX_PER_PAGE),
  /** Comma-separated digit ids, at most USERS_MAX_IDS. */
  ids: z
    .string()
    .transform((s) =>
      s
        .split(',')
        .map((x) => x.trim())
        .filter((x) => x !== ''),
    )
    .pipe(z.array(z.string().regex(/^\d+$/, 'Each id must be digits.')).min(1).max(USERS_MAX_IDS))
    .optional(),
});
export type UsersQuery = z.infer<typeof usersQuery>;

// ---------------------------------------------------------------- responses (the client parses with these)

const ref = z.looseObject({ id: zohoId.nullish(), name: z.string().nullish() });
const count = z.union([z.number(), z.string().regex(/^\d+$/).transform(Number)]);

export const zohoUserRecord = z.looseObject({
  id: zohoId,
  email: z.string().nullish(),
  full_name: z.string().nullish(),
  first_name: z.string().nullish(),
  last_name: z.string().nullish(),
  /** Lower-cased: `Active` and `active` read the same. A user whose status is absent is not assumed active. */
  status: z
    .string()
    .nullish()
    .transform((s) => (s ?? '').trim().toLowerCase()),
  confirm: z.boolean().nullish(),
  role: ref.nullish(),
  profile: ref.nullish(),
  zuid: z.union([z.string(), z.number()]).nullish(),
});
export type ZohoUserRecord = z.infer<typeof zohoUserRecord>;

export const usersInfo = z.looseObject({
  per_page: count.nullish(),
  /** Users in THIS page, not a total. */
  count: count.nullish(),
  page: count.nullish(),
  more_records: z
    .union([z.boolean(), z.enum(['true', 'false']).transform((s) => s === 'true')])
    .nullish()
    .transform((b) => b ?? false),
});

const usersBody = z.looseObject({
  users: z
    .array(zohoUserRecord)
    .nullish()
    .transform((u) => u ?? []),
  info: usersInfo.nullish().transform((i) => i ?? { more_records: false }),
});

/**
 * One page of users. A 204 (no body: pass `null`, `undefined` or `''`) is an empty last page, so callers can hand
 * the parsed body of any 2xx answer straight in.
 */
export const usersResponse = z.union([
  z.union([z.null(), z.undefined(), z.literal('')]).transform(() => ({ users: [] as ZohoUserRecord[], info: { more_records: false } })),
  usersBody,
]);
export type UsersResponse = z.infer<typeof usersResponse>;

/** True when the user can own records / fill a user lookup (status `active`). */
export const isActiveUser = (u: Pick<ZohoUserRecord, 'status'>): boolean => u.status === 'active';

// ---------------------------------------------------------------- exactly what the emulator sends

export interface ZohoUserOut {
  id: string;
  email: string;
  full_name: string;
  first_name: string | null;
  last_name: string;
  status: 'active' | 'inactive';
  confirm: boolean;
  role: { id: string; name: string };
  profile: { id: string; name: string };
  zuid: string;
}

export interface UsersResponseOut {
  users: ZohoUserOut[];
  info: { per_page: number; count: number; page: number; more_records: boolean };
}
