// Main-thread client for the import worker: posts the File itself, streams progress and row batches, receives
// zips as transferred buffers, cancels via AbortSignal, and runs the same session in-thread where Worker is missing.

import type { ParsedTable, SourceRow } from '../domain/csv/types.ts';
import type { JobPart, SplitResult } from '../domain/jobs/types.ts';
import type { PackedEdits } from '../domain/jobs/packed-edits.ts';
import { createImportSession, yieldToEvents } from './import-session.ts';
import type {
  BuildJobsInput,
  OpenOptions,
  Phase,
  RevalidateInput,
  ValidateInput,
  WorkerEvent,
  WorkerFixes,
  WorkerRequest,
  WorkerValidation,
} from './protocol.ts';
import { cellAt, lazyRows, packRows, type PackedRows } from '../domain/csv/packed-rows.ts';
import type { OrgPredictWire, OrgStartInput, PackedOrgPrediction } from './org-protocol.ts';

export interface Progress {
  phase: Phase;
  done: number;
  total: number;
}

export interface CallHandlers {
  onProgress?: (p: Progress) => void;
  /** Row batches as they arrive (offset = index of the first row in the batch). */
  onRows?: (offset: number, rows: SourceRow[]) => void;
  signal?: AbortSignal;
}

export class ImportCancelledError extends Error {
  constructor() {
    super('The operation was cancelled.');
    this.name = 'ImportCancelledError';
  }
}

export class ImportFailedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImportFailedError';
  }
}

export interface ImportClient {
  /** Read, decode and parse a file. Resolves with the whole table (rows also stream through onRows). */
  openFile(file: Blob, opts?: OpenOptions, handlers?: CallHandlers): Promise<ParsedTable>;
  /** Parse the open file again with another delimiter/encoding/header choice. */
  reparse(opts: OpenOptions, handlers?: CallHandlers): Promise<ParsedTable>;
  /**
   * Pre-flight validation (validateTable) of the open file's rows plus edits, off the main thread, with progress;
   * an abort stops it between row slices. Pass the table being reviewed: when it is not the one the worker holds
   * (the worker was restarted), its rows are sent along once.
   */
  validate(input: ValidateInput, handlers?: CallHandlers, table?: ParsedTable): Promise<WorkerValidation>;
  /** Re-check one edited row against the validation named by `base`; null when the worker no longer has it. */
  revalidate(input: RevalidateInput, handlers?: CallHandlers): Promise<WorkerValidation | null>;
  /**
   * The clean-ups a re-check left out of date (its result's `fixesPending`), for the kept validation `base`; null
   * when they were not worked out (a newer check replaced `base` or waits: ask again after its result). `columns`:
   * the result's `staleColumns`; when the worker let its rows go, only those columns are lent for it.
   */
  refreshFixes(base: number, handlers?: CallHandlers, columns?: readonly number[]): Promise<WorkerFixes | null>;
  /**
   * Serialise the mapped columns of the selected rows, split into jobs and zip each. The input's typed arrays (row
   * indexes, packed edits) are transferred to the worker, not copied: they are unusable here afterwards.
   */
  buildJobs(input: BuildJobsInput, handlers?: CallHandlers): Promise<SplitResult>;
  /**
   * Drops the org snapshot the worker holds (the org check's copy of the org). Call on disconnect and when a new
   * import starts; opening a file drops it too. With `check`, only the snapshot started for that run of the check
   * (OrgStartInput.check): how a run cleans up after itself without dropping a newer run's copy.
   */
  orgReset(check?: number): Promise<void>;
  /** Starts a new snapshot: which modules and fields are read, the lookup targets' field models, the users. */
  orgStart(input: OrgStartInput, handlers?: CallHandlers): Promise<void>;
  /**
   * A Bulk Read result ZIP handed to the worker as it downloads: `begin` before each download attempt (it drops
   * what an unfinished attempt brought), `push` each piece (its buffer is transferred: unusable here afterwards),
   * `end` once the download is complete; it resolves with the module's records so far.
   */
  /** `records`: the page's record count as its Bulk Read job gives it (room for them is made once, up front). */
  orgPageStream(module: string, records?: number): OrgPageUpload;
  /** Predicts every row against the snapshot; null when the worker holds none. */
  orgPredict(input: OrgPredictWire, handlers?: CallHandlers, table?: ParsedTable): Promise<PackedOrgPrediction | null>;
  /** Has the worker work out the file's half of the next orgPredict with these settings (rows only, no org data). */
  orgPrepare(input: OrgPredictWire, handlers?: CallHandlers, table?: ParsedTable): Promise<void>;
  /**
   * Lets the worker drop its copy of the table and everything worked out from it (call once the rows are only read
   * here, e.g. when an import has started). A later request that reads rows lends this thread's copy back first, in
   * slices of this thread; a row re-check answers null (check in full). Decision 152.
   */
  release(): Promise<void>;
  /** true when a real Web Worker does the work. */
  readonly usesWorker: boolean;
  dispose(): void;
}

