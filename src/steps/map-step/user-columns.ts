// Owner and user-lookup columns on the Map step (docs/org-apis.md A1): which way the cells name users (ids or
// e-mails — what the file-only pre-flight and Zoho's find_by accept), the default owner as a plain mapping
// default, and the Map step's summary of how a column's values resolve against the org's users.
import type { FieldModel } from '../../domain/fields/field-model.ts';
import { isUserLookup } from '../../domain/fields/field-model.ts';
import { updateColumn, setDefaultOnly, type ColumnMapping, type Mapping } from '../../domain/mapping/mapping.ts';
import { isActive, summariseUserColumn, userNameToEmailChanges } from '../../domain/org-check/users.ts';
import { packFix, type PackedFix } from '../../worker/column-fixes.ts';
import type { OrgUser } from '../../domain/org-check/types.ts';

/** How a user column's cells name users: find_by null (ids) or 'email'. */
export type UserFindBy = null | 'email';

const DIGITS = /^\d+$/;

/**
 * The find_by that fits a column's values: ids when every non-blank value is digits, else e-mail (names are
 * resolved to e-mails by a clean-up first, because Zoho finds users by id or e-mail only).
 */
export function guessUserFindBy(values: readonly string[]): UserFindBy {
  let any = false;
  for (const raw of values) {
    const v = raw.trim();
    if (v === '') continue;
    any = true;
    if (!DIGITS.test(v)) return 'email';
  }
  return any ? null : 'email';
}

/** The columns of `mapping` mapped to an owner or user-lookup field: the ones sent as user ids, checked against the users. */
export function userColumnsOf(mapping: Mapping, fields: readonly FieldModel[]): ColumnMapping[] {
  return mapping.columns.filter((c) => c.apiName !== null && fields.some((f) => f.apiName === c.apiName && isUserLookup(f)));
}

/** The owner field of the module (data type ownerlookup), if it has one and it can be written. */
export function ownerField(fields: readonly FieldModel[]): FieldModel | undefined {
  return fields.find((f) => f.dataType === 'ownerlookup' && f.writable.ok);
}

/**
 * After a column is assigned a field: a user field gets the find_by its values need; any other keeps its own.
 * `values` may be a function, read only for a user field: reading a column cuts every row's cells out of the packed
 * batches, which for all columns of a million rows blocked the Map step's first render for seconds (issue 13).
 */
export function withUserFindBy(
  mapping: Mapping,
  column: number,
  field: FieldModel | undefined,
  values: readonly string[] | (() => readonly string[]),
): Mapping {
  if (!field || !isUserLookup(field)) return mapping;
  return updateColumn(mapping, column, { findBy: guessUserFindBy(typeof values === 'function' ? values() : values) });
}

/** The default owner's user id as the mapping holds it (column default in the column's own terms, or a default-only field). */
export function defaultOwnerId(mapping: Mapping, owner: FieldModel, users: readonly OrgUser[]): string | null {
  const col = mapping.columns.find((c) => c.apiName === owner.apiName);
  const value = col ? col.defaultValue : (mapping.defaults.find((d) => d.apiName === owner.apiName)?.defaultValue ?? null);
  if (value === null || value === '') return null;
  if (col?.findBy === 'email') return users.find((u) => u.email.toLowerCase() === value.toLowerCase())?.id ?? null;
  return users.some((u) => u.id === value) ? value : null;
}

/**
 * Sets (or clears) the default owner. With a column mapped to the owner field it fills that column's empty cells,
 * written the way the column names users (the e-mail when it finds users by e-mail), so the file-only check and
 * Zoho read it like the cells; with no column every row gets it as a default-only field.
 */
export function withDefaultOwner(mapping: Mapping, owner: FieldModel, user: OrgUser | null): Mapping {
  const col = mapping.columns.find((c) => c.apiName === owner.apiName);
  if (col) return updateColumn(mapping, col.column, { defaultValue: user ? (col.findBy === 'email' ? user.email : user.id) : null });
  return setDefaultOnly(mapping, owner.apiName, user ? user.id : null);
}

export interface UserColumnView {
  distinct: number;
  resolved: number;
  unresolved: { value: string; kind: 'unknown' | 'inactive' | 'ambiguous'; rows: number; detail?: string }[];
  /** Values that match a user only after a case/space clean-up (offered on Review). */
  near: number;
}

/** What the Map step shows under a user column: distinct values, how many resolve, and the ones that do not. */
export function userColumnView(values: readonly string[], users: readonly OrgUser[]): UserColumnView {
  const s = summariseUserColumn(values, users);
  const unresolved: UserColumnView['unresolved'] = [
    ...s.unknown.map((u) => ({ value: u.value, kind: 'unknown' as const, rows: u.rows })),
    ...s.inactive.map((u) => ({ value: u.value, kind: 'inactive' as const, rows: u.rows, detail: u.user.fullName || u.user.email })),
    ...s.ambiguous.map((u) => ({ value: u.value, kind: 'ambiguous' as const, rows: u.rows, detail: `${u.users.length} users` })),
  ];
  const distinct = new Set<string>();
  for (const v of values) if (v.trim() !== '') distinct.add(v);
  return { distinct: distinct.size, resolved: distinct.size - unresolved.length - s.near.length, unresolved, near: s.near.length };
}

/** A column's cells, read once per column when first asked for (only user columns are ever read whole). */
export function columnReader(rows: readonly { cells: readonly string[] }[]): (column: number) => string[] {
  const cache = new Map<number, string[]>();
  return (column) => {
    let v = cache.get(column);
    if (!v) {
      v = rows.map((r) => r.cells[column] ?? '');
      cache.set(column, v);
    }
    return v;
  };
}

/** Active users for the default-owner list, by name. */
export function activeUsers(users: readonly OrgUser[]): OrgUser[] {
  return users.filter(isActive).sort((a, b) => (a.fullName || a.email).localeCompare(b.fullName || b.email));
}

/**
 * The clean-up offered on Review for a user column that names users by full name: Zoho finds users by id or
 * e-mail only, so each name that belongs to exactly one active user becomes that user's e-mail (then the column
 * goes out as ids). Names that are unknown, inactive or shared stay as they are (the Map step lists them).
 */
export function namesToEmailsFix(column: number, header: string, values: readonly string[], users: readonly OrgUser[]): PackedFix | null {
  const changes = userNameToEmailChanges(values, users);
  if (changes.length === 0) return null;
  const summary = `${changes.length} ${changes.length === 1 ? 'cell names' : 'cells name'} a user by full name in “${header}”; Zoho finds users by e-mail or id, so each becomes that user’s e-mail.`;
  return packFix({ label: 'Names → users’ e-mails', note: null, proposal: { kind: 'user', column, summary, changes, unconvertible: [] } });
}
