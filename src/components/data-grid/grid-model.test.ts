import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  aggregateIssueCounts,
  describeCellIssues,
  describeIssueCounts,
  isFormulaLeading,
  rowHasIssues,
  stretchedColumnWidth,
  fittedRowHeight,
  MAX_LAYOUT_PX,
  BAND_ITEMS,
  rowsPerBand,
  WINDOW_STEP,
  windowRows,
  windowStart,
  scrollOffsetToShow,
  withActive,
  worstSeverity,
} from './grid-model.ts';

describe('aggregateIssueCounts', () => {
  it('counts errors and warnings per column and ignores out-of-range columns', () => {
    const counts = aggregateIssueCounts(
      [
        { column: 0, severity: 'error' },
        { column: 0, severity: 'error' },
        { column: 0, severity: 'warning' },
        { column: 2, severity: 'warning' },
        { column: 3, severity: 'error' },
        { column: -1, severity: 'error' },
      ],
      3,
    );
    expect(counts).toEqual([
      { error: 2, warning: 1 },
      { error: 0, warning: 0 },
      { error: 0, warning: 1 },
    ]);
  });

  it('returns zeroes for every column when there are no issues', () => {
    expect(aggregateIssueCounts([], 2)).toEqual([
      { error: 0, warning: 0 },
      { error: 0, warning: 0 },
    ]);
  });
});

describe('cell issue helpers', () => {
  it('picks the worst severity', () => {
    expect(worstSeverity(undefined)).toBeUndefined();
    expect(worstSeverity([])).toBeUndefined();
    expect(worstSeverity([{ severity: 'warning', message: 'a' }])).toBe('warning');
    expect(
      worstSeverity([
        { severity: 'warning', message: 'a' },
        { severity: 'error', message: 'b' },
      ]),
    ).toBe('error');
  });

  it('knows whether a row has any issue', () => {
    expect(rowHasIssues({})).toBe(false);
    expect(rowHasIssues({ cellIssues: new Map([[1, []]]) })).toBe(false);
    expect(rowHasIssues({ cellIssues: new Map([[1, [{ severity: 'warning', message: 'x' }]]]) })).toBe(true);
  });

  it('describes issues with the severity in words, not only colour', () => {
    expect(
      describeCellIssues([
        { severity: 'error', message: 'Email is not valid.' },
        { severity: 'warning', message: 'Trimmed.' },
      ]),
    ).toBe('Error: Email is not valid. Warning: Trimmed.');
    const fmt = (n: number) => new Intl.NumberFormat('en-US').format(n);
    expect(describeIssueCounts({ error: 1200, warning: 1 }, fmt)).toBe('1,200 errors, 1 warning');
    expect(describeIssueCounts({ error: 1, warning: 0 }, fmt)).toBe('1 error');
    expect(describeIssueCounts({ error: 0, warning: 0 }, fmt)).toBe('');
  });
});

describe('isFormulaLeading (bad-inputs #35)', () => {
  it('marks spreadsheet formula leaders', () => {
    for (const value of ['=SUM(A1)', '+cmd|x', '-2+3', '@SUM(1)', '\tx', '\rx', '\nx', '=1']) {
      expect(isFormulaLeading(value), JSON.stringify(value)).toBe(true);
    }
  });

  it('does not mark plain values or signed numbers', () => {
    for (const value of ['', 'Alice', 'a=b', '-12.5', '+44', '-1,000.50', '12']) {
      expect(isFormulaLeading(value), JSON.stringify(value)).toBe(false);
    }
  });
});

describe('stretchedColumnWidth', () => {
  it('fills the width with few columns and keeps the minimum with many', () => {
    expect(stretchedColumnWidth(180, 4, 1000)).toBe(250);
    expect(stretchedColumnWidth(180, 200, 1000)).toBe(180);
    expect(stretchedColumnWidth(180, 3, 0)).toBe(180);
    expect(stretchedColumnWidth(180, 0, 1000)).toBe(180);
  });
});

