// The prediction's diff for rows that update a record this same file adds (upsert): the emulator agreement test
// compares outcomes only, so what such a row changes (old → new) and which rows change nothing are checked here.
import { describe, expect, it } from 'vitest';
import { fieldOf } from '../fields/test-fields.ts';
import { assignColumn, emptyMapping, type Mapping } from '../mapping/mapping.ts';
import { PreparedOrg, predictAgainstOrg, OUTCOME_ADD, OUTCOME_UPDATE } from './predict.ts';
import { addCsvPage, emptySnapshot } from './snapshot.ts';

const fields = [
  fieldOf('Last_Name', 'text', { length: 80, system_mandatory: true }),
  fieldOf('Email', 'email', { unique: { case_sensitive: false } }),
  fieldOf('Title', 'text', { length: 100 }),
];
const HEADERS = ['Last_Name', 'Email', 'Title'];
let mapping: Mapping = emptyMapping(HEADERS.length);
HEADERS.forEach((h, i) => {
  mapping = assignColumn(mapping, i, h).mapping;
});

function orgWith(csv: string): PreparedOrg {
  const s = emptySnapshot('Contacts', HEADERS);
  addCsvPage(s, csv);
  return new PreparedOrg({ target: s, modules: new Map([['Contacts', s]]), moduleFields: new Map(), users: [] });
}

const changesOf = (p: ReturnType<typeof predictAgainstOrg>) =>
  Array.from(p.changeRows, (row, k) => ({ row, field: p.fieldNames[p.changeFields[k]!], old: p.olds[k], next: p.news[k] }));

describe('predictAgainstOrg: rows updating a record the file adds', () => {
  const org = orgWith('id,Last_Name,Email,Title\r\n9001,Old,old@x.example,Boss\r\n');
  const rows = [
    { cells: ['New', 'new@x.example', 'Intern'] }, // adds a record
    { cells: ['New', 'NEW@x.example', 'Manager'] }, // updates that record: Title Intern → Manager
    { cells: ['New', 'new@x.example', 'Manager'] }, // updates it again: nothing changes any more
    { cells: ['Old', 'old@x.example', 'Chief'] }, // updates the org's record: Title Boss → Chief
  ];

  it('says what each later row changes in the added record, against what the earlier rows wrote', () => {
    const p = predictAgainstOrg(org, { rows, mapping, fields, operation: 'upsert', findBy: 'Email', ignoreEmpty: false, excluded: new Set() });
    expect(Array.from(p.outcomes)).toEqual([OUTCOME_ADD, OUTCOME_UPDATE, OUTCOME_UPDATE, OUTCOME_UPDATE]);
    expect(changesOf(p)).toEqual([
      { row: 1, field: 'Email', old: 'new@x.example', next: 'NEW@x.example' },
      { row: 1, field: 'Title', old: 'Intern', next: 'Manager' },
      { row: 2, field: 'Email', old: 'NEW@x.example', next: 'new@x.example' },
      { row: 3, field: 'Title', old: 'Boss', next: 'Chief' },
    ]);
    expect(p.recordIds[3]).toBe('9001');
  });

  it('a row after an excluded one is compared with what was actually written', () => {
    const p = predictAgainstOrg(org, { rows, mapping, fields, operation: 'upsert', findBy: 'Email', ignoreEmpty: false, excluded: new Set([1]) });
    expect(changesOf(p).filter((c) => c.row === 2)).toEqual([{ row: 2, field: 'Title', old: 'Intern', next: 'Manager' }]);
  });
});
