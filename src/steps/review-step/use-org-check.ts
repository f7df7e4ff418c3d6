// The check against the org as Review runs it: started by a press (decision 090), progress while it runs, Cancel,
// and how it ended. The finished result is handed up (the wizard holds it, so Back and forward keep it); a failure
// or a cancel leaves the previous result and the file-only prediction as they were. After a check, every change of
// the rows or of the excluded set is predicted again against the same read of the org (decision 092).
import { startTransition, useEffect, useMemo, useRef, useState } from 'react';
import type { OrgCheckStatus } from '../../components/org-check-panel/org-check-panel.tsx';
import type { SourceRow } from '../../domain/csv/types.ts';
import { describesRows, earlierResultShown, type HeldOrgCheck, type OrgCheckApi, type OrgCheckProgress } from './org-check-model.ts';

type RunState = { kind: 'idle' } | { kind: 'running'; progress: OrgCheckProgress } | { kind: 'cancelled' } | { kind: 'failed'; message: string };

/**
 * How long the rows must stay still before they are predicted again: a clean-up or a few quick edits cost one
 * prediction, and an edit still shows its effect about as soon as the grid has redrawn (decision 092).
 */
export const REPREDICT_DELAY_MS = 200;

const NOT_HELD =
  'The org check needs to run again: the copy of the org it read is no longer held (a check that did not finish drops it, and so does a restart of the import worker), so the rows as they stand now cannot be compared with it. Until you run it again, the prediction from the file alone stands.';

export function useOrgCheck(
  api: OrgCheckApi | null,
  rows: readonly SourceRow[],
  excluded: ReadonlySet<number>,
  held: HeldOrgCheck | null,
  /** `read`: the org was read anew for it (a run), not predicted again against the read held before. */
  onHeld: (h: HeldOrgCheck, read?: boolean) => void,
) {
  const [run, setRun] = useState<RunState>({ kind: 'idle' });
  const controller = useRef<AbortController | null>(null);
  // The latest handler, read when an answer lands (it closes over the wizard's current key).
  const onHeldRef = useRef(onHeld);
  useEffect(() => {
    onHeldRef.current = onHeld;
  }, [onHeld]);
  // Leaving Review stops a running check: nothing it read is kept.
  useEffect(() => () => controller.current?.abort(), []);

  const running = run.kind === 'running';
  // A re-prediction is due when the held check describes other rows or other exclusions than the ones shown.
  const due = useMemo(
    () => api !== null && held !== null && held.stale === undefined && !running && !describesRows(held, rows, excluded),
    [api, held, running, rows, excluded],
  );
  useEffect(() => {
    if (!due || api === null || held === null) return;
    // Latest wins: a newer edit (or a check started meanwhile, or leaving Review) runs this cleanup, which cancels
    // the wait and drops the answer of the request in flight, whenever it arrives.
    const ac = new AbortController();
    // Marking the held check stale is the newest news: it replaces how an earlier run ended (failed or cancelled).
    const markStale = (message: string): void => {
      setRun({ kind: 'idle' });
      onHeldRef.current({ ...held, stale: message });
    };
    const timer = setTimeout(() => {
      api.repredict(rows, excluded, ac.signal).then(
        (view) => {
          if (ac.signal.aborted) return;
          // A transition: Review's render of a new answer (counts over every row, the changes table) is
          // interruptible and split into short tasks, so the grid keeps answering keys and scrolls meanwhile.
          if (view) startTransition(() => onHeldRef.current({ view, rows, excluded }));
          else markStale(NOT_HELD);
        },
        (err: unknown) => {
          if (ac.signal.aborted) return;
          const why = err instanceof Error ? err.message : String(err);
          markStale(
            `The org check needs to run again: predicting the edited rows failed (${why}). Until you run it again, the prediction from the file alone stands.`,
          );
        },
      );
    }, REPREDICT_DELAY_MS);
    return () => {
      clearTimeout(timer);
      ac.abort();
    };
  }, [due, api, held, rows, excluded]);

  const start = (): void => {
    if (!api) return;
    controller.current?.abort();
    const ac = new AbortController();
    controller.current = ac;
    const checkedRows = rows;
    const checkedExcluded = excluded;
    setRun({ kind: 'running', progress: { phase: 'Starting', done: 0, total: null } });
    api
      .run(checkedRows, checkedExcluded, {
        signal: ac.signal,
        onProgress: (p) => {
          if (!ac.signal.aborted) setRun({ kind: 'running', progress: p });
        },
      })
      .then(
        (view) => {
          if (ac.signal.aborted) return;
          controller.current = null;
          // One transition (see the re-prediction above): the result and the end of the run are shown together.
          startTransition(() => {
            onHeldRef.current({ view, rows: checkedRows, excluded: checkedExcluded }, true);
            setRun({ kind: 'idle' });
          });
        },
        (err: unknown) => {
          if (ac.signal.aborted) return;
          controller.current = null;
          setRun({ kind: 'failed', message: err instanceof Error ? err.message : String(err) });
        },
      );
  };
  const cancel = (): void => {
    controller.current?.abort();
    controller.current = null;
    setRun({ kind: 'cancelled' });
  };

  // A run that did not finish leaves an earlier check's result shown (unless it is out of date): the panel says so.
  const earlier = earlierResultShown(held);
  const status: OrgCheckStatus =
    run.kind === 'running'
      ? { kind: 'running', phase: run.progress.phase, done: run.progress.done, total: run.progress.total }
      : run.kind === 'failed'
        ? { kind: 'failed', message: run.message, earlier }
        : run.kind === 'cancelled'
          ? { kind: 'cancelled', earlier }
          : held?.stale !== undefined
            ? { kind: 'stale', message: held.stale }
            : held
              ? { kind: 'done', summary: held.view.summary }
              : { kind: 'ready' };
  /** `updating`: the rows changed since the held check and their re-prediction has not landed yet. */
  return { status, start, cancel, running, updating: due };
}
