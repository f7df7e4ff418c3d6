// The wizard's state as a discriminated union (each step carries what the earlier steps guaranteed) and a pure
// reducer with Back history. Entered data is kept in `data` when going Back, so returning shows it again.
// Generic over the parsed table T and the mapping M so this module stays independent of their internals.
import type { SourceRow } from '../csv/types.ts';
import type { Operation } from '../fields/field-meta.ts';

export const STEP_IDS = ['destination', 'upload', 'map', 'review', 'import', 'results'] as const;
export type StepId = (typeof STEP_IDS)[number];

export const STEP_LABELS: Readonly<Record<StepId, string>> = {
  destination: 'Destination',
  upload: 'Upload',
  map: 'Map columns',
  review: 'Review',
  import: 'Import',
  results: 'Results',
};

export interface Destination {
  connectionKind: 'emulator' | 'zoho';
  module: string;
  moduleLabel: string;
  operation: Operation;
  /** API name of the unique field (or `id`) used to find records; null for a plain insert. */
  findBy: string | null;
}

export interface SourceFile<T> {
  name: string;
  size: number;
  /** Changes whenever a new file (or a re-parse) replaces the table; edits and mappings refer to one source. */
  sourceId: string;
  table: T;
}

export interface ReviewEdits {
  /**
   * Edited rows: data-row index → the row as edited (same line). Made with `withCell` / `editedRow`
   * (src/domain/csv/packed-rows.ts), an edited row holds only the cells that differ from the parsed row: after a
   * whole-column clean-up of a million rows, a full copy of each row was ~600 MB of the page's heap (decision 146).
   */
  editedRows: ReadonlyMap<number, SourceRow>;
  /** Data-row indexes the user excluded from the import. */
  excluded: ReadonlySet<number>;
}

export const EMPTY_EDITS: ReviewEdits = { editedRows: new Map(), excluded: new Set() };

export interface WizardData<T, M> {
  destination?: Destination;
  source?: SourceFile<T>;
  mapping?: M;
  edits?: ReviewEdits;
  runId?: string;
}

interface Base<T, M> {
  /** Steps visited before this one, most recent last (Back pops it). */
  history: readonly StepId[];
  data: WizardData<T, M>;
}

export type WizardState<T, M> =
  | (Base<T, M> & { step: 'destination' })
  | (Base<T, M> & { step: 'upload'; destination: Destination })
  | (Base<T, M> & { step: 'map'; destination: Destination; source: SourceFile<T> })
  | (Base<T, M> & { step: 'review'; destination: Destination; source: SourceFile<T>; mapping: M })
  | (Base<T, M> & { step: 'import'; destination: Destination; source: SourceFile<T>; mapping: M; edits: ReviewEdits })
  | (Base<T, M> & { step: 'results'; runId: string });

export type WizardAction<T, M> =
  | { type: 'destination/submitted'; destination: Destination }
  | { type: 'source/loaded'; source: SourceFile<T> }
  | { type: 'mapping/submitted'; mapping: M }
  | { type: 'edits/changed'; edits: ReviewEdits }
  | { type: 'review/confirmed'; edits: ReviewEdits }
  | { type: 'import/started'; runId: string }
  | { type: 'import/finished'; runId: string }
  | { type: 'open-run'; runId: string }
  | { type: 'back' }
  | { type: 'goto'; step: StepId }
  | { type: 'restart' };

export function initialWizardState<T, M>(): WizardState<T, M> {
  return { step: 'destination', history: [], data: {} };
}

/** Whether Back is possible: not on the first step, and never once an import was started (jobs exist). */
export function canGoBack<T, M>(s: WizardState<T, M>): boolean {
  if (s.step === 'results') return false;
  if (s.step === 'import' && s.data.runId !== undefined) return false;
  return s.history.length > 0;
}

/** Builds the state for `step` from the kept data, or null when that step's prerequisites are missing. */
export function enter<T, M>(step: StepId, data: WizardData<T, M>, history: readonly StepId[]): WizardState<T, M> | null {
  const { destination, source, mapping, edits, runId } = data;
  switch (step) {
    case 'destination':
      return { step, history, data };
    case 'upload':
      return destination ? { step, history, data, destination } : null;
    case 'map':
      return destination && source ? { step, history, data, destination, source } : null;
    case 'review':
      return destination && source && mapping !== undefined ? { step, history, data, destination, source, mapping } : null;
    case 'import':
      return destination && source && mapping !== undefined && edits ? { step, history, data, destination, source, mapping, edits } : null;
    case 'results':
      return runId !== undefined ? { step, history, data, runId } : null;
  }
}

function forward<T, M>(s: WizardState<T, M>, step: StepId, data: WizardData<T, M>): WizardState<T, M> {
  return enter(step, data, [...s.history, s.step]) ?? s;
}

function sameDestinationTarget(a: Destination | undefined, b: Destination): boolean {
  return !!a && a.module === b.module && a.connectionKind === b.connectionKind;
}

export function wizardReducer<T, M>(s: WizardState<T, M>, a: WizardAction<T, M>): WizardState<T, M> {
  switch (a.type) {
    case 'destination/submitted': {
      if (s.step !== 'destination') return s;
      // A different module invalidates the mapping (other fields); the file and edits stay.
      const { mapping: _dropped, ...rest } = s.data;
      const data: WizardData<T, M> = sameDestinationTarget(s.data.destination, a.destination)
        ? { ...s.data, destination: a.destination }
        : { ...rest, destination: a.destination };
      return forward(s, 'upload', data);
    }
    case 'source/loaded': {
      if (s.step !== 'upload') return s;
      const same = s.data.source?.sourceId === a.source.sourceId;
      // A new file invalidates the mapping and the edits made to the old rows.
      const data: WizardData<T, M> = same ? { ...s.data, source: a.source } : { destination: s.destination, source: a.source };
      return forward(s, 'map', data);
    }
    case 'mapping/submitted':
      if (s.step !== 'map') return s;
      return forward(s, 'review', { ...s.data, mapping: a.mapping, edits: s.data.edits ?? EMPTY_EDITS });
    case 'edits/changed':
      if (s.step !== 'review') return s;
      return { ...s, data: { ...s.data, edits: a.edits } };
    case 'review/confirmed':
      if (s.step !== 'review') return s;
      return forward(s, 'import', { ...s.data, edits: a.edits });
    case 'import/started':
      if (s.step !== 'import') return s;
      return { ...s, data: { ...s.data, runId: a.runId } };
    case 'import/finished':
      if (s.step !== 'import') return s;
      return enter('results', { ...s.data, runId: a.runId }, [...s.history, s.step]) ?? s;
    case 'open-run':
      return { step: 'results', history: [], data: { runId: a.runId }, runId: a.runId };
    case 'back': {
      if (!canGoBack(s)) return s;
      const prev = s.history[s.history.length - 1];
      if (prev === undefined) return s;
      return enter(prev, s.data, s.history.slice(0, -1)) ?? s;
    }
    case 'goto': {
      // Only to a step already visited (the stepper's links to completed steps).
      const at = s.history.indexOf(a.step);
      if (at < 0 || !canGoBack(s)) return s;
      return enter(a.step, s.data, s.history.slice(0, at)) ?? s;
    }
    case 'restart':
      return initialWizardState();
  }
}

/** Index of a step in the fixed order (for the stepper). */
export function stepIndex(step: StepId): number {
  return STEP_IDS.indexOf(step);
}
