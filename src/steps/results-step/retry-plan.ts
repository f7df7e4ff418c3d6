// How skipped rows are sent again: Insert when the first run inserted without a match field (skipped rows were
// never written); an Update stays an Update by the same field (decision 043, amended in session 30); otherwise Upsert
// by the unique match field when there is one (a row that did land is updated, not duplicated).
import type { CreateJobRequestInput } from '../../api/contract/create-job.ts';
import type { Operation } from '../../domain/fields/field-meta.ts';
import type { SplitResult } from '../../domain/jobs/types.ts';

/** What the app gives Results to send skipped rows again (the worker prepares; the wizard builds the request). */
export interface RetryApi {
  /** Splits and zips only these rows (edits applied) in the worker. */
  prepare: (rows: { rowIndexes: number[]; edits: { rowIndex: number; cells: string[] }[] }) => Promise<SplitResult>;
  requestFor: (fileId: string, operation: Operation, findBy: string | null) => CreateJobRequestInput;
}

export function retryOperation(
  run: { operation: Operation; findBy: string | null },
  o: { uniqueMapped?: string | null; unprocessed?: boolean } = {},
): { operation: Operation; findBy: string | null; why: string } {
  // An update stays an update: sent again, a row that landed updates the same record with the same values, and a row
  // that matched nothing still adds nothing (an upsert would have created records the import never asked for).
  if (run.operation === 'update' && run.findBy && run.findBy !== 'id') {
    return {
      operation: 'update',
      findBy: run.findBy,
      why: `Update matched by ${run.findBy}, as before: a row that already landed is updated again with the same values.`,
    };
  }
  if (run.findBy && run.findBy !== 'id') {
    return { operation: 'upsert', findBy: run.findBy, why: `Upsert matched by ${run.findBy}: a row that already landed is updated, never duplicated.` };
  }
  // Rows a failed job never reached: if a unique field is mapped, upsert by it, so a row the CRM did write after
  // all is updated rather than duplicated (bad-inputs #45).
  if (o.unprocessed && o.uniqueMapped) {
    return {
      operation: 'upsert',
      findBy: o.uniqueMapped,
      why: `Upsert matched by ${o.uniqueMapped}: rows the failed job may have written are updated, never duplicated.`,
    };
  }
  if (run.operation === 'insert')
    return { operation: 'insert', findBy: null, why: 'Insert: the skipped rows were not written, so they are added as new records.' };
  return { operation: run.operation, findBy: run.findBy, why: `${run.operation === 'update' ? 'Update' : 'Upsert'} by record id, as before.` };
}
