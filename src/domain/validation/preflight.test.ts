import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fieldOf, leadFields } from '../fields/test-fields.ts';
import { assignColumn, emptyMapping, resolveMapping, setDefaultOnly, updateColumn, type Mapping } from '../mapping/mapping.ts';
import type { TableInput } from './preflight-state.ts';
import { detachRows, revalidateRow, validateTable, validateTableSteps } from './preflight.ts';
import { evaluateRow } from './row-rules.ts';
import { lazyRows, packRows } from '../csv/packed-rows.ts';
import { checkInFileUnique, createUniqueTracker } from './unique-tracker-test-support.ts';

const PROPERTY_SEED = 20261129;

const fields = leadFields();

function mapAll(headers: string[]): Mapping {
  let m = emptyMapping(headers.length);
  headers.forEach((h, i) => {
    if (h !== '') m = assignColumn(m, i, h).mapping;
  });
  return m;
}

function input(headers: string[], rows: string[][], extra: Partial<TableInput> = {}): TableInput {
  return {
    headers,
    rows: rows.map((cells, i) => ({ line: i + 2, cells })),
    mapping: mapAll(headers),
    fields,
    operation: 'insert',
    findBy: null,
    ignoreEmpty: false,
    ...extra,
  };
}

const H = ['Last_Name', 'Company', 'Email', 'Phone', 'Lead_Source'];

