// The prediction's diff for rows that update a record this same file adds (upsert): the emulator agreement test
// compares outcomes only, so what such a row changes (old → new) and which rows change nothing are checked here.
// Also: who holds each of the file's keys in the org (one pass over the org, PreparedOrg.baseHolders) against a
// Map of the folded values (property, fixed seed), and a match value several org records share.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { keyValue } from './key-values-test-support.ts';
import { serialiseRow } from '../csv/serialise.ts';
import { fieldOf } from '../fields/test-fields.ts';
import { assignColumn, emptyMapping, type Mapping } from '../mapping/mapping.ts';
import { PredictionLists, PreparedOrg, predictAgainstOrg, sameStoredValue, OUTCOME_ADD, OUTCOME_SKIP, OUTCOME_UPDATE } from './predict.ts';
import { KeyDict } from './file-side.ts';
import { addCsvPage, emptySnapshot, keyHash, NO_RECORD, SEVERAL_RECORDS } from './snapshot.ts';

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
  Array.from(p.changeRows, (row, k) => ({ row, field: p.fieldNames[p.changeFields[k]!], old: p.olds.get(k), next: p.news.get(k) }));

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
    expect(p.recordIds.get(3)).toBe('9001');
  });

  it('writes the same into lists made (and mapped) ahead of it; lists made for another row count are not used', () => {
    const input = { rows, mapping, fields, operation: 'upsert' as const, findBy: 'Email', ignoreEmpty: false, excluded: new Set<number>() };
    const fresh = predictAgainstOrg(org, input);
    const made = new PredictionLists(rows.length);
    made.prefault();
    const ahead = predictAgainstOrg(org, input, undefined, made);
    // The lists it wrote are the ones made ahead.
    expect(ahead.olds).toBe(made.olds);
    const wrong = new PredictionLists(rows.length + 1);
    const other = predictAgainstOrg(org, input, undefined, wrong);
    expect(other.olds).not.toBe(wrong.olds);
    for (const p of [ahead, other]) {
      expect(Array.from(p.outcomes)).toEqual(Array.from(fresh.outcomes));
      expect(changesOf(p)).toEqual(changesOf(fresh));
      expect(rows.map((_, i) => p.recordIds.get(i))).toEqual(rows.map((_, i) => fresh.recordIds.get(i)));
      expect(Array.from(p.changedRows)).toEqual(Array.from(fresh.changedRows));
      expect(Array.from(p.unchangedRows)).toEqual(Array.from(fresh.unchangedRows));
    }
  });

  it('a row after an excluded one is compared with what was actually written', () => {
    const p = predictAgainstOrg(org, { rows, mapping, fields, operation: 'upsert', findBy: 'Email', ignoreEmpty: false, excluded: new Set([1]) });
    expect(changesOf(p).filter((c) => c.row === 2)).toEqual([{ row: 2, field: 'Title', old: 'Intern', next: 'Manager' }]);
  });
});

describe('predictAgainstOrg: rows updating the same org record', () => {
  it('a later row matching a record an earlier row updated is compared with what that row wrote; a record matched once is compared with the org', () => {
    const org = orgWith('id,Last_Name,Email,Title\r\n9001,Old,old@x.example,Boss\r\n9002,Two,two@x.example,Clerk\r\n');
    const rows = [
      { cells: ['Old', 'old@x.example', 'Chief'] }, // 9001: Title Boss → Chief
      { cells: ['Two', 'two@x.example', 'Owner'] }, // 9002, its only row: Title Clerk → Owner
      { cells: ['Old', 'OLD@x.example', 'Clerk'] }, // 9001 again: Title Chief (written by row 0) → Clerk
      { cells: ['Two', 'two@x.example', 'Owner'] }, // 9002 again: row 1 wrote Owner already, nothing changes
      { cells: ['New', 'new@x.example', 'Temp'] }, // no record, matched by no other row
    ];
    const p = predictAgainstOrg(org, { rows, mapping, fields, operation: 'update', findBy: 'Email', ignoreEmpty: false, excluded: new Set() });
    expect(Array.from(p.outcomes)).toEqual([OUTCOME_UPDATE, OUTCOME_UPDATE, OUTCOME_UPDATE, OUTCOME_UPDATE, OUTCOME_SKIP]);
    expect(changesOf(p)).toEqual([
      { row: 0, field: 'Title', old: 'Boss', next: 'Chief' },
      { row: 1, field: 'Title', old: 'Clerk', next: 'Owner' },
      { row: 2, field: 'Email', old: 'old@x.example', next: 'OLD@x.example' },
      { row: 2, field: 'Title', old: 'Chief', next: 'Clerk' },
    ]);
    expect(Array.from(p.unchangedRows)).toEqual([3]);
  });
});

// Pairs of values whose keys have the same keyHash (found by search): the join takes the one record with a key's hash
// as its holder before comparing, so the property below mixes them in.
const SAME_HASH = [
  ['c13797@x.example', 'c33077@x.example'],
  ['c13285@x.example', 'c33381@x.example'],
  ['c24345@x.example', 'c37108@x.example'],
];

