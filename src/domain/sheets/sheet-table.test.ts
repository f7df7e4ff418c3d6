import { describe, expect, it } from 'vitest';
import { sheetTable, suggestHeaderRow } from './sheet-table.ts';
import type { SheetCell, SheetRow } from './types.ts';

const t = (value: string): SheetCell => ({ kind: 'text', value });
const n = (value: number): SheetCell => ({ kind: 'number', value, isDate: false });
const row = (r: number, ...cells: Array<SheetCell | undefined>): SheetRow => ({ row: r, cells });

describe('suggestHeaderRow', () => {
  it('the first row when it is the header', () => {
    expect(suggestHeaderRow([row(1, t('Name'), t('Phone')), row(2, t('Ada'), n(1))])).toBe(1);
  });
  it('skips title rows (one filled cell) and blank rows above the header', () => {
    expect(suggestHeaderRow([row(1, t('Export')), row(2, t('December')), row(4, t('Name'), t('Phone'), t('Zip')), row(5, t('Ada'), n(1), t('007'))])).toBe(4);
  });
  it('a header holding a number (a year) is still preferred to the title row above it', () => {
    expect(suggestHeaderRow([row(1, t('Sales')), row(2, t('Region'), n(2024), n(2025)), row(3, t('North'), n(5), n(6))])).toBe(2);
  });
  it('0 for a sheet without a filled cell', () => {
    expect(suggestHeaderRow([row(1, t('  '), undefined)])).toBe(0);
  });
});

describe('sheetTable', () => {
  const info = { format: 'xlsx' as const, sheets: [{ name: 'S', nonEmptyRows: 3 }], sheet: 'S', date1904: false, merged: [] };
  it('an unknown header row falls back to the suggestion; the choices list the first non-blank rows with a preview', () => {
    const rows = [row(1, t('Title')), row(3, t('Name'), t('Phone')), row(4, t('Ada'), t('0049 170'))];
    const table = sheetTable({ rows, date1904: false, bytes: 10, info, headerRow: 2, fileName: 'f.xlsx' });
    expect(table.headerLine).toBe(3);
    expect(table.workbook?.headerChoices).toEqual([
      { row: 1, preview: 'Title' },
      { row: 3, preview: 'Name · Phone' },
      { row: 4, preview: 'Ada · 0049 170' },
    ]);
    expect(table.rows).toEqual([{ line: 4, cells: ['Ada', '0049 170'] }]);
  });
  it('a header with no data below it is the CSV rule: no data rows (file block)', () => {
    const table = sheetTable({ rows: [row(2, t('Name'))], date1904: false, bytes: 10, info, fileName: 'f.xlsx' });
    expect(table.blocked).toBe(true);
    expect(table.issues.map((i) => i.code)).toContain('NO_DATA_ROWS');
  });
});
