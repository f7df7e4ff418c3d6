// Cell values of an Owner / user-lookup column against the org's users (docs/org-apis.md A1): a user id, an
// e-mail, or a full name shared by no one else. The wizard sends ids whatever the column holds, so it works
// whichever way Zoho settles find_by "email" for Owner; unknown, inactive and ambiguous values are named, and
// values that match only after a case/space clean-up are offered as clean-ups, never applied silently.
import type { SourceRow } from '../csv/types.ts';
import type { CellChange } from '../fields/normalisers.ts';
import type { OrgUser, UserIdColumn, UserValueResolution } from './types.ts';

const DIGITS = /^\d+$/;

/** Comparison key for "near" matches: case and every run of spaces ignored. */
export function looseKey(value: string): string {
  // Most values (e-mails, names with single spaces) are already spaced that way: only fold their case.
  return SPACED.test(value) ? value.toLowerCase() : value.replace(/\s+/g, ' ').trim().toLowerCase();
}

/** Words separated by single plain spaces, nothing around them: looseKey has no space to change. */
const SPACED = /^[^\s]+(?: [^\s]+)*$/;

export const isActive = (u: OrgUser): boolean => u.status === 'active';

/**
 * Why Zoho skips a row whose user cell (`value`, found by e-mail or by id) names `user` — null when it names an
 * active user. `close`: a user whose e-mail differs only in case or spaces, suggested. The same words in Review's
 * file-only check (the users read on Map) and in the org check.
 */
export function userSkipReason(fieldLabel: string, value: string, byEmail: boolean, user: OrgUser | null, close: OrgUser | null): string | null {
  if (user !== null && isActive(user)) return null;
  if (user !== null)
    return `${user.fullName || user.email}${value === (user.fullName || user.email) ? '' : ` (${value})`} is an inactive user in Zoho CRM (status ${user.status || 'not given'}), and only active users can be ${fieldLabel}, so Zoho skips the row (INVALID_DATA). Choose an active user.`;
  return `No user of this Zoho CRM org has ${byEmail ? 'the e-mail' : 'the id'} ${value}, so ${fieldLabel} cannot be set and Zoho skips the row (INVALID_DATA). ${close ? `Did you mean ${close.email}?` : 'Correct the value or choose an active user.'}`;
}

/**
 * Why Zoho skips a row whose user cell holds `value`, resolved as the wizard sends it (`resolveUserValue`: a user's
 * id, e-mail in any case, or a full name no one else has, each sent as the user's id; anything else sent as it is,
 * which names no user) — null when the cell is sent as an active user's id, or is blank.
 */
export function userResolutionReason(fieldLabel: string, value: string, r: UserValueResolution): string | null {
  const v = value.trim();
  switch (r.kind) {
    case 'blank':
    case 'ok':
      return null;
    case 'inactive':
      return userSkipReason(fieldLabel, v, v.includes('@'), r.user, null);
    case 'ambiguous':
      return `${r.users.length} users of this Zoho CRM org are named ${v} (${r.users
        .slice(0, 3)
        .map((u) => u.email || u.id)
        .join(', ')}), so the wizard cannot tell which one is meant and Zoho skips the row (INVALID_DATA). Write that user's e-mail instead.`;
    case 'near':
      return `No user of this Zoho CRM org has the ${formOf(v)} ${v}, so ${fieldLabel} cannot be set and Zoho skips the row (INVALID_DATA). Did you mean ${r.suggestion}?`;
    case 'unknown':
      return `No user of this Zoho CRM org has the ${formOf(v)} ${v}, so ${fieldLabel} cannot be set and Zoho skips the row (INVALID_DATA). Correct the value or choose an active user.`;
  }
}

/** What a user cell's value is taken for: digits an id, a value with an @ an e-mail, anything else a full name. */
const formOf = (v: string): string => (DIGITS.test(v) ? 'id' : v.includes('@') ? 'e-mail' : 'name');

export interface UserDirectory {
  byId: Map<string, OrgUser>;
  /** Lower-cased e-mail → user (e-mail addresses compare case-insensitively). */
  byEmail: Map<string, OrgUser>;
  /** E-mail with every space removed, lower-cased → user, for near matches. */
  byLooseEmail: Map<string, OrgUser>;
  /** Exact trimmed full name → users. */
  byName: Map<string, OrgUser[]>;
  /** looseKey(full name) → users. */
  byLooseName: Map<string, OrgUser[]>;
}