describe('validateTable: rows', () => {
  it("the seed's example: 7 rows, one duplicate Email → that row is predicted skipped", () => {
    const rows = [
      ['Smith', 'Zylker', 'a@zylker.com', '1', 'Partner'],
      ['Jones', 'Zylker', 'b@zylker.com', '2', 'Partner'],
      ['Brown', 'Zylker', 'c@zylker.com', '3', 'Partner'],
      ['Black', 'Zylker', 'A@Zylker.com', '4', 'Partner'],
      ['White', 'Zylker', 'd@zylker.com', '5', 'Partner'],
      ['Green', 'Zylker', 'e@zylker.com', '6', 'Partner'],
      ['Grey', 'Zylker', 'f@zylker.com', '7', 'Partner'],
    ];
    const r = validateTable(input(H, rows));
    expect(r.predictedSkips).toEqual([3]);
    expect(r.issues).toHaveLength(1);
    expect(r.issues[0]).toMatchObject({ row: 3, line: 5, column: 2, apiName: 'Email', code: 'DUPLICATE_DATA', severity: 'error' });
    expect(r.issues[0]?.message).toMatch(/Line 5, "Email": Email must be unique, and line 2 of this file already has the same value \(ignoring case\)/);
    expect(r.tableIssues).toEqual([]);
    expect(r.countsByColumn[2]).toEqual({ errors: 1, warnings: 0 });
  });

  it('mandatory (whitespace-only counts), invalid values with fixes, defaults, new pick-list values', () => {
    const rows = [
      ['  ', 'Zylker', 'x@y.co', '+1 415', 'Trade Show'],
      ['Ok', 'Zylker', ' x2@y.co', '123', 'Trade Show'],
      ['Ok', '', 'not-an-email', '', 'Partner'],
    ];
    const i = input(H, rows);
    i.mapping = updateColumn(i.mapping, 1, { defaultValue: 'Unknown Ltd' });
    const r = validateTable(i);
    expect(r.predictedSkips).toEqual([0, 1, 2]);
    const brief = r.issues.map((x) => [x.row, x.column, x.code, x.severity, x.fix?.kind]);
    expect(brief).toEqual([
      [0, 0, 'MANDATORY_NOT_FOUND', 'error', 'default'],
      [0, 3, 'INVALID_DATA', 'error', 'phone'],
      [0, 4, 'NEW_PICKLIST_VALUE', 'warning', 'edit'],
      [1, 2, 'INVALID_DATA', 'error', 'trim'],
      [2, 2, 'INVALID_DATA', 'error', 'edit'],
    ]);
    expect(r.issues[1]?.message).toContain('Phone allows only digits and a leading +');
    expect(r.issues[2]?.message).toMatch(/'Trade Show' is not one of Lead Source's values \(2 rows use it\)/);
  });

  it('a duplicate of a row that is itself skipped is not a duplicate', () => {
    const rows = [
      ['', 'Z', 'dup@x.co', '1', ''],
      ['B', 'Z', 'dup@x.co', '2', ''],
      ['C', 'Z', 'DUP@x.co', '3', ''],
    ];
    expect(validateTable(input(H, rows)).predictedSkips).toEqual([0, 2]);
  });

  it('ignore_empty and default-only mappings', () => {
    const i = input(['Last_Name', 'Company', 'Phone'], [['A', '', '']], { ignoreEmpty: true });
    expect(validateTable(i).predictedSkips).toEqual([0]);
    i.mapping = setDefaultOnly(assignColumn(i.mapping, 1, null).mapping, 'Company', 'Acme');
    expect(validateTable(i).predictedSkips).toEqual([]);
  });

  it('update: an empty find_by cell is skipped; rows updating the same record do not clash', () => {
    const rows = [
      ['a@x.co', 'Z', '1'],
      ['', 'Z', '2'],
      ['A@x.co', 'Z', '3'],
    ];
    const r = validateTable(input(['Email', 'Company', 'Phone'], rows, { operation: 'update', findBy: 'Email' }));
    expect(r.predictedSkips).toEqual([1]);
    expect(r.issues[0]).toMatchObject({ row: 1, column: 0, code: 'MANDATORY_NOT_FOUND' });
    expect(r.tableIssues).toEqual([]);
  });

  it('upsert: an empty mandatory field is a warning when the row may match, an error when it cannot', () => {
    const rows = [
      ['a@x.co', '', 'Z'],
      ['', '', 'Z'],
    ];
    // Without ignore_empty an empty mandatory cell would blank the field on update too: an error either way.
    const strict = validateTable(input(['Email', 'Last_Name', 'Company'], rows, { operation: 'upsert', findBy: 'Email' }));
    expect(strict.predictedSkips).toEqual([0, 1]);
    const r = validateTable(input(['Email', 'Last_Name', 'Company'], rows, { operation: 'upsert', findBy: 'Email', ignoreEmpty: true }));
    expect(r.issues.map((x) => [x.row, x.code, x.severity])).toEqual([
      [0, 'MANDATORY_IF_NEW', 'warning'],
      [1, 'MANDATORY_NOT_FOUND', 'error'],
    ]);
    expect(r.predictedSkips).toEqual([1]);
  });
});

describe('validateTable: table-level', () => {
  it('mandatory fields not mapped, nothing mapped', () => {
    const r = validateTable(input(['Email'], [['a@b.co']]));
    expect(r.tableIssues.map((t) => [t.code, t.apiName])).toEqual([
      ['MANDATORY_FIELDS_NOT_MAPPED', 'Last_Name'],
      ['MANDATORY_FIELDS_NOT_MAPPED', 'Company'],
    ]);
    expect(validateTable(input(['', ''], [['a', 'b']])).tableIssues.map((t) => t.code)).toContain('NOTHING_MAPPED');
    expect(validateTable(input(['Email'], [['a@b.co']], { operation: 'update', findBy: 'Email' })).tableIssues).toEqual([]);
  });

  it('find_by missing, not unique, not mapped; id needs an id column', () => {
    const codes = (extra: Partial<TableInput>, headers = ['Email', 'Phone']) =>
      validateTable(input(headers, [['a@b.co', '1']], extra)).tableIssues.map((t) => t.code);
    expect(codes({ operation: 'update' })).toEqual(['FIND_BY_MISSING']);
    expect(codes({ operation: 'update', findBy: 'Phone' })).toEqual(['FIND_BY_NOT_UNIQUE']);
    expect(codes({ operation: 'update', findBy: 'Account_Number' })).toEqual(['FIND_BY_NOT_MAPPED']);
    expect(codes({ operation: 'update', findBy: 'id' })).toEqual(['FIND_BY_NOT_MAPPED']);
    expect(codes({ operation: 'update', findBy: 'id' }, ['id', 'Phone'])).toEqual([]);
  });

  it('non-writable and unknown fields, invalid format and default, > 200 mapped columns', () => {
    let m = mapAll(['Last_Name', 'Company', 'Follow_Up_Date', 'Phone']);
    m = assignColumn(m, 3, 'Lead_No').mapping;
    m = updateColumn(m, 2, { format: 'qq' });
    m = setDefaultOnly(m, 'Website', 'not a url');
    const r = validateTable({ ...input(['a', 'b', 'c', 'd'], [['A', 'B', '', '5']]), mapping: m });
    expect(r.tableIssues.map((t) => t.code)).toEqual(['FIELD_NOT_WRITABLE', 'INVALID_FORMAT', 'INVALID_DEFAULT']);
    const wide = Array.from({ length: 201 }, (_, i) => `c${i}`);
    const many: Mapping = {
      columns: wide.map((_, i) => ({
        column: i,
        apiName: i === 0 ? 'Last_Name' : i === 1 ? 'Company' : `Custom_${i}`,
        defaultValue: null,
        ignoreEmpty: null,
        format: null,
        findBy: null,
      })),
      defaults: [],
    };
    const rw = validateTable({ ...input(wide, []), mapping: many });
    expect(rw.tableIssues.filter((t) => t.code === 'HEADER_LIMIT_EXCEEDED')).toHaveLength(1);
    expect(rw.tableIssues.filter((t) => t.code === 'UNKNOWN_FIELD')).toHaveLength(199);
  });
});

describe('validateTable: Owner and user lookups (docs/org-apis.md A1)', () => {
  const withOwner = [...leadFields(), fieldOf('Owner', 'ownerlookup')];
  const ownerInput = (findBy: string | null, owners: string[]): TableInput => {
    const headers = ['Last_Name', 'Company', 'Owner'];
    return {
      ...input(
        headers,
        owners.map((o, i) => [`L${i}`, 'C', o]),
      ),
      fields: withOwner,
      mapping: updateColumn(mapAll(headers), 2, { findBy }),
    };
  };

  it('by id: digits; by e-mail: an address — a wrong shape is predicted skipped naming Owner', () => {
    const byId = validateTable(ownerInput(null, ['5725767000001000002', 'sam@zylker.example']));
    expect(byId.tableIssues).toEqual([]);
    expect(byId.predictedSkips).toEqual([1]);
    expect(byId.issues[0]).toMatchObject({ row: 1, apiName: 'Owner', code: 'INVALID_DATA' });
    const byEmail = validateTable(ownerInput('email', ['sam@zylker.example', '5725767000001000002', '']));
    expect(byEmail.tableIssues).toEqual([]);
    expect(byEmail.predictedSkips).toEqual([1]);
  });

  it("with the org's users read: a value naming no user, or an inactive one, is an error naming why; an edit re-checks it", () => {
    const users = [
      { id: '5725767000001000002', email: 'sam@zylker.example', fullName: 'Sam Rivera', status: 'active' },
      { id: '5725767000001000003', email: 'tom@zylker.example', fullName: 'Tom Baker', status: 'inactive' },
    ];
    const owners = ['SAM@zylker.example', 'tom@zylker.example', 'nobody@zylker.example', 'sam@zylker.example'];
    const r = validateTable({ ...ownerInput('email', owners), users });
    expect(r.predictedSkips).toEqual([1, 2]);
    expect(r.issues.map((i) => [i.row, i.column, i.apiName, i.code, i.severity])).toEqual([
      [1, 2, 'Owner', 'INVALID_DATA', 'error'],
      [2, 2, 'Owner', 'INVALID_DATA', 'error'],
    ]);
    expect(r.issues[0]?.message).toMatch(
      /^Line 3, .*Tom Baker \(tom@zylker\.example\) is an inactive user in Zoho CRM \(status inactive\).*INVALID_DATA\). Choose an active user\.$/,
    );
    expect(r.issues[1]?.message).toMatch(/^Line 4, .*No user of this Zoho CRM org has the e-mail nobody@zylker\.example.*\(INVALID_DATA\)/);
    // The same cells without the users: their form is all that is checked.
    expect(validateTable(ownerInput('email', owners)).predictedSkips).toEqual([]);
    // By id: the id must be an active user's.
    const byId = validateTable({ ...ownerInput(null, ['5725767000001000002', '5725767000001000003', '5725767000001000009']), users });
    expect(byId.predictedSkips).toEqual([1, 2]);
    expect(byId.issues[1]?.message).toMatch(/has the id 5725767000001000009/);
    // An edit to an active user's e-mail clears the row; one to an unknown e-mail flags it.
    const fixed = revalidateRow(r, 2, ['L2', 'C', 'sam@zylker.example']);
    expect(fixed.predictedSkips).toEqual([1]);
    const broken = revalidateRow(fixed, 0, ['L0', 'C', 'ghost@zylker.example']);
    expect(broken.predictedSkips).toEqual([0, 1]);
  });

  it("a default owner naming an inactive user flags every blank cell it fills, with the fix on the mapping's default", () => {
    const users = [{ id: '5725767000001000003', email: 'tom@zylker.example', fullName: 'Tom Baker', status: 'inactive' }];
    const base = ownerInput('email', ['', 'tom@zylker.example', '']);
    const r = validateTable({ ...base, mapping: updateColumn(base.mapping, 2, { defaultValue: 'tom@zylker.example' }), users });
    expect(r.predictedSkips).toEqual([0, 1, 2]);
    expect(r.issues.map((i) => [i.row, i.fix?.kind])).toEqual([
      [0, 'default'],
      [1, 'edit'],
      [2, 'default'],
    ]);
    expect(r.issues[0]?.message).toMatch(/\(default value\): Tom Baker .* is an inactive user/);
    expect(r.issues[1]?.message).not.toMatch(/default value/);
  });

  it('past 10,000 distinct unknown users a column shares one message, and every such row is still flagged', () => {
    const users = [{ id: '5725767000001000002', email: 'sam@zylker.example', fullName: 'Sam Rivera', status: 'active' }];
    const owners = Array.from({ length: 10_005 }, (_, i) => (i === 10_004 ? 'sam@zylker.example' : `u${i}@elsewhere.example`));
    const r = validateTable({ ...ownerInput('email', owners), users });
    expect(r.predictedSkips).toHaveLength(10_004);
    expect(r.predictedSkips.at(-1)).toBe(10_003);
    expect(r.issues[0]?.message).toContain('the e-mail u0@elsewhere.example');
    expect(r.issues.at(-1)?.message).toMatch(/No user of this Zoho CRM org has the id, e-mail or full name in this cell, so .* skips the row \(INVALID_DATA\)/);
  });

  it('finding users by anything but id or e-mail is a table issue, and every cell fails', () => {
    const r = validateTable(ownerInput('full_name', ['Sam Rivera']));
    expect(r.tableIssues.map((t) => [t.code, t.apiName])).toEqual([['LOOKUP_FIND_BY_NOT_LOOKUP', 'Owner']]);
    expect(r.tableIssues[0]?.message).toMatch(/id or e-mail/);
    expect(r.predictedSkips).toEqual([0]);
  });
});

