// The check against the org as Review runs it: started by a press (decision 090), progress while it runs, Cancel,
// and how it ended. The finished result is handed up (the wizard holds it, so Back and forward keep it); a failure
// or a cancel leaves the previous result and the file-only prediction as they were.
import { useEffect, useRef, useState } from 'react';
import type { OrgCheckStatus } from '../../components/org-check-panel/org-check-panel.tsx';
import type { SourceRow } from '../../domain/csv/types.ts';
import type { HeldOrgCheck, OrgCheckApi, OrgCheckProgress } from './org-check-model.ts';

type RunState = { kind: 'idle' } | { kind: 'running'; progress: OrgCheckProgress } | { kind: 'cancelled' } | { kind: 'failed'; message: string };

export function useOrgCheck(api: OrgCheckApi | null, rows: readonly SourceRow[], held: HeldOrgCheck | null, onHeld: (h: HeldOrgCheck) => void) {
  const [run, setRun] = useState<RunState>({ kind: 'idle' });
  const controller = useRef<AbortController | null>(null);
  // Leaving Review stops a running check: nothing it read is kept.
  useEffect(() => () => controller.current?.abort(), []);

  const start = (): void => {
    if (!api) return;
    controller.current?.abort();
    const ac = new AbortController();
    controller.current = ac;
    const checkedRows = rows;
    setRun({ kind: 'running', progress: { phase: 'Starting', done: 0, total: null } });
    api
      .run(checkedRows, {
        signal: ac.signal,
        onProgress: (p) => {
          if (!ac.signal.aborted) setRun({ kind: 'running', progress: p });
        },
      })
      .then(
        (view) => {
          if (ac.signal.aborted) return;
          controller.current = null;
          onHeld({ view, rows: checkedRows });
          setRun({ kind: 'idle' });
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

  const status: OrgCheckStatus =
    run.kind === 'running'
      ? { kind: 'running', phase: run.progress.phase, done: run.progress.done, total: run.progress.total }
      : run.kind === 'failed'
        ? { kind: 'failed', message: run.message }
        : run.kind === 'cancelled'
          ? { kind: 'cancelled' }
          : held
            ? { kind: 'done', summary: held.view.summary }
            : { kind: 'ready' };
  return { status, start, cancel, running: run.kind === 'running' };
}
