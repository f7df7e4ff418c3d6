// A download whose file takes a while to make (the merged CSV of a million rows: ~20 s of main-thread work done in
// slices): the button is disabled and a progress bar shows how far the file is while it is made; leaving the page
// (unmount) stops it and nothing is saved. A failure is said beside the button. Its own state, so the progress
// re-renders only this, not the whole outcome.
import { useEffect, useRef, useState } from 'react';
import { ProgressBar } from '../../components/progress-bar/progress-bar.tsx';
import { formatInt } from '../../lib/format.ts';
import { Cancelled } from '../../lib/time-slices.ts';

export interface PrepareOptions {
  signal: AbortSignal;
  onProgress: (done: number, total: number) => void;
}

type State = { kind: 'idle' } | { kind: 'preparing'; done: number; total: number } | { kind: 'failed'; message: string };

export function PreparedDownload(props: { label: string; className: string; preparing: string; make: (opts: PrepareOptions) => Promise<void> }) {
  const [state, setState] = useState<State>({ kind: 'idle' });
  const running = useRef<AbortController | null>(null);
  useEffect(
    () => () => {
      running.current?.abort();
      running.current = null;
    },
    [],
  );

  const start = () => {
    if (running.current) return;
    const ctrl = new AbortController();
    running.current = ctrl;
    setState({ kind: 'preparing', done: 0, total: 0 });
    props
      .make({ signal: ctrl.signal, onProgress: (done, total) => setState({ kind: 'preparing', done, total }) })
      .then(
        () => setState({ kind: 'idle' }),
        (e: unknown) => {
          if (e instanceof Cancelled || ctrl.signal.aborted) return;
          setState({ kind: 'failed', message: e instanceof Error ? e.message : String(e) });
        },
      )
      .finally(() => {
        if (running.current === ctrl) running.current = null;
      });
  };

  return (
    <span className="stack" style={{ gap: 4 }}>
      <button type="button" className={props.className} disabled={state.kind === 'preparing'} aria-busy={state.kind === 'preparing'} onClick={start}>
        {props.label}
      </button>
      {state.kind === 'preparing' ? (
        <ProgressBar
          label={props.preparing}
          value={state.done}
          max={Math.max(1, state.total)}
          valueText={state.total > 0 ? `${formatInt(state.done)} of ${formatInt(state.total)} rows` : undefined}
          indeterminate={state.total === 0}
        />
      ) : null}
      {state.kind === 'failed' ? (
        <span className="subtle" role="alert">
          The file could not be made: {state.message}
        </span>
      ) : null}
    </span>
  );
}
