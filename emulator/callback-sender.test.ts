// Callback delivery (contract §6, security S16) against real local receivers: allowed targets get exactly the
// terminal job-details POSTs, with bounded retries; disallowed, redirecting and wrong-scheme targets get none.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobDetails } from '../src/api/contract/job-details.ts';
import { startTestServer, type TestServer } from './test-helpers.ts';

interface Receiver {
  origin: string;
  hits: { path: string; body: string; contentType: string | undefined; secret: string | undefined }[];
  close(): Promise<void>;
}

/** A real HTTP receiver; `reply` decides each answer (status + headers). */
async function receiver(reply: (n: number) => { status: number; headers?: Record<string, string> } = () => ({ status: 200 })): Promise<Receiver> {
  const hits: Receiver['hits'] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      hits.push({
        path: req.url ?? '',
        body,
        contentType: req.headers['content-type'],
        secret: req.headers['x-emulator-callback-secret'] as string | undefined,
      });
      const r = reply(hits.length);
      res.writeHead(r.status, r.headers ?? {});
      res.end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hits,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

let s: TestServer;
let good: Receiver;
let flaky: Receiver;
let redirector: Receiver;
let outsider: Receiver;
let dropped: Receiver;

beforeAll(async () => {
  good = await receiver();
  flaky = await receiver((n) => ({ status: n < 3 ? 500 : 200 }));
  outsider = await receiver();
  redirector = await receiver(() => ({ status: 302, headers: { Location: `${outsider.origin}/stolen` } }));
  dropped = await receiver();
  s = await startTestServer({ callbackAllowlist: [good.origin, flaky.origin, redirector.origin, dropped.origin], callbackRetries: 3, callbackTimeoutMs: 2000 });
});
afterAll(async () => {
  await s.stop();
  for (const r of [good, flaky, redirector, outsider, dropped]) await r.close();
});

async function jobWithCallback(url: string): Promise<{ status: number; id: string | null; json: Record<string, unknown> }> {
  const fileId = await s.uploadCsv('Last_Name,Email\r\nCb,cb@x.example\r\n,nameless@x.example');
  const r = await s.createJob({
    operation: 'insert',
    callback: { url, method: 'post' },
    resource: [
      {
        type: 'data',
        module: 'Contacts',
        file_id: fileId,
        field_mappings: [
          { api_name: 'Last_Name', index: 0 },
          { api_name: 'Email', index: 1 },
        ],
      },
    ],
  });
  return { status: r.status, id: r.status === 201 ? (r.json.details as { id: string }).id : null, json: r.json };
}

const callbackSettled = async (id: string) => {
  for (;;) {
    const st = s.emulator.jobs.get(id)!.callbackState;
    if (st !== 'pending') return st;
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('callbacks', () => {
  it('an allowed receiver gets exactly one POST: the terminal job-details JSON', async () => {
    const { id } = await jobWithCallback(`${good.origin}/hook?x=1`);
    await s.waitJob(id!);
    expect(await callbackSettled(id!)).toBe('sent');
    expect(good.hits.length).toBe(1);
    const hit = good.hits[0]!;
    expect(hit.path).toBe('/hook?x=1');
    expect(hit.contentType).toContain('application/json');
    // The per-job secret is only for the emulator's own receiver (decision 060); another receiver never sees it.
    expect(hit.secret).toBeUndefined();
    const body = jobDetails.parse(JSON.parse(hit.body));
    expect(body.id).toBe(id);
    expect(body.status).toBe('COMPLETED');
    expect(body.resource[0]!.file).toMatchObject({ added_count: 1, skipped_count: 1, total_count: 2 });
    const polled = await s.api('GET', `/crm/bulk/v8/write/${id}`);
    expect(JSON.parse(hit.body)).toEqual(polled.json);
  });

  it('retries with backoff until the receiver accepts (500, 500, 200 → 3 POSTs)', async () => {
    const { id } = await jobWithCallback(`${flaky.origin}/cb`);
    await s.waitJob(id!);
    expect(await callbackSettled(id!)).toBe('sent');
    expect(flaky.hits.length).toBe(3);
  });

  it('a redirect is not followed: the redirector gets one POST, the redirect target none', async () => {
    const { id } = await jobWithCallback(`${redirector.origin}/cb`);
    await s.waitJob(id!);
    expect(await callbackSettled(id!)).toBe('gave_up');
    expect(redirector.hits.length).toBe(1);
    expect(outsider.hits.length).toBe(0);
  });

  it('disallowed origins and wrong schemes are refused at creation and never called', async () => {
    for (const url of [`${outsider.origin}/cb`, 'ftp://127.0.0.1/cb', 'file:///tmp/cb', `http://user:pw@${good.origin.slice(7)}/cb`]) {
      const r = await jobWithCallback(url);
      expect(r.status).toBe(400);
      expect(r.json).toMatchObject({ code: 'INVALID_DATA', details: { api_name: 'url', json_path: '$.callback.url' } });
    }
    expect(outsider.hits.length).toBe(0);
  });

  it('the allowlist is checked again at send time', async () => {
    await s.api('POST', '/__emulator/admin/delay', { ms_per_row: 100 });
    const { id } = await jobWithCallback(`${dropped.origin}/cb`);
    s.emulator.config.callbackAllowlist = s.emulator.config.callbackAllowlist.filter((o) => o !== dropped.origin);
    await s.api('POST', '/__emulator/admin/delay', { ms_per_row: 0 });
    await s.waitJob(id!);
    expect(await callbackSettled(id!)).toBe('refused');
    expect(dropped.hits.length).toBe(0);
  });

  it('a FAILED job (admin fail-job) sends its terminal details too', async () => {
    await s.api('POST', '/__emulator/admin/delay', { ms_per_row: 200 });
    const before = good.hits.length;
    const { id } = await jobWithCallback(`${good.origin}/failed`);
    const f = await s.api('POST', '/__emulator/admin/fail-job', { job_id: id });
    expect(f.status).toBe(200);
    await s.api('POST', '/__emulator/admin/delay', { ms_per_row: 0 });
    expect(await callbackSettled(id!)).toBe('sent');
    expect(good.hits.length).toBe(before + 1);
    expect(jobDetails.parse(JSON.parse(good.hits[before]!.body)).status).toBe('FAILED');
  });
});
