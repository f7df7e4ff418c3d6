// Pure keyboard movement for the data grid (WAI-ARIA grid pattern): which cell gets focus after a key.
// Column 0 is the leading line-number/include column; data columns are 1..columnCount.

export interface GridPosition {
  readonly row: number;
  readonly col: number;
}

export interface GridBounds {
  readonly rowCount: number;
  /** Total navigable columns including the leading column. */
  readonly colCount: number;
  /** Rows moved by PageUp/PageDown (the number of fully visible rows, at least 1). */
  readonly pageRows: number;
}

export interface GridKey {
  readonly key: string;
  readonly ctrlKey?: boolean;
  readonly metaKey?: boolean;
}

const clamp = (value: number, min: number, max: number): number => Math.min(Math.max(value, min), max);

/** Keep a position inside the grid (e.g. after the row count shrank because a filter was switched on). */
export function clampPosition(pos: GridPosition, bounds: GridBounds): GridPosition {
  if (bounds.rowCount <= 0 || bounds.colCount <= 0) return { row: 0, col: 0 };
  return { row: clamp(pos.row, 0, bounds.rowCount - 1), col: clamp(pos.col, 0, bounds.colCount - 1) };
}

/**
 * The next focused cell for a navigation key, or null when the key is not a navigation key (so the caller
 * lets it through). Movement stops at the edges rather than wrapping, as the APG grid pattern recommends.
 */
export function nextPosition(pos: GridPosition, key: GridKey, bounds: GridBounds): GridPosition | null {
  if (bounds.rowCount <= 0 || bounds.colCount <= 0) return null;
  const lastRow = bounds.rowCount - 1;
  const lastCol = bounds.colCount - 1;
  const page = Math.max(1, Math.floor(bounds.pageRows));
  const ctrl = key.ctrlKey === true || key.metaKey === true;
  const { row, col } = clampPosition(pos, bounds);
  switch (key.key) {
    case 'ArrowUp':
      return { row: clamp(row - 1, 0, lastRow), col };
    case 'ArrowDown':
      return { row: clamp(row + 1, 0, lastRow), col };
    case 'ArrowLeft':
      return { row, col: clamp(col - 1, 0, lastCol) };
    case 'ArrowRight':
      return { row, col: clamp(col + 1, 0, lastCol) };
    case 'Home':
      return ctrl ? { row: 0, col: 0 } : { row, col: 0 };
    case 'End':
      return ctrl ? { row: lastRow, col: lastCol } : { row, col: lastCol };
    case 'PageUp':
      return { row: clamp(row - page, 0, lastRow), col };
    case 'PageDown':
      return { row: clamp(row + page, 0, lastRow), col };
    default:
      return null;
  }
}
