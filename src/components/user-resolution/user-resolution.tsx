// How the values of an owner / user-lookup column resolve to the org's users: how many resolved, and each value
// that did not, with why (no such user, an inactive user, a name several users share). Presentational.
const fmt = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
const SHOWN = 20;

export interface UnresolvedValue {
  value: string;
  kind: 'unknown' | 'inactive' | 'ambiguous';
  /** Rows holding this value. */
  rows: number;
  /** For inactive: the user's name; for ambiguous: how many users share the name. */
  detail?: string;
}

const WHY: Readonly<Record<UnresolvedValue['kind'], string>> = {
  unknown: 'no user of the org has this e-mail or name',
  inactive: 'this user is inactive — Zoho skips the row (INVALID_DATA)',
  ambiguous: 'several users have this name — use the e-mail instead',
};

export function UserResolution(props: { columnLabel: string; distinctValues: number; resolvedValues: number; unresolved: readonly UnresolvedValue[] }) {
  const { unresolved } = props;
  const rowsAffected = unresolved.reduce((n, u) => n + u.rows, 0);
  return (
    <div className="stack" style={{ gap: 'var(--space-1)' }} role="group" aria-label={`Users for column “${props.columnLabel}”`}>
      <p className={unresolved.length > 0 ? 'field__error' : 'field__hint'} style={{ margin: 0 }}>
        {fmt.format(props.resolvedValues)} of {fmt.format(props.distinctValues)} {props.distinctValues === 1 ? 'value resolves' : 'values resolve'} to a user of
        the org
        {unresolved.length > 0
          ? `; ${fmt.format(unresolved.length)} ${unresolved.length === 1 ? 'does' : 'do'} not (${fmt.format(rowsAffected)} ${rowsAffected === 1 ? 'row' : 'rows'}).`
          : '.'}
      </p>
      {unresolved.length > 0 ? (
        <ul className="issue-list" aria-label={`Values of “${props.columnLabel}” that are not users`}>
          {unresolved.slice(0, SHOWN).map((u) => (
            <li key={u.value}>
              “{u.value}”{u.detail ? ` (${u.detail})` : ''}: {WHY[u.kind]}
              {u.rows > 1 ? ` — ${fmt.format(u.rows)} rows` : ''}
            </li>
          ))}
          {unresolved.length > SHOWN ? <li>…and {fmt.format(unresolved.length - SHOWN)} more.</li> : null}
        </ul>
      ) : null}
    </div>
  );
}
