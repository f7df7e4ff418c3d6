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
// `ends`: when this tab first saw each import finished (runId → ISO time), the line for "changed since the import".
const fileSchema = z.object({ undos: z.array(entrySchema), ends: z.record(z.string(), z.string()).default({}) });
type UndoFile = z.infer<typeof fileSchema>;

function storage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

function readFile(s: Storage | null): UndoFile {
  const raw = s?.getItem(UNDO_KEY);
  if (!raw) return { undos: [], ends: {} };
  try {
    const parsed = fileSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : { undos: [], ends: {} };
  } catch {
    return { undos: [], ends: {} };
  }
}

function writeFile(s: Storage | null, f: UndoFile): void {
  try {
    s?.setItem(UNDO_KEY, JSON.stringify(f));
  } catch {
    // Storage full or disabled: the undo goes on; only resuming after a reload is lost.
  }
}

/** Storage is passed in so tests (and other hosts) can use their own; default: the page's localStorage. */
export function undoStore(s: Storage | null = storage()) {
  return {
    load(undoId: string): UndoEntry | undefined {
      return readFile(s).undos.find((e) => e.undoId === undoId);
    },
    save(undoId: string, module: string, progress: UndoProgress, now: Date): void {
      if (!s) return;
      // Parsing strips anything outside the schema, so no field value can reach storage by accident.
      const entry = entrySchema.parse({ undoId, module, savedAt: now.toISOString(), progress });
      const f = readFile(s);
      const rest = f.undos.filter((e) => e.undoId !== undoId);
      const kept = [entry, ...rest].sort((a, b) => b.savedAt.localeCompare(a.savedAt)).slice(0, MAX_UNDOS);
      writeFile(s, { ...f, undos: kept });
    },
    /** The first time this browser saw the import finished; later calls keep the first time. */
    markImportEnd(runId: string, iso: string): string {
      const f = readFile(s);
      const known = f.ends[runId];
      if (known !== undefined) return known;
      const keys = Object.keys(f.ends);
      const ends = Object.fromEntries([...keys.slice(Math.max(0, keys.length - 49)).map((k) => [k, f.ends[k]!] as const), [runId, iso] as const]);
      writeFile(s, { ...f, ends });
      return iso;
    },
  };
}
export type UndoStore = ReturnType<typeof undoStore>;
