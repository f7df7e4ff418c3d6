// A workbook's ticked sheets as the sources of one multi-module run (issue 11): a real workbook, generated with the
// app's spreadsheet library, each sheet opened by its own import client (in Node the worker's code runs in-thread)
// with the options the run uses — module guessed from the sheet name, the suggested or chosen header row, the
// sheet's row numbers as line numbers.
import { utils, write } from '@e965/xlsx';
import { describe, expect, it } from 'vitest';
import { createImportClient } from '../worker/import-client.ts';
import { guessModule, openOptionsOf, partsOfFiles, partsOfSheets } from './multi-source.ts';

const MODULES = [
  { value: 'Accounts', label: 'Accounts' },
  { value: 'Contacts', label: 'Contacts' },
  { value: 'Deals', label: 'Deals' },
  { value: 'Price_Books', label: 'Price Books' },
];

function crmWorkbook(): File {
  const wb = utils.book_new();
  // A title row above the header: the suggested header row is row 3.
  utils.book_append_sheet(
    wb,
    utils.aoa_to_sheet([['Accounts export'], [], ['Account_Name', 'Phone'], ['Acme', '00123'], ['Globex', 491701234567]]),
    'Accounts',
  );
  utils.book_append_sheet(wb, utils.aoa_to_sheet([]), 'Empty');
  utils.book_append_sheet(
    wb,
    utils.aoa_to_sheet([
      ['Last_Name', 'Account_Name.Account_Name'],
      ['Lovelace', 'Acme'],
      ['Hopper', 'Globex'],
      ['Byron', 'Acme'],
    ]),
    'Contacts',
  );
  utils.book_append_sheet(
    wb,
    utils.aoa_to_sheet([
      ['Old header', 'x'],
      ['Book_Name', 'Active'],
      ['Retail', true],
    ]),
    'price books',
  );
  return new File([new Uint8Array(write(wb, { type: 'array', bookType: 'xlsx' }) as ArrayBuffer)], 'crm.xlsx');
}

describe('sheets of one workbook as run sources', () => {
  it('each ticked sheet is its own source: its own rows, header row and sheet row numbers, module from the sheet name', async () => {
    const file = crmWorkbook();
    // The admin chose row 2 as the header of "price books" on Upload; the others take the suggested row.
    const parts = partsOfSheets(file, [{ name: 'Accounts' }, { name: 'Contacts' }, { name: 'price books', headerRow: 2 }]);
    expect(parts.map((p) => p.name)).toEqual(['Accounts (crm.xlsx)', 'Contacts (crm.xlsx)', 'price books (crm.xlsx)']);
    expect(parts.map((p) => guessModule(p.guessFrom, MODULES))).toEqual(['Accounts', 'Contacts', 'Price_Books']);
    expect(parts.map(openOptionsOf)).toEqual([
      { sheet: { sheet: 'Accounts' } },
      { sheet: { sheet: 'Contacts' } },
      { sheet: { sheet: 'price books', headerRow: 2 } },
    ]);

    const tables = await Promise.all(parts.map((p) => createImportClient().openFile(p.file, openOptionsOf(p))));
    const [accounts, contacts, books] = tables;
    expect(tables.map((t) => [t.blocked, t.workbook?.sheet])).toEqual([
      [false, 'Accounts'],
      [false, 'Contacts'],
      [false, 'price books'],
    ]);
    expect(accounts?.headers).toEqual(['Account_Name', 'Phone']);
    expect(accounts?.rows).toEqual([
      { line: 4, cells: ['Acme', '00123'] },
      { line: 5, cells: ['Globex', '491701234567'] },
    ]);
    expect(contacts?.headers).toEqual(['Last_Name', 'Account_Name.Account_Name']);
    expect(contacts?.rows.map((r) => [r.line, ...r.cells])).toEqual([
      [2, 'Lovelace', 'Acme'],
      [3, 'Hopper', 'Globex'],
      [4, 'Byron', 'Acme'],
    ]);
    expect(books?.headers).toEqual(['Book_Name', 'Active']);
    expect(books?.rows).toEqual([{ line: 3, cells: ['Retail', 'TRUE'] }]);
  });

  it('files keep their names; the module is guessed from the name without its extension, and an unknown name guesses none', () => {
    const parts = partsOfFiles([new File(['a'], 'deals.csv'), new File(['b'], 'Price Books.csv'), new File(['c'], 'misc.csv')]);
    expect(parts.map((p) => [p.name, openOptionsOf(p), guessModule(p.guessFrom, MODULES)])).toEqual([
      ['deals.csv', {}, 'Deals'],
      ['Price Books.csv', {}, 'Price_Books'],
      ['misc.csv', {}, ''],
    ]);
  });
});
