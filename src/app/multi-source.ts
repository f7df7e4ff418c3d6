// One file of a multi-module run as the wizard holds it (memory only): shared by the run's wizard and its
// Import/Results view.
import type { ParsedTable } from '../domain/csv/types.ts';
import type { FieldModel } from '../domain/fields/field-model.ts';
import type { Mapping } from '../domain/mapping/mapping.ts';
import type { ReviewEdits } from '../domain/wizard/wizard-state.ts';

export type Loaded = { kind: 'loading' } | { kind: 'failed'; message: string } | { kind: 'ready'; table: ParsedTable };

export interface MultiSource {
  id: string;
  name: string;
  loaded: Loaded;
  module: string;
  moduleLabel: string;
  mapping: Mapping | null;
  fields: FieldModel[];
  edits: ReviewEdits;
  /** Rows Review predicts Zoho will skip (0-based): the whole-run cost holds their children back up front. */
  predictedSkips: readonly number[];
}
