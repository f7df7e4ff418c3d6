// Virtualised review grid: ARIA grid semantics, roving tabindex, keyboard cell movement, inline edit,
// issue highlights with the message on hover and focus, and per-row include/exclude. Presentational only.
import { useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';
import type { KeyboardEvent, ReactNode, RefObject } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { Range } from '@tanstack/react-virtual';
import { clampPosition, nextPosition } from './grid-keyboard.ts';
import type { GridPosition } from './grid-keyboard.ts';
import {
  describeCellIssues,
  fittedRowHeight,
  isFormulaLeading,
  rowsPerBand,
  scrollOffsetToShow,
  stretchedColumnWidth,
  windowRows,
  withActive,
} from './grid-model.ts';
import type { GridColumn, GridRow, GridRowId } from './grid-model.ts';
import { GridHeaderRow, GridRowView, GridToolbar, GridTooltip, HEADER_HEIGHT, LEADING_WIDTH, type CellContext } from './grid-parts.tsx';
import { useCellEdit } from './use-cell-edit.ts';
import { useScrollWindow } from './use-scroll-window.ts';
import { useGridFocus } from './use-grid-focus.ts';
import './data-grid.css';

export interface DataGridProps {
  /** Data columns in display order; `cells[i]` of every row belongs to `columns[i]`. Up to 200+ is fine. */
  readonly columns: readonly GridColumn[];
  /** Rows currently shown (after any filter the parent applies). */
  readonly rowCount: number;
  /** Called only for rendered rows; must be cheap (index into an array). */
  readonly getRow: (index: number) => GridRow;
  /** Accessible name of the grid, e.g. "Rows to import". */
  readonly ariaLabel: string;
  /** Commit of an inline edit. `colIndex` is the 0-based data-column index (same as `cells`). Omit = read-only. */
  readonly onEditCell?: (rowId: GridRowId, colIndex: number, value: string) => void;
  /** Include/exclude checkbox changed; `included` is the NEW state. Omit = no checkbox column. */
  readonly onToggleRow?: (rowId: GridRowId, included: boolean) => void;
  /**
   * The parent owns the "Show only rows with issues" filter (it knows all rows); the grid renders the
   * checkbox when `onShowOnlyIssuesChange` is given and the parent passes the filtered rowCount/getRow.
   */
  readonly showOnlyIssues?: boolean;
  readonly onShowOnlyIssuesChange?: (checked: boolean) => void;
  /** All rows before filtering, for the "Showing X of Y rows" line. Defaults to rowCount. */
  readonly totalRowCount?: number;
  /** Extra toolbar content supplied by the parent (e.g. column-fix buttons), rendered after the filter. */
  readonly toolbar?: ReactNode;
  /** Height of the scrolling viewport in px (stable: the grid never changes size while data streams in). */
  readonly height?: number;
  readonly rowHeight?: number;
  /** Minimum column width in px; columns stretch to fill the viewport when there are few of them. */
  readonly columnWidth?: number;
  /** BCP 47 locale for numbers; defaults to the browser's. */
  readonly locale?: string;
  /** Text shown when there are no rows (e.g. because the filter hides every row). */
  readonly emptyMessage?: string;
}

const FORMULA_NOTE = 'This value starts like a spreadsheet formula (= + - @). It is sent to the CRM unchanged.';

/**
 * The viewport's inner width, followed as it resizes: few columns stretch to it (no dead space, fewer truncated
 * values); many keep the minimum.
 */
function useViewportWidth(ref: RefObject<HTMLDivElement | null>): number {
  const [width, setWidth] = useState(0);
  useEffect(() => {
    const el = ref.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => setWidth(el.clientWidth));
    observer.observe(el);
    setWidth(el.clientWidth);
    return () => observer.disconnect();
  }, [ref]);
  return width;
}

