import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fieldOf, leadFields } from '../fields/test-fields.ts';
import { assignColumn, emptyMapping, resolveMapping, setDefaultOnly, updateColumn, type Mapping } from '../mapping/mapping.ts';
import { compileValidator } from '../fields/validate-value.ts';
import { evaluateRow, isBlank, uniqueKey } from '../validation/row-rules.ts';
import { FileSide, fileSideFor, KeyDict } from './file-side.ts';
import { keyHash } from './snapshot.ts';
import { lazyRows, packRows } from '../csv/packed-rows.ts';

const fields = leadFields();
const HEADERS = ['Last_Name', 'Company', 'Email', 'Phone', 'Account_Number'];
let mapping: Mapping = emptyMapping(HEADERS.length);
HEADERS.forEach((h, i) => {
  mapping = assignColumn(mapping, i, h).mapping;
});
const mappings = resolveMapping(mapping, fields).resolved;

// Cells that exercise every branch: blank (mandatory or not), whitespace, valid and invalid e-mails, mixed case.
const cell = fc.constantFrom('', ' ', 'Smith', 'a@b.co', ' A@B.co ', 'A@B.CO', 'not-an-email', 'x@y.org', 'ACC-1', 'acc-1', ' ACC-1 ', '+1 555', 'Zylker');
const row = fc.array(cell, { minLength: HEADERS.length, maxLength: HEADERS.length }).map((cells) => ({ cells }));

/** What the file side must hold for one row, worked out the slow way (evaluateRow) for comparison. */
function expected(cells: readonly string[], ignoreEmpty: boolean) {
  const ins = evaluateRow(cells, mappings, { isInsert: true, ignoreEmpty });
  const upd = evaluateRow(cells, mappings, { isInsert: false, ignoreEmpty });
  const email = ins.values.get('Email');
  const emailKey =
    email === undefined || email === null || email === ''
      ? null
      : uniqueKey(
          fields.find((f) => f.apiName === 'Email')!,
          email,
        );
  return { values: mappings.map((m) => ins.values.get(m.field.apiName)), insertErrors: ins.errors, updateErrors: upd.errors, emailKey };
}

function actual(side: FileSide, r: number) {
  const values: unknown[] = new Array(mappings.length);
  side.valuesInto(r, values as never);
  const email = side.uniques.find((u) => u.field.apiName === 'Email')!;
  return {
    values,
    insertErrors: [...side.errorsOf(r, true)],
    updateErrors: [...side.errorsOf(r, false)],
    emailKey: email.keys.keys[r],
    emailHash: email.keys.hashes[r],
  };
}

/** The match of a row the slow way: the cell trimmed, checked and normalised by the field's validator, then keyed. */
function expectedMatch(cells: readonly string[], findBy: string) {
  const field = fields.find((f) => f.apiName === findBy)!;
  const cell = cells[HEADERS.indexOf(findBy)];
  const raw = isBlank(cell) ? '' : cell!.trim();
  const v = compileValidator(field);
  const key = raw !== '' && v.check(raw) === null ? uniqueKey(field, v.normalise(raw)) : null;
  return { raw, key, hash: key === null || key === '' ? -1 : keyHash(key) };
}

