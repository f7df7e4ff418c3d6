import { describe, expect, it } from 'vitest';
import { splitIntoJobs } from '../domain/jobs/split.ts';
import { packJob } from './row-batch.ts';

describe('job packing', () => {
  it('a packed job crosses a structured clone with its buffers transferred and arrives unchanged', async () => {
    const rows = [
      { line: 2, cells: ['a', 'b,"c"'] },
      { line: 4, cells: ['', 'é\n'] },
    ];
    const res = await splitIntoJobs({ header: ['X', 'Y'], columnSource: [1, 0], rows, module: 'Leads' });
    const job = res.jobs[0]!;
    const copy = {
      ...job,
      zip: job.zip.slice(),
      rowIndexes: job.rowIndexes.slice(),
      lines: job.lines.slice(),
      echo: { ...job.echo, hashes: job.echo.hashes.slice() },
    };
    const { part, transfer } = packJob(job);
    const arrived = structuredClone(part, { transfer });
    expect(arrived).toEqual(copy);
    // Transferred: the sender's buffers are detached.
    expect(transfer.every((b) => b.byteLength === 0)).toBe(true);
  });
});