interface Pending {
  handlers: CallHandlers;
  rows: SourceRow[];
  /** The packed batches the rows were made from, kept to lend the table back to the worker (release). */
  batches: { offset: number; packed: PackedRows }[];
  jobs: JobPart[];
  resolve: (value: ParsedTable | SplitResult | WorkerValidation | WorkerFixes | PackedOrgPrediction | number | null) => void;
  reject: (err: Error) => void;
}

interface Port {
  post(req: WorkerRequest, transfer?: Transferable[]): void;
  terminate(): void;
}

export interface ImportClientOptions {
  /** Skip the Worker even where it exists (tests, debugging). */
  inThread?: boolean;
  /** Factory for the worker; defaults to the bundled import.worker.ts. */
  createWorker?: () => Worker;
  /**
   * The worker keeps no copy of the rows between requests (decision 152): it lets them go after each check, split
   * and clean-up refresh, and this thread lends its own copy back before the next request that reads them. A row
   * re-check then needs `before` (the row's cells as that check saw them). The org check keeps them while it runs.
   */
  lendRows?: boolean;
}

function defaultWorker(): Worker {
  return new Worker(new URL('./import.worker.ts', import.meta.url), { type: 'module' });
}

export interface OrgPageUpload {
  begin(): void;
  push(bytes: Uint8Array): void;
  end(handlers?: CallHandlers): Promise<number>;
}

/**
 * The buffers a request can move to the worker instead of copying: packed edits' typed arrays and byte pieces, and
 * other typed arrays that own their whole buffer. The caller must not read them afterwards (they are emptied).
 */
function transferOf(edits: readonly (PackedEdits | undefined)[], ...arrays: (ArrayBufferView | undefined)[]): ArrayBuffer[] {
  const views: (ArrayBufferView | undefined)[] = [...arrays];
  for (const e of edits) if (e) views.push(e.rowIndexes, e.columns, e.lengths, ...e.text.filter((t) => typeof t !== 'string'));
  const out: ArrayBuffer[] = [];
  for (const v of views)
    if (v && v.buffer instanceof ArrayBuffer && v.byteOffset === 0 && v.byteLength === v.buffer.byteLength && !out.includes(v.buffer)) out.push(v.buffer);
  return out;
}

/** Bytes of a Bulk Read download per message to the worker (see orgPageStream). */
const PAGE_BATCH = 256 * 1024;

/** The name of the performance measure of each lending of rows to the worker. */
export const LEND_MEASURE = 'rows lent to the import worker';

/** Rows per batch when a table has no batches of its own to lend (one made on this thread). */
const LEND_BATCH = 2_000;
/** Lending posts batches for this long, then lets the thread run (a million rows are ~500 batches, 1.5–2.3 s in all). */
const LEND_SLICE_MS = 20;