describe('PreparedOrg.baseHolders: the org holder of each key of the file', () => {
  it('the pairs the property mixes in do share a hash', () => {
    for (const [a, b] of SAME_HASH) expect(keyHash(a!)).toBe(keyHash(b!));
  });

  const value = fc.oneof(keyValue, fc.constantFrom(...SAME_HASH.flat(), ...SAME_HASH.flat().map((v) => v.toUpperCase())));
  it('property: holderOf equals a Map of the folded org values, both case rules, values sharing a hash, also for keys added after a first pass (fast-check seed 4711)', () => {
    fc.assert(
      fc.property(
        fc.array(value, { maxLength: 60 }),
        fc.boolean(),
        fc.array(value, { maxLength: 20 }),
        fc.array(value, { maxLength: 20 }),
        (values, fold, first, later) => {
          const s = emptySnapshot('Contacts', ['Email']);
          addCsvPage(s, 'id,Email\r\n' + values.map((v, i) => serialiseRow([String(i), v])).join(''));
          const field = fieldOf('Email', 'email', { unique: { case_sensitive: !fold } });
          const org = new PreparedOrg({ target: s, modules: new Map([['Contacts', s]]), moduleFields: new Map(), users: [] });
          const keyOf = (v: string) => (fold ? v.toLowerCase() : v);
          const reference = new Map<string, number[]>();
          values.forEach((v, i) => {
            if (v !== '') reference.set(keyOf(v), [...(reference.get(keyOf(v)) ?? []), i]);
          });
          const dict = new KeyDict();
          // `asked`: which keys are asked for (the others stay uncompared until a later check asks them, after the
          // dictionary has grown, perhaps by a key with the same hash).
          const check = (asked: (id: number) => boolean) => {
            const found = org.baseHolders(field, dict);
            expect(found.holders.length).toBe(dict.size);
            dict.keys.forEach((key, id) => {
              if (!asked(id)) return;
              const all = reference.get(key) ?? [];
              expect(org.holderOf(found, id, key)).toBe(all.length === 0 ? NO_RECORD : all.length === 1 ? all[0] : SEVERAL_RECORDS);
              if (all.length > 1) expect(org.sharedHolders(field, key)).toEqual(all);
            });
          };
          const add = (vs: string[]) => vs.filter((v) => v !== '').forEach((v) => dict.add(keyOf(v), keyHash(keyOf(v))));
          // Every other org value is a key of the file: the others can only be found by their hash.
          add([...first, ...values.filter((_, i) => i % 2 === 0)]);
          check((id) => id % 3 !== 1);
          add(later);
          check(() => true);
        },
      ),
      { seed: 4_711, numRuns: 300 },
    );
  });
});

describe('predictAgainstOrg: a match value several org records share', () => {
  it('matches the first of them and says so, naming the records; the value is then held by another record too', () => {
    const org = orgWith('id,Last_Name,Email,Title\r\n9001,A,same@x.example,Boss\r\n9002,B,SAME@x.example,Chief\r\n9003,C,other@x.example,Clerk\r\n');
    const rows = [{ cells: ['A', 'same@x.example', 'Owner'] }];
    const p = predictAgainstOrg(org, { rows, mapping, fields, operation: 'update', findBy: 'Email', ignoreEmpty: false, excluded: new Set() });
    // Record 9002 holds the same unique value, so writing it into 9001 is a duplicate (DUPLICATE_DATA on Email).
    expect(Array.from(p.outcomes)).toEqual([OUTCOME_SKIP]);
    expect(p.errors.get(0)).toBe('DUPLICATE_DATA-Email');
    expect(p.recordIds.get(0)).toBe('9001');
    expect(p.issues.map((i) => [i.code, i.row])).toEqual([['SHARED_MATCH', 0]]);
    expect(p.issues[0]!.message).toContain('2 Contacts records share this');
    expect(p.issues[0]!.message).toContain('9001, 9002');
  });
});

describe('sameStoredValue: texts Zoho stores as the same value are no change', () => {
  it('numbers by value, big integers exactly, booleans by case, date-times by instant; other types by text', () => {
    const num = sameStoredValue('currency')!;
    expect(num('1234.50', '1234.5')).toBe(true);
    expect(num('1234.5', '1234.51')).toBe(false);
    expect(num('', '0')).toBe(false);
    expect(num('12abc', '12')).toBe(false);
    const big = sameStoredValue('bigint')!;
    expect(big('9007199254740993', '9007199254740992')).toBe(false); // Number() would call these equal
    expect(big('+0042', '42')).toBe(true);
    expect(sameStoredValue('boolean')!('TRUE', 'true')).toBe(true);
    const dt = sameStoredValue('datetime')!;
    expect(dt('2024-01-05T10:00:00+05:30', '2024-01-05T04:30:00Z')).toBe(true);
    expect(dt('2024-01-05T10:00:00+05:30', '2024-01-05T10:00:00Z')).toBe(false);
    expect(sameStoredValue('text')).toBeNull();
  });

  it('an update whose number differs only in its zeros changes nothing', () => {
    const numFields = [fieldOf('Email', 'email', { unique: { case_sensitive: false } }), fieldOf('Annual_Revenue', 'currency')];
    const s = emptySnapshot('Leads', ['Email', 'Annual_Revenue']);
    addCsvPage(s, 'id,Email,Annual_Revenue\r\n7001,a@x.example,1234.50\r\n7002,b@x.example,10\r\n');
    const org = new PreparedOrg({ target: s, modules: new Map([['Leads', s]]), moduleFields: new Map(), users: [] });
    let m = emptyMapping(2);
    m = assignColumn(m, 0, 'Email').mapping;
    m = assignColumn(m, 1, 'Annual_Revenue').mapping;
    const p = predictAgainstOrg(org, {
      rows: [{ cells: ['a@x.example', '1234.5'] }, { cells: ['b@x.example', '11'] }],
      mapping: m,
      fields: numFields,
      operation: 'update',
      findBy: 'Email',
      ignoreEmpty: false,
      excluded: new Set(),
    });
    expect(Array.from(p.outcomes)).toEqual([OUTCOME_UPDATE, OUTCOME_UPDATE]);
    expect(changesOf(p)).toEqual([{ row: 1, field: 'Annual_Revenue', old: '10', next: '11' }]);
    expect(Array.from(p.unchangedRows)).toEqual([0]);
  });
});
