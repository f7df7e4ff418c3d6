// Real workbooks, generated here with the same library in all three formats, opened through the import client
// (in Node the session runs in-thread: the worker's own code path) and checked cell by cell.
import { describe, expect, it } from 'vitest';
import { CFB, utils, write, type CellObject, type WorkSheet } from '@e965/xlsx';
import { createImportClient } from './import-client.ts';
import { MAX_WORKBOOK_BYTES, openWorkbook } from './workbook.ts';

type BookType = 'xlsx' | 'biff8' | 'ods';

// SheetJS types its compound-file library as any: the three calls used here.
const cfbApi = CFB as {
  utils: { cfb_new(): unknown; cfb_add(container: unknown, path: string, content: Uint8Array): void };
  write(container: unknown, opts: { type: 'array' }): number[];
};

/** A sheet with a title row, a blank row, the header on row 3 and two data rows; date cells carry a date format. */
function contactsSheet(): WorkSheet {
  const ws = utils.aoa_to_sheet([
    ['Contacts export — December'],
    [],
    ['Last_Name', 'Phone', 'Zip', 'Born', 'Met', 'Active', 'Score', 'Ratio'],
    ['Lovelace', 491701234567, '00123', 45000, 45000.75, true, 2, 0.1],
    ['Hopper', 12345678901234, '007', 1, 61, false, 3, 1e-7],
  ]);
  for (const ref of ['D4', 'D5']) (ws[ref] as { z?: string }).z = 'yyyy-mm-dd';
  for (const ref of ['E4', 'E5']) (ws[ref] as { z?: string }).z = 'yyyy-mm-dd hh:mm:ss';
  // A formula with its cached value, and a number shown with a fixed number of decimals.
  ws['G4'] = { t: 'n', v: 2, f: '1+1' };
  ws['H4'] = { t: 'n', v: 0.1, z: '0.00' };
  ws['!merges'] = [{ s: { r: 0, c: 0 }, e: { r: 0, c: 3 } }];
  return ws;
}

function workbook(bookType: BookType, date1904: boolean): Uint8Array<ArrayBuffer> {
  const wb = utils.book_new();
  utils.book_append_sheet(wb, contactsSheet(), 'Contacts');
  utils.book_append_sheet(wb, utils.aoa_to_sheet([]), 'Notes');
  wb.Workbook = { WBProps: { date1904 } };
  return new Uint8Array(write(wb, { type: 'array', bookType }) as ArrayBuffer);
}

const file = (bytes: Uint8Array<ArrayBuffer>, name: string): File => new File([bytes], name);

