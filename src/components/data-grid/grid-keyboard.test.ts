import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { clampPosition, nextPosition } from './grid-keyboard.ts';

const bounds = { rowCount: 100, colCount: 6, pageRows: 10 };

describe('nextPosition', () => {
  it('moves one cell with the arrows and stops at the edges', () => {
    expect(nextPosition({ row: 5, col: 2 }, { key: 'ArrowUp' }, bounds)).toEqual({ row: 4, col: 2 });
    expect(nextPosition({ row: 5, col: 2 }, { key: 'ArrowDown' }, bounds)).toEqual({ row: 6, col: 2 });
    expect(nextPosition({ row: 5, col: 2 }, { key: 'ArrowLeft' }, bounds)).toEqual({ row: 5, col: 1 });
    expect(nextPosition({ row: 5, col: 2 }, { key: 'ArrowRight' }, bounds)).toEqual({ row: 5, col: 3 });
    expect(nextPosition({ row: 0, col: 0 }, { key: 'ArrowUp' }, bounds)).toEqual({ row: 0, col: 0 });
    expect(nextPosition({ row: 0, col: 0 }, { key: 'ArrowLeft' }, bounds)).toEqual({ row: 0, col: 0 });
    expect(nextPosition({ row: 99, col: 5 }, { key: 'ArrowDown' }, bounds)).toEqual({ row: 99, col: 5 });
    expect(nextPosition({ row: 99, col: 5 }, { key: 'ArrowRight' }, bounds)).toEqual({ row: 99, col: 5 });
  });

  it('Home/End go to the row ends; with Ctrl (or Cmd) to the grid corners', () => {
    expect(nextPosition({ row: 7, col: 3 }, { key: 'Home' }, bounds)).toEqual({ row: 7, col: 0 });
    expect(nextPosition({ row: 7, col: 3 }, { key: 'End' }, bounds)).toEqual({ row: 7, col: 5 });
    expect(nextPosition({ row: 7, col: 3 }, { key: 'Home', ctrlKey: true }, bounds)).toEqual({ row: 0, col: 0 });
    expect(nextPosition({ row: 7, col: 3 }, { key: 'End', ctrlKey: true }, bounds)).toEqual({ row: 99, col: 5 });
    expect(nextPosition({ row: 7, col: 3 }, { key: 'End', metaKey: true }, bounds)).toEqual({ row: 99, col: 5 });
  });

  it('PageUp/PageDown move by a page and clamp', () => {
    expect(nextPosition({ row: 15, col: 1 }, { key: 'PageDown' }, bounds)).toEqual({ row: 25, col: 1 });
    expect(nextPosition({ row: 15, col: 1 }, { key: 'PageUp' }, bounds)).toEqual({ row: 5, col: 1 });
    expect(nextPosition({ row: 95, col: 1 }, { key: 'PageDown' }, bounds)).toEqual({ row: 99, col: 1 });
    expect(nextPosition({ row: 3, col: 1 }, { key: 'PageUp' }, bounds)).toEqual({ row: 0, col: 1 });
    expect(nextPosition({ row: 3, col: 1 }, { key: 'PageDown' }, { ...bounds, pageRows: 0 })).toEqual({ row: 4, col: 1 });
  });

  it('lets other keys through and does nothing in an empty grid', () => {
    expect(nextPosition({ row: 1, col: 1 }, { key: 'a' }, bounds)).toBeNull();
    expect(nextPosition({ row: 1, col: 1 }, { key: 'Enter' }, bounds)).toBeNull();
    expect(nextPosition({ row: 0, col: 0 }, { key: 'ArrowDown' }, { ...bounds, rowCount: 0 })).toBeNull();
  });

  it('clamps a stale position (the filter shrank the grid) before moving', () => {
    expect(clampPosition({ row: 500, col: 9 }, bounds)).toEqual({ row: 99, col: 5 });
    expect(nextPosition({ row: 500, col: 9 }, { key: 'ArrowUp' }, bounds)).toEqual({ row: 98, col: 5 });
  });

  it('property (fast-check seed 4242): every move stays inside the grid', () => {
    console.log('fast-check seed 4242');
    const keys = ['ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight', 'Home', 'End', 'PageUp', 'PageDown'];
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 300_000 }),
        fc.integer({ min: 1, max: 201 }),
        fc.integer({ min: 0, max: 50 }),
        fc.array(fc.record({ key: fc.constantFrom(...keys), ctrlKey: fc.boolean() }), { maxLength: 40 }),
        (rowCount, colCount, pageRows, presses) => {
          let pos = { row: 0, col: 0 };
          for (const press of presses) {
            const next = nextPosition(pos, press, { rowCount, colCount, pageRows });
            expect(next).not.toBeNull();
            if (!next) return;
            expect(next.row).toBeGreaterThanOrEqual(0);
            expect(next.row).toBeLessThan(rowCount);
            expect(next.col).toBeGreaterThanOrEqual(0);
            expect(next.col).toBeLessThan(colCount);
            pos = next;
          }
        },
      ),
      { seed: 4242, numRuns: 200 },
    );
  });
});
