// The Map step's controls for owners and user lookups: the "Default owner" picker (active users only) and, under a
// column mapped to a user field, how its cells name users (id or e-mail) and how its values resolve to the org's
// users. The users come from the users API (all pages, active and inactive, so an inactive owner reads as such).
import type { UseQueryResult } from '@tanstack/react-query';
import { useMemo } from 'react';
import { describeApiError } from '../../api/errors.ts';
import { FieldCombobox, type ComboOption } from '../../components/field-combobox/field-combobox.tsx';
import { UserResolution } from '../../components/user-resolution/user-resolution.tsx';
import type { FieldModel } from '../../domain/fields/field-model.ts';
import type { Mapping } from '../../domain/mapping/mapping.ts';
import type { OrgUser } from '../../domain/org-check/types.ts';
import { activeUsers, defaultOwnerId, userColumnView, withDefaultOwner, type UserFindBy } from './user-columns.ts';

const NO_DEFAULT = '__none__';

export function DefaultOwnerPicker(props: { owner: FieldModel; users: UseQueryResult<OrgUser[]>; mapping: Mapping; onChange: (m: Mapping) => void }) {
  const { owner, users, mapping } = props;
  const list = useMemo(() => activeUsers(users.data ?? []), [users.data]);
  const options: ComboOption[] = useMemo(
    () => [
      { id: NO_DEFAULT, label: 'No default owner', meta: 'rows without an owner get the importing user, as Zoho does' },
      ...list.map((u) => ({ id: u.id, label: u.fullName || u.email, meta: `${u.email} · id ${u.id}`, textValue: `${u.fullName} ${u.email}` })),
    ],
    [list],
  );
  if (users.isError) {
    return (
      <div className="field">
        <p className="field__error">The users of the org could not be read: {describeApiError(users.error)}</p>
        <button type="button" className="btn btn--small" onClick={() => void users.refetch()}>
          Retry reading users
        </button>
      </div>
    );
  }
  if (!users.data) return <p className="subtle">Reading the org’s users…</p>;
  const current = defaultOwnerId(mapping, owner, users.data);
  const hasColumn = mapping.columns.some((c) => c.apiName === owner.apiName);
  return (
    <div style={{ maxWidth: 420 }}>
      <FieldCombobox
        label="Default owner"
        options={options}
        selectedId={current ?? NO_DEFAULT}
        placeholder="Type a name or e-mail"
        description={
          hasColumn ? `Fills the empty cells of the ${owner.label} column.` : `Owner of every row (${owner.label}); only active users can own records.`
        }
        onChange={(id) => {
          if (id === null) return;
          props.onChange(withDefaultOwner(mapping, owner, id === NO_DEFAULT ? null : (list.find((u) => u.id === id) ?? null)));
        }}
      />
    </div>
  );
}

/** Under a column mapped to an owner or user lookup: how its cells name users, and how they resolve. */
export function UserColumnOptions(props: {
  column: number;
  header: string;
  values: readonly string[];
  users: UseQueryResult<OrgUser[]>;
  findBy: UserFindBy;
  onFindBy: (f: UserFindBy) => void;
}) {
  const { users, values } = props;
  const view = useMemo(() => (users.data ? userColumnView(values, users.data) : null), [users.data, values]);
  return (
    <div className="stack" style={{ gap: 'var(--space-1)' }}>
      <label className="row" style={{ gap: 'var(--space-2)' }}>
        <span className="field__hint" aria-hidden="true">
          Users given by
        </span>
        <select
          className="select select--small"
          style={{ width: 160 }}
          aria-label={`Users in column ${props.column + 1} “${props.header}” are given by`}
          value={props.findBy ?? 'id'}
          onChange={(e) => props.onFindBy(e.currentTarget.value === 'email' ? 'email' : null)}
        >
          <option value="email">their e-mail</option>
          <option value="id">their user id</option>
        </select>
      </label>
      {view ? <UserResolution columnLabel={props.header} distinctValues={view.distinct} resolvedValues={view.resolved} unresolved={view.unresolved} /> : null}
      {users.isPending ? <span className="subtle">Reading the org’s users…</span> : null}
      {users.isError ? <span className="field__error">The users could not be read: {describeApiError(users.error)}</span> : null}
      {view && view.near > 0 ? (
        <span className="field__hint">{view.near} more match a user once case or spaces are cleaned up: Review offers the clean-up.</span>
      ) : null}
    </div>
  );
}