describe('revalidateRow', () => {
  it('an edit that fixes a duplicate frees the later row; one that breaks a row re-enables a duplicate', () => {
    const rows = [
      ['A', 'Z', 'same@x.co', '1', ''],
      ['B', 'Z', 'same@x.co', '2', ''],
      ['C', 'Z', 'other@x.co', '3', 'New Value'],
    ];
    const first = validateTable(input(H, rows));
    expect(first.predictedSkips).toEqual([1]);
    const fixed = revalidateRow(first, 1, ['B', 'Z', 'new@x.co', '2', '']);
    expect(fixed.predictedSkips).toEqual([]);
    const broke = revalidateRow(fixed, 1, ['B', 'Z', 'other@x.co', 'bad phone', '']);
    expect(broke.predictedSkips).toEqual([1]);
    // Row 1 is invalid, so it holds nothing: row 2's 'other@x.co' is not a duplicate.
    expect(broke.issues.map((i) => [i.row, i.code])).toEqual([
      [1, 'INVALID_DATA'],
      [2, 'NEW_PICKLIST_VALUE'],
    ]);
    const dupAgain = revalidateRow(broke, 1, ['B', 'Z', 'SAME@x.co', '2', '']);
    expect(dupAgain.issues.map((i) => [i.row, i.code])).toEqual([
      [1, 'DUPLICATE_DATA'],
      [2, 'NEW_PICKLIST_VALUE'],
    ]);
    const skipFirst = revalidateRow(dupAgain, 0, ['', 'Z', 'same@x.co', '1', '']);
    expect(skipFirst.predictedSkips).toEqual([0]);
    const noNew = revalidateRow(skipFirst, 2, ['C', 'Z', 'other@x.co', '3', 'Partner']);
    expect(noNew.issues.some((i) => i.code === 'NEW_PICKLIST_VALUE')).toBe(false);
    // Row 0 is skipped now, so row 1 holds 'same@x.co' and is written.
    expect(noNew.predictedSkips).toEqual([0]);
  });
});