describe('FileSide', () => {
  it("keys each row's match as the slow way does, for a unique e-mail and a unique text field, and numbers it in the field's dictionary (fast-check seed 93095)", () => {
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 30 }), fc.boolean(), fc.constantFrom('Email', 'Account_Number'), (rows, ignoreEmpty, findBy) => {
        const side = new FileSide({ rows, mapping, fields, findBy, ignoreEmpty });
        const dict = side.dicts.get(findBy)!;
        rows.forEach((r, i) => {
          const want = expectedMatch(r.cells, findBy);
          expect(side.matchRaw[i]).toBe(want.raw);
          expect(side.match.keys[i]).toBe(want.key);
          expect(side.match.hashes[i]).toBe(want.hash);
          expect(side.match.ids[i]).toBe(want.hash < 0 ? -1 : dict.idOf(want.key!));
        });
      }),
      { seed: 93095, numRuns: 200 },
    );
  });

  it('holds, per row, what the row rules make of it as an insert and as an update, and the unique keys with their hashes', () => {
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 30 }), fc.boolean(), (rows, ignoreEmpty) => {
        const side = new FileSide({ rows, mapping, fields, findBy: 'Email', ignoreEmpty });
        rows.forEach((r, i) => {
          const want = expected(r.cells, ignoreEmpty);
          const got = actual(side, i);
          expect(got.values).toEqual(want.values);
          expect(got.insertErrors).toEqual(want.insertErrors);
          expect(got.updateErrors).toEqual(want.updateErrors);
          expect(got.emailKey).toBe(want.emailKey);
          expect(got.emailHash).toBe(want.emailKey === null ? -1 : keyHash(want.emailKey));
        });
      }),
      { seed: 93093, numRuns: 150 },
    );
  });

  it('reads packed rows (the worker keeps its table packed) as it reads plain ones, ragged rows included', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(row, fc.integer({ min: 0, max: HEADERS.length })), { minLength: 1, maxLength: 30 }), fc.boolean(), (spec, ignoreEmpty) => {
        const rows = spec.map(([r, width], i) => ({ line: i + 2, cells: r.cells.slice(0, width) }));
        const plain = new FileSide({ rows, mapping, fields, findBy: 'Email', ignoreEmpty });
        const packed = new FileSide({ rows: lazyRows(packRows(rows)), mapping, fields, findBy: 'Email', ignoreEmpty });
        rows.forEach((_, i) => expect(actual(packed, i)).toEqual(actual(plain, i)));
        expect(packed.matchRaw).toEqual(plain.matchRaw);
        // The keys, hashes and numbers (not the dictionaries' tables: comparing those deeply took ~11 s of this test).
        const { keys, hashes, ids } = plain.match;
        expect(packed.match.keys).toEqual(keys);
        expect(packed.match.hashes).toEqual(hashes);
        expect(packed.match.ids).toEqual(ids);
        expect(packed.match.dict?.keys).toEqual(plain.match.dict?.keys);
      }),
      { seed: 93094, numRuns: 150 },
    );
  });

  it('after edits, a held side brought up to date equals a new one, and only the replaced rows are worked out again', () => {
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 25 }), fc.array(fc.tuple(fc.nat(), row), { maxLength: 8 }), (rows, edits) => {
        const held = new FileSide({ rows, mapping, fields, findBy: 'Email', ignoreEmpty: false });
        const edited = rows.slice();
        const replaced = new Set<number>();
        for (const [at, r] of edits) {
          edited[at % rows.length] = r;
          replaced.add(at % rows.length);
        }
        expect(held.fits({ rows: edited, mapping, fields, findBy: 'Email', ignoreEmpty: false })).toBe(true);
        expect(held.refresh(edited)).toBe(replaced.size);
        const fresh = new FileSide({ rows: edited, mapping, fields, findBy: 'Email', ignoreEmpty: false });
        edited.forEach((_, i) => {
          expect(actual(held, i)).toEqual(actual(fresh, i));
          expect(held.matchRaw[i]).toBe(fresh.matchRaw[i]);
          expect(held.match.keys[i]).toBe(fresh.match.keys[i]);
        });
      }),
      { seed: 93094, numRuns: 150 },
    );
  });

  it('keys the match by the valid, case-folded value of a unique find_by field, and by the id itself for find_by id', () => {
    const rows = [
      { cells: ['Smith', 'Zylker', ' A@B.co ', '', ''] },
      { cells: ['Smith', 'Zylker', 'not-an-email', '', ''] },
      { cells: ['Smith', 'Zylker', ' ', '', ''] },
    ];
    const side = new FileSide({ rows, mapping, fields, findBy: 'Email', ignoreEmpty: false });
    expect(side.matchRaw).toEqual(['A@B.co', 'not-an-email', '']);
    expect(side.match.keys).toEqual(['a@b.co', null, null]);
    let byId: Mapping = emptyMapping(2);
    byId = assignColumn(byId, 0, 'id').mapping;
    byId = assignColumn(byId, 1, 'Last_Name').mapping;
    const ids = new FileSide({ rows: [{ cells: [' 123 ', 'Smith'] }], mapping: byId, fields, findBy: 'id', ignoreEmpty: false });
    expect(ids.match.keys).toEqual(['123']);
  });

  it('a change of mapping or settings needs a new side; the same settings reuse the held one', () => {
    const rows = [{ cells: ['Smith', 'Zylker', 'a@b.co', '', ''] }];
    const held = new FileSide({ rows, mapping, fields, findBy: 'Email', ignoreEmpty: false });
    expect(fileSideFor({ rows, mapping, fields, findBy: 'Email', ignoreEmpty: false }, held)).toBe(held);
    expect(fileSideFor({ rows, mapping, fields, findBy: 'Email', ignoreEmpty: true }, held)).not.toBe(held);
    expect(fileSideFor({ rows, mapping, fields, findBy: null, ignoreEmpty: false }, held)).not.toBe(held);
    expect(fileSideFor({ rows: [...rows, ...rows], mapping, fields, findBy: 'Email', ignoreEmpty: false }, held)).not.toBe(held);
  });
});

