// How a child row of a multi-module run reaches its parent: its lookup cell is matched to a row of the parent's
// source, and sent as the record id that row got (read from the parent's result file). A child whose parent row
// is not written — predicted by the pre-flight or SKIPPED in the result — is held back with the reason, and comes
// back as soon as the parent row is written (the same call with newer states). Pure; decision 115.
import type { SourceRow } from '../csv/types.ts';
import type { RowOutcome } from '../jobs/types.ts';
import { RECORD_ID, type Mapping } from '../mapping/mapping.ts';
import { recordNoun, type RunLink } from './run-plan.ts';

/** What is known of one row of a source: written (with its record id), or not written and why. */
export type RowState = { kind: 'written'; recordId: string } | { kind: 'not-written'; predicted: boolean; reason: string };

/** Per source id, per 0-based row index. A row with no entry is not known yet (see `Unknown`). */
export type RunStates = ReadonlyMap<string, ReadonlyMap<number, RowState>>;

/**
 * How to read a parent row with no state: before the run (Review), a row the pre-flight does not predict to fail
 * will be written (`will-write`); while sending, a parent row without a result is not written yet (`not-yet`).
 */
export type Unknown = 'will-write' | 'not-yet';

/** A lookup column of one group of rows is sent as record ids (`id`) or not sent at all (`omit`, self-links). */
export type ColumnMode = 'id' | 'omit';

export interface SendRow {
  rowIndex: number;
  /** Cells to send instead of the file's: [column, value] (a parent's record id). */
  overrides: readonly (readonly [number, string])[];
}

/** Rows sent with the same lookup modes (one find_by per column per job, contract §4, so one job each). */
export interface SendGroup {
  /** [column, mode], in column order; columns not listed are sent as the file has them. */
  modes: readonly (readonly [number, ColumnMode])[];
  rows: SendRow[];
}

export interface HeldRow {
  rowIndex: number;
  line: number;
  /** One reason per lookup that holds the row, each naming the field, the parent's line and module. */
  reasons: string[];
}

/** A row written without its self-lookup, to be updated with the id of `parentRowIndex` in the second pass. */
export interface SelfLinkRow {
  rowIndex: number;
  parentRowIndex: number;
  link: RunLink;
}

export interface SourceResolution {
  groups: SendGroup[];
  held: HeldRow[];
  selfLinks: SelfLinkRow[];
}

export interface ResolveInput {
  sourceId: string;
  rows: readonly SourceRow[];
  /** Which rows to consider (0-based, in order); default all. */
  rowIndexes?: readonly number[];
  /** Every link of the run (only this source's are read). */
  links: readonly RunLink[];
  /** A source's rows by id (the parents'). */
  rowsOf: (sourceId: string) => readonly SourceRow[];
  states: RunStates;
  unknown: Unknown;
}

export function linkKey(cell: string | undefined, caseSensitive: boolean): string {
  const t = (cell ?? '').trim();
  return caseSensitive ? t : t.toLowerCase();
}

/** Parent rows by key, for one link. Rows with an empty key are never a parent. */
export function keyIndex(rows: readonly SourceRow[], link: Pick<RunLink, 'parentColumn' | 'caseSensitive'>): Map<string, number[]> {
  const out = new Map<string, number[]>();
  rows.forEach((r, i) => {
    const k = linkKey(r.cells[link.parentColumn], link.caseSensitive);
    if (k === '') return;
    const list = out.get(k);
    if (list === undefined) out.set(k, [i]);
    else list.push(i);
  });
  return out;
}

const listLines = (lines: readonly number[]): string =>
  lines.length <= 1 ? String(lines[0] ?? '') : `${lines.slice(0, -1).join(', ')} and ${lines[lines.length - 1]}`;

