// The worker side of the org check: holds the org snapshot (only here — dropped on orgReset, on a new file and
// when the worker ends), unzips and indexes each Bulk Read page it is handed, and predicts the file against it.
import type { SourceRow } from '../domain/csv/types.ts';
import {
  ORG_ISSUE_CODES,
  OUTCOME_SKIP,
  PredictionLists,
  PreparedOrg,
  predictAgainstOrg,
  type OrgIssue,
  type OrgPrediction,
} from '../domain/org-check/predict.ts';
import { emptySnapshot, prefaultPageBytes, prefaultRecords, trimSnapshot, type ModuleSnapshot } from '../domain/org-check/snapshot.ts';
import { fileSideFor, type FileSide } from '../domain/org-check/file-side.ts';
import type { FieldModel } from '../domain/fields/field-model.ts';
import type { OrgUser } from '../domain/org-check/types.ts';
import { fixTransfer, packFix, type PackedFix } from './column-fixes.ts';
import type { OrgPageRequest, OrgRequest, OrgWorkerTiming, PackedOrgIssues, PackedOrgPrediction } from './org-protocol.ts';
import type { WorkerEvent } from './protocol.ts';
import { OrgPageStream } from './org-page-stream.ts';
import { SETTLE_MIN_ROWS, settleYoungGeneration } from './settle-young.ts';
import { packedTextsTransfer, packTextList, type PackedTexts } from './packed-texts.ts';
import type { TextBytes } from '../domain/text-bytes.ts';

type Emit = (event: WorkerEvent, transfer?: Transferable[]) => void;

interface Held {
  target: ModuleSnapshot;
  modules: Map<string, ModuleSnapshot>;
  moduleFields: Map<string, readonly FieldModel[]>;
  users: OrgUser[] | null;
  prepared: PreparedOrg | null;
  /** The pages' share of OrgWorkerTiming, summed over pages. */
  pageMs: { unzipMs: number; parseMs: number };
  /** The page being downloaded, read as it arrives. */
  page: OrgPageStream | null;
  /** The run of the check this snapshot is for (OrgStartInput.check), if it was named. */
  check: number | undefined;
}

const CODE_INDEX = new Map(ORG_ISSUE_CODES.map((c, i) => [c, i]));

/**
 * Files up to this many rows have the first prediction's lists mapped during the wait (~14 MB at 100,000 rows, ~40 ms
 * of writes on the machine of decision 166); a larger file's lists are made then but mapped as they are written.
 */
export const PREFAULT_LISTS_MAX_ROWS = 250_000;

/**
 * Page memory made and mapped at orgStart: a full Bulk Read page of 200,000 contacts with the six fields the
 * benchmark reads is ~16 MB; a larger page takes the rest as it comes.
 */
const PAGE_BYTES_AHEAD = 20 * 1024 * 1024;

function packOrgIssues(issues: readonly OrgIssue[]): PackedOrgIssues {
  const sorted = [...issues].sort((a, b) => a.row - b.row || (a.column ?? -1) - (b.column ?? -1));
  return {
    rows: Int32Array.from(sorted, (i) => i.row),
    columns: Int32Array.from(sorted, (i) => i.column ?? -1),
    severities: Uint8Array.from(sorted, (i) => (i.severity === 'error' ? 0 : 1)),
    codes: Uint8Array.from(sorted, (i) => CODE_INDEX.get(i.code) ?? 0),
    messages: packTextList(sorted.map((i) => i.message)),
  };
}

/** A list written as bytes by the prediction (TextBytes) as it crosses to the page: ASCII bytes as they are. */
function packTextBytes(list: TextBytes): PackedTexts {
  const done = list.finish();
  return 'texts' in done ? packTextList(done.texts) : done;
}

/** Rows predicted to be skipped or carrying an issue (`issueRows` ascending), ascending and each once. */
export function flaggedRowsOf(outcomes: Uint8Array, issueRows: Int32Array): Uint32Array {
  const out = new Uint32Array(outcomes.length);
  let n = 0;
  let k = 0;
  for (let row = 0; row < outcomes.length; row++) {
    let flagged = outcomes[row] === OUTCOME_SKIP;
    while (k < issueRows.length && issueRows[k]! < row) k++;
    if (k < issueRows.length && issueRows[k] === row) flagged = true;
    if (flagged) out[n++] = row;
  }
  return out.slice(0, n);
}

