// The admin's choice of sheet and header row for a workbook, as re-parses of the open file (the worker keeps the
// workbook, so a re-parse reads no bytes again). Header renames and ignored columns belong to one header row, so a
// new sheet or header row starts without them.
import type { ParseOptions } from '../../domain/csv/types.ts';
import type { OpenOptions } from '../../worker/protocol.ts';

function withoutHeaderFixes(parse: ParseOptions | undefined): ParseOptions {
  const { headerNames: _names, ignoredColumns: _ignored, ...rest } = parse ?? {};
  return rest;
}

export function useSheetChoice(options: OpenOptions, reparse: (next: OpenOptions) => void) {
  return {
    /** Read another sheet (its own suggested header row). */
    pickSheet: (sheet: string) => reparse({ ...options, sheet: { sheet }, parse: withoutHeaderFixes(options.parse) }),
    /** Read the same sheet with another row as the header (1-based spreadsheet row). */
    pickHeaderRow: (sheet: string, headerRow: number) => reparse({ ...options, sheet: { sheet, headerRow }, parse: withoutHeaderFixes(options.parse) }),
  };
}