/** Resolve one source's rows against the states of its parents: which are sent (and how), which are held back. */
export function resolveSource(input: ResolveInput): SourceResolution {
  const mine = input.links.filter((l) => l.childId === input.sourceId);
  const indexes = mine.map((l) => keyIndex(input.rowsOf(l.parentId), l));
  const groups = new Map<string, SendGroup>();
  const held: HeldRow[] = [];
  const selfLinks: SelfLinkRow[] = [];
  const rowIndexes = input.rowIndexes ?? input.rows.map((_, i) => i);
  for (const rowIndex of rowIndexes) {
    const row = input.rows[rowIndex];
    if (row === undefined) continue;
    const reasons: string[] = [];
    const modes: [number, ColumnMode][] = [];
    const overrides: [number, string][] = [];
    const pendingSelf: SelfLinkRow[] = [];
    mine.forEach((link, li) => {
      const cell = row.cells[link.column];
      const key = linkKey(cell, link.caseSensitive);
      if (key === '') return;
      const matches = indexes[li]?.get(key) ?? [];
      // No row of the run has this key: the cell names a record already in the org, found by find_by as usual.
      if (matches.length === 0) return;
      const parentRows = input.rowsOf(link.parentId);
      const noun = recordNoun(link.parentModule);
      const where = `${link.fieldLabel} (column ${link.column + 1})`;
      if (matches.length > 1) {
        const lines = matches.map((m) => parentRows[m]?.line ?? m + 1);
        reasons.push(
          `${where}: its ${noun} "${(cell ?? '').trim()}" is on lines ${listLines(lines)} of ${link.parentModule}, so it is not clear which one is meant. Make the ${link.findByLabel} values distinct in ${link.parentModule}.`,
        );
        return;
      }
      const parentIndex = matches[0] ?? 0;
      const parentLine = parentRows[parentIndex]?.line ?? parentIndex + 1;
      if (link.self) {
        // The parent is written by the same job, which Bulk Write cannot look up (contract §4): send the row
        // without the lookup now and set it by id in the second pass.
        modes.push([link.column, 'omit']);
        pendingSelf.push({ rowIndex, parentRowIndex: parentIndex, link });
        return;
      }
      const state = input.states.get(link.parentId)?.get(parentIndex);
      if (state === undefined) {
        if (input.unknown === 'will-write') {
          // Before the run the id is not known yet, but the row will be sent by id: the groups (and so the jobs and
          // credits) predicted now are the ones the run makes.
          modes.push([link.column, 'id']);
          return;
        }
        reasons.push(`${where}: its ${noun}, line ${parentLine} of ${link.parentModule}, has not been written yet.`);
        return;
      }
      if (state.kind === 'not-written') {
        reasons.push(
          `${where}: its ${noun}, line ${parentLine} of ${link.parentModule}, ${state.predicted ? 'will not be written' : 'was not written'} (${state.reason}).`,
        );
        return;
      }
      modes.push([link.column, 'id']);
      overrides.push([link.column, state.recordId]);
    });
    if (reasons.length > 0) {
      held.push({ rowIndex, line: row.line, reasons });
      continue;
    }
    modes.sort((a, b) => a[0] - b[0]);
    const signature = modes.map(([c, m]) => `${c}:${m}`).join(',');
    let group = groups.get(signature);
    if (group === undefined) groups.set(signature, (group = { modes, rows: [] }));
    group.rows.push({ rowIndex, overrides });
    selfLinks.push(...pendingSelf);
  }
  return { groups: [...groups.values()], held, selfLinks };
}

/** The states a source's held rows pass on to its own children (a held contact holds its deals). */
export function heldStates(resolution: SourceResolution, predicted: boolean): Map<number, RowState> {
  return new Map(resolution.held.map((h) => [h.rowIndex, { kind: 'not-written', predicted, reason: `held back: ${(h.reasons[0] ?? '').replace(/\.$/, '')}` }]));
}

/** The states read from a source's reconciled result: ADDED/UPDATED with a record id, else not written and why. */
export function statesFromOutcomes(outcomes: Iterable<RowOutcome>): Map<number, RowState> {
  const out = new Map<number, RowState>();
  for (const o of outcomes) {
    if ((o.status === 'ADDED' || o.status === 'UPDATED') && o.recordId !== null && o.recordId !== '') {
      out.set(o.rowIndex, { kind: 'written', recordId: o.recordId });
    } else {
      const why = o.errors.map((e) => e.reason).join('; ');
      out.set(o.rowIndex, { kind: 'not-written', predicted: false, reason: why === '' ? `${o.status.toLowerCase()} by Zoho CRM` : why });
    }
  }
  return out;
}

/** The mapping a group is sent with: its linked columns found by record id, its omitted ones unmapped. */
export function groupMapping(mapping: Mapping, group: Pick<SendGroup, 'modes'>): Mapping {
  const modeOf = new Map(group.modes);
  return {
    ...mapping,
    columns: mapping.columns.map((c) => {
      const mode = modeOf.get(c.column);
      if (mode === 'omit') return { ...c, apiName: null, defaultValue: null, findBy: null };
      if (mode === 'id') return { ...c, findBy: RECORD_ID };
      return c;
    }),
  };
}

