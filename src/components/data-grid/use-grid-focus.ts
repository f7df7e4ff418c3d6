// Focus inside the grid: moves DOM focus to the target cell once React has rendered it (it may only now be
// virtualised in), follows focus that arrives by click or Tab to make that cell active, and tracks whether focus
// is inside the grid at all (the issue tooltip follows keyboard focus only then).
import { useEffect, useState, type FocusEvent, type RefObject } from 'react';
import type { GridPosition } from './grid-keyboard.ts';

export function useGridFocus(p: {
  gridRef: RefObject<HTMLDivElement | null>;
  /** Where focus should go once that cell is rendered; cleared when it got there. */
  focusTargetRef: RefObject<GridPosition | null>;
  /** An open editor keeps focus: nothing is moved while editing. */
  editing: boolean;
  active: GridPosition;
  setActive: (pos: GridPosition) => void;
}): { focusInside: boolean; onGridFocus: (event: FocusEvent<HTMLDivElement>) => void; onGridBlur: (event: FocusEvent<HTMLDivElement>) => void } {
  const { gridRef, focusTargetRef, editing, active, setActive } = p;
  const [focusInside, setFocusInside] = useState(false);

  // Runs after every render on purpose: the target cell may appear in any render once the virtualiser scrolled.
  useEffect(() => {
    const pos = focusTargetRef.current;
    if (!pos || editing) return;
    const cell = gridRef.current?.querySelector<HTMLElement>(`[data-cell="${pos.row}:${pos.col}"]`);
    if (!cell) return;
    focusTargetRef.current = null;
    const target = cell.querySelector<HTMLElement>('input[type="checkbox"]') ?? cell;
    target.focus({ preventScroll: true });
  });

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

  return { focusInside, onGridFocus, onGridBlur };
}
