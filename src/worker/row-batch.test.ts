import { describe, expect, it } from 'vitest';
import { splitIntoJobs } from '../domain/jobs/split.ts';
import { packJob, unpackJob } from './row-batch.ts';

describe('job packing', () => {
  it('unpackJob(packJob(job)) gives the same job', async () => {
    const rows = [
      { line: 2, cells: ['a', 'b,"c"'] },
      { line: 4, cells: ['', 'é\n'] },
    ];
    const res = await splitIntoJobs({ header: ['X', 'Y'], columnSource: [1, 0], rows, module: 'Leads' });
    const job = res.jobs[0]!;
    const copy = { ...job, zip: job.zip.slice() };
    expect(unpackJob(packJob(job).part)).toEqual(copy);
  });
});
