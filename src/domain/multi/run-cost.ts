// What a whole multi-module run costs, shown before "Start import" (issue 11 item 6): per source the jobs its link
// groups make, plus the self-lookup passes, at 500 credits a job. Counted by rows (25,000 a job); a part whose
// zip passes 25 MiB is halved when the zips are built, which only the built split can tell.
import { LIMITS } from '../csv/types.ts';
import { jobsOfGroups, type SourceResolution } from './linking.ts';
import { CREDITS_PER_WRITE_JOB, type RunStep } from './run-plan.ts';

export interface StepCost {
  step: RunStep;
  rows: number;
  jobs: number;
}

export interface RunCost {
  steps: StepCost[];
  /** Rows held back up front (never sent, never charged). */
  held: number;
  jobs: number;
  credits: number;
}

/** `resolutions` from resolveRun with `will-write` (the pre-flight's predictions as the known states). */
export function runCost(steps: readonly RunStep[], resolutions: ReadonlyMap<string, SourceResolution>, maxRows: number = LIMITS.maxRowsPerJob): RunCost {
  const out: StepCost[] = [];
  let held = 0;
  for (const step of steps) {
    const r = resolutions.get(step.sourceId);
    if (r === undefined) continue;
    if (step.kind === 'write') {
      held += r.held.length;
      out.push({ step, rows: r.groups.reduce((n, g) => n + g.rows.length, 0), jobs: jobsOfGroups(r.groups, maxRows) });
    } else {
      const rows = r.selfLinks.filter((s) => s.link.column === step.link.column).length;
      out.push({ step, rows, jobs: rows === 0 ? 0 : Math.ceil(rows / maxRows) });
    }
  }
  const jobs = out.reduce((n, s) => n + s.jobs, 0);
  return { steps: out, held, jobs, credits: jobs * CREDITS_PER_WRITE_JOB };
}
