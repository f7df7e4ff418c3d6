// Undo progress kept in localStorage (by undo id), written after every call, so an undo interrupted by a reload or
// a network failure resumes without deleting or restoring anything twice. Only record ids, job ids and reasons are
// stored — never field values (the backup's old values stay in the admin's backup file).
import { z } from 'zod';
import type { UndoProgress } from '../domain/undo/progress.ts';

export const UNDO_KEY = 'zoho-bulk-import.undo.v1';
const MAX_UNDOS = 20;

const ids = z.array(z.string());
const reasons = z.record(z.string(), z.string());
const progressSchema = z.object({
  deleted: ids,
  alreadyGone: ids,
  deleteFailed: reasons,
  restored: ids,
  restoreFailed: reasons,
  leftAlone: ids,
  restoreJobs: z.array(z.object({ key: z.string(), ids, fileId: z.string().nullable(), jobId: z.string().nullable() })),
});
const entrySchema = z.object({ undoId: z.string().min(1), module: z.string(), savedAt: z.string(), progress: progressSchema });
export type UndoEntry = z.infer<typeof entrySchema>;
const fileSchema = z.object({ undos: z.array(entrySchema) });

function storage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

function readAll(s: Storage | null): UndoEntry[] {
  const raw = s?.getItem(UNDO_KEY);
  if (!raw) return [];
  try {
    const parsed = fileSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data.undos : [];
  } catch {
    return [];
  }
}

/** Storage is passed in so tests (and other hosts) can use their own; default: the page's localStorage. */
export function undoStore(s: Storage | null = storage()) {
  return {
    load(undoId: string): UndoEntry | undefined {
      return readAll(s).find((e) => e.undoId === undoId);
    },
    save(undoId: string, module: string, progress: UndoProgress, now: Date): void {
      if (!s) return;
      // Parsing strips anything outside the schema, so no field value can reach storage by accident.
      const entry = entrySchema.parse({ undoId, module, savedAt: now.toISOString(), progress });
      const rest = readAll(s).filter((e) => e.undoId !== undoId);
      const kept = [entry, ...rest].sort((a, b) => b.savedAt.localeCompare(a.savedAt)).slice(0, MAX_UNDOS);
      try {
        s.setItem(UNDO_KEY, JSON.stringify({ undos: kept }));
      } catch {
        // Storage full or disabled: the undo goes on; only resuming after a reload is lost.
      }
    },
  };
}
export type UndoStore = ReturnType<typeof undoStore>;
