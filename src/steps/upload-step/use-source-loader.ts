// Loads the chosen file through the worker (decode, parse, with progress) and re-parses it when the user overrides
// encoding, delimiter or headers; a newer load aborts the one in flight. Each load is a new source (new id), so
// mappings and edits made for other rows are not carried over.
import { useRef, useState } from 'react';
import type { FileIssue, ParsedTable } from '../../domain/csv/types.ts';
import type { SourceFile } from '../../domain/wizard/wizard-state.ts';
import type { OpenOptions, Phase } from '../../worker/protocol.ts';

export interface LoadProgress {
  phase: Phase;
  done: number;
  total: number;
}

/** What the step needs from the worker client (wired by the app). */
export interface SourceLoader {
  open: (file: File, options: OpenOptions, hooks: { onProgress: (p: LoadProgress) => void; signal: AbortSignal }) => Promise<ParsedTable>;
  reparse: (options: OpenOptions, hooks: { onProgress: (p: LoadProgress) => void; signal: AbortSignal }) => Promise<ParsedTable>;
}

export type Status = { kind: 'idle' } | { kind: 'loading'; progress: LoadProgress | null } | { kind: 'failed'; message: string; issues: FileIssue[] };

export function useSourceLoader(loader: SourceLoader, initial: SourceFile<ParsedTable> | undefined, newSourceId: () => string) {
  const [source, setSource] = useState<SourceFile<ParsedTable> | undefined>(initial);
  const [options, setOptions] = useState<OpenOptions>({});
  const [status, setStatus] = useState<Status>({ kind: 'idle' });
  // The picked file itself, so a workbook's sheets can be handed to a run of several sheets (each read by its own worker).
  const [file, setFile] = useState<File | null>(null);
  const abort = useRef<AbortController | null>(null);

  const run = async (
    work: (hooks: { onProgress: (p: LoadProgress) => void; signal: AbortSignal }) => Promise<ParsedTable>,
    meta: { name: string; size: number; sourceId: string },
  ) => {
    abort.current?.abort();
    const ctrl = new AbortController();
    abort.current = ctrl;
    setStatus({ kind: 'loading', progress: null });
    try {
      const table = await work({ onProgress: (p) => setStatus({ kind: 'loading', progress: p }), signal: ctrl.signal });
      if (ctrl.signal.aborted) return;
      setSource({ ...meta, table });
      setStatus({ kind: 'idle' });
    } catch (e) {
      if (ctrl.signal.aborted) return;
      const issues = typeof e === 'object' && e !== null && 'issues' in e && Array.isArray(e.issues) ? (e as { issues: FileIssue[] }).issues : [];
      setStatus({ kind: 'failed', message: e instanceof Error ? e.message : String(e), issues });
    }
  };

  const openFile = (file: File) => {
    setSource(undefined);
    setFile(file);
    const fresh: OpenOptions = {};
    setOptions(fresh);
    void run((h) => loader.open(file, fresh, h), { name: file.name, size: file.size, sourceId: newSourceId() });
  };

  const reparse = (next: OpenOptions) => {
    if (!source) return;
    setOptions(next);
    // A re-parse changes the rows, so it is a new source for mappings and edits.
    void run((h) => loader.reparse(next, h), { name: source.name, size: source.size, sourceId: newSourceId() });
  };

  return { source, file, options, status, openFile, reparse };
}