// The packed batches each opened table's rows were made from (by its rows array): the text is the rows' own, so
// keeping them costs only their widths and line numbers (8 bytes a row).
const batchesOf = new WeakMap<readonly SourceRow[], { offset: number; packed: PackedRows }[]>();

/** The table in batches to lend: the ones it was opened from, else packed here from its rows. */
function* lendBatches(rows: readonly SourceRow[]): Generator<{ offset: number; packed: PackedRows }> {
  const own = batchesOf.get(rows);
  if (own !== undefined) {
    yield* own;
    return;
  }
  for (let offset = 0; offset < rows.length; offset += LEND_BATCH) yield { offset, packed: packRows(rows.slice(offset, offset + LEND_BATCH)) };
}

export function createImportClient(options: ImportClientOptions = {}): ImportClient {
  const canUseWorker = !options.inThread && typeof Worker !== 'undefined';
  const lendMode = options.lendRows === true;
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let port: Port | null = null;
  let hasFile = false;
  // The table the worker holds (the last one opened, re-parsed or lent), so a request can tell whether to lend rows.
  let held: ParsedTable | null = null;
  // The table the worker let go of (release): lent back before the next request that reads rows.
  let released: ParsedTable | null = null;
  // Requests that read rows, in lend mode, one after another (withRows): the last one's turn.
  let rowsTurn: Promise<void> = Promise.resolve();

  const onEvent = (ev: WorkerEvent): void => {
    // The worker let its rows go at the end of that request (lend mode): lent again before the next that reads them.
    if ((ev.type === 'validated' || ev.type === 'fixes' || ev.type === 'jobs') && ev.rowsReleased === true && held !== null) {
      released = held;
      held = null;
    }
    const p = pending.get(ev.id);
    if (!p) return;
    switch (ev.type) {
      case 'progress':
        p.handlers.onProgress?.({ phase: ev.phase, done: ev.done, total: ev.total });
        return;
      case 'rows': {
        const rows = lazyRows(ev.packed);
        for (const r of rows) p.rows.push(r);
        p.batches.push({ offset: ev.offset, packed: ev.packed });
        p.handlers.onRows?.(ev.offset, rows);
        return;
      }
      case 'opened':
        pending.delete(ev.id);
        batchesOf.set(p.rows, p.batches);
        p.resolve({ ...ev.table, rows: p.rows });
        return;
      case 'held':
        pending.delete(ev.id);
        p.resolve(ev.rows);
        return;
      case 'validated':
      case 'fixes':
        pending.delete(ev.id);
        p.resolve(ev.result);
        return;
      case 'orgAck':
        pending.delete(ev.id);
        p.resolve(ev.records);
        return;
      case 'orgPredicted':
        pending.delete(ev.id);
        p.resolve(ev.result);
        return;
      case 'job':
        p.jobs.push(ev.part);
        return;
      case 'jobs':
        pending.delete(ev.id);
        p.resolve({ header: ev.header, jobs: p.jobs, totalRows: ev.totalRows });
        return;
      case 'failed':
        pending.delete(ev.id);
        p.reject(new ImportFailedError(ev.message));
        return;
      case 'cancelled':
        pending.delete(ev.id);
        p.reject(new ImportCancelledError());
        return;
    }
  };

  const getPort = (): Port => {
    if (port) return port;
    if (canUseWorker) {
      const worker = (options.createWorker ?? defaultWorker)();
      worker.addEventListener('message', (e: MessageEvent<WorkerEvent>) => onEvent(e.data));
      worker.addEventListener('error', (e) => {
        // A worker that fails to load or crashes is not reused: the next call starts a fresh one.
        worker.terminate();
        port = null;
        hasFile = false;
        held = null;
        released = null;
        for (const [id, p] of pending) {
          pending.delete(id);
          p.reject(new ImportFailedError(`The import worker crashed: ${e.message || 'unknown error'}. Reload the page and try again.`));
        }
      });
      port = { post: (req, transfer) => worker.postMessage(req, transfer ?? []), terminate: () => worker.terminate() };
    } else {
      // Same session code, same messages — only without a thread boundary.
      const session = createImportSession((ev) => onEvent(ev));
      port = { post: (req) => void session.handle(req), terminate: () => undefined };
    }
    return port;
  };

  /**
   * Posts a lending's batches to the worker, LEND_SLICE_MS of this thread's work at a time, each batch's typed arrays
   * transferred. Once `signal` is aborted it calls `onCancel` and throws ImportCancelledError (checked before each
   * batch is posted).
   */
  async function postLent(
    lend: number,
    batches: Iterable<{ offset: number; packed: PackedRows }>,
    signal: AbortSignal | undefined,
    onCancel?: () => Promise<void>,
  ): Promise<void> {
    let end = performance.now() + LEND_SLICE_MS;
    for (const { offset, packed } of batches) {
      if (signal?.aborted) {
        await onCancel?.();
        throw new ImportCancelledError();
      }
      getPort().post({ type: 'lendRows', id: lend, lend, offset, packed }, [packed.cellLengths.buffer, packed.widths.buffer, packed.lines.buffer]);
      if (performance.now() >= end) {
        await yieldToEvents();
        end = performance.now() + LEND_SLICE_MS;
      }
    }
  }

  /**
   * Makes the worker hold `table` (or, without one, the table it released) before a request that reads rows: its
   * packed batches are lent in slices of this thread, then `restore` makes them the worker's table. Nothing when the
   * worker holds it already. The table's text is cloned once (1.5–2.3 s at a million rows, spread over the slices).
   */
  async function ensureHeld(table: ParsedTable | undefined, signal: AbortSignal | undefined): Promise<void> {
    const want = table ?? (held === null ? released : null);
    if (want === null || want === held) return;
    const lend = nextId++;
    const began = performance.now();
    // The page keeps its batches: the worker is sent copies of their typed arrays (the text is a string, cloned).
    const rows = want.rows;
    function* copies(): Generator<{ offset: number; packed: PackedRows }> {
      for (const { offset, packed } of lendBatches(rows))
        yield { offset, packed: { text: packed.text, cellLengths: packed.cellLengths.slice(), widths: packed.widths.slice(), lines: packed.lines.slice() } };
    }
    // What was lent before a cancel is dropped with the worker's table (released: lent again when next needed).
    await postLent(lend, copies(), signal, () => release(lend));
    const same = want === released;
    held = null;
    await call<number>((id) => ({ type: 'restore', id, lend, headers: want.headers, rowCount: want.rows.length, same }), {}, false);
    held = want;
    released = null;
    hasFile = true;
    // For the benchmarks (docs/benchmarks.md §6): how long each lending took, posting and the worker's reading.
    performance.measure(LEND_MEASURE, { start: began, detail: { rows: want.rows.length } });
  }

  /**
   * Lends `columns` of every row for one request (a refresh of clean-ups): each row as a row of empty cells but
   * those, packed here in batches, 20 ms of work per slice. One column of a million rows is ~15 MB instead of the
   * whole table's ~300 MB. Returns the lending's id.
   */
  async function lendColumns(rows: readonly SourceRow[], columns: readonly number[], signal: AbortSignal | undefined): Promise<number> {
    const lend = nextId++;
    const width = Math.max(...columns) + 1;
    function* packed(): Generator<{ offset: number; packed: PackedRows }> {
      for (let offset = 0; offset < rows.length; offset += LEND_BATCH) {
        const part = rows.slice(offset, offset + LEND_BATCH).map((r) => {
          const cells = new Array<string>(width).fill('');
          for (const c of columns) cells[c] = cellAt(r, c);
          return { line: r.line, cells };
        });
        yield { offset, packed: packRows(part) };
      }
    }
    await postLent(lend, packed(), signal);
    return lend;
  }

  /**
   * A request that reads rows: the worker is made to hold `table` (or the table it let go of) first, and in lend
   * mode it is sent with `release`, so the worker lets the rows go once done (unless an org check holds them). In
   * lend mode these requests run one after another: a request posted while another still reads the rows would find
   * them let go of.
   */
  async function withRows<T>(
    table: ParsedTable | undefined | 'lends its own',
    signal: AbortSignal | undefined,
    releases: boolean,
    run: (release: boolean) => Promise<T>,
  ): Promise<T> {
    if (!lendMode) {
      if (table !== 'lends its own') await ensureHeld(table, signal);
      return run(false);
    }
    const before = rowsTurn;
    let done = (): void => undefined;
    rowsTurn = new Promise((resolve) => {
      done = resolve;
    });
    try {
      await before;
      if (table !== 'lends its own') await ensureHeld(table, signal);
      // The answer says whether the worker let the rows go (onEvent): it keeps them while an org check holds its
      // snapshot, or when the request was cancelled or failed.
      return await run(releases);
    } finally {
      done();
    }
  }

  async function release(lend?: number): Promise<void> {
    if (!port) return;
    released = held ?? released;
    held = null;
    await call<number>((id) => ({ type: 'release', id, ...(lend === undefined ? {} : { lend }) }), {}, false);
  }

  function call<T extends ParsedTable | SplitResult | WorkerValidation | WorkerFixes | PackedOrgPrediction | number | null>(
    make: (id: number) => WorkerRequest,
    handlers: CallHandlers,
    hardCancel: boolean,
    transfer?: Transferable[],
  ): Promise<T> {
    const id = nextId++;
    const { signal } = handlers;
    if (signal?.aborted) return Promise.reject(new ImportCancelledError());
    return new Promise<T>((resolve, reject) => {
      const onAbort = (): void => {
        const p = pending.get(id);
        if (!p) return;
        if (hardCancel && canUseWorker && port) {
          // A synchronous parse cannot hear a message: stop the thread; the next call starts a fresh one.
          port.terminate();
          port = null;
          hasFile = false;
          held = null;
          released = null;
          for (const [otherId, other] of pending) {
            pending.delete(otherId);
            other.reject(new ImportCancelledError());
          }
          return;
        }
        getPort().post({ type: 'cancel', id });
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      pending.set(id, {
        handlers,
        rows: [],
        batches: [],
        jobs: [],
        resolve: (v) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(v as T);
        },
        reject: (e) => {
          signal?.removeEventListener('abort', onAbort);
          reject(e);
        },
      });
      getPort().post(make(id), transfer);
    });
  }

  return {
    usesWorker: canUseWorker,
    async openFile(file, opts = {}, handlers = {}) {
      held = null;
      released = null;
      const table = await call<ParsedTable>((id) => ({ type: 'open', id, file, options: opts }), handlers, true);
      hasFile = true;
      held = table;
      return table;
    },
    async reparse(opts, handlers = {}) {
      if (!hasFile) throw new ImportFailedError('No file is open. Choose the CSV file again.');
      held = null;
      released = null;
      const table = await call<ParsedTable>((id) => ({ type: 'reparse', id, options: opts }), handlers, true);
      held = table;
      return table;
    },
    async validate(input, handlers = {}, table) {
      if (!hasFile && table === undefined) throw new ImportFailedError('No file is open. Choose the CSV file again.');
      // Soft cancel: validation stops between row slices, and the worker keeps the parsed file. The packed edits
      // move: cloning a million rows' edits was ~140 ms of one main-thread task after a clean-up (decision 148).
      return withRows(table, handlers.signal, true, (release) =>
        call<WorkerValidation>((id) => ({ type: 'validate', id, input: release ? { ...input, release } : input }), handlers, false, transferOf([input.edits])),
      );
    },
    revalidate(input, handlers = {}) {
      if (!hasFile) return Promise.resolve(null);
      return call<WorkerValidation | null>((id) => ({ type: 'revalidate', id, input }), handlers, false);
    },
    async refreshFixes(base, handlers = {}, columns) {
      if (!hasFile) return null;
      // The clean-ups read whole columns: rows let go of are lent for it (only those columns when known).
      const from = held === null ? released : null;
      if (lendMode && from !== null && columns !== undefined && columns.length > 0) {
        return withRows('lends its own', handlers.signal, false, async () => {
          // The worker holds the table after all (an org check keeps it): it is read as it is.
          if (held !== null) return call<WorkerFixes | null>((id) => ({ type: 'refreshFixes', id, input: { base } }), handlers, false);
          const lend = await lendColumns(from.rows, columns, handlers.signal);
          return call<WorkerFixes | null>((id) => ({ type: 'refreshFixes', id, input: { base, release: true, lend, columns: [...columns] } }), handlers, false);
        });
      }
      return withRows(undefined, handlers.signal, true, (release) =>
        call<WorkerFixes | null>((id) => ({ type: 'refreshFixes', id, input: release ? { base, release } : { base } }), handlers, false),
      );
    },
    async buildJobs(input, handlers = {}) {
      if (!hasFile) throw new ImportFailedError('No file is open. Choose the CSV file again.');
      // Cloning the typed arrays of a million-row plan (~16 MB) took most of a ~0.2 s task at Review's Next.
      return withRows(undefined, handlers.signal, true, (release) =>
        call<SplitResult>(
          (id) => ({ type: 'buildJobs', id, input: release ? { ...input, release } : input }),
          handlers,
          false,
          transferOf([input.edits], input.rowIndexes),
        ),
      );
    },
    async orgReset(check) {
      // No thread yet: nothing is held.
      if (!port) return;
      await call<number>((id) => ({ type: 'orgReset', id, ...(check === undefined ? {} : { check }) }), {}, false);
    },
    async orgStart(input, handlers = {}) {
      await call<number>((id) => ({ type: 'orgStart', id, input }), handlers, false);
    },
    orgPageStream(module, records) {
      let attempt = 0;
      // The network hands over pieces of a few KB; they go to the worker in batches of PAGE_BATCH bytes (one
      // message and one write to the worker's inflater per batch instead of per piece).
      let batch = new Uint8Array(PAGE_BATCH);
      let filled = 0;
      const send = (): void => {
        if (filled === 0) return;
        const chunk = batch.buffer.slice(0, filled);
        filled = 0;
        // The worker takes the batch's memory: the main thread keeps no copy of the org's data.
        getPort().post({ type: 'orgPageChunk', id: attempt, module, chunk }, [chunk]);
      };
      return {
        begin() {
          attempt = nextId++;
          filled = 0;
          if (batch.length === 0) batch = new Uint8Array(PAGE_BATCH);
          getPort().post({ type: 'orgPageBegin', id: attempt, module, ...(records !== undefined ? { records } : {}) });
        },
        push(bytes) {
          for (let at = 0; at < bytes.length;) {
            const n = Math.min(bytes.length - at, batch.length - filled);
            batch.set(bytes.subarray(at, at + n), filled);
            filled += n;
            at += n;
            if (filled === batch.length) send();
          }
        },
        end(handlers = {}) {
          send();
          batch = new Uint8Array(0);
          return call<number>((id) => ({ type: 'orgPageEnd', id, module, attempt }), handlers, false);
        },
      };
    },
    orgPredict(input, handlers = {}, table) {
      return withRows(table, handlers.signal, false, () => call<PackedOrgPrediction | null>((id) => ({ type: 'orgPredict', id, input }), handlers, false));
    },
    async orgPrepare(input, handlers = {}, table) {
      await withRows(table, handlers.signal, false, () => call<number>((id) => ({ type: 'orgPrepare', id, input }), handlers, false));
    },
    release: () => release(),
    dispose() {
      port?.terminate();
      port = null;
      hasFile = false;
      held = null;
      released = null;
      for (const [id, p] of pending) {
        pending.delete(id);
        p.reject(new ImportCancelledError());
      }
    },
  };
}
