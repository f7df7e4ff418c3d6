// The worker's whole job, as a plain object so it runs the same way inside import.worker.ts and in-thread
// (Vitest/Node, or a browser without Worker): read the File, decode, parse, stream rows, split and zip.

import { readTable } from '../domain/csv/read-table.ts';
import type { ParsedTable, SourceRow } from '../domain/csv/types.ts';
import { applyPackedEdits, type PackedEdits } from '../domain/jobs/packed-edits.ts';
import { SplitCancelledError, splitIntoJobs } from '../domain/jobs/split.ts';
import type { TableValidation } from '../domain/validation/preflight-state.ts';
import { detachRows, revalidateRow, validateTableSteps } from '../domain/validation/preflight.ts';
import type { FieldModel } from '../domain/fields/field-model.ts';
import { cleanUpsCannotChange, fixTransfer, fixesOfColumn, mappedFields, type PackedFix } from './column-fixes.ts';
import { diffIssues, packIssues, packedTransfer } from './issue-pack.ts';
import type { OpenOptions, WorkerEvent, WorkerFixes, WorkerRequest, WorkerValidation } from './protocol.ts';
import { packJob } from './row-batch.ts';
import { nativeZipCsv } from './native-zip.ts';
import { lazyRows, packRows } from '../domain/csv/packed-rows.ts';
import { createOrgSession } from './org-session.ts';
import { rowsWithUserIds as withUserIds } from '../domain/org-check/users.ts';
import type * as WorkbookModule from './workbook.ts';
import type { WorkbookRead } from './workbook.ts';
import { detectNonCsv } from '../domain/csv/decode.ts';
import { fileSizeRefusal, rowCountRefusal } from './memory-guard.ts';

export type Emit = (event: WorkerEvent, transfer?: Transferable[]) => void;

// Small enough that unpacking one batch on the main thread stays a few milliseconds.
const DEFAULT_BATCH = 2_000;
const READ_PROGRESS_STEP = 4 * 1024 * 1024;
// Validation runs in slices of rows; between slices, at most this often, it reports progress and lets a cancel in.
const VALIDATE_SLICE = 2_000;
const VALIDATE_YIELD_MS = 40;

/** Lets queued messages and tasks in (a cancel, a frame on the main thread), then resumes. */
export const yieldToEvents = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

function toWire(
  v: TableValidation,
  base: number,
  changed: { changedRows: number[]; issues: TableValidation['issues'] } | null,
  fixes: { columns: number[]; fixes: PackedFix[] },
  stale: readonly number[] = [],
): { result: WorkerValidation; transfer: ArrayBuffer[] } {
  const issues = packIssues(changed ? changed.issues : v.issues);
  const changedRows = changed ? Uint32Array.from(changed.changedRows) : null;
  const predictedSkips = Uint32Array.from(v.predictedSkips);
  const result: WorkerValidation = {
    base,
    changedRows,
    issues,
    tableIssues: v.tableIssues,
    predictedSkips,
    countsByColumn: v.countsByColumn,
    fixColumns: fixes.columns,
    fixes: fixes.fixes,
    fixesPending: stale.length > 0,
    staleColumns: [...stale].sort((a, b) => a - b),
  };
  const transfer = [...packedTransfer(issues), predictedSkips.buffer, ...fixes.fixes.flatMap(fixTransfer)];
  if (changedRows) transfer.push(changedRows.buffer);
  return { result, transfer };
}

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

export interface ImportSession {
  handle(req: WorkerRequest): Promise<void>;
}