describe('withActive', () => {
  const range = { startIndex: 100, endIndex: 110, overscan: 2, count: 250_000 };
  it('adds the focused index when it is scrolled out of the window, keeping order', () => {
    const out = withActive(range, 5);
    expect(out[0]).toBe(5);
    expect(out.slice(1)).toEqual(Array.from({ length: 15 }, (_, i) => 98 + i));
    expect(withActive(range, 249_999).at(-1)).toBe(249_999);
  });
  it('changes nothing when the focused index is visible or out of range', () => {
    const base = withActive(range, -1);
    expect(withActive(range, 105)).toEqual(base);
    expect(withActive(range, 250_000)).toEqual(base);
  });
});

describe('bands of rows for the virtualiser (fast-check seed 20261206)', () => {
  it('one row per item up to 100,000 rows, then at most 10,000 bands', () => {
    expect([rowsPerBand(0), rowsPerBand(100_000), rowsPerBand(100_001), rowsPerBand(1_000_000), rowsPerBand(1_000_001)]).toEqual([1, 1, 11, 100, 101]);
    for (const n of [100_001, 250_000, 1_000_000, 1_048_576]) expect(Math.ceil(n / rowsPerBand(n))).toBeLessThanOrEqual(BAND_ITEMS);
  });

  it('draws every row the viewport shows at any scroll position, once each, in order, plus the active row', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 100_001, max: 1_048_576 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 100, max: 2_000 }),
        fc.integer({ min: -1, max: 1_048_576 }),
        (rowCount, at, height, active) => {
          const rowHeight = fittedRowHeight(36, rowCount, 60);
          const scrollTop = Math.floor(at * Math.max(0, 60 + rowCount * rowHeight - height));
          const rows = windowRows(windowStart(scrollTop, rowHeight), height, rowCount, rowHeight, active);
          const indexes = rows.map((r) => r.index);
          // The body starts under the 60 px header in the scrolled content: rows from the top of the viewport
          // (hidden under the sticky header) to its bottom are all drawn.
          const firstSeen = Math.floor(scrollTop / rowHeight);
          const lastSeen = Math.min(rowCount - 1, Math.floor((scrollTop + height - 60) / rowHeight));
          for (let r = firstSeen; r <= lastSeen; r++) expect(indexes).toContain(r);
          expect(new Set(indexes).size).toBe(indexes.length);
          expect(indexes).toEqual([...indexes].sort((x, y) => x - y));
          expect(rows.every((r) => r.start === r.index * rowHeight && r.index >= 0 && r.index < rowCount)).toBe(true);
          if (active >= 0 && active < rowCount) expect(indexes).toContain(active);
          // A window, not a band: a few steps of rows more than the viewport holds.
          expect(rows.length).toBeLessThanOrEqual(Math.ceil(height / rowHeight) + 3 * WINDOW_STEP + 1);
        },
      ),
      { seed: 20261206, numRuns: 300 },
    );
  });

  it('scrolls a row into view only when it is out of view: bottom to the bottom, top just under the header', () => {
    // 440 px viewport, 60 px sticky header above the body inside the scrolled content, 36 px rows.
    const view = { offset: 3600, size: 440, header: 60, max: 36_000_000 };
    expect(scrollOffsetToShow(102, 36, view)).toBe(3600); // rows 100–109 are under the header
    expect(scrollOffsetToShow(110, 36, view)).toBe(60 + 111 * 36 - 440);
    expect(scrollOffsetToShow(99, 36, view)).toBe(99 * 36);
    expect(scrollOffsetToShow(0, 36, view)).toBe(0);
    const n = 1_000_000;
    expect(scrollOffsetToShow(n - 1, 36, { ...view, max: 60 + n * 36 - 440 })).toBe(60 + n * 36 - 440);
  });
});

describe('fittedRowHeight', () => {
  it('keeps the asked height while every row fits the browser layout limit, then shortens rows so the last one can be reached', () => {
    expect(fittedRowHeight(36, 250_000, 60)).toBe(36);
    expect(fittedRowHeight(36, 930_000, 60)).toBe(36);
    expect(fittedRowHeight(36, 1_000_000, 60)).toBe(33);
    for (const n of [930_001, 999_999, 1_000_000, 1_048_575]) expect(60 + n * fittedRowHeight(36, n, 60)).toBeLessThanOrEqual(MAX_LAYOUT_PX);
    expect(fittedRowHeight(36, 0, 60)).toBe(36);
  });
});
