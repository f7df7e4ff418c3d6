// What a job-status answer writes to history: only what changed (decision 160 — a poll that finds a job as it was
// must not rewrite localStorage and re-render the Import step, 40 times a second in a run of 40 jobs).
import { describe, expect, it } from 'vitest';
import { jobDetails, type JobDetails } from '../../api/contract/job-details.ts';
import type { HistoryRun } from '../../lib/history.ts';
import { newRunEntry } from '../../lib/send-run.ts';
import { withJobAnswers } from './job-tracker.tsx';

function tracking(): HistoryRun {
  const run = newRunEntry({
    runId: 'run-1',
    now: new Date('2026-12-06T10:00:00Z'),
    connectionKind: 'emulator',
    apiDomain: 'http://127.0.0.1:1',
    module: 'Contacts',
    moduleLabel: 'Contacts',
    operation: 'insert',
    findBy: null,
    fileName: 'c.csv',
    totalRows: 5,
    parts: [
      { job: 0, rowCount: 3 },
      { job: 1, rowCount: 2 },
    ],
    retryOf: null,
  });
  return { ...run, phase: 'tracking', jobs: run.jobs.map((j, i) => ({ ...j, jobId: `500000000000000${i}`, fileId: `f${i}`, status: 'ADDED' })) };
}

const details = (id: string, status: string, file?: Record<string, number>, url?: string): JobDetails =>
  jobDetails.parse({
    id,
    operation: 'insert',
    status,
    resource: [{ type: 'data', module: 'Contacts', ...(file ? { file } : {}) }],
    ...(url ? { result: { download_url: url } } : {}),
  });

describe('withJobAnswers', () => {
  it('writes nothing when the answers say what history already holds', () => {
    const run = tracking();
    expect(withJobAnswers(run, new Map())).toBeNull();
    expect(withJobAnswers(run, new Map([['5000000000000000', details('5000000000000000', 'ADDED')]]))).toBeNull();
    // The same answer read twice: the second changes nothing.
    const once = withJobAnswers(run, new Map([['5000000000000000', details('5000000000000000', 'INPROGRESS', { added_count: 1, total_count: 3 })]]));
    expect(once?.jobs[0]).toMatchObject({ status: 'INPROGRESS', added: 1, total: 3 });
    expect(withJobAnswers(once!, new Map([['5000000000000000', details('5000000000000000', 'INPROGRESS', { added_count: 1, total_count: 3 })]]))).toBeNull();
  });

  it('keeps the unchanged jobs as they were and marks the run done when every job is terminal', () => {
    const run = tracking();
    const first = withJobAnswers(run, new Map([['5000000000000000', details('5000000000000000', 'COMPLETED', { added_count: 3, total_count: 3 }, '/r/0')]]))!;
    expect(first.jobs[1]).toBe(run.jobs[1]);
    expect(first.jobs[0]).toMatchObject({ status: 'COMPLETED', added: 3, downloadUrl: '/r/0' });
    expect(first.phase).toBe('tracking');
    const done = withJobAnswers(first, new Map([['5000000000000001', details('5000000000000001', 'FAILED')]]))!;
    expect(done.phase).toBe('done');
    expect(done.jobs.map((j) => j.status)).toEqual(['COMPLETED', 'FAILED']);
    // A run still uploading is not done whatever its created jobs say.
    expect(withJobAnswers({ ...first, phase: 'uploading' }, new Map([['5000000000000001', details('5000000000000001', 'COMPLETED')]]))?.phase).toBe(
      'uploading',
    );
  });
});