describe('excluded rows', () => {
  it('are not checked, not predicted skipped and hold no unique value', () => {
    const rows = [
      ['A', 'Z', 'same@x.co', 'bad', ''],
      ['B', 'Z', 'same@x.co', '1', ''],
    ];
    const all = validateTable(input(H, rows));
    expect(all.predictedSkips).toEqual([0]);
    const i = { ...input(H, [['A', 'Z', 'same@x.co', '1', ''], ...rows.slice(1)]), excluded: new Set([0]) };
    const r = validateTable(i);
    expect(r.predictedSkips).toEqual([]);
    expect(r.issues).toEqual([]);
    expect(revalidateRow(r, 0, ['', '', '', '', '']).predictedSkips).toEqual([]);
  });
});

describe(`agrees with the simple row rules on random tables (fast-check seed ${PROPERTY_SEED})`, () => {
  it('predicted skips and error codes = evaluateRow + in-file tracker, row by row', () => {
    console.log(`fast-check seed ${PROPERTY_SEED}`);
    const headers = ['Last_Name', 'Company', 'Email', 'Phone', 'Account_Number', 'No_of_Employees', 'Follow_Up_Date'];
    const pools = [
      ['Smith', '', '  ', 'Ōno'],
      ['Zylker', '', '\t'],
      ['a@x.co', 'A@X.CO', 'b@x.co', '', 'bad', ' a@x.co'],
      ['+1', '1-2', '', '123'],
      ['N-1', 'n-1', 'N-2', ''],
      ['1', '1.5', '', '0012'],
      ['03/04/2025', '2025-04-03', '31/02/2025', ''],
    ];
    const table = fc.array(fc.tuple(...pools.map((p) => fc.constantFrom(...p))), { maxLength: 25 });
    fc.assert(
      fc.property(table, fc.boolean(), fc.option(fc.constantFrom('Acme', 'x y'), { nil: null }), (rows, ignoreEmpty, companyDefault) => {
        let mapping = mapAll(headers);
        mapping = updateColumn(mapping, 6, { format: 'dd/MM/yyyy' });
        mapping = updateColumn(mapping, 1, { defaultValue: companyDefault });
        const t: TableInput = { ...input(headers, rows), mapping, ignoreEmpty };
        const v = validateTable(t);
        const resolved = resolveMapping(mapping, fields).resolved;
        const tracker = createUniqueTracker();
        const expected: number[] = [];
        rows.forEach((cells, row) => {
          const ev = evaluateRow(cells, resolved, { isInsert: true, ignoreEmpty });
          const errs = [...ev.errors, ...checkInFileUnique(ev, resolved, tracker, row)].map((e) => `${e.code}-${e.apiName}`).sort();
          const got = v.issues
            .filter((i) => i.row === row && i.severity === 'error')
            .map((i) => `${i.code}-${i.apiName ?? ''}`)
            .sort();
          expect(got).toEqual(errs);
          if (errs.length > 0) expected.push(row);
        });
        expect(v.predictedSkips).toEqual(expected);
      }),
      { seed: PROPERTY_SEED, numRuns: 600 },
    );
  });
});

