// Prepares the import plan in the worker (split into jobs and zip) as soon as Import opens for a new run, with
// progress; leaving the step aborts it. A run that already exists (reload, Back from tracking) is not re-prepared.
import { useEffect, useState } from 'react';
import type { SplitResult } from '../../domain/jobs/types.ts';

export interface PrepareHooks {
  onProgress: (p: { phase: string; done: number; total: number }) => void;
  signal: AbortSignal;
}

export type Prep =
  | { kind: 'preparing'; progress: { phase: string; done: number; total: number } | null }
  | { kind: 'ready'; plan: SplitResult }
  | { kind: 'failed'; message: string };

export function usePreparePlan(prepare: (hooks: PrepareHooks) => Promise<SplitResult>, existingRunId: string | undefined): Prep {
  const [prep, setPrep] = useState<Prep>({ kind: 'preparing', progress: null });
  useEffect(() => {
    if (existingRunId !== undefined) return;
    const ctrl = new AbortController();
    prepare({ onProgress: (p) => setPrep({ kind: 'preparing', progress: p }), signal: ctrl.signal })
      .then((plan) => setPrep({ kind: 'ready', plan }))
      .catch((e: unknown) => {
        if (!ctrl.signal.aborted) setPrep({ kind: 'failed', message: e instanceof Error ? e.message : String(e) });
      });
    return () => ctrl.abort();
  }, [prepare, existingRunId]);
  return prep;
}
