import { describe, expect, it } from 'vitest';
import { fieldOf } from '../domain/fields/test-fields.ts';
import { assignColumn, emptyMapping } from '../domain/mapping/mapping.ts';
import { columnFixes, fixesOfColumn, forEachChange, mappedFields, packFix, FIX_PREVIEW } from './column-fixes.ts';

describe('packed column clean-ups', () => {
  const values = Array.from({ length: 120 }, (_, i) => (i % 2 === 0 ? ` v${i} é ` : `v${i}`));
  const rows = values.map((v, i) => ({ line: i + 2, cells: ['x', v] }));

  it('carry every change (before and after) and a preview of the first ones', () => {
    const [trim] = columnFixes(fieldOf('Email', 'text'), 1, values);
    expect(trim?.label).toBe('Trim spaces');
    const packed = packFix(trim!);
    const changes: Array<{ row: number; before: string; after: string }> = [];
    forEachChange(packed, (c) => changes.push(c));
    expect(changes).toEqual(trim!.proposal.changes);
    expect(packed.changeCount).toBe(60);
    expect(packed.preview).toEqual(trim!.proposal.changes.slice(0, FIX_PREVIEW));
    expect(packed.summary).toBe(trim!.proposal.summary);
  });

  it('are offered for mapped columns only, from the rows as they stand', () => {
    let mapping = emptyMapping(2);
    mapping = assignColumn(mapping, 1, 'Email').mapping;
    const mapped = mappedFields(mapping, [fieldOf('Email', 'text')], 2);
    expect([...mapped.keys()]).toEqual([1]);
    const fixes = fixesOfColumn(rows, 1, mapped.get(1)!);
    expect(fixes.map((f) => [f.column, f.label, f.changeCount])).toEqual([[1, 'Trim spaces', 60]]);
  });
});