describe('leading zeros in number fields', () => {
  it('one warning per column naming the first value and how many more; gone after an edit', () => {
    const headers = ['Last_Name', 'Company', 'No_of_Employees', 'Account_Number'];
    const rows = [
      ['A', 'Z', '12', '007'],
      ['B', 'Z', '00123', '008'],
      ['C', 'Z', '-05', '009'],
    ];
    const r = validateTable(input(headers, rows));
    expect(r.predictedSkips).toEqual([]);
    expect(r.issues.map((i) => [i.row, i.column, i.code, i.severity])).toEqual([[1, 2, 'LEADING_ZEROS_LOST', 'warning']]);
    expect(r.issues[0]?.message).toContain("'00123' and 1 other value start with 0");
    expect(r.issues[0]?.message).toContain("Zoho stores '123'");
    expect(r.countsByColumn[2]).toEqual({ errors: 0, warnings: 1 });
    const e1 = revalidateRow(r, 1, ['B', 'Z', '123', '008']);
    expect(e1.issues.map((i) => i.row)).toEqual([2]);
    const e2 = revalidateRow(e1, 2, ['C', 'Z', '-5', '009']);
    expect(e2.issues).toEqual([]);
  });
});

describe(`revalidateRow equals a fresh validation after any edits, inclusions and exclusions (fast-check seed ${PROPERTY_SEED})`, () => {
  it('issues, skips and counts match validateTable on the edited table with the rows excluded then', () => {
    const headers = ['Email', 'Last_Name', 'Company', 'Account_Number', 'Lead_Source', 'No_of_Employees'];
    const cell = [
      ['a@x.co', 'A@X.CO', 'b@x.co', '', 'bad'],
      ['Smith', '', ' '],
      ['Z', ''],
      ['N-1', 'n-1', ''],
      ['Partner', 'Trade Show', ''],
      ['1', '007', 'x', ''],
    ];
    const row = fc.tuple(...cell.map((p) => fc.constantFrom(...p)));
    const op = fc.constantFrom<'insert' | 'update' | 'upsert'>('insert', 'update', 'upsert');
    // A step edits a row's cells, or (no cells) flips whether the row is excluded.
    const step = fc.tuple(fc.nat(), fc.option(row, { nil: null }));
    fc.assert(
      fc.property(
        fc.array(row, { minLength: 1, maxLength: 12 }),
        fc.array(step, { maxLength: 8 }),
        fc.array(fc.nat(), { maxLength: 3 }),
        op,
        fc.boolean(),
        fc.constantFrom('Email', 'Account_Number'),
        fc.boolean(),
        (rows, steps, startExcluded, operation, ignoreEmpty, key, detach) => {
          const excluded = new Set(startExcluded.map((e) => e % rows.length));
          const base = input(headers, rows, { operation, findBy: operation === 'insert' ? null : key, ignoreEmpty, excluded: new Set(excluded) });
          let v = validateTable(base);
          // A state that let its rows go (the worker's, decision 152) is told each row's cells before the change.
          if (detach) detachRows(v);
          const current = rows.map((r) => [...r]);
          for (const [at, cells] of steps) {
            const i = at % rows.length;
            const before = detach ? [...current[i]!] : undefined;
            if (cells === null) {
              const now = !excluded.has(i);
              if (now) excluded.add(i);
              else excluded.delete(i);
              v = revalidateRow(v, i, current[i]!, now, before);
            } else {
              current[i] = [...cells];
              v = revalidateRow(v, i, cells, undefined, before);
            }
          }
          const fresh = validateTable({ ...base, rows: current.map((cells, i) => ({ line: i + 2, cells })), excluded });
          expect(v.predictedSkips).toEqual(fresh.predictedSkips);
          expect(v.issues).toEqual(fresh.issues);
          expect(v.countsByColumn).toEqual(fresh.countsByColumn);
        },
      ),
      { seed: PROPERTY_SEED, numRuns: 800 },
    );
  });
  it('a state that let its rows go refuses a re-check of a row it does not know (no cells before the change)', () => {
    const v = validateTable(
      input(
        ['Email', 'Last_Name'],
        [
          ['a@x.co', 'A'],
          ['b@x.co', 'B'],
        ],
      ),
    );
    detachRows(v);
    expect(v.state.input.rows).toEqual([]);
    expect(() => revalidateRow(v, 1, ['a@x.co', 'B'])).toThrow(/no longer holds its cells/);
    // Told the cells, it finds the duplicate it makes.
    const r = revalidateRow(v, 1, ['a@x.co', 'B'], undefined, ['b@x.co', 'B']);
    expect(r.predictedSkips).toEqual([1]);
    expect(r.issues[0]?.message).toContain('line 2 of this file already has the same value');
  });
  it('does not change the excluded rows the caller passed in', () => {
    const mine = new Set([1]);
    const v = validateTable(
      input(
        ['Email', 'Last_Name'],
        [
          ['a@x.co', 'A'],
          ['b@x.co', 'B'],
        ],
        { excluded: mine },
      ),
    );
    revalidateRow(v, 0, ['a@x.co', 'A'], true);
    expect([...mine]).toEqual([1]);
  });
});

