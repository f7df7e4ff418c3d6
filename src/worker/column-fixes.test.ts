import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SourceRow } from '../domain/csv/types.ts';
import { fieldOf } from '../domain/fields/test-fields.ts';
import { assignColumn, emptyMapping } from '../domain/mapping/mapping.ts';
import { columnFixes, DecodedText, fixesOfColumn, fixTransfer, forEachChange, mappedFields, packFix, packTexts, FIX_PREVIEW } from './column-fixes.ts';
import type { WorkerEvent } from './protocol.ts';

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

  it('read back the same after crossing a thread boundary with their texts as transferred bytes (any script, emoji)', () => {
    const odd = [' Zoë ', ' 東京 ', ' 👩‍💻 x ', '\tا ب ', ' plain '];
    const [trim] = columnFixes(fieldOf('Email', 'text'), 0, odd);
    const packed = packFix(trim!);
    const moved = structuredClone(packed, { transfer: fixTransfer(packed) });
    const changes: Array<{ row: number; before: string; after: string }> = [];
    forEachChange(moved, (c) => changes.push(c));
    expect(changes).toEqual(trim!.proposal.changes);
    expect(changes.map((c) => c.after)).toEqual(['Zoë', '東京', '👩‍💻 x', 'ا ب', 'plain']);
    // Transferred, not copied: the sender's buffers are gone.
    expect(packed.changes.befores.byteLength).toBe(0);
  });

  it('decoded a piece at a time, read back exactly as the whole text decoded at once, in order or not (fast-check seed 1512)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: fc.constantFrom('a', ' ', 'é', '東', '👩', '\u200d', '\ud800', '\udc00', 'z') }), { maxLength: 40 }),
        fc.integer({ min: 1, max: 9 }),
        fc.array(fc.nat(), { maxLength: 20 }),
        (texts, pieceBytes, jumps) => {
          const changes = texts.map((t, row) => ({ row, before: t, after: t }));
          const { bytes, ends } = packTexts(changes, (c) => c.after);
          const whole = new TextDecoder().decode(bytes);
          const at = (i: number) => (i === 0 ? 0 : (ends[i - 1] as number));
          const inOrder = new DecodedText(bytes, pieceBytes);
          for (let i = 0; i < texts.length; i++) expect(inOrder.text(at(i), ends[i] as number)).toBe(whole.slice(at(i), ends[i]));
          const anyOrder = new DecodedText(bytes, pieceBytes);
          for (const j of jumps) {
            if (texts.length === 0) break;
            const i = j % texts.length;
            expect(anyOrder.text(at(i), ends[i] as number)).toBe(whole.slice(at(i), ends[i]));
          }
          // What a lone surrogate becomes (U+FFFD, one unit) is what the offsets were counted in.
          expect(ends.length === 0 ? 0 : ends[ends.length - 1]).toBe(whole.length);
        },
      ),
      { seed: 1512, numRuns: 400 },
    );
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

describe('skipping the clean-ups of plain columns (fast-check seed 1307)', () => {
  // Cells that are plain and valid, with spaces, invalid, or blank, per type; a date column sometimes with a format.
  const CELLS: Record<string, readonly string[]> = {
    text: ['Ann', 'Bo b', '  Ann', 'Bo ', '', '   ', 'x\u00a0', 'é'],
    email: ['a@b.example', 'A@B.EXAMPLE', ' a@b.example', 'not-an-email', ''],
    phone: ['+14155550100', '4155550100', '415 555 0100', '+1-415', '', ' 4155550100 '],
    boolean: ['true', 'false', 'TRUE', 'yes', 'no', '', ' false'],
    date: ['2024-01-02', '1999-12-31', '02/01/2024', ' 2024-01-02', '2024-13-01', ''],
    bigint: ['12', '007', '-5', '1,234', ' 5', ''],
  };
  const TYPES = Object.keys(CELLS);
  const fields = TYPES.map((t) => fieldOf(`F_${t}`, t));

  it('the worker offers exactly the clean-ups of every mapped column computed in full', async () => {
    const { createImportSession } = await import('./import-session.ts');
    const table = fc.record({
      // Per column: a pick of the type's cells, sometimes only its plain valid ones (so columns are often plain).
      rows: fc.array(fc.tuple(...TYPES.map((t) => fc.constantFrom(...(CELLS[t] as string[])))), { minLength: 1, maxLength: 25 }),
      plainOnly: fc.array(fc.boolean(), { minLength: TYPES.length, maxLength: TYPES.length }),
      dateFormat: fc.constantFrom(null, 'dd/MM/yyyy'),
      excludeFirst: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(table, async ({ rows, plainOnly, dateFormat, excludeFirst }) => {
        const plainCell = (t: string, i: number) => (CELLS[t] as string[]).slice(0, 2)[i % 2] as string;
        const cells = rows.map((r, i) => r.map((c, j) => (plainOnly[j] === true ? plainCell(TYPES[j] as string, i) : c)));
        const csv = [TYPES.map((t) => `F_${t}`), ...cells].map((r) => r.map((c) => `"${c.replace(/"/g, '""')}"`).join(',')).join('\r\n') + '\r\n';
        let mapping = emptyMapping(TYPES.length);
        TYPES.forEach((t, j) => (mapping = assignColumn(mapping, j, `F_${t}`).mapping));
        const dateColumn = TYPES.indexOf('date');
        mapping = { ...mapping, columns: mapping.columns.map((c) => (c.column === dateColumn ? { ...c, format: dateFormat } : c)) };
        const events: WorkerEvent[] = [];
        const session = createImportSession((e) => events.push(e));
        await session.handle({ type: 'open', id: 1, file: new Blob([csv]), options: {} });
        const parsed: SourceRow[] = cells.map((c, i) => ({ line: i + 2, cells: c }));
        await session.handle({
          type: 'validate',
          id: 2,
          input: { mapping, fields, operation: 'insert', findBy: null, ignoreEmpty: false, excluded: excludeFirst ? [0] : [], withFixes: true },
        });
        const done = events.find((e) => e.type === 'validated');
        const got = done?.type === 'validated' ? (done.result?.fixes ?? null) : null;
        const full = [...mappedFields(mapping, fields, TYPES.length)].flatMap(([col, f]) => fixesOfColumn(parsed, col, f));
        expect(got).toEqual(full);
      }),
      { seed: 1307, numRuns: 150 },
    );
  });
});