function push<K>(m: Map<K, OrgUser[]>, k: K, u: OrgUser): void {
  const list = m.get(k);
  if (list) list.push(u);
  else m.set(k, [u]);
}

export function userDirectory(users: readonly OrgUser[]): UserDirectory {
  const d: UserDirectory = { byId: new Map(), byEmail: new Map(), byLooseEmail: new Map(), byName: new Map(), byLooseName: new Map() };
  for (const u of users) {
    d.byId.set(u.id, u);
    if (u.email !== '') {
      // Two users never share an e-mail in Zoho; if a list says otherwise, the active one wins.
      const k = u.email.toLowerCase();
      const before = d.byEmail.get(k);
      if (!before || (!isActive(before) && isActive(u))) d.byEmail.set(k, u);
      d.byLooseEmail.set(k.replace(/\s+/g, ''), d.byEmail.get(k)!);
    }
    if (u.fullName !== '') {
      push(d.byName, u.fullName.trim(), u);
      push(d.byLooseName, looseKey(u.fullName), u);
    }
  }
  return d;
}

function found(u: OrgUser, by: 'id' | 'email' | 'name'): UserValueResolution {
  return isActive(u) ? { kind: 'ok', id: u.id, user: u, by } : { kind: 'inactive', id: u.id, user: u };
}

function fromNames(list: readonly OrgUser[] | undefined): OrgUser | 'ambiguous' | null {
  if (!list || list.length === 0) return null;
  if (list.length === 1) return list[0]!;
  // Several users share the name: only one of them active still resolves unambiguously for ownership.
  const active = list.filter(isActive);
  return active.length === 1 ? active[0]! : 'ambiguous';
}

/** One cell value against the directory. */
export function resolveUserValue(raw: string, d: UserDirectory): UserValueResolution {
  const v = raw.trim();
  if (v === '') return { kind: 'blank' };
  if (DIGITS.test(v)) {
    const u = d.byId.get(v);
    return u ? found(u, 'id') : { kind: 'unknown' };
  }
  if (v.includes('@')) {
    const u = d.byEmail.get(v.toLowerCase());
    if (u) return found(u, 'email');
    const near = d.byLooseEmail.get(v.toLowerCase().replace(/\s+/g, ''));
    if (near) return isActive(near) ? { kind: 'near', id: near.id, user: near, suggestion: near.email } : { kind: 'inactive', id: near.id, user: near };
    return { kind: 'unknown' };
  }
  const exact = fromNames(d.byName.get(v));
  if (exact === 'ambiguous') return { kind: 'ambiguous', users: d.byName.get(v)! };
  if (exact) return found(exact, 'name');
  const loose = fromNames(d.byLooseName.get(looseKey(v)));
  if (loose === 'ambiguous') return { kind: 'ambiguous', users: d.byLooseName.get(looseKey(v))! };
  if (loose) return isActive(loose) ? { kind: 'near', id: loose.id, user: loose, suggestion: loose.fullName } : { kind: 'inactive', id: loose.id, user: loose };
  return { kind: 'unknown' };
}

/** Every distinct value of a column, resolved once (a column of 100,000 owners has a handful of distinct values). */
export function resolveUserValues(values: readonly string[], users: readonly OrgUser[]): Map<string, UserValueResolution> {
  const d = userDirectory(users);
  const out = new Map<string, UserValueResolution>();
  for (const raw of values) if (!out.has(raw)) out.set(raw, resolveUserValue(raw, d));
  return out;
}

export interface UserColumnSummary {
  /** Non-blank cells. */
  cells: number;
  resolved: number;
  /** Distinct values per kind, with the rows holding them counted. */
  unknown: { value: string; rows: number }[];
  inactive: { value: string; rows: number; user: OrgUser }[];
  ambiguous: { value: string; rows: number; users: OrgUser[] }[];
  near: { value: string; rows: number; suggestion: string }[];
}

/** What the Map step shows for a user column: "N of M values resolve; unknown …; inactive …; ambiguous …". */
export function summariseUserColumn(values: readonly string[], users: readonly OrgUser[]): UserColumnSummary {
  const res = resolveUserValues(values, users);
  const rows = new Map<string, number>();
  let cells = 0;
  let resolved = 0;
  for (const v of values) {
    const r = res.get(v)!;
    if (r.kind === 'blank') continue;
    cells += 1;
    if (r.kind === 'ok') resolved += 1;
    rows.set(v, (rows.get(v) ?? 0) + 1);
  }
  const s: UserColumnSummary = { cells, resolved, unknown: [], inactive: [], ambiguous: [], near: [] };
  for (const [value, r] of res) {
    const n = rows.get(value) ?? 0;
    if (r.kind === 'unknown') s.unknown.push({ value, rows: n });
    else if (r.kind === 'inactive') s.inactive.push({ value, rows: n, user: r.user });
    else if (r.kind === 'ambiguous') s.ambiguous.push({ value, rows: n, users: r.users });
    else if (r.kind === 'near') s.near.push({ value, rows: n, suggestion: r.suggestion });
  }
  return s;
}