/**
 * The rows as a group sends them: the file's rows, with copies of the group's rows carrying the overridden cells
 * (the file's rows are never changed), and the group's row indexes — so split's provenance still names file rows.
 */
export function groupRows(rows: readonly SourceRow[], group: SendGroup): { rows: SourceRow[]; rowIndexes: number[] } {
  const out = rows.slice();
  const rowIndexes: number[] = [];
  for (const r of group.rows) {
    const source = rows[r.rowIndex];
    if (source === undefined) continue;
    if (r.overrides.length > 0) {
      const cells = source.cells.slice();
      for (const [column, value] of r.overrides) {
        while (cells.length <= column) cells.push('');
        cells[column] = value;
      }
      out[r.rowIndex] = { line: source.line, cells };
    }
    rowIndexes.push(r.rowIndex);
  }
  return { rows: out, rowIndexes };
}

export interface SelfLinkUpdate {
  rowIndex: number;
  recordId: string;
  parentRecordId: string;
}

/** The second pass of a self-lookup: rows whose own record and parent record were both written; the rest held. */
export function selfLinkUpdates(
  selfLinks: readonly SelfLinkRow[],
  rows: readonly SourceRow[],
  states: ReadonlyMap<number, RowState>,
): { updates: SelfLinkUpdate[]; held: HeldRow[] } {
  const updates: SelfLinkUpdate[] = [];
  const held: HeldRow[] = [];
  for (const s of selfLinks) {
    const own = states.get(s.rowIndex);
    const parent = states.get(s.parentRowIndex);
    const line = rows[s.rowIndex]?.line ?? s.rowIndex + 1;
    // A row that was not written itself has nothing to update; its own result says why.
    if (own === undefined || own.kind !== 'written') continue;
    if (parent === undefined || parent.kind !== 'written') {
      const parentLine = rows[s.parentRowIndex]?.line ?? s.parentRowIndex + 1;
      const why = parent === undefined ? 'has no result yet' : `was not written (${parent.reason})`;
      held.push({
        rowIndex: s.rowIndex,
        line,
        reasons: [
          `${s.link.fieldLabel} (column ${s.link.column + 1}): its ${recordNoun(s.link.parentModule)}, line ${parentLine} of ${s.link.parentModule}, ${why}; the record was added without this link.`,
        ],
      });
      continue;
    }
    updates.push({ rowIndex: s.rowIndex, recordId: own.recordId, parentRecordId: parent.recordId });
  }
  return { updates, held };
}

/**
 * Resolve every source in run order, passing each source's held rows on to its children, so a skipped account
 * holds its contacts and their deals. `base` holds what is known (pre-flight predictions, or results so far).
 */
export function resolveRun(
  order: readonly string[],
  links: readonly RunLink[],
  rowsOf: (sourceId: string) => readonly SourceRow[],
  base: RunStates,
  unknown: Unknown,
  rowIndexesOf: (sourceId: string) => readonly number[] | undefined = () => undefined,
): Map<string, SourceResolution> {
  const states = new Map<string, Map<number, RowState>>([...base].map(([id, m]) => [id, new Map<number, RowState>(m)]));
  const out = new Map<string, SourceResolution>();
  for (const id of order) {
    const rowIndexes = rowIndexesOf(id);
    const resolution = resolveSource({ sourceId: id, rows: rowsOf(id), ...(rowIndexes === undefined ? {} : { rowIndexes }), links, rowsOf, states, unknown });
    out.set(id, resolution);
    let own = states.get(id);
    if (own === undefined) states.set(id, (own = new Map<number, RowState>()));
    for (const [rowIndex, state] of heldStates(resolution, unknown === 'will-write')) if (!own.has(rowIndex)) own.set(rowIndex, state);
  }
  return out;
}

/** Bulk Write jobs a source's groups make: each group is split at `maxRows` rows (contract §11). */
export function jobsOfGroups(groups: readonly Pick<SendGroup, 'rows'>[], maxRows: number): number {
  return groups.reduce((n, g) => n + (g.rows.length === 0 ? 0 : Math.ceil(g.rows.length / maxRows)), 0);
}
