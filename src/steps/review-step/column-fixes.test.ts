import { describe, expect, it } from 'vitest';
import { fieldOf } from '../../domain/fields/test-fields.ts';
import { applyProposal, columnFixes } from './column-fixes.ts';

describe('applyProposal', () => {
  const rows = [
    { line: 2, cells: ['Ann', ' a@x.io '] },
    { line: 3, cells: ['Bo', ' b@x.io'] },
    { line: 4, cells: ['Cy', 'c@x.io'] },
  ];
  const trim = columnFixes(fieldOf('Email', 'email'), 1, rows.map((r) => r.cells[1] ?? '')).find((f) => f.label === 'Trim spaces');

  it('writes every change of a confirmed clean-up into the edited rows, other cells untouched', () => {
    expect(trim?.proposal.changes).toHaveLength(2);
    const out = applyProposal(new Map(), rows, trim!.proposal);
    expect([...out]).toEqual([[0, ['Ann', 'a@x.io']], [1, ['Bo', 'b@x.io']]]);
  });

  it('leaves a cell the user edited after the suggestion was computed', () => {
    const edited = new Map<number, readonly string[]>([[1, ['Bo', 'bo@elsewhere.io']], [2, ['Cyd', 'c@x.io']]]);
    const out = applyProposal(edited, rows, trim!.proposal);
    expect(out.get(0)).toEqual(['Ann', 'a@x.io']);
    expect(out.get(1)).toEqual(['Bo', 'bo@elsewhere.io']);
    expect(out.get(2)).toEqual(['Cyd', 'c@x.io']);
    // The input map is not changed.
    expect(edited.has(0)).toBe(false);
  });
});