describe('workbooks in the worker', () => {
  it.each([
    ['xlsx', 'contacts.xlsx'],
    ['biff8', 'contacts.xls'],
  ] as const)('%s: title row skipped, header on row 3, exact cell text, line numbers are row numbers (1900 system)', async (bookType, name) => {
    const client = createImportClient();
    const t = await client.openFile(file(workbook(bookType, false), name));
    expect(t.blocked).toBe(false);
    expect(t.workbook?.format).toBe(bookType === 'biff8' ? 'xls' : 'xlsx');
    expect(t.workbook?.sheets).toEqual([
      { name: 'Contacts', nonEmptyRows: 4 },
      { name: 'Notes', nonEmptyRows: 0 },
    ]);
    expect(t.workbook?.headerRow).toBe(3);
    expect(t.headerLine).toBe(3);
    expect(t.headers).toEqual(['Last_Name', 'Phone', 'Zip', 'Born', 'Met', 'Active', 'Score', 'Ratio']);
    expect(t.rows).toEqual([
      { line: 4, cells: ['Lovelace', '491701234567', '00123', '2023-03-15', '2023-03-15T18:00:00', 'TRUE', '2', '0.10'] },
      { line: 5, cells: ['Hopper', '12345678901234', '007', '1900-01-01', '1900-03-01T00:00:00', 'FALSE', '3', '0.0000001'] },
    ]);
    expect(t.issues.map((i) => i.code)).toEqual(expect.arrayContaining(['ROWS_ABOVE_HEADER', 'MERGED_CELLS']));
    expect(t.issues.find((i) => i.code === 'MERGED_CELLS')?.message).toContain('A1:D1');
  });

  it('xlsx in the 1904 system: the same serials are 1,462 days later', async () => {
    const client = createImportClient();
    const t = await client.openFile(file(workbook('xlsx', true), 'mac.xlsx'));
    expect(t.workbook?.date1904).toBe(true);
    expect(t.rows.map((r) => r.cells.slice(3, 5))).toEqual([
      ['2027-03-16', '2027-03-16T18:00:00'],
      ['1904-01-02', '1904-03-02T00:00:00'],
    ]);
  });

  it('ods: text with leading zeros, long numbers and booleans come through', async () => {
    const client = createImportClient();
    const t = await client.openFile(file(workbook('ods', false), 'contacts.ods'));
    expect(t.workbook?.format).toBe('ods');
    expect(t.headerLine).toBe(3);
    expect(t.rows[0]?.cells.slice(0, 3)).toEqual(['Lovelace', '491701234567', '00123']);
    expect(t.rows[1]?.cells.slice(0, 3)).toEqual(['Hopper', '12345678901234', '007']);
    expect(t.rows[0]?.cells[5]).toBe('TRUE');
  });

  it('the admin picks another sheet (empty: says so) and another header row (rows above are not data)', async () => {
    const client = createImportClient();
    await client.openFile(file(workbook('xlsx', false), 'contacts.xlsx'));
    const notes = await client.reparse({ sheet: { sheet: 'Notes' } });
    expect(notes.blocked).toBe(true);
    expect(notes.issues[0]?.code).toBe('SHEET_EMPTY');
    expect(notes.issues[0]?.message).toMatch(/Sheet "Notes" of contacts\.xlsx is empty.*Pick another sheet/);
    const row1 = await client.reparse({ sheet: { sheet: 'Contacts', headerRow: 1 } });
    expect(row1.headerLine).toBe(1);
    expect(row1.headers[0]).toBe('Contacts export — December');
    // Row 3 is now data, row 2 a counted blank line.
    expect(row1.rows.map((r) => r.line)).toEqual([3, 4, 5]);
    expect(row1.stats.blankLines).toBe(1);
  });

  it('ragged rows and trailing empty cells: every row as wide as the widest, nothing shifted; error cells and uncalculated formulas block their row', async () => {
    const ws = utils.aoa_to_sheet([['A', 'B', 'C'], ['1'], ['2', '', '', 'extra'], ['3', 'x']]);
    ws['B2'] = { t: 'e', v: 0x2a, w: '#N/A' };
    const formulaOnly: CellObject = { t: 'n', f: 'A4*2' };
    ws['C4'] = formulaOnly;
    const wb = utils.book_new();
    utils.book_append_sheet(wb, ws, 'S');
    const client = createImportClient();
    const t = await client.openFile(file(new Uint8Array(write(wb, { type: 'array', bookType: 'xlsx' }) as ArrayBuffer), 'ragged.xlsx'));
    expect(t.headers).toEqual(['A', 'B', 'C', '']);
    expect(t.rows).toEqual([
      { line: 2, cells: ['1', '#N/A', '', ''] },
      { line: 3, cells: ['2', '', '', 'extra'] },
      { line: 4, cells: ['3', 'x', '', ''] },
    ]);
    const codes = t.issues.map((i) => [i.code, i.scope, i.line]);
    expect(codes).toEqual(
      expect.arrayContaining([
        ['EMPTY_HEADER', 'file', 1],
        ['CELL_ERROR', 'row', 2],
        ['FORMULA_NO_VALUE', 'row', 4],
      ]),
    );
    expect(t.issues.some((i) => i.code === 'RAGGED_ROW')).toBe(false);
  });

  it('a damaged, an encrypted and an all-empty workbook: a clear file error naming the file, no rows', async () => {
    const client = createImportClient();
    const damaged = await client.openFile(file(new TextEncoder().encode('PK\u0003\u0004 not really a zip'), 'broken.xlsx'));
    expect(damaged.blocked).toBe(true);
    expect(damaged.rows).toEqual([]);
    expect(damaged.issues[0]?.code).toBe('WORKBOOK_UNREADABLE');
    expect(damaged.issues[0]?.message).toMatch(/broken\.xlsx .*cannot be read.*save it again/);

    // What Excel writes for a workbook with a password: an OLE compound file with EncryptionInfo and EncryptedPackage.
    const cfb = cfbApi.utils.cfb_new();
    cfbApi.utils.cfb_add(cfb, '/EncryptionInfo', new Uint8Array([4, 0, 4, 0, 0x40, 0, 0, 0]));
    cfbApi.utils.cfb_add(cfb, '/EncryptedPackage', new Uint8Array(4096).fill(7));
    const encrypted = await client.openFile(file(new Uint8Array(cfbApi.write(cfb, { type: 'array' })), 'secret.xlsx'));
    expect(encrypted.issues[0]?.code).toBe('WORKBOOK_ENCRYPTED');
    expect(encrypted.issues[0]?.message).toMatch(/secret\.xlsx is password-protected.*remove the password/);

    const wb = utils.book_new();
    utils.book_append_sheet(wb, utils.aoa_to_sheet([]), 'Empty');
    const empty = await client.openFile(file(new Uint8Array(write(wb, { type: 'array', bookType: 'xlsx' }) as ArrayBuffer), 'empty.xlsx'));
    expect(empty.issues[0]?.code).toBe('WORKBOOK_EMPTY');
    expect(empty.issues[0]?.message).toContain('empty.xlsx');
  });

  it('a text export named .xls is read as the CSV it is (the bytes decide)', async () => {
    const client = createImportClient();
    const t = await client.openFile(file(new TextEncoder().encode('Last_Name;Zip\nLovelace;00123\n'), 'export.xls'));
    expect(t.workbook).toBeUndefined();
    expect(t.rows[0]?.cells).toEqual(['Lovelace', '00123']);
  });

  it('a workbook over the size limit is refused before parsing, naming the file and the limit', () => {
    const big = new Uint8Array(MAX_WORKBOOK_BYTES + 1);
    big.set([0x50, 0x4b, 0x03, 0x04]);
    const read = openWorkbook(big, 'huge.xlsx');
    expect(read.ok).toBe(false);
    if (!read.ok) {
      expect(read.issue.code).toBe('FILE_TOO_LARGE');
      expect(read.issue.message).toMatch(/huge\.xlsx is 50\.0 MB; workbooks up to 50\.0 MB.*CSV UTF-8/);
    }
  });
});