describe('KeyDict', () => {
  it('property: numbers keys as a Map does, through its growth, and knows no other key (fast-check seed 2024)', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 4 }), { maxLength: 3_000 }), fc.array(fc.string({ maxLength: 5 }), { maxLength: 50 }), (keys, probes) => {
        const dict = new KeyDict();
        const model = new Map<string, number>();
        for (const k of keys) {
          if (k === '') continue;
          if (!model.has(k)) model.set(k, model.size);
          expect(dict.add(k, keyHash(k))).toBe(model.get(k));
        }
        expect(dict.size).toBe(model.size);
        for (const k of [...keys, ...probes]) expect(dict.idOf(k)).toBe(k === '' ? -1 : (model.get(k) ?? -1));
        model.forEach((id, k) => expect(dict.keys[id]).toBe(k));
      }),
      { seed: 2_024, numRuns: 60 },
    );
  });
});

describe('FileSide with the users (decision 175)', () => {
  const owner = fieldOf('Owner', 'ownerlookup');
  const last = fieldOf('Last_Name', 'text', { length: 80, system_mandatory: true });
  const users = [
    { id: '9001', email: 'aisha@x.example', fullName: 'Aisha Khan', status: 'active' },
    { id: '9002', email: 'tom@x.example', fullName: 'Tom Baker', status: 'inactive' },
  ];
  it("a user column is worked out as sent (each cell naming an active user as that user's id, found by id); a default alone goes as it is", () => {
    let m = emptyMapping(2);
    m = assignColumn(m, 0, 'Last_Name').mapping;
    m = assignColumn(m, 1, 'Owner').mapping;
    m = updateColumn(m, 1, { findBy: 'email' });
    const rows = [{ cells: ['A', 'Aisha Khan'] }, { cells: ['B', ' AISHA@x.example '] }, { cells: ['C', 'tom@x.example'] }, { cells: ['D', 'Nobody'] }];
    const side = new FileSide({ rows, mapping: m, fields: [last, owner], findBy: null, ignoreEmpty: false, users });
    const at = side.mappings.findIndex((x) => x.field.apiName === 'Owner');
    expect([0, 1].map((r) => side.valueAt(r, at))).toEqual(['9001', '9001']);
    // An inactive user and a name no one has are sent as they stand: found by id, they fail (Zoho skips the row).
    expect(side.errorsOf(2, true).map((e) => e.apiName)).toEqual(['Owner']);
    expect(side.errorsOf(3, true).map((e) => e.apiName)).toEqual(['Owner']);
    // A default alone (no column) is sent unresolved by projectForUpload: the file side leaves it so.
    const alone = setDefaultOnly(assignColumn(emptyMapping(1), 0, 'Last_Name').mapping, 'Owner', 'aisha@x.example');
    const d = new FileSide({ rows: [{ cells: ['E'] }], mapping: alone, fields: [last, owner], findBy: null, ignoreEmpty: false, users });
    expect(d.errorsOf(0, true).map((e) => e.apiName)).toEqual(['Owner']);
  });
});
