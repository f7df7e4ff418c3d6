// The worker's whole job, as a plain object so it runs the same way inside import.worker.ts and in-thread
// (Vitest/Node, or a browser without Worker): read the File, decode, parse, stream rows, split and zip.

import { readTable } from '../domain/csv/read-table.ts';
import type { ParsedTable, SourceRow } from '../domain/csv/types.ts';
import { SplitCancelledError, splitIntoJobs } from '../domain/jobs/split.ts';
import { validateTable } from '../domain/validation/preflight.ts';
import type { OpenOptions, WorkerEvent, WorkerRequest } from './protocol.ts';
import { packJob, packRows } from './row-batch.ts';

export type Emit = (event: WorkerEvent, transfer?: Transferable[]) => void;

// Small enough that unpacking one batch on the main thread stays a few milliseconds.
const DEFAULT_BATCH = 2_000;
const READ_PROGRESS_STEP = 4 * 1024 * 1024;

async function readBlob(file: Blob, onProgress: (done: number, total: number) => void, cancelled: () => boolean): Promise<Uint8Array | null> {
  const total = file.size;
  const out = new Uint8Array(total);
  const reader = file.stream().getReader();
  let done = 0;
  let lastReport = 0;
  onProgress(0, total);
  for (;;) {
    const { value, done: end } = await reader.read();
    if (end) break;
    if (cancelled()) {
      await reader.cancel();
      return null;
    }
    out.set(value, done);
    done += value.length;
    if (done - lastReport >= READ_PROGRESS_STEP) {
      lastReport = done;
      onProgress(done, total);
    }
  }
  onProgress(done, total);
  return done === total ? out : out.subarray(0, done);
}

/** Rows with the user's inline edits applied (same row index, same source line). */
function withEdits(rows: SourceRow[], edits: ReadonlyArray<{ rowIndex: number; cells: string[] }> | undefined): SourceRow[] {
  if (!edits || edits.length === 0) return rows;
  const out = rows.slice();
  for (const e of edits) {
    const r = out[e.rowIndex];
    if (r) out[e.rowIndex] = { line: r.line, cells: [...e.cells] };
  }
  return out;
}

export interface ImportSession {
  handle(req: WorkerRequest): Promise<void>;
}

export function createImportSession(emit: Emit): ImportSession {
  let bytes: Uint8Array | null = null;
  let rows: SourceRow[] = [];
  let headers: string[] = [];
  const cancelled = new Set<number>();

  const publish = (id: number, table: ParsedTable, opts: OpenOptions): void => {
    rows = table.rows;
    headers = table.headers;
    const batch = Math.max(1, opts.batchSize ?? DEFAULT_BATCH);
    for (let offset = 0; offset < table.rows.length; offset += batch) {
      if (cancelled.has(id)) return;
      const packed = packRows(table.rows.slice(offset, offset + batch));
      emit({ type: 'rows', id, offset, packed }, [packed.cellLengths.buffer, packed.widths.buffer, packed.lines.buffer]);
    }
    const { rows: _rows, ...summary } = table;
    emit({ type: 'opened', id, table: summary });
  };

  const parseNow = (id: number, opts: OpenOptions): void => {
    if (!bytes) {
      emit({ type: 'failed', id, message: 'No file is open. Choose the CSV file again.' });
      return;
    }
    emit({ type: 'progress', id, phase: 'parse', done: 0, total: bytes.length });
    const table = readTable(bytes, { ...(opts.decode ? { decode: opts.decode } : {}), ...(opts.parse ? { parse: opts.parse } : {}) });
    emit({ type: 'progress', id, phase: 'parse', done: bytes.length, total: bytes.length });
    publish(id, table, opts);
  };

  const run = async (req: WorkerRequest): Promise<void> => {
    switch (req.type) {
      case 'cancel':
        cancelled.add(req.id);
        return;
      case 'open': {
        rows = [];
        bytes = null;
        const read = await readBlob(req.file, (done, total) => emit({ type: 'progress', id: req.id, phase: 'read', done, total }), () => cancelled.has(req.id));
        if (read === null) {
          emit({ type: 'cancelled', id: req.id });
          return;
        }
        bytes = read;
        parseNow(req.id, req.options);
        return;
      }
      case 'reparse':
        parseNow(req.id, req.options);
        return;
      case 'validate': {
        const { edits, excluded, ...input } = req.input;
        const source = withEdits(rows, edits);
        emit({ type: 'progress', id: req.id, phase: 'validate', done: 0, total: source.length });
        const { state: _state, ...result } = validateTable({ ...input, headers, rows: source, excluded: new Set(excluded ?? []) });
        emit({ type: 'progress', id: req.id, phase: 'validate', done: source.length, total: source.length });
        emit({ type: 'validated', id: req.id, result });
        return;
      }
      case 'buildJobs': {
        const { edits, ...input } = req.input;
        const source = withEdits(rows, edits);
        let result;
        try {
          result = await splitIntoJobs({ ...input, rows: source }, (phase, done, total) => {
            emit({ type: 'progress', id: req.id, phase, done, total });
          }, () => cancelled.has(req.id));
        } catch (err) {
          if (!(err instanceof SplitCancelledError)) throw err;
          emit({ type: 'cancelled', id: req.id });
          return;
        }
        if (cancelled.has(req.id)) {
          emit({ type: 'cancelled', id: req.id });
          return;
        }
        for (const job of result.jobs) {
          const { part, transfer } = packJob(job);
          emit({ type: 'job', id: req.id, part }, transfer);
        }
        emit({ type: 'jobs', id: req.id, header: result.header, totalRows: result.totalRows });
        return;
      }
    }
  };

  return {
    async handle(req) {
      try {
        await run(req);
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        emit({ type: 'failed', id: req.id, message });
      } finally {
        if (req.type !== 'cancel') cancelled.delete(req.id);
      }
    },
  };
}