export function createImportSession(emit: Emit): ImportSession {
  // The file as chosen (a File lives on disk, not in this heap) and its bytes while they are needed: a CSV's bytes are
  // dropped once it is parsed (at a million rows they were 320 MB beside the parsed table) and read again from the
  // file for a re-parse (another encoding, delimiter or header row).
  let chosenFile: Blob | null = null;
  let bytes: Uint8Array | null = null;
  // A workbook is read once per open; re-parses (another sheet, another header row) reuse it.
  let workbook: WorkbookRead | null = null;
  // The spreadsheet parser is loaded on the first workbook only: CSV users never download or compile it.
  let workbookModule: Promise<typeof WorkbookModule> | null = null;
  let fileName = 'The file';
  let rows: SourceRow[] = [];
  let headers: string[] = [];
  const cancelled = new Set<number>();
  // The last finished validation (its state holds the table) and the request that produced it: row re-checks
  // update it in place, so each names the base it expects.
  // `source` is the rows as they stand (edits applied) and `mapped` the columns that get clean-up suggestions.
  // `stale`: mapped columns whose clean-ups a re-check left out of date (refreshFixes works them out).
  // `source` is null once the rows were let go of (decision 152): `edits` (the check's own) rebuilds it from lent rows.
  let kept: {
    base: number;
    validation: TableValidation;
    source: SourceRow[] | null;
    edits: PackedEdits | undefined;
    mapped: Map<number, FieldModel>;
    stale: Set<number>;
  } | null = null;
  // Validations, row re-checks and clean-up refreshes run one after another: a re-check must see the validation
  // queued before it. `checksWaiting` counts the validations and re-checks received and not yet started: a refresh
  // of clean-ups gives way to them (each brings a newer result, and its own refresh after it).
  let validationQueue: Promise<void> = Promise.resolve();
  let checksWaiting = 0;
  // The org snapshot of the org check: only in this session, dropped with the file it was read for.
  const org = createOrgSession(emit);
  // The rows of the last org prediction (table + edits) and the version the main thread gave them: the next
  // prediction may send its edits against these (editsSince), so one edit after a whole-column clean-up is one row.
  let orgRows: { version: number; rows: readonly SourceRow[] } | null = null;

  // A table the main thread is lending back (decision 152): its batches as they arrive, until `restore`.
  let lending: { lend: number; rows: SourceRow[]; received: number } | null = null;

  /**
   * Lets go of the rows (decision 152): the kept validation keeps what its re-checks need without them (detachRows),
   * and the org check's file side and last rows go; the main thread lends the rows back when a request reads them.
   */
  const letRowsGo = (force = false): boolean => {
    // An org check's re-predictions are made over the rows of the last prediction: kept while it holds its snapshot.
    if (!force && org.active()) return false;
    if (kept !== null && kept.source !== null) {
      detachRows(kept.validation);
      kept = { ...kept, source: null };
    }
    rows = [];
    orgRows = null;
    org.releaseRows();
    return true;
  };
  /** What an answer says when the request let the rows go (`release`): the main thread then knows to lend them. */
  const releasedIf = (release: boolean | undefined): { rowsReleased?: true } => (release === true && letRowsGo() ? { rowsReleased: true } : {});

  /** The table the session now holds (a lent one, or none), and nothing derived from the last one. */
  const takeTable = (table: { headers: string[]; rows: SourceRow[] }): void => {
    rows = table.rows;
    headers = table.headers;
    kept = null;
    orgRows = null;
    org.releaseRows();
  };

  const publish = (id: number, table: ParsedTable, opts: OpenOptions): void => {
    rows = table.rows;
    headers = table.headers;
    kept = null;
    orgRows = null;
    const batch = Math.max(1, opts.batchSize ?? DEFAULT_BATCH);
    // The session keeps the table packed, batch by batch, as it sends it (decision 146): each batch's rows are
    // replaced in the table by rows over the packed batch, so the parsed strings (one per cell: at a million rows
    // ~950 MB) become garbage as the batches go. The main thread gets its own copy of the lengths.
    for (let offset = 0; offset < table.rows.length; offset += batch) {
      if (cancelled.has(id)) return;
      const packed = packRows(table.rows.slice(offset, offset + batch));
      const lazy = lazyRows(packed);
      for (let i = 0; i < lazy.length; i++) table.rows[offset + i] = lazy[i] as SourceRow;
      const sent = { text: packed.text, cellLengths: packed.cellLengths.slice(), widths: packed.widths, lines: packed.lines };
      emit({ type: 'rows', id, offset, packed: sent }, [sent.cellLengths.buffer, sent.widths.buffer, sent.lines.buffer]);
    }
    const { rows: _rows, ...summary } = table;
    emit({ type: 'opened', id, table: summary });
  };

  const parseNow = async (id: number, opts: OpenOptions): Promise<void> => {
    // This file's bytes, even if another open replaces them while the parser loads.
    const from = chosenFile;
    let file = bytes;
    if (!file && from) {
      try {
        file = await readBlob(
          from,
          (done, total) => emit({ type: 'progress', id, phase: 'read', done, total }),
          () => cancelled.has(id),
        );
      } catch (err) {
        emit({
          type: 'failed',
          id,
          message: `${fileName} could not be read again (${err instanceof Error ? err.message : String(err)}): it may have been moved, changed or deleted since it was chosen. Choose the file again.`,
        });
        return;
      }
      if (file === null) {
        emit({ type: 'cancelled', id });
        return;
      }
    }
    if (!file) {
      emit({ type: 'failed', id, message: 'No file is open. Choose the CSV file again.' });
      return;
    }
    emit({ type: 'progress', id, phase: 'parse', done: 0, total: file.length });
    // The bytes decide (a ZIP: xlsx/ods; an OLE compound file: xls or an encrypted xlsx), not the file's name.
    const kind = detectNonCsv(file);
    const sheets = workbook !== null || kind === 'xlsx-or-zip' || kind === 'xls' ? await (workbookModule ??= import('./workbook.ts')) : null;
    if (sheets && workbook === null) workbook = sheets.openWorkbook(file, fileName);
    const table =
      sheets && workbook
        ? workbook.ok
          ? sheets.workbookTable(workbook.book, fileName, file.length, opts.sheet, opts.parse)
          : sheets.failedWorkbookTable(workbook.issue, file.length)
        : readTable(file, { ...(opts.decode ? { decode: opts.decode } : {}), ...(opts.parse ? { parse: opts.parse } : {}) });
    if (!sheets && chosenFile === from) bytes = null;
    emit({ type: 'progress', id, phase: 'parse', done: file.length, total: file.length });
    // Too many rows: none is sent to the main thread (where a second copy would double the memory), and the
    // parsed table is dropped here (decision 130).
    const tooMany = rowCountRefusal(fileName, table.rows.length);
    if (tooMany !== null) {
      takeTable({ headers: [], rows: [] });
      emit({ type: 'failed', id, message: tooMany });
      return;
    }
    publish(id, table, opts);
  };

  /**
   * The clean-ups a re-check left out of date, for the kept validation `base`. Newer checks may have arrived while
   * this one waited: they go first. It gives way (null) when the kept validation is not `base` (a check or a new file
   * replaced it), or as soon as a check waits behind it.
   */
  const refreshFixes = async (
    id: number,
    base: number,
    lend: number | undefined,
    lentColumns: readonly number[],
    release: boolean | undefined,
  ): Promise<void> => {
    // Rows lent for this refresh alone: only its columns, every row (the table itself stays let go of).
    const lent = lend !== undefined && lending?.lend === lend ? lending : null;
    if (lent !== null) lending = null;
    // Every answer lets the rows go first when asked, and says so.
    const answer = (result: WorkerFixes | null, transfer: ArrayBuffer[] = []): void => emit({ type: 'fixes', id, result, ...releasedIf(release) }, transfer);
    await yieldToEvents();
    const from = kept;
    if (from === null || from.base !== base) {
      answer(null);
      return;
    }
    const givesWay = (): boolean => kept !== from || checksWaiting > 0 || cancelled.has(id);
    // Rows let go of are rebuilt from the lent ones: the check's edits, then each re-checked row as it stands.
    const lines = from.validation.state.lines;
    let source: readonly SourceRow[] | null = from.source;
    const partial = lent !== null && lent.received === lines.length && [...from.stale].every((c) => lentColumns.includes(c)) ? lent.rows : null;
    const over = source === null && rows.length === lines.length && rows.length > 0 ? rows : partial;
    if (source === null && over !== null) {
      // Lent columns only: the other columns' edits would make every edited row a copy for nothing.
      const rebuilt = [...applyPackedEdits(over, from.edits, over === partial ? from.stale : undefined)];
      for (const [row, cells] of from.validation.state.edits) rebuilt[row] = { line: lines[row] as number, cells: [...cells] };
      source = rebuilt;
    }
    if (source === null) {
      // Not lent (the main thread lends them before asking): nothing worked out.
      answer(null);
      return;
    }
    const columns = [...from.stale].sort((a, b) => a - b);
    const fixes: PackedFix[] = [];
    for (const col of columns) {
      if (givesWay()) break;
      fixes.push(...fixesOfColumn(source, col, from.mapped.get(col) as FieldModel));
      await yieldToEvents();
    }
    if (givesWay()) {
      answer(null);
      return;
    }
    from.stale.clear();
    answer({ base: from.base, fixColumns: columns, fixes }, fixes.flatMap(fixTransfer));
  };

  const run = async (req: WorkerRequest): Promise<void> => {
    switch (req.type) {
      case 'cancel':
        cancelled.add(req.id);
        return;
      case 'release':
        // The main thread holds the same rows and lends them back before a request that reads them: until then
        // the worker keeps no row and no file side (at a million rows ~400 MB of this heap). Nothing is re-checked
        // after a release (the wizard releases once an import started), so the kept validation goes too.
        letRowsGo(true);
        kept = null;
        if (req.lend !== undefined && lending?.lend === req.lend) lending = null;
        emit({ type: 'held', id: req.id, rows: 0 });
        return;
      case 'lendRows': {
        if (lending?.lend !== req.lend) lending = { lend: req.lend, rows: [], received: 0 };
        const lent = lazyRows(req.packed);
        for (let i = 0; i < lent.length; i++) lending.rows[req.offset + i] = lent[i] as SourceRow;
        lending.received += lent.length;
        return;
      }
      case 'restore': {
        const got = lending?.lend === req.lend ? lending : null;
        lending = null;
        if (got === null || got.received !== req.rowCount || got.rows.length !== req.rowCount) {
          emit({
            type: 'failed',
            id: req.id,
            message: `The rows were not handed to the import worker whole (${(got?.received ?? 0).toLocaleString('en-US')} of ${req.rowCount.toLocaleString('en-US')} arrived). Try again; if it keeps failing, reload the page.`,
          });
          return;
        }
        if (req.same) rows = got.rows;
        else takeTable({ headers: req.headers, rows: got.rows });
        emit({ type: 'held', id: req.id, rows: got.rows.length });
        return;
      }
      case 'open': {
        rows = [];
        bytes = null;
        chosenFile = null;
        workbook = null;
        fileName = 'name' in req.file && typeof req.file.name === 'string' && req.file.name !== '' ? req.file.name : 'The file';
        org.drop();
        // Refused before a byte is read: the tab never holds a file it could not check (decision 130).
        const tooBig = fileSizeRefusal(fileName, req.file.size);
        if (tooBig !== null) {
          emit({ type: 'failed', id: req.id, message: tooBig });
          return;
        }
        const read = await readBlob(
          req.file,
          (done, total) => emit({ type: 'progress', id: req.id, phase: 'read', done, total }),
          () => cancelled.has(req.id),
        );
        if (read === null) {
          emit({ type: 'cancelled', id: req.id });
          return;
        }
        bytes = read;
        chosenFile = req.file;
        await parseNow(req.id, req.options);
        return;
      }
      case 'reparse':
        await parseNow(req.id, req.options);
        return;
      case 'validate': {
        const { edits, excluded, withFixes, release, ...input } = req.input;
        kept = null;
        if (cancelled.has(req.id)) {
          emit({ type: 'cancelled', id: req.id });
          return;
        }
        // Edited rows hold only their changed cells over the parsed rows (withCell); a copy of the list when edited,
        // since re-checks replace rows in it.
        const applied = applyPackedEdits(rows, edits);
        const source = applied === rows ? rows : [...applied];
        const total = source.length;
        emit({ type: 'progress', id: req.id, phase: 'validate', done: 0, total });
        const steps = validateTableSteps({ ...input, headers, rows: source, excluded: new Set(excluded ?? []) }, VALIDATE_SLICE);
        let lastYield = performance.now();
        let step = steps.next();
        while (step.done !== true) {
          // A cancel that arrived during the last slice is honoured before anything else is reported.
          if (cancelled.has(req.id)) {
            emit({ type: 'cancelled', id: req.id });
            return;
          }
          if (performance.now() - lastYield >= VALIDATE_YIELD_MS) {
            emit({ type: 'progress', id: req.id, phase: 'validate', done: step.value, total });
            // A cancel message can only arrive while the thread is free.
            await yieldToEvents();
            lastYield = performance.now();
          }
          if (cancelled.has(req.id)) {
            emit({ type: 'cancelled', id: req.id });
            return;
          }
          step = steps.next();
        }
        // Clean-up suggestions for every mapped column (over all rows, excluded ones too, as the grid shows them).
        const mapped = withFixes === true ? mappedFields(input.mapping, input.fields, headers.length) : new Map<number, FieldModel>();
        const fixes: PackedFix[] = [];
        // Columns whose every checked cell is blank or valid with plain ends get no clean-up (cleanUpsCannotChange);
        // with excluded rows, which the check does not look at, every column is computed.
        const plain = (excluded ?? []).length === 0 ? step.value.state.plainColumns : null;
        for (const [col, field] of mapped) {
          if (plain !== null && plain[col] === 1 && cleanUpsCannotChange(field, input.mapping.columns[col]?.format ?? null)) continue;
          if (performance.now() - lastYield >= VALIDATE_YIELD_MS) {
            await yieldToEvents();
            lastYield = performance.now();
          }
          if (cancelled.has(req.id)) {
            emit({ type: 'cancelled', id: req.id });
            return;
          }
          fixes.push(...fixesOfColumn(source, col, field));
        }
        // A copy when no row was edited: re-checks replace rows in it, never in the parsed table.
        kept = { base: req.id, validation: step.value, source: release === true || source !== rows ? source : rows.slice(), edits, mapped, stale: new Set() };
        const released = releasedIf(release);
        emit({ type: 'progress', id: req.id, phase: 'validate', done: total, total });
        const { result, transfer } = toWire(step.value, req.id, null, { columns: [...mapped.keys()], fixes });
        emit({ type: 'validated', id: req.id, result, ...released }, transfer);
        return;
      }
      case 'revalidate': {
        const { base, rowIndex, cells, excluded, before: cellsBefore } = req.input;
        // Without its rows the check needs the row's cells before the change (an older client may not send them).
        if (kept === null || kept.base !== base || (kept.source === null && cellsBefore === undefined && !kept.validation.state.edits.has(rowIndex))) {
          emit({ type: 'validated', id: req.id, result: null });
          return;
        }
        const before = kept.validation.issues;
        // The clean-ups of the columns whose value changed in this row are out of date; they are worked out on
        // request (refreshFixes), after the row's issues are answered: each reads its whole column.
        const { source, mapped, stale } = kept;
        const old = source !== null ? source[rowIndex]?.cells : (kept.validation.state.edits.get(rowIndex) ?? cellsBefore);
        const after = revalidateRow(kept.validation, rowIndex, cells, excluded, cellsBefore);
        for (const col of mapped.keys()) if ((old?.[col] ?? '') !== (cells[col] ?? '')) stale.add(col);
        const was = source?.[rowIndex];
        if (source !== null && was) source[rowIndex] = { line: was.line, cells: [...cells] };
        kept = { ...kept, base: req.id, validation: after };
        const { result, transfer } = toWire(after, req.id, diffIssues(before, after.issues), { columns: [], fixes: [] }, [...stale]);
        emit({ type: 'validated', id: req.id, result }, transfer);
        return;
      }
      case 'refreshFixes':
        await refreshFixes(req.id, req.input.base, req.input.lend, req.input.columns ?? [], req.input.release);
        return;
      case 'buildJobs': {
        const { edits, userIds, rowIndexes: typed, release, ...rest } = req.input;
        const input = { ...rest, ...(typed ? { rowIndexes: Array.from(typed) } : {}) };
        const source = withUserIds(applyPackedEdits(rows, edits), userIds, input.rowIndexes);
        let result;
        try {
          result = await splitIntoJobs(
            { ...input, rows: source },
            (phase, done, total) => {
              emit({ type: 'progress', id: req.id, phase, done, total });
            },
            () => cancelled.has(req.id),
            nativeZipCsv,
          );
        } catch (err) {
          if (!(err instanceof SplitCancelledError)) throw err;
          emit({ type: 'cancelled', id: req.id });
          return;
        }
        if (cancelled.has(req.id)) {
          emit({ type: 'cancelled', id: req.id });
          return;
        }
        const released = releasedIf(release);
        for (const job of result.jobs) {
          const { part, transfer } = packJob(job);
          emit({ type: 'job', id: req.id, part }, transfer);
        }
        emit({ type: 'jobs', id: req.id, header: result.header, totalRows: result.totalRows, ...released });
        return;
      }
      case 'orgReset':
      case 'orgStart':
      case 'orgPageBegin':
      case 'orgPageChunk':
      case 'orgPageEnd':
        await org.handle(req, () => rows);
        // A reset that dropped the snapshot drops the rows it was predicted on (one naming another run does not).
        if (req.type === 'orgReset' && !org.active()) orgRows = null;
        return;
      case 'orgPrepare': {
        const { edits, editsSince, rowsVersion: _version, ...input } = req.input;
        // Edits against an earlier prediction's rows: the prediction itself works the file side out.
        if (editsSince !== undefined) emit({ type: 'orgAck', id: req.id, records: 0 });
        else {
          const source = applyPackedEdits(rows, edits);
          await org.handle({ ...req, input }, () => source);
        }
        return;
      }
      case 'orgPredict': {
        const { edits, editsSince, rowsVersion, ...input } = req.input;
        const base = editsSince === undefined ? rows : orgRows?.version === editsSince ? orgRows.rows : null;
        if (base === null) {
          // Not the rows the main thread's edits are against: predicting would describe other rows.
          emit({ type: 'orgPredicted', id: req.id, result: null });
          return;
        }
        // Recorded before predicting: the main thread counts every request it posts as the new base.
        const source = applyPackedEdits(base, edits);
        orgRows = rowsVersion === undefined ? null : { version: rowsVersion, rows: source };
        await org.handle({ ...req, input }, () => source);
        return;
      }
    }
  };

  return {
    async handle(req) {
      try {
        // A release or restore waits for the checks queued before it (they read the table it replaces).
        if (req.type === 'validate' || req.type === 'revalidate' || req.type === 'refreshFixes' || req.type === 'release' || req.type === 'restore') {
          const check = req.type === 'validate' || req.type === 'revalidate';
          if (check) checksWaiting++;
          const turn = validationQueue.then(() => {
            if (check) checksWaiting--;
            return run(req);
          });
          validationQueue = turn.catch(() => undefined);
          await turn;
        } else await run(req);
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        emit({ type: 'failed', id: req.id, message });
      } finally {
        if (req.type !== 'cancel') cancelled.delete(req.id);
      }
    },
  };
}
