// The grid's inline edit: which cell is being edited and its draft; Enter commits, Escape cancels (both return
// focus to the cell), a blur commits without taking focus back. An unchanged value is not reported as an edit.
import { useRef, useState, type RefObject } from 'react';
import type { GridPosition } from './grid-keyboard.ts';
import type { GridRow, GridRowId } from './grid-model.ts';

export interface EditState {
  readonly row: number;
  readonly col: number; // data-column index
  readonly draft: string;
}

export interface CellEdit {
  edit: EditState | null;
  setDraft: (draft: string) => void;
  /** `col` is the grid column (0 = the leading line/include column, which is not editable). */
  startEdit: (row: number, col: number) => void;
  finishEdit: (commit: boolean, refocus: boolean) => void;
}

export function useCellEdit(p: {
  rowCount: number;
  getRow: (index: number) => GridRow;
  onEditCell: ((rowId: GridRowId, colIndex: number, value: string) => void) | undefined;
  /** Columns (0-based data column) shown but never edited, e.g. what the org holds. */
  isReadOnly: (col: number) => boolean;
  /** Where focus goes once the cell is rendered again (shared with keyboard movement). */
  focusTargetRef: RefObject<GridPosition | null>;
}): CellEdit {
  const { rowCount, getRow, onEditCell, isReadOnly, focusTargetRef } = p;
  const [edit, setEdit] = useState<EditState | null>(null);
  // Set once an edit is committed or cancelled, so the input's later blur cannot commit a second time.
  const editClosed = useRef(false);

  const startEdit = (row: number, col: number) => {
    if (!onEditCell || col < 1 || row >= rowCount || isReadOnly(col - 1)) return;
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
    focusTargetRef.current = refocus ? { row: edit.row, col: edit.col + 1 } : null;
  };

  const setDraft = (draft: string) => {
    if (edit) setEdit({ ...edit, draft });
  };

  return { edit, setDraft, startEdit, finishEdit };
}