/**
 * What buildJobs sends for a user column: each value that resolves to an ACTIVE user (by id, e-mail or unique
 * name) → that user's id. Anything else is sent as it is, and Zoho skips the row (INVALID_DATA on the field), which
 * the org check predicts. `defaultValue`: the column's default (the Default owner, written as the column names users),
 * resolved too — projectForUpload sends it through the same ids, and Zoho refuses a job whose Owner default is an
 * e-mail under find_by id, whether or not a cell holds that e-mail.
 */
export function userIdColumn(column: number, values: readonly string[], users: readonly OrgUser[], defaultValue: string | null = null): UserIdColumn {
  const ids: Record<string, string> = {};
  const all = defaultValue === null || defaultValue.trim() === '' ? values : [...values, defaultValue];
  for (const [raw, r] of resolveUserValues(all, users)) {
    const id = sentUserId(r);
    if (id !== null) ids[raw.trim()] = id;
  }
  return { column, ids };
}

/**
 * The one rule of what the import sends for a user cell, as resolved: the id of the ACTIVE user it names, or null — the
 * cell then goes as it stands. userIdColumn applies it for the upload; the org check's file side (file-side.ts) applies
 * it to predict what Zoho receives.
 */
export function sentUserId(r: UserValueResolution): string | null {
  return r.kind === 'ok' ? r.id : null;
}

/** The cell sent for `raw` under a UserIdColumn (the cell itself when it does not resolve). */
export function userCellToSend(raw: string, col: UserIdColumn): string {
  const id = col.ids[raw.trim()];
  return id ?? raw;
}

/** The listed rows (all when none are listed) with their user columns as user ids; only rows that change are copied. */
export function rowsWithUserIds(
  rows: readonly SourceRow[],
  userIds: readonly UserIdColumn[] | undefined,
  rowIndexes: readonly number[] | undefined,
): SourceRow[] {
  const out = rows.slice();
  if (!userIds || userIds.length === 0) return out;
  const each = (i: number): void => {
    const r = out[i];
    if (!r) return;
    let cells: string[] | null = null;
    // Read once: a packed row cuts its cells on each read.
    const source = r.cells;
    for (const u of userIds) {
      const before = source[u.column];
      if (before === undefined) continue;
      const after = userCellToSend(before, u);
      if (after === before) continue;
      cells ??= [...source];
      cells[u.column] = after;
    }
    if (cells) out[i] = { line: r.line, cells };
  };
  if (rowIndexes) for (const i of rowIndexes) each(i);
  else for (let i = 0; i < out.length; i++) each(i);
  return out;
}

/**
 * Clean-up for a user column: values that match a user only after a case/space clean-up become the user's
 * e-mail (or name) exactly as the org spells it. Returned as cell changes, applied only when the user confirms.
 */
export function nearUserChanges(values: readonly string[], users: readonly OrgUser[]): CellChange[] {
  const res = resolveUserValues(values, users);
  const out: CellChange[] = [];
  values.forEach((v, row) => {
    const r = res.get(v);
    if (r?.kind === 'near') out.push({ row, before: v, after: r.suggestion });
  });
  return out;
}

/**
 * A column of full names: Zoho's find_by for users is the id or the e-mail only, so the Map step offers to replace
 * each name that names exactly one active user by that user's e-mail (then the column is matched by e-mail and
 * sent as ids). Names that are unknown, inactive or shared stay as they are and are reported.
 */
export function userNameToEmailChanges(values: readonly string[], users: readonly OrgUser[]): CellChange[] {
  const res = resolveUserValues(values, users);
  const out: CellChange[] = [];
  values.forEach((v, row) => {
    const r = res.get(v);
    if ((r?.kind === 'ok' && r.by === 'name') || (r?.kind === 'near' && !v.includes('@'))) {
      if (r.user.email !== '') out.push({ row, before: v, after: r.user.email });
    }
  });
  return out;
}
