// Owner / user-lookup cell values against the org's users: ids, e-mails (any case), unique full names; inactive,
// unknown and shared names reported; near matches offered, never applied.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { OrgUser } from './types.ts';
import {
  looseKey,
  nearUserChanges,
  resolveUserValue,
  rowsWithUserIds,
  summariseUserColumn,
  userCellToSend,
  userDirectory,
  userIdColumn,
  userNameToEmailChanges,
} from './users.ts';

const users: OrgUser[] = [
  { id: '101', email: 'sam.rivera@zylker.example', fullName: 'Sam Rivera', status: 'active' },
  { id: '102', email: 'tom.baker@zylker.example', fullName: 'Tom Baker', status: 'inactive' },
  { id: '103', email: 'alex.morgan@zylker.example', fullName: 'Alex Morgan', status: 'active' },
  { id: '104', email: 'alex.morgan2@zylker.example', fullName: 'Alex Morgan', status: 'active' },
];
const d = userDirectory(users);

describe('resolveUserValue', () => {
  it.each([
    ['101', { kind: 'ok', id: '101', by: 'id' }],
    ['999', { kind: 'unknown' }],
    [' SAM.Rivera@zylker.example ', { kind: 'ok', id: '101', by: 'email' }],
    ['sam.rivera @zylker.example', { kind: 'near', id: '101', suggestion: 'sam.rivera@zylker.example' }],
    ['tom.baker@zylker.example', { kind: 'inactive', id: '102' }],
    ['nobody@zylker.example', { kind: 'unknown' }],
    ['Sam Rivera', { kind: 'ok', id: '101', by: 'name' }],
    ['sam  rivera', { kind: 'near', id: '101', suggestion: 'Sam Rivera' }],
    ['Tom Baker', { kind: 'inactive', id: '102' }],
    ['Alex Morgan', { kind: 'ambiguous' }],
    ['  ', { kind: 'blank' }],
  ])('%j → %j', (value, want) => {
    expect(resolveUserValue(value, d)).toMatchObject(want);
  });
});

describe('column helpers', () => {
  const values = [
    'sam.rivera@zylker.example',
    'Sam Rivera',
    'tom.baker@zylker.example',
    'ghost@zylker.example',
    'Alex Morgan',
    '',
    'sam.rivera@zylker.example',
  ];

  it('summarises a column: resolved cells, and each problem value with its row count', () => {
    const s = summariseUserColumn(values, users);
    expect(s).toMatchObject({ cells: 6, resolved: 3 });
    expect(s.unknown).toEqual([{ value: 'ghost@zylker.example', rows: 1 }]);
    expect(s.inactive.map((x) => x.value)).toEqual(['tom.baker@zylker.example']);
    expect(s.ambiguous.map((x) => [x.value, x.users.length])).toEqual([['Alex Morgan', 2]]);
  });

  it('sends only values that resolve to ACTIVE users as ids; anything else goes as it is', () => {
    const col = userIdColumn(3, values, users);
    expect(col.ids).toEqual({ 'sam.rivera@zylker.example': '101', 'Sam Rivera': '101' });
    expect(userCellToSend(' sam.rivera@zylker.example', col)).toBe('101');
    expect(userCellToSend('tom.baker@zylker.example', col)).toBe('tom.baker@zylker.example');
  });

  it('offers names → e-mails and near matches → the org spelling as cell changes', () => {
    expect(userNameToEmailChanges(values, users)).toEqual([{ row: 1, before: 'Sam Rivera', after: 'sam.rivera@zylker.example' }]);
    expect(nearUserChanges(['SAM  RIVERA', 'x'], users)).toEqual([{ row: 0, before: 'SAM  RIVERA', after: 'Sam Rivera' }]);
  });
});

describe('looseKey', () => {
  it('folds case and every run of white space to one space, trimmed — whichever path a value takes', () => {
    const text = fc.array(fc.constantFrom('a', 'B', 'É', 'ß', ' ', '  ', '\t', '\u00a0', '\n', '@', '.'), { maxLength: 12 }).map((p) => p.join(''));
    fc.assert(
      fc.property(text, (v) => {
        expect(looseKey(v)).toBe(v.replace(/\s+/g, ' ').trim().toLowerCase());
      }),
      { seed: 93095, numRuns: 500 },
    );
    expect(looseKey('  Ada \t Lovelace ')).toBe('ada lovelace');
    expect(looseKey('Ada Lovelace')).toBe('ada lovelace');
  });
});

describe('rowsWithUserIds', () => {
  it('turns the listed rows’ user cells into ids, leaves the rest (and the input) untouched', () => {
    const rows = [
      { line: 2, cells: ['a', 'SAM.RIVERA@zylker.example'] },
      { line: 3, cells: ['b', 'nobody@zylker.example'] },
      { line: 4, cells: ['c', 'sam.rivera@zylker.example'] },
    ];
    const col = userIdColumn(
      1,
      rows.map((r) => r.cells[1] ?? ''),
      users,
    );
    const out = rowsWithUserIds(rows, [col], [0, 1]);
    expect(out.map((r) => r.cells[1])).toEqual(['101', 'nobody@zylker.example', 'sam.rivera@zylker.example']);
    expect(out[1]).toBe(rows[1]);
    expect(rows[0]?.cells[1]).toBe('SAM.RIVERA@zylker.example');
    expect(rowsWithUserIds(rows, [col], undefined).map((r) => r.cells[1])).toEqual(['101', 'nobody@zylker.example', '101']);
  });
});