describe(`validateTableSteps in slices equals validateTable (fast-check seed ${PROPERTY_SEED})`, () => {
  it('any slice size gives the same issues, skips and counts, and yields rising row counts', () => {
    const headers = ['Email', 'Last_Name', 'Company', 'Lead_Source'];
    const row = fc.tuple(
      fc.constantFrom('a@x.co', 'A@X.CO', 'bad', ''),
      fc.constantFrom('Smith', ''),
      fc.constantFrom('Z', ''),
      fc.constantFrom('Partner', 'Nope'),
    );
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 30 }), fc.integer({ min: 1, max: 8 }), (rows, chunk) => {
        const base = input(
          headers,
          rows.map((r) => [...r]),
        );
        const steps = validateTableSteps(base, chunk);
        const seen: number[] = [];
        let step = steps.next();
        while (step.done !== true) {
          seen.push(step.value);
          step = steps.next();
        }
        const { state: _a, ...sliced } = step.value;
        const { state: _b, ...whole } = validateTable(base);
        expect(sliced).toEqual(whole);
        expect(seen).toEqual(Array.from({ length: Math.ceil(rows.length / chunk) - 1 }, (_, i) => (i + 1) * chunk));
      }),
      { seed: PROPERTY_SEED, numRuns: 300 },
    );
  });
});

