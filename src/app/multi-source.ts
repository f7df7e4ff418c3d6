// One file of a multi-module run as the wizard holds it (memory only): shared by the run's wizard and its
// Import/Results view.
import type { ParsedTable } from '../domain/csv/types.ts';
import type { FieldModel } from '../domain/fields/field-model.ts';
import type { Mapping } from '../domain/mapping/mapping.ts';
import type { ReviewEdits } from '../domain/wizard/wizard-state.ts';
import type { OpenOptions } from '../worker/protocol.ts';
import type { RowIndexes } from '../steps/review-step/review-model.ts';

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
  predictedSkips: RowIndexes;
}

/**
 * What one source of the run is read from: a file (a CSV), or one sheet of a workbook (issue 11: a workbook with a
 * sheet per module is one run). `guessFrom` is the text its module is guessed from: the file name, or the sheet name.
 */
export interface RunPart {
  file: File;
  /** The sheet to read, for a workbook; its header row when the admin picked one on Upload (else the suggested row). */
  sheet?: { name: string; headerRow?: number };
  /** Shown on every screen of the run and in its messages ("line 12 of …"). */
  name: string;
  guessFrom: string;
}

/** Several files picked at once: one source each. */
export function partsOfFiles(files: readonly File[]): RunPart[] {
  return files.map((file) => ({ file, name: file.name, guessFrom: file.name.replace(/\.[^.]*$/, '') }));
}

/**
 * The ticked sheets of one workbook, in the workbook's order: one source each, named "Sheet (book.xlsx)" so messages
 * say which sheet of which file. A sheet's header row is the one the admin chose on Upload, if any.
 */
export function partsOfSheets(file: File, sheets: readonly { name: string; headerRow?: number }[]): RunPart[] {
  return sheets.map((sheet) => ({ file, sheet, name: `${sheet.name} (${file.name})`, guessFrom: sheet.name }));
}

/** How the run's worker opens a source: a file as it is, a sheet by name (and its header row when one was chosen). */
export function openOptionsOf(part: RunPart): OpenOptions {
  if (!part.sheet) return {};
  const { name, headerRow } = part.sheet;
  return { sheet: headerRow === undefined ? { sheet: name } : { sheet: name, headerRow } };
}

const norm = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');

/** "accounts" (a file's base name or a sheet name) → the module whose API name or plural label it is (case and spacing ignored), or ''. */
export function guessModule(text: string, modules: readonly { value: string; label: string }[]): string {
  const base = norm(text);
  return modules.find((m) => norm(m.value) === base || norm(m.label) === base)?.value ?? '';
}