export function packPrediction(
  p: OrgPrediction,
  orgRecords: Record<string, number>,
  timing: OrgWorkerTiming,
): { packed: PackedOrgPrediction; transfer: ArrayBuffer[] } {
  const recordIds = packTextBytes(p.recordIds);
  const errors = packTextBytes(p.errors);
  const olds = packTextBytes(p.olds);
  const news = packTextBytes(p.news);
  const issues = packOrgIssues(p.issues);
  const flaggedRows = flaggedRowsOf(p.outcomes, issues.rows);
  const fixes: PackedFix[] = p.fixes.map((f) =>
    packFix({ label: f.label, note: f.note, proposal: { kind: 'trim', column: f.column, summary: f.summary, changes: f.changes, unconvertible: [] } }),
  );
  const packed: PackedOrgPrediction = {
    outcomes: p.outcomes,
    recordIds,
    errors,
    changeRows: p.changeRows,
    changeFields: p.changeFields,
    changeColumns: p.changeColumns,
    olds,
    news,
    fieldNames: p.fieldNames,
    changeCounts: p.changeCounts,
    changedRows: p.changedRows,
    unchangedRows: p.unchangedRows,
    flaggedRows,
    issues,
    fixes,
    counts: p.counts,
    orgRecords,
    timing,
  };
  const transfer = [
    p.outcomes.buffer,
    ...packedTextsTransfer(recordIds),
    ...packedTextsTransfer(errors),
    p.changeRows.buffer,
    p.changeFields.buffer,
    p.changeColumns.buffer,
    ...packedTextsTransfer(olds),
    ...packedTextsTransfer(news),
    p.changedRows.buffer,
    p.unchangedRows.buffer,
    flaggedRows.buffer,
    issues.rows.buffer,
    issues.columns.buffer,
    issues.severities.buffer,
    issues.codes.buffer,
    ...packedTextsTransfer(issues.messages),
    ...fixes.flatMap(fixTransfer),
  ] as ArrayBuffer[];
  return { packed, transfer };
}

export interface OrgSession {
  /**
   * `rows`: the rows the request is about, its edits already applied. The import session takes the table a request
   * brings and applies its edits (once, for every org request), so the session here never sees either.
   */
  /** Settles once the request is answered (a page's end waits for the last of its bytes to be inflated and read). */
  handle(req: OrgRequest, rows: () => readonly SourceRow[]): Promise<void> | void;
  /** A new file: the snapshot belongs to the previous import and is dropped. */
  drop(): void;
  /** The table was replaced or released: the file side (which holds its rows) goes; the org snapshot stays. */
  releaseRows(): void;
  /** Whether a check's snapshot is held (orgStart, until orgReset or a new file). */
  active(): boolean;
}