describe(`packed rows check as plain rows do (fast-check seed ${PROPERTY_SEED})`, () => {
  it('ragged rows, unmapped columns between mapped ones, every operation: the same issues, skips and counts', () => {
    // '' headers stay unmapped: the check reads only some columns of each packed row.
    const headers = ['Email', '', 'Last_Name', 'Company', '', 'Account_Number', 'No_of_Employees'];
    const row = fc.tuple(
      fc.constantFrom('a@x.co', 'A@X.CO', 'bad', ''),
      fc.constantFrom('note', ''),
      fc.constantFrom('Smith', '', ' '),
      fc.constantFrom('Z', ''),
      fc.constantFrom('x', 'éé'),
      fc.constantFrom('N-1', 'n-1', ''),
      fc.constantFrom('1', '007', 'x', ''),
    );
    const op = fc.constantFrom<'insert' | 'update' | 'upsert'>('insert', 'update', 'upsert');
    fc.assert(
      fc.property(
        fc.array(fc.tuple(row, fc.integer({ min: 0, max: 8 })), { minLength: 1, maxLength: 20 }),
        op,
        fc.boolean(),
        fc.constantFrom('Email', 'Account_Number'),
        (spec, operation, ignoreEmpty, key) => {
          // A row cut short (or one cell longer than the header) reads as a ragged row does.
          const rows = spec.map(([cells, width], i) => ({ line: i + 2, cells: [...cells, 'extra'].slice(0, width) }));
          const base = { ...input(headers, []), rows, operation, findBy: operation === 'insert' ? null : key, ignoreEmpty };
          const { state: _a, ...plain } = validateTable(base);
          const { state: _b, ...packed } = validateTable({ ...base, rows: lazyRows(packRows(rows)) });
          expect(packed).toEqual(plain);
        },
      ),
      { seed: PROPERTY_SEED, numRuns: 400 },
    );
  });
});
