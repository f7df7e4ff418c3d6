// Runs pre-flight validation of the rows as they stand, off the main thread, and holds its state for Review: the
// last finished view, progress (shown only for a slow check), a failure, and Next waiting for a check in progress.
import { useEffect, useMemo, useRef, useState } from 'react';
import type { SourceRow } from '../../domain/csv/types.ts';
import { IssueIndex, type ValidateRows, type ValidationView } from './review-model.ts';

const PROGRESS_DELAY_MS = 150;

export interface ReviewValidation {
  /** The last finished view, or an empty one before the first check ends. */
  validation: ValidationView;
  /** True until the first check has finished. */
  firstPending: boolean;
  /** True while the shown view does not describe the rows (or validator) as they stand. */
  checking: boolean;
  /** Rows checked so far, once the check has run long enough to show a bar; otherwise null. */
  progress: { done: number; total: number } | null;
  failure: string | null;
  /** Next was pressed during a check and waits for its result. */
  nextWaiting: boolean;
  /** Calls `go` with the view once the check in progress finishes (never if it fails or is replaced by Back). */
  waitForCheck: () => void;
}

export function useReviewValidation(validate: ValidateRows, rows: readonly SourceRow[], columns: number, go: (view: ValidationView) => void): ReviewValidation {
  // The last finished validation with the rows and validator (mapping, exclusions) it describes; while either
  // differs, a check is in progress.
  const [checked, setChecked] = useState<{ rows: readonly SourceRow[]; validate: ValidateRows; view: ValidationView } | null>(null);
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [showProgress, setShowProgress] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  // Next pressed during a check waits for it: the flag is read when the result arrives.
  const [nextWaiting, setNextWaiting] = useState(false);
  const waitingRef = useRef(false);
  // The latest `go` (it closes over the current edits), read when a waited-for result arrives.
  const goRef = useRef(go);
  useEffect(() => {
    goRef.current = go;
  }, [go]);
  useEffect(() => {
    // Leaving Review (Back) or a newer edit aborts this run; the worker stops between row slices.
    const ac = new AbortController();
    // The bar appears only for a check that takes a while, so a quick one (small file, excluding a row) does not flash.
    const slow = setTimeout(() => setShowProgress(true), PROGRESS_DELAY_MS);
    const done = (): void => {
      clearTimeout(slow);
      setShowProgress(false);
      setProgress(null);
    };
    validate(rows, {
      signal: ac.signal,
      onProgress: (d, total) => {
        if (!ac.signal.aborted) setProgress({ done: d, total });
      },
      // The clean-ups of an edited column, a moment after its row's issues.
      onFixes: (view) => {
        if (!ac.signal.aborted) setChecked((c) => (c !== null && c.rows === rows && c.validate === validate ? { ...c, view } : c));
      },
    }).then(
      (view) => {
        if (ac.signal.aborted) return;
        setChecked({ rows, validate, view });
        done();
        setFailure(null);
        if (waitingRef.current) {
          waitingRef.current = false;
          setNextWaiting(false);
          goRef.current(view);
        }
      },
      (err: unknown) => {
        if (ac.signal.aborted) return;
        done();
        waitingRef.current = false;
        setNextWaiting(false);
        setFailure(err instanceof Error ? err.message : String(err));
      },
    );
    return () => {
      clearTimeout(slow);
      ac.abort();
    };
  }, [validate, rows]);
  const checking = checked?.rows !== rows || checked.validate !== validate;
  const validation: ValidationView = useMemo(() => {
    if (checked) return checked.view;
    const none = new IssueIndex(columns);
    return { byRow: none, countsByColumn: none.countsByColumn, tableBlocks: [], predictedSkips: [], fixes: [] };
  }, [checked, columns]);
  const waitForCheck = (): void => {
    waitingRef.current = true;
    setNextWaiting(true);
  };
  return {
    validation,
    firstPending: checked === null,
    checking,
    progress: checking && showProgress ? progress : null,
    failure,
    nextWaiting,
    waitForCheck,
  };
}
