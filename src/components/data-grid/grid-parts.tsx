// The pieces the data grid renders: a column header with its issue badge, a data cell (highlight, formula mark,
// or the inline editor), a row (leading line/include cell, then its rendered cells) and the issue tooltip.
import type { ReactNode } from 'react';
import type { GridPosition } from './grid-keyboard.ts';
import { describeIssueCounts, isFormulaLeading, worstSeverity } from './grid-model.ts';
import type { GridColumn, GridRow, GridRowId } from './grid-model.ts';
import type { CellEdit } from './use-cell-edit.ts';

export const HEADER_HEIGHT = 60;
export const LEADING_WIDTH = 132;

function ColumnHeader(props: { col: GridColumn; index: number; start: number; width: number; fmt: (n: number) => string }) {
  const { col, index, start, width, fmt } = props;
  const counts = describeIssueCounts(col.issueCounts, fmt);
  const severity = col.issueCounts && col.issueCounts.error > 0 ? 'error' : col.issueCounts?.warning ? 'warning' : '';
  return (
    <div
      role="columnheader"
      aria-colindex={index + 2}
      className="dg-colheader"
      style={{ left: LEADING_WIDTH + start, width, height: HEADER_HEIGHT }}
      title={col.subheader ? `${col.header} → ${col.subheader}` : col.header}
    >
      <span className="dg-colheader__title">{col.header}</span>
      {col.subheader ? <span className="dg-colheader__sub">{col.subheader}</span> : null}
      {counts ? <span className={`dg-badge dg-badge--${severity}`}>{counts}</span> : null}
    </div>
  );
}

/** What every cell of the grid needs from the grid as a whole. */
export interface CellContext {
  active: GridPosition;
  cellEdit: CellEdit;
  columns: readonly GridColumn[];
  columnWidth: number;
  rowHeight: number;
  /** The id of the active cell's description, when it has one. */
  activeDescribedBy: string | undefined;
  setActive: (pos: GridPosition) => void;
  setHover: (pos: GridPosition | null) => void;
}

