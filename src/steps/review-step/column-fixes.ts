// Which one-click clean-ups to offer for a mapped column, from the field's type and the column's values
// (the proposals themselves come from src/domain/fields; nothing is applied without the user's confirmation).
import type { FieldModel } from '../../domain/fields/field-model.ts';
import { detectDatePattern, proposeDateConversion } from '../../domain/fields/normalise-dates.ts';
import type { SourceRow } from '../../domain/csv/types.ts';
import { proposeBooleanSynonyms, proposeNumberCleanup, proposePhoneCleanup, proposeTrim, type Proposal } from '../../domain/fields/normalisers.ts';

export interface ColumnFix {
  /** Button text, e.g. "Dates dd/MM/yyyy → yyyy-MM-dd". */
  label: string;
  /** Extra context (ambiguity, detection evidence). */
  note: string | null;
  proposal: Proposal;
}

const NUMBER_TYPES = new Set(['integer', 'bigint', 'double', 'currency', 'percent']);

export function columnFixes(field: FieldModel, column: number, values: readonly string[]): ColumnFix[] {
  const out: ColumnFix[] = [];
  const add = (label: string, p: Proposal | null, note: string | null = null) => {
    if (p && p.changes.length > 0) out.push({ label, note, proposal: p });
  };
  if (field.dataType === 'date' || field.dataType === 'datetime') {
    const withTime = field.dataType === 'datetime';
    const d = detectDatePattern(column, values, { withTime });
    if (d && !d.alreadyIso) {
      if (d.decided) add(`Dates ${d.decided} → ISO`, proposeDateConversion(column, values, d.decided, { withTime }), d.explanation);
      else for (const o of d.options.slice(0, 2)) add(`Dates as ${o.pattern} → ISO`, proposeDateConversion(column, values, o.pattern, { withTime }), d.explanation);
    }
  }
  if (field.dataType === 'phone') add('Phone numbers: digits and leading +', proposePhoneCleanup(column, values, field));
  if (field.dataType === 'boolean') add('Yes/No → true/false', proposeBooleanSynonyms(column, values));
  if (NUMBER_TYPES.has(field.dataType)) add('Numbers: remove separators', proposeNumberCleanup(column, values, field));
  add('Trim spaces', proposeTrim(column, values));
  return out;
}

/**
 * The edited rows after applying a confirmed proposal. A cell that no longer holds the proposal's "before" value
 * (edited after the suggestion was computed) is left as the user made it.
 */
export function applyProposal(editedRows: ReadonlyMap<number, readonly string[]>, rows: readonly SourceRow[], proposal: Proposal): Map<number, readonly string[]> {
  const out = new Map(editedRows);
  for (const c of proposal.changes) {
    const base = out.get(c.row) ?? rows[c.row]?.cells ?? [];
    if ((base[proposal.column] ?? '') !== c.before) continue;
    const next = [...base];
    next[proposal.column] = c.after;
    out.set(c.row, next);
  }
  return out;
}
