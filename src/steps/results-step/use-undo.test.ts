import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import type { JobResultFile } from '../../api/download-result.ts';
import { Cancelled } from '../../lib/time-slices.ts';
import { undoResults } from './use-undo.ts';

async function resultFile(csv: string): Promise<JobResultFile> {
  const zip = new JSZip();
  zip.file('Contacts.csv', csv);
  return { zip: new Blob([(await zip.generateAsync({ type: 'uint8array' })) as BlobPart], { type: 'application/zip' }) };
}

describe('undoResults (result files read again from their ZIPs, decision 153)', () => {
  it('reads each job’s CSV from its ZIP into undo rows, names a bad file, and skips a job without a file', async () => {
    const good = await resultFile('Last_Name,STATUS,RECORD_ID,ERRORS\r\nAnn,ADDED,5000000000001,\r\nBob,SKIPPED,,INVALID_DATA-Phone\r\n');
    const bad = await resultFile('Last_Name,STATUS,RECORD_ID\r\nCy,ADDED,oops\r\n');
    const read = await undoResults([good, undefined, bad]);
    expect(read.results).toEqual([
      {
        job: 0,
        reconciled: true,
        rows: [
          { status: 'ADDED', recordId: '5000000000001', line: null },
          { status: 'SKIPPED', recordId: null, line: null },
        ],
      },
    ]);
    expect(read.problems).toEqual(['The result file of job 3, row 2: ADDED without a valid RECORD_ID ("oops").']);
  });

  it('stops with Cancelled once its signal is aborted', async () => {
    const ctrl = new AbortController();
    ctrl.abort();
    await expect(undoResults([await resultFile('STATUS,RECORD_ID\r\nADDED,5000000000001\r\n')], ctrl.signal)).rejects.toBeInstanceOf(Cancelled);
  });
});