export function createOrgSession(emit: Emit): OrgSession {
  let held: Held | null = null;
  // The file's half of the prediction: rows, not org data, so it outlives a check (a new check of the same rows
  // reuses it) and goes with the file.
  let side: FileSide | null = null;
  // Time the last file side's settling took (settle-young.ts), reported with the next prediction.
  let settleMs = 0;
  // Org requests handled so far: a settling in progress stops once another one comes.
  let requests = 0;
  // Lists made for the next prediction during the wait (used once).
  let lists: PredictionLists | undefined;
  // Bumped by orgReset and orgStart: page messages queued before it belong to a check that is gone.
  let generation = 0;
  // The end of the page being read (and the page messages queued behind it), until it settles.
  let pageTurn: Promise<void> | null = null;
  const queueTurn = (turn: Promise<void>): void => {
    pageTurn = turn;
    const clear = (): void => {
      if (pageTurn === turn) pageTurn = null;
    };
    turn.then(clear, clear);
  };
  const notStarted = (id: number, module: string): void =>
    emit({ type: 'failed', id, message: `The org check was not started for ${module}: start it again.` });
  // A page message of a check that was reset or replaced while it waited: its end is answered, nothing is read.
  const stale = (req: OrgPageRequest): void => {
    if (req.type === 'orgPageEnd') notStarted(req.id, req.module);
  };
  const page = (req: OrgPageRequest): Promise<void> | void => {
    switch (req.type) {
      case 'orgPageBegin': {
        // A new download of a page (a retry included): what an unfinished one had read is taken out first.
        held?.page?.abandon();
        const s = held?.modules.get(req.module);
        if (held) held.page = s ? new OrgPageStream(s, req.id, held.pageMs, req.records) : null;
        return;
      }
      case 'orgPageChunk':
        // No answer per piece: a piece of another attempt is stale, and a problem is told at orgPageEnd.
        if (held?.page?.attempt === req.id) held.page.push(new Uint8Array(req.chunk));
        return;
      case 'orgPageEnd': {
        const stream = held?.page;
        const s = held?.modules.get(req.module);
        if (!held || !s || !stream || stream.attempt !== req.attempt) {
          notStarted(req.id, req.module);
          return;
        }
        held.page = null;
        held.prepared = null;
        return stream.end().then(() => emit({ type: 'orgAck', id: req.id, records: s.ids.length }));
      }
    }
  };
  return {
    drop() {
      generation++;
      held = null;
      side = null;
      lists = undefined;
    },
    releaseRows() {
      side = null;
      lists = undefined;
    },
    active() {
      return held !== null;
    },
    handle(req, rows) {
      requests++;
      switch (req.type) {
        case 'orgPageBegin':
        case 'orgPageChunk':
        case 'orgPageEnd': {
          // The next page may come while the last one's end is still being read (runOrgCheck downloads it
          // meanwhile): its messages wait their turn, in order, and are dropped if a reset or new check came between.
          if (pageTurn === null) {
            const end = page(req);
            if (end) queueTurn(end);
            return end;
          }
          const at = generation;
          const turn = pageTurn.catch(() => undefined).then(() => (generation === at ? page(req) : stale(req)));
          queueTurn(turn);
          return turn;
        }
        case 'orgReset':
          // A run's clean-up naming itself, arriving after a newer run started: that run's copy stays (a snapshot
          // started without a run's name goes with any reset).
          if (req.check === undefined || held?.check === undefined || held.check === req.check) {
            generation++;
            held = null;
          }
          emit({ type: 'orgAck', id: req.id, records: 0 });
          return;
        case 'orgStart': {
          generation++;
          const { target, lookups, moduleFields, users, check } = req.input;
          const t = emptySnapshot(target.module, target.fields);
          const modules = new Map<string, ModuleSnapshot>([[target.module, t]]);
          for (const l of lookups) if (!modules.has(l.module)) modules.set(l.module, emptySnapshot(l.module, l.fields));
          held = {
            target: t,
            modules,
            moduleFields: new Map(Object.entries(moduleFields)),
            users,
            prepared: null,
            pageMs: { unzipMs: 0, parseMs: 0 },
            page: null,
            check,
          };
          emit({ type: 'orgAck', id: req.id, records: 0 });
          // The first page's room, mapped once the page's thread has its answer, while Zoho prepares the Bulk Read
          // (decision 166): nothing waits on it but the worker's next message.
          prefaultRecords(t);
          // …and memory for the page's bytes (decision 170).
          prefaultPageBytes(t, PAGE_BYTES_AHEAD);
          return;
        }
        case 'orgPrepare': {
          const { excluded: _excluded, ...input } = req.input;
          const before = side;
          const source = rows();
          side = fileSideFor({ ...input, rows: source, users: held?.users ?? null }, side);
          // The first prediction's lists, their memory mapped now rather than while it writes them (decision 169) —
          // up to a size: the room is a generous guess, and beyond it most of what is mapped would never be written.
          lists = new PredictionLists(source.length);
          if (source.length <= PREFAULT_LISTS_MAX_ROWS) lists.prefault();
          emit({ type: 'orgAck', id: req.id, records: 0 });
          // A new file side, made while Zoho prepares the Bulk Read: promoted now, not during the prediction — unless
          // another message (the page, a prediction) comes first (decision 168).
          if (side !== before && source.length >= SETTLE_MIN_ROWS) {
            const at = requests;
            settleMs = 0;
            return settleYoungGeneration(
              () => requests !== at,
              (ms) => {
                settleMs += ms;
              },
            ).then(() => undefined);
          }
          return;
        }
        case 'orgPredict': {
          if (!held) {
            emit({ type: 'orgPredicted', id: req.id, result: null });
            return;
          }
          const { excluded, ...input } = req.input;
          const source = rows();
          if (held.prepared === null) for (const m of held.modules.values()) trimSnapshot(m);
          held.prepared ??= new PreparedOrg({ target: held.target, modules: held.modules, moduleFields: held.moduleFields, users: held.users });
          const predictInput = { ...input, rows: source, excluded: new Set(excluded ?? []) };
          const t0 = performance.now();
          side = fileSideFor({ ...predictInput, users: held.users }, side);
          const t1 = performance.now();
          const prediction = predictAgainstOrg(held.prepared, predictInput, side, lists);
          lists = undefined;
          const t2 = performance.now();
          const orgRecords = Object.fromEntries([...held.modules].map(([m, s]) => [m, s.ids.length]));
          const timing = { ...held.pageMs, settleMs, sideMs: t1 - t0, predictMs: t2 - t1, packMs: 0 };
          settleMs = 0;
          const { packed, transfer } = packPrediction(prediction, orgRecords, timing);
          timing.packMs = performance.now() - t2;
          emit({ type: 'orgPredicted', id: req.id, result: packed }, transfer);
          return;
        }
      }
    },
  };
}