export function DataGrid(props: DataGridProps) {
  const {
    columns,
    rowCount,
    getRow,
    ariaLabel,
    onEditCell,
    onToggleRow,
    showOnlyIssues = false,
    onShowOnlyIssuesChange,
    totalRowCount = rowCount,
    toolbar,
    height = 480,
    rowHeight: requestedRowHeight = 36,
    columnWidth: minColumnWidth = 180,
    locale,
    emptyMessage = 'No rows to show.',
  } = props;

  const uid = useId();
  const descriptionId = `${uid}-desc`;
  const filterId = `${uid}-filter`;
  const scrollRef = useRef<HTMLDivElement>(null);
  const gridRef = useRef<HTMLDivElement>(null);
  // Where DOM focus should go once that cell is rendered. A position, not a flag: the virtualiser may re-render
  // synchronously (scrollToIndex) before the new active cell exists, and a flag would be spent on that render.
  const focusTarget = useRef<GridPosition | null>(null);

  const numberFormat = useMemo(() => new Intl.NumberFormat(locale), [locale]);
  const fmt = useCallback((n: number) => numberFormat.format(n), [numberFormat]);

  // One width for every column keeps positions arithmetic, so nothing is measured and nothing jumps.
  const viewportWidth = useViewportWidth(scrollRef);
  const columnWidth = stretchedColumnWidth(minColumnWidth, columns.length, viewportWidth - LEADING_WIDTH);

  const colCount = columns.length + 1; // + leading line/include column
  const [rawActive, setActive] = useState<GridPosition>({ row: 0, col: 1 });
  const active = clampPosition(rawActive, { rowCount, colCount, pageRows: 1 });
  const cellEdit = useCellEdit({ rowCount, getRow, onEditCell, isReadOnly: (col) => columns[col]?.readOnly === true, focusTargetRef: focusTarget });
  const { edit } = cellEdit;
  const [hover, setHover] = useState<GridPosition | null>(null);

  // A million rows are laid out as bands of rows (rowsPerBand); up to 100,000 each row is an item. With bands, the rows
  // drawn follow the scroll position (useScrollWindow), not the bands.
  const perBand = rowsPerBand(rowCount);
  const rowHeight = fittedRowHeight(requestedRowHeight, rowCount, HEADER_HEIGHT);
  const scrolledTo = useScrollWindow(scrollRef, perBand > 1, rowHeight);
  // TanStack Virtual (mandated by the architecture) returns unmemoisable functions; this component does not
  // rely on React Compiler memoisation, so skipping it is expected here.
  // eslint-disable-next-line react-hooks/incompatible-library
  const rowVirtualizer = useVirtualizer({
    count: Math.ceil(rowCount / perBand),
    getScrollElement: () => scrollRef.current,
    estimateSize: (band) => Math.min(perBand, rowCount - band * perBand) * rowHeight,
    // A band's size depends on the row count (its last band fills up as rows arrive): a new count, a new layout.
    getItemKey: useCallback((band: number) => band, [rowCount]), // eslint-disable-line react-hooks/exhaustive-deps
    // Its items are drawn only when each is a row; with bands it only sizes and scrolls the body (windowRows draws).
    // Four rows beyond the viewport each side, as WINDOW_STEP with bands: a far-moving frame draws them all anew.
    overscan: 4,
    scrollPaddingStart: HEADER_HEIGHT,
    initialRect: { width: 1200, height },
    rangeExtractor: useCallback((range: Range) => withActive(range, perBand === 1 ? active.row : -1), [active.row, perBand]),
  });
  const colVirtualizer = useVirtualizer({
    count: columns.length,
    horizontal: true,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => columnWidth,
    overscan: 2,
    scrollPaddingStart: LEADING_WIDTH,
    initialRect: { width: 1200, height },
    rangeExtractor: useCallback((range: Range) => withActive(range, active.col - 1), [active.col]),
  });

  // The column virtualiser caches sizes; re-measure when the stretched width changes.
  useEffect(() => {
    colVirtualizer.measure();
  }, [colVirtualizer, columnWidth]);

  const pageRows = Math.max(1, Math.floor((height - HEADER_HEIGHT) / rowHeight) - 1);

  const moveTo = useCallback(
    (pos: GridPosition) => {
      setActive(pos);
      focusTarget.current = pos;
      const el = scrollRef.current;
      if (el) {
        const view = { offset: el.scrollTop, size: el.clientHeight, header: HEADER_HEIGHT, max: el.scrollHeight - el.clientHeight };
        const to = scrollOffsetToShow(pos.row, rowHeight, view);
        if (to !== el.scrollTop) rowVirtualizer.scrollToOffset(to);
      }
      // The leading column is sticky, so it is always in view; going to it (Home, Ctrl+Home) shows the first columns
      // too, as a spreadsheet does, rather than leaving the scroll at the far right where Ctrl+End put it.
      if (pos.col > 0) colVirtualizer.scrollToIndex(pos.col - 1, { align: 'auto' });
      else if (el && el.scrollLeft !== 0) colVirtualizer.scrollToOffset(0);
    },
    [rowVirtualizer, colVirtualizer, rowHeight],
  );

  const { focusInside, onGridFocus, onGridBlur } = useGridFocus({ gridRef, focusTargetRef: focusTarget, editing: edit !== null, active, setActive });

  const onGridKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (edit) return;
    if ((event.key === 'Enter' || event.key === 'F2') && active.col > 0 && onEditCell) {
      event.preventDefault();
      cellEdit.startEdit(active.row, active.col);
      return;
    }
    const next = nextPosition(active, event, { rowCount, colCount, pageRows });
    if (!next) return;
    event.preventDefault();
    moveTo(next);
  };

  const virtualRows = perBand > 1 ? windowRows(scrolledTo, height, rowCount, rowHeight, active.row) : rowVirtualizer.getVirtualItems();
  const virtualCols = colVirtualizer.getVirtualItems();
  const totalWidth = LEADING_WIDTH + colVirtualizer.getTotalSize();
  const bodyHeight = rowVirtualizer.getTotalSize();

  const activeRowData = rowCount > 0 ? getRow(active.row) : undefined;
  const activeIssues = active.col > 0 ? activeRowData?.cellIssues?.get(active.col - 1) : undefined;
  const activeDescription = describeCellIssues(activeIssues);

  // The tooltip follows the mouse first, else keyboard focus; it is a visual echo of the description.
  const tipPos = hover ?? (focusInside ? active : null);
  const tipRow = tipPos && tipPos.col > 0 && tipPos.row < rowCount ? getRow(tipPos.row) : undefined;
  const tipText = tipPos && tipRow ? describeCellIssues(tipRow.cellIssues?.get(tipPos.col - 1)) : '';

  const ctx: CellContext = {
    active,
    cellEdit,
    columns,
    columnWidth,
    rowHeight,
    activeDescribedBy: activeDescription ? descriptionId : undefined,
    setActive,
    setHover,
  };

  return (
    <div className="dg">
      <GridToolbar
        filterId={filterId}
        showOnlyIssues={showOnlyIssues}
        onShowOnlyIssuesChange={onShowOnlyIssuesChange}
        rowCount={rowCount}
        totalRowCount={totalRowCount}
        fmt={fmt}
      >
        {toolbar}
      </GridToolbar>
      <div ref={scrollRef} className="dg-scroll" style={{ height }} onMouseLeave={() => setHover(null)}>
        <div
          ref={gridRef}
          role="grid"
          aria-label={ariaLabel}
          aria-rowcount={rowCount + 1}
          aria-colcount={colCount}
          aria-readonly={onEditCell ? undefined : true}
          className="dg-grid"
          style={{ width: totalWidth, height: HEADER_HEIGHT + bodyHeight }}
          onKeyDown={onGridKeyDown}
          onFocus={onGridFocus}
          onBlur={onGridBlur}
        >
          <GridHeaderRow columns={columns} cols={virtualCols} width={totalWidth} columnWidth={columnWidth} selectable={onToggleRow !== undefined} fmt={fmt} />
          <div role="rowgroup" className="dg-body" style={{ height: bodyHeight, width: totalWidth }}>
            {virtualRows.map((vr) => {
              const row = getRow(vr.index);
              return (
                <GridRowView
                  key={row.id}
                  ctx={ctx}
                  row={row}
                  rowIndex={vr.index}
                  start={vr.start}
                  totalWidth={totalWidth}
                  cols={virtualCols}
                  fmt={fmt}
                  onToggleRow={onToggleRow}
                />
              );
            })}
          </div>
        </div>
        {tipPos && tipText ? (
          <GridTooltip
            pos={tipPos}
            text={tipText}
            rowHeight={rowHeight}
            columnWidth={columnWidth}
            scrollOffset={rowVirtualizer.scrollOffset ?? 0}
            height={height}
          />
        ) : null}
        {rowCount === 0 ? <p className="dg-empty">{emptyMessage}</p> : null}
      </div>
      <p id={descriptionId} className="dg-details" aria-live="off">
        {activeDescription || (activeRowData && active.col > 0 && isFormulaLeading(activeRowData.cells[active.col - 1] ?? '') ? FORMULA_NOTE : '\u00a0')}
      </p>
    </div>
  );
}