export function GridCell(props: { ctx: CellContext; row: GridRow; rowIndex: number; colIndex: number; start: number }) {
  const { ctx, row, rowIndex, colIndex, start } = props;
  const { edit } = ctx.cellEdit;
  const value = row.cells[colIndex] ?? '';
  const severity = worstSeverity(row.cellIssues?.get(colIndex));
  const isActive = ctx.active.row === rowIndex && ctx.active.col === colIndex + 1;
  const isEditing = edit !== null && edit.row === rowIndex && edit.col === colIndex;
  // A column the parent derives (what the org check predicts, old → new) is not a value that is sent: no formula mark.
  const formula = ctx.columns[colIndex]?.readOnly !== true && isFormulaLeading(value);
  const className = ['dg-cell', severity ? `dg-cell--${severity}` : '', formula ? 'dg-cell--formula' : ''].filter(Boolean).join(' ');
  return (
    <div
      role="gridcell"
      aria-colindex={colIndex + 2}
      data-cell={`${rowIndex}:${colIndex + 1}`}
      tabIndex={isActive && !isEditing ? 0 : -1}
      aria-describedby={isActive ? ctx.activeDescribedBy : undefined}
      className={className}
      style={{ left: LEADING_WIDTH + start, width: ctx.columnWidth, height: ctx.rowHeight }}
      title={value.length > 0 ? value : undefined}
      onMouseEnter={() => ctx.setHover({ row: rowIndex, col: colIndex + 1 })}
      onMouseLeave={() => ctx.setHover(null)}
      onDoubleClick={() => {
        ctx.setActive({ row: rowIndex, col: colIndex + 1 });
        ctx.cellEdit.startEdit(rowIndex, colIndex + 1);
      }}
    >
      {isEditing ? (
        <CellEditor label={`Edit ${ctx.columns[colIndex]?.header ?? `column ${colIndex + 1}`}, line ${row.line}`} draft={edit.draft} cellEdit={ctx.cellEdit} />
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
}

function CellEditor(props: { label: string; draft: string; cellEdit: CellEdit }) {
  const { label, draft, cellEdit } = props;
  return (
    <input
      className="dg-editor"
      aria-label={label}
      value={draft}
      autoFocus
      onChange={(e) => cellEdit.setDraft(e.target.value)}
      onKeyDown={(e) => {
        // Keys typed into the editor are text, not grid movement.
        e.stopPropagation();
        if (e.key === 'Enter') {
          e.preventDefault();
          cellEdit.finishEdit(true, true);
        } else if (e.key === 'Escape') {
          e.preventDefault();
          cellEdit.finishEdit(false, true);
        }
      }}
      onBlur={() => cellEdit.finishEdit(true, false)}
    />
  );
}

export function GridRowView(props: {
  ctx: CellContext;
  row: GridRow;
  rowIndex: number;
  start: number;
  totalWidth: number;
  cols: readonly { index: number; start: number }[];
  fmt: (n: number) => string;
  onToggleRow: ((rowId: GridRowId, included: boolean) => void) | undefined;
}) {
  const { ctx, row, rowIndex, start, totalWidth, cols, fmt, onToggleRow } = props;
  const leadingActive = ctx.active.row === rowIndex && ctx.active.col === 0;
  const hasCheckbox = onToggleRow !== undefined;
  return (
    <div
      role="row"
      aria-rowindex={rowIndex + 2}
      className={`dg-row${row.excluded ? ' dg-row--excluded' : ''}${ctx.active.row === rowIndex ? ' dg-row--active' : ''}`}
      style={{ transform: `translateY(${start}px)`, height: ctx.rowHeight, width: totalWidth }}
    >
      <div
        role="rowheader"
        aria-colindex={1}
        data-cell={`${rowIndex}:0`}
        tabIndex={leadingActive && !hasCheckbox ? 0 : -1}
        className="dg-lead"
        style={{ width: LEADING_WIDTH, height: ctx.rowHeight }}
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
      {cols.map((vc) => (
        <GridCell key={vc.index} ctx={ctx} row={row} rowIndex={rowIndex} colIndex={vc.index} start={vc.start} />
      ))}
    </div>
  );
}

/** The issue text of the hovered (else focused) cell, above or below it so it stays inside the viewport. */
export function GridTooltip(props: {
  pos: GridPosition;
  text: string;
  rowHeight: number;
  columnWidth: number;
  scrollOffset: number;
  height: number;
}): ReactNode {
  const { pos, text, rowHeight, columnWidth, scrollOffset, height } = props;
  const rowStart = pos.row * rowHeight;
  const colStart = LEADING_WIDTH + (pos.col - 1) * columnWidth;
  const above = rowStart - scrollOffset > (height - HEADER_HEIGHT) / 2;
  return (
    <div
      className={`dg-tooltip${above ? ' dg-tooltip--above' : ''}`}
      aria-hidden="true"
      style={{ top: HEADER_HEIGHT + rowStart + (above ? 0 : rowHeight), left: colStart }}
    >
      {text}
    </div>
  );
}

export function GridToolbar(props: {
  filterId: string;
  showOnlyIssues: boolean;
  onShowOnlyIssuesChange: ((checked: boolean) => void) | undefined;
  rowCount: number;
  totalRowCount: number;
  fmt: (n: number) => string;
  children: ReactNode;
}) {
  const { filterId, showOnlyIssues, onShowOnlyIssuesChange, rowCount, totalRowCount, fmt } = props;
  return (
    <div className="dg-toolbar">
      {onShowOnlyIssuesChange ? (
        <label className="dg-filter" htmlFor={filterId}>
          <input id={filterId} type="checkbox" checked={showOnlyIssues} onChange={(e) => onShowOnlyIssuesChange(e.target.checked)} />
          Show only rows with issues
        </label>
      ) : null}
      <span className="dg-count" aria-live="polite">
        {rowCount === totalRowCount ? `${fmt(rowCount)} ${rowCount === 1 ? 'row' : 'rows'}` : `Showing ${fmt(rowCount)} of ${fmt(totalRowCount)} rows`}
      </span>
      {props.children}
    </div>
  );
}

export function GridHeaderRow(props: {
  columns: readonly GridColumn[];
  cols: readonly { index: number; start: number }[];
  width: number;
  columnWidth: number;
  selectable: boolean;
  fmt: (n: number) => string;
}) {
  const { columns, cols, width, columnWidth, selectable, fmt } = props;
  return (
    <div role="rowgroup" className="dg-head" style={{ height: HEADER_HEIGHT, width }}>
      <div role="row" aria-rowindex={1} className="dg-head__row" style={{ height: HEADER_HEIGHT, width }}>
        <div role="columnheader" aria-colindex={1} className="dg-lead dg-lead--head" style={{ width: LEADING_WIDTH, height: HEADER_HEIGHT }}>
          {selectable ? 'Include · Line' : 'Line'}
        </div>
        {cols.map((vc) => {
          const col = columns[vc.index];
          return col ? <ColumnHeader key={col.key} col={col} index={vc.index} start={vc.start} width={columnWidth} fmt={fmt} /> : null;
        })}
      </div>
    </div>
  );
}
