// Virtualised review grid: ARIA grid semantics, roving tabindex, keyboard cell movement, inline edit,
// issue highlights with the message on hover and focus, and per-row include/exclude. Presentational only.
import { useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';
import type { FocusEvent, KeyboardEvent, ReactNode } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { Range } from '@tanstack/react-virtual';
import { clampPosition, nextPosition } from './grid-keyboard.ts';
import type { GridPosition } from './grid-keyboard.ts';
import {
  describeCellIssues,
  describeIssueCounts,
  isFormulaLeading,
  stretchedColumnWidth,
  withActive,
  worstSeverity,
} from './grid-model.ts';
import type { GridColumn, GridRow, GridRowId } from './grid-model.ts';
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

interface EditState {
  readonly row: number;
  readonly col: number; // data-column index
  readonly draft: string;
}

const HEADER_HEIGHT = 60;
const LEADING_WIDTH = 132;

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
    rowHeight = 36,
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
  // Set once an edit is committed or cancelled, so the input's later blur cannot commit a second time.
  const editClosed = useRef(false);

  const numberFormat = useMemo(() => new Intl.NumberFormat(locale), [locale]);
  const fmt = useCallback((n: number) => numberFormat.format(n), [numberFormat]);

  // Few columns stretch to the viewport's width (no dead space, fewer truncated values); many keep the minimum.
  // One width for every column keeps positions arithmetic, so nothing is measured and nothing jumps.
  const [viewportWidth, setViewportWidth] = useState(0);
  useEffect(() => {
    const el = scrollRef.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => setViewportWidth(el.clientWidth));
    observer.observe(el);
    setViewportWidth(el.clientWidth);
    return () => observer.disconnect();
  }, []);
  const columnWidth = stretchedColumnWidth(minColumnWidth, columns.length, viewportWidth - LEADING_WIDTH);

  const colCount = columns.length + 1; // + leading line/include column
  const [rawActive, setActive] = useState<GridPosition>({ row: 0, col: 1 });
  const active = clampPosition(rawActive, { rowCount, colCount, pageRows: 1 });
  const [edit, setEdit] = useState<EditState | null>(null);
  const [hover, setHover] = useState<GridPosition | null>(null);
  const [focusInside, setFocusInside] = useState(false);

  // TanStack Virtual (mandated by the architecture) returns unmemoisable functions; this component does not
  // rely on React Compiler memoisation, so skipping it is expected here.
  // eslint-disable-next-line react-hooks/incompatible-library
  const rowVirtualizer = useVirtualizer({
    count: rowCount,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 8,
    scrollPaddingStart: HEADER_HEIGHT,
    initialRect: { width: 1200, height },
    rangeExtractor: useCallback((range: Range) => withActive(range, active.row), [active.row]),
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
      rowVirtualizer.scrollToIndex(pos.row, { align: 'auto' });
      if (pos.col > 0) colVirtualizer.scrollToIndex(pos.col - 1, { align: 'auto' });
    },
    [rowVirtualizer, colVirtualizer],
  );

  // Move DOM focus after React rendered the (possibly newly virtualised-in) target cell.
  useEffect(() => {
    const pos = focusTarget.current;
    if (!pos || edit) return;
    const cell = gridRef.current?.querySelector<HTMLElement>(`[data-cell="${pos.row}:${pos.col}"]`);
    if (!cell) return;
    focusTarget.current = null;
    const target = cell.querySelector<HTMLElement>('input[type="checkbox"]') ?? cell;
    target.focus({ preventScroll: true });
  });

  const startEdit = (row: number, col: number) => {
    if (!onEditCell || col < 1 || row >= rowCount || columns[col - 1]?.readOnly) return;
    const value = getRow(row).cells[col - 1] ?? '';
    editClosed.current = false;
    setEdit({ row, col: col - 1, draft: value });
  };

  const finishEdit = (commit: boolean, refocus: boolean) => {
    if (!edit || editClosed.current) return;
    editClosed.current = true;
    if (commit && onEditCell) {
      const row = getRow(edit.row);
      if ((row.cells[edit.col] ?? '') !== edit.draft) onEditCell(row.id, edit.col, edit.draft);
    }
    setEdit(null);
    // Enter/Escape return focus to the cell; a blur (the user clicked elsewhere) must not steal it back.
    focusTarget.current = refocus ? { row: edit.row, col: edit.col + 1 } : null;
  };

  const onGridKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (edit) return;
    if ((event.key === 'Enter' || event.key === 'F2') && active.col > 0 && onEditCell) {
      event.preventDefault();
      startEdit(active.row, active.col);
      return;
    }
    const next = nextPosition(active, event, { rowCount, colCount, pageRows });
    if (!next) return;
    event.preventDefault();
    moveTo(next);
  };

  const onGridFocus = (event: FocusEvent<HTMLDivElement>) => {
    setFocusInside(true);
    const cell = (event.target as HTMLElement).closest<HTMLElement>('[data-cell]');
    const key = cell?.dataset.cell;
    if (!key) return;
    const [r, c] = key.split(':').map(Number);
    if (r === undefined || c === undefined || Number.isNaN(r) || Number.isNaN(c)) return;
    if (r !== active.row || c !== active.col) setActive({ row: r, col: c });
  };

  const onGridBlur = (event: FocusEvent<HTMLDivElement>) => {
    if (!event.currentTarget.contains(event.relatedTarget)) setFocusInside(false);
  };

  const virtualRows = rowVirtualizer.getVirtualItems();
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
  let tooltip: ReactNode = null;
  if (tipPos && tipText) {
    const rowStart = tipPos.row * rowHeight;
    const colStart = LEADING_WIDTH + (tipPos.col - 1) * columnWidth;
    const above = rowStart - (rowVirtualizer.scrollOffset ?? 0) > (height - HEADER_HEIGHT) / 2;
    tooltip = (
      <div
        className={`dg-tooltip${above ? ' dg-tooltip--above' : ''}`}
        aria-hidden="true"
        style={{ top: HEADER_HEIGHT + rowStart + (above ? 0 : rowHeight), left: colStart }}
      >
        {tipText}
      </div>
    );
  }

  const renderHeader = (col: GridColumn, index: number, start: number) => {
    const counts = describeIssueCounts(col.issueCounts, fmt);
    const severity = col.issueCounts && col.issueCounts.error > 0 ? 'error' : col.issueCounts?.warning ? 'warning' : '';
    return (
      <div
        key={col.key}
        role="columnheader"
        aria-colindex={index + 2}
        className="dg-colheader"
        style={{ left: LEADING_WIDTH + start, width: columnWidth, height: HEADER_HEIGHT }}
        title={col.subheader ? `${col.header} → ${col.subheader}` : col.header}
      >
        <span className="dg-colheader__title">{col.header}</span>
        {col.subheader ? <span className="dg-colheader__sub">{col.subheader}</span> : null}
        {counts ? <span className={`dg-badge dg-badge--${severity}`}>{counts}</span> : null}
      </div>
    );
  };

  const renderCell = (row: GridRow, rowIndex: number, colIndex: number, start: number) => {
    const value = row.cells[colIndex] ?? '';
    const issues = row.cellIssues?.get(colIndex);
    const severity = worstSeverity(issues);
    const isActive = active.row === rowIndex && active.col === colIndex + 1;
    const isEditing = edit !== null && edit.row === rowIndex && edit.col === colIndex;
    const formula = isFormulaLeading(value);
    const className = ['dg-cell', severity ? `dg-cell--${severity}` : '', formula ? 'dg-cell--formula' : '']
      .filter(Boolean)
      .join(' ');
    const header = columns[colIndex]?.header ?? `column ${colIndex + 1}`;
    return (
      <div
        key={colIndex}
        role="gridcell"
        aria-colindex={colIndex + 2}
        data-cell={`${rowIndex}:${colIndex + 1}`}
        tabIndex={isActive && !isEditing ? 0 : -1}
        aria-describedby={isActive && activeDescription ? descriptionId : undefined}
        className={className}
        style={{ left: LEADING_WIDTH + start, width: columnWidth, height: rowHeight }}
        title={value.length > 0 ? value : undefined}
        onMouseEnter={() => setHover({ row: rowIndex, col: colIndex + 1 })}
        onMouseLeave={() => setHover(null)}
        onDoubleClick={() => {
          setActive({ row: rowIndex, col: colIndex + 1 });
          startEdit(rowIndex, colIndex + 1);
        }}
      >
        {isEditing ? (
          <input
            className="dg-editor"
            aria-label={`Edit ${header}, line ${row.line}`}
            value={edit.draft}
            autoFocus
            onChange={(e) => setEdit({ ...edit, draft: e.target.value })}
            onKeyDown={(e) => {
              e.stopPropagation();
              if (e.key === 'Enter') {
                e.preventDefault();
                finishEdit(true, true);
              } else if (e.key === 'Escape') {
                e.preventDefault();
                finishEdit(false, true);
              }
            }}
            onBlur={() => finishEdit(true, false)}
          />
        ) : (
          <>
            {severity ? (
              <span className="dg-cell__mark" aria-hidden="true">
                {severity === 'error' ? '!' : '?'}
              </span>
            ) : null}
            {formula ? (
              <span className="dg-cell__formula" title="Starts like a spreadsheet formula; it is sent unchanged">
                <span aria-hidden="true">ƒ</span>
                <span className="dg-visually-hidden">formula-like value: </span>
              </span>
            ) : null}
            <span className="dg-cell__text">{value}</span>
          </>
        )}
      </div>
    );
  };

  const renderRow = (rowIndex: number, start: number) => {
    const row = getRow(rowIndex);
    const leadingActive = active.row === rowIndex && active.col === 0;
    const hasCheckbox = onToggleRow !== undefined;
    return (
      <div
        key={row.id}
        role="row"
        aria-rowindex={rowIndex + 2}
        className={`dg-row${row.excluded ? ' dg-row--excluded' : ''}${active.row === rowIndex ? ' dg-row--active' : ''}`}
        style={{ transform: `translateY(${start}px)`, height: rowHeight, width: totalWidth }}
      >
        <div
          role="rowheader"
          aria-colindex={1}
          data-cell={`${rowIndex}:0`}
          tabIndex={leadingActive && !hasCheckbox ? 0 : -1}
          className="dg-lead"
          style={{ width: LEADING_WIDTH, height: rowHeight }}
        >
          {hasCheckbox ? (
            <input
              type="checkbox"
              className="dg-lead__check"
              checked={!row.excluded}
              tabIndex={leadingActive ? 0 : -1}
              aria-label={`Include row ${row.line}`}
              onChange={(e) => onToggleRow(row.id, e.target.checked)}
            />
          ) : null}
          <span className="dg-lead__line">{fmt(row.line)}</span>
          {row.excluded ? <span className="dg-lead__excluded">excluded</span> : null}
        </div>
        {virtualCols.map((vc) => renderCell(row, rowIndex, vc.index, vc.start))}
      </div>
    );
  };

  return (
    <div className="dg">
      <div className="dg-toolbar">
        {onShowOnlyIssuesChange ? (
          <label className="dg-filter" htmlFor={filterId}>
            <input
              id={filterId}
              type="checkbox"
              checked={showOnlyIssues}
              onChange={(e) => onShowOnlyIssuesChange(e.target.checked)}
            />
            Show only rows with issues
          </label>
        ) : null}
        <span className="dg-count" aria-live="polite">
          {rowCount === totalRowCount
            ? `${fmt(rowCount)} ${rowCount === 1 ? 'row' : 'rows'}`
            : `Showing ${fmt(rowCount)} of ${fmt(totalRowCount)} rows`}
        </span>
        {toolbar}
      </div>
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
          <div role="rowgroup" className="dg-head" style={{ height: HEADER_HEIGHT, width: totalWidth }}>
            <div role="row" aria-rowindex={1} className="dg-head__row" style={{ height: HEADER_HEIGHT, width: totalWidth }}>
              <div role="columnheader" aria-colindex={1} className="dg-lead dg-lead--head" style={{ width: LEADING_WIDTH, height: HEADER_HEIGHT }}>
                {onToggleRow ? 'Include · Line' : 'Line'}
              </div>
              {virtualCols.map((vc) => {
                const col = columns[vc.index];
                return col ? renderHeader(col, vc.index, vc.start) : null;
              })}
            </div>
          </div>
          <div role="rowgroup" className="dg-body" style={{ height: bodyHeight, width: totalWidth }}>
            {virtualRows.map((vr) => renderRow(vr.index, vr.start))}
          </div>
        </div>
        {tooltip}
        {rowCount === 0 ? <p className="dg-empty">{emptyMessage}</p> : null}
      </div>
      <p id={descriptionId} className="dg-details" aria-live="off">
        {activeDescription ||
          (activeRowData && active.col > 0 && isFormulaLeading(activeRowData.cells[active.col - 1] ?? '')
            ? 'This value starts like a spreadsheet formula (= + - @). It is sent to the CRM unchanged.'
            : '\u00a0')}
      </p>
    </div>
  );
}
