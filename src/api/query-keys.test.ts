// The query cache never answers one connection's read with another's: job ids and result files are per org, and
// the emulator reuses ids after a reset, so two connections asking for "job 1" must get two cache entries.
import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import type { Connection } from './connection.ts';
import { resultQuery } from './download-result.ts';
import { jobQuery } from './get-job.ts';

const emulator: Connection = { kind: 'emulator', apiDomain: 'http://127.0.0.1:4173', uploadHost: 'http://127.0.0.1:4173', zgid: '1', getToken: () => 'emu' };
const zoho: Connection = {
  kind: 'zoho',
  apiDomain: 'https://www.zohoapis.eu',
  uploadHost: 'https://content.zohoapis.eu',
  zgid: '20001',
  getToken: () => 'tok',
};

describe('query keys carry the connection', () => {
  it('a job read on one connection is not served to another with the same job id', () => {
    const client = new QueryClient();
    client.setQueryData(jobQuery(emulator, '5000000000001').queryKey, { id: '5000000000001', status: 'COMPLETED' } as never);
    expect(client.getQueryData(jobQuery(emulator, '5000000000001').queryKey)).toBeDefined();
    expect(client.getQueryData(jobQuery(zoho, '5000000000001').queryKey)).toBeUndefined();
  });
  it('a result file read on one connection is not served to another for the same run and job', () => {
    const client = new QueryClient();
    const job = { index: 0, jobId: '5000000000001', status: 'COMPLETED', downloadUrl: '/crm/bulk/v8/write/5000000000001/result' };
    client.setQueryData(resultQuery(emulator, 'run-1', job).queryKey, { zip: new Blob([]) });
    expect(client.getQueryData(resultQuery(zoho, 'run-1', job).queryKey)).toBeUndefined();
  });
});
