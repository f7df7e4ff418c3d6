// Review's rows as the packed edits the worker applies to the rows it holds (decisions 142, 148): the file-only check
// and the org check send them this way.
import type { SourceRow } from '../domain/csv/types.ts';
import { EditPacker, type PackedEdits } from '../domain/jobs/packed-edits.ts';
import { runInSlices } from './time-slices.ts';

/** Rows per step of a slice (small, so a slice can end on time while V8 marks a large heap: see APPLY_STEP_CHANGES in review-step.tsx). */
const PACK_STEP_ROWS = 500;

/**
 * The rows Review holds, as packed edits against the rows the worker already has (`base`: the table, or the rows of
 * the org check's last prediction): only the rows whose object differs (an edit or a clean-up replaces the row object —
 * effectiveRows), and of those only the changed cells, so a re-prediction after one edit sends one cell. Packed in
 * slices of the main thread: after a clean-up of a million rows every row differs from the table, and sending them
 * whole cut 20 million cells and cloned them in one task. Rejects with `Cancelled` when `signal` is aborted.
 */
export async function editsAgainst(base: readonly SourceRow[], rows: readonly SourceRow[], signal?: AbortSignal): Promise<PackedEdits> {
  const packer = new EditPacker(base);
  let i = 0;
  await runInSlices(
    () => {
      const end = Math.min(rows.length, i + PACK_STEP_ROWS);
      for (; i < end; i++) {
        const r = rows[i];
        if (r !== undefined && r !== base[i]) packer.addRow(i, r);
      }
      return i >= rows.length;
    },
    { signal },
  );
  return packer.finish();
}
