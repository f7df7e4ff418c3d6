// How skipped rows are sent again: Insert when the first run inserted without a match field (skipped rows were
// never written); Upsert by the unique match field when there is one (a row that did land is updated, not
// duplicated); Update by id stays Update (the rows name existing records).
import type { Operation } from '../../domain/fields/field-meta.ts';

export function retryOperation(run: { operation: Operation; findBy: string | null }): { operation: Operation; findBy: string | null; why: string } {
  if (run.findBy && run.findBy !== 'id') {
    return { operation: 'upsert', findBy: run.findBy, why: `Upsert matched by ${run.findBy}: a row that already landed is updated, never duplicated.` };
  }
  if (run.operation === 'insert') return { operation: 'insert', findBy: null, why: 'Insert: the skipped rows were not written, so they are added as new records.' };
  return { operation: run.operation, findBy: run.findBy, why: `${run.operation === 'update' ? 'Update' : 'Upsert'} by record id, as before.` };
}
