// SSE (GET /__emulator/events) and the callback receiver (POST /__emulator/callback): a browser sees status and
// progress events of a job and the callback the emulator POSTed to itself.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobEvent, type JobEvent } from '../../src/api/contract/emulator.ts';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer, type TestServer } from '../test-helpers.ts';

const SECRET_HEADER = 'x-emulator-callback-secret';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ chunkRows: 2 });
});
afterAll(async () => {
  await s.stop();
});

/** Read SSE frames from a real streaming response until `until` says stop. */
async function collect(
  url: string,
  until: (events: { event: string; data: JobEvent }[]) => boolean,
): Promise<{ event: string; data: JobEvent; id: string | null }[]> {
  const ctrl = new AbortController();
  const res = await fetch(url, { signal: ctrl.signal });
  expect(res.headers.get('content-type')).toContain('text/event-stream');
  const reader = res.body!.getReader();
  const dec = new TextDecoder();
  let buf = '';
  const out: { event: string; data: JobEvent; id: string | null }[] = [];
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buf += dec.decode(value, { stream: true });
    let i: number;
    while ((i = buf.indexOf('\n\n')) >= 0) {
      const frame = buf.slice(0, i);
      buf = buf.slice(i + 2);
      const event = /^event: (.*)$/m.exec(frame)?.[1] ?? 'message';
      const data = /^data: (.*)$/m.exec(frame)?.[1];
      const id = /^id: (.*)$/m.exec(frame)?.[1] ?? null;
      if (event === 'ready' || data === undefined) continue;
      out.push({ event, data: jobEvent.parse(JSON.parse(data)), id });
    }
    if (until(out)) break;
  }
  ctrl.abort();
  return out;
}

/** A job that ran with the emulator's own callback receiver as its target, and whose callback was delivered. */
async function finishedJobWithCallback(): Promise<string> {
  const fileId = await s.uploadCsv('Last_Name\r\nDone');
  const created = await s.createJob({
    operation: 'insert',
    callback: { url: `${s.url}/__emulator/callback`, method: 'post' },
    resource: [{ type: 'data', module: 'Contacts', file_id: fileId }],
  });
  const id = (created.json.details as { id: string }).id;
  await s.waitJob(id);
  while (s.emulator.jobs.get(id)?.callbackState === 'pending') await new Promise((r) => setTimeout(r, 20));
  return id;
}

describe('SSE events and the callback receiver', () => {
  it('streams status, progress and the callback of a job; ?job_id filters', async () => {
    await s.api('POST', '/__emulator/admin/delay', { ms_per_row: 20 });
    const fileId = await s.uploadCsv('Last_Name\r\nA\r\nB\r\nC\r\nD\r\nE');
    const created = await s.createJob({
      operation: 'insert',
      callback: { url: `${s.url}/__emulator/callback`, method: 'post' },
      resource: [{ type: 'data', module: 'Contacts', file_id: fileId }],
    });
    const id = (created.json.details as { id: string }).id;
    const events = await collect(`${s.url}/__emulator/events?job_id=${id}`, (ev) => ev.some((e) => e.event === 'callback'));
    await s.api('POST', '/__emulator/admin/delay', { ms_per_row: 0 });
    expect(events.every((e) => e.data.job_id === id && e.event === e.data.type)).toBe(true);
    const progress = events.filter((e) => e.event === 'progress').map((e) => e.data.processed);
    expect(progress.length).toBeGreaterThanOrEqual(2);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    const completed = events.find((e) => e.event === 'status' && e.data.status === 'COMPLETED');
    expect(completed?.data).toMatchObject({ processed: 5, total: 5, added: 5, updated: 0, skipped: 0 });
    const cb = events.find((e) => e.event === 'callback')!;
    expect(cb.data).toMatchObject({ job_id: id, status: 'COMPLETED', added: 5, total: 5 });
    // ids increase: a reconnecting EventSource can tell where it is.
    const ids = events.map((e) => Number(e.id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
  });

  it('tells progress at most every 100 ms per job, and always the last chunk', async () => {
    // 1,000 chunks of 2 rows, no delay: every chunk told was ~1,000 events, each parsed on the page's thread.
    const rows = Array.from({ length: 2000 }, (_, i) => `P${i}`).join('\r\n');
    const fileId = await s.uploadCsv(`Last_Name\r\n${rows}`);
    const started = performance.now();
    const stream = collect(`${s.url}/__emulator/events`, (ev) => ev.some((e) => e.event === 'status' && e.data.status === 'COMPLETED'));
    await new Promise((r) => setTimeout(r, 50));
    const created = await s.createJob({ operation: 'insert', resource: [{ type: 'data', module: 'Contacts', file_id: fileId }] });
    const id = (created.json.details as { id: string }).id;
    const events = (await stream).filter((e) => e.data.job_id === id);
    const elapsed = performance.now() - started;
    const progress = events.filter((e) => e.event === 'progress');
    expect(progress.length).toBeGreaterThanOrEqual(1);
    expect(progress.length).toBeLessThanOrEqual(Math.floor(elapsed / 100) + 2);
    expect(progress.at(-1)?.data).toMatchObject({ processed: 2000, total: 2000, added: 2000 });
  });

  it('the callback receiver wants JSON job details with the secret of that job', async () => {
    const id = await finishedJobWithCallback();
    const secret = s.emulator.callbackSecrets.forJob(id);
    const post = (body: unknown, headers: Record<string, string>) =>
      fetch(`${s.url}/__emulator/callback`, { method: 'POST', headers, body: JSON.stringify(body) });
    const json = { 'content-type': 'application/json' };
    const body = { id, operation: 'insert', status: 'COMPLETED', resource: [] };
    expect((await post(body, { ...json })).status).toBe(403);
    expect(await (await post(body, { ...json, [SECRET_HEADER]: 'x'.repeat(secret.length) })).json()).toMatchObject({
      status: 'error',
      code: 'INVALID_CALLBACK_SECRET',
    });
    // One job's secret does not vouch for another job.
    expect((await post({ ...body, id: String(BigInt(id) + 1n) }, { ...json, [SECRET_HEADER]: secret })).status).toBe(403);
    const plain = await post(body, { 'content-type': 'text/plain', [SECRET_HEADER]: secret });
    expect(plain.status).toBe(415);
    const bad = await post({ hello: 1 }, { ...json, [SECRET_HEADER]: secret });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ status: 'error', code: 'INVALID_DATA' });
  });

  // Issue 12 D3: a page posted a cross-origin text/plain COMPLETED for a predicted job id; the receiver took it and
  // dropped the real callback as a repeat, so the wizard saw the forged counts.
  it('a forged callback (the reproduction) is refused and the real one is the one broadcast', async () => {
    await s.api('POST', '/__emulator/admin/delay', { ms_per_row: 30 });
    const fileId = await s.uploadCsv('Last_Name\r\nA\r\nB\r\nC\r\nD\r\nE');
    const created = await s.createJob({
      operation: 'insert',
      callback: { url: `${s.url}/__emulator/callback`, method: 'post' },
      resource: [{ type: 'data', module: 'Contacts', file_id: fileId }],
    });
    const id = (created.json.details as { id: string }).id;
    const streamed = collect(`${s.url}/__emulator/events?job_id=${id}`, (ev) => ev.some((e) => e.event === 'callback'));
    const forged = {
      id,
      operation: 'insert',
      status: 'COMPLETED',
      resource: [
        {
          status: 'COMPLETED',
          type: 'data',
          module: { api_name: 'Contacts' },
          file: { status: 'COMPLETED', name: 'x.csv', added_count: 999, skipped_count: 0, updated_count: 0, total_count: 999 },
        },
      ],
    };
    const page = await fetch(`${s.url}/__emulator/callback`, {
      method: 'POST',
      headers: { Origin: 'https://evil.example', 'content-type': 'text/plain' },
      body: JSON.stringify(forged),
    });
    expect(page.status).toBeGreaterThanOrEqual(400);
    const scripted = await fetch(`${s.url}/__emulator/callback`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(forged),
    });
    expect(scripted.status).toBe(403);
    const events = await streamed;
    await s.api('POST', '/__emulator/admin/delay', { ms_per_row: 0 });
    const callbacks = events.filter((e) => e.event === 'callback');
    expect(callbacks).toHaveLength(1);
    expect(callbacks[0]!.data).toMatchObject({ job_id: id, status: 'COMPLETED', added: 5, total: 5 });
  });

  it('only the first COMPLETED/FAILED of a job is broadcast; a later one with the right secret is acknowledged and dropped', async () => {
    const id = await finishedJobWithCallback();
    const got: JobEvent[] = [];
    const off = s.emulator.events.subscribe((e) => got.push(e));
    const headers = { 'content-type': 'application/json', [SECRET_HEADER]: s.emulator.callbackSecrets.forJob(id) };
    for (const status of ['FAILED', 'COMPLETED']) {
      const r = await fetch(`${s.url}/__emulator/callback`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ id, operation: 'insert', status, resource: [] }),
      });
      expect(r.status).toBe(200);
    }
    off();
    expect(got).toEqual([]);
  });

  it('after an admin reset a job that gets a used id again still has its callback broadcast, under a new secret', async () => {
    const t = await startTestServer();
    try {
      const run = async () => {
        const got: JobEvent[] = [];
        const off = t.emulator.events.subscribe((e) => got.push(e));
        const fileId = await t.uploadCsv('Last_Name\r\nAgain');
        const created = await t.createJob({
          operation: 'insert',
          callback: { url: `${t.url}/__emulator/callback`, method: 'post' },
          resource: [{ type: 'data', module: 'Contacts', file_id: fileId }],
        });
        const id = (created.json.details as { id: string }).id;
        await t.waitJob(id);
        while (t.emulator.jobs.get(id)?.callbackState === 'pending') await new Promise((r) => setTimeout(r, 20));
        off();
        return { id, secret: t.emulator.callbackSecrets.forJob(id), callbacks: got.filter((e) => e.type === 'callback').length };
      };
      const first = await run();
      expect((await t.api('POST', '/__emulator/admin/reset', {})).status).toBe(200);
      const second = await run();
      expect(second.id).toBe(first.id);
      expect(second.secret).not.toBe(first.secret);
      expect([first.callbacks, second.callbacks]).toEqual([1, 1]);
    } finally {
      await t.stop();
    }
  });

  it('the secret is in neither the request log, the callback URL nor anything in DATA_DIR', async () => {
    const logDir = mkdtempSync(join(tmpdir(), 'emu-log-'));
    const log = join(logDir, 'requests.log');
    const t = await startTestServer({ requestLog: log });
    let open = true;
    try {
      const fileId = await t.uploadCsv('Last_Name\r\nLogged');
      const created = await t.createJob({
        operation: 'insert',
        callback: { url: `${t.url}/__emulator/callback`, method: 'post' },
        resource: [{ type: 'data', module: 'Contacts', file_id: fileId }],
      });
      const id = (created.json.details as { id: string }).id;
      await t.waitJob(id);
      while (t.emulator.jobs.get(id)?.callbackState === 'pending') await new Promise((r) => setTimeout(r, 20));
      expect(t.emulator.jobs.get(id)?.callbackState).toBe('sent');
      const secret = t.emulator.callbackSecrets.forJob(id);
      expect(secret.length).toBeGreaterThanOrEqual(32);
      expect(t.emulator.jobs.get(id)?.callbackUrl).toBe(`${t.url}/__emulator/callback`);
      // Closing flushes the log and the database files before they are read.
      await t.close();
      open = false;
      const logged = readFileSync(log, 'utf8');
      expect(logged).toMatch(/POST \/__emulator\/callback 200 /);
      expect(logged).not.toContain(secret);
      for (const f of readdirSync(t.dataDir, { recursive: true, withFileTypes: true })) {
        if (f.isFile()) expect(readFileSync(join(f.parentPath, f.name)).includes(secret), f.name).toBe(false);
      }
    } finally {
      if (open) await t.close();
      rmSync(t.dataDir, { recursive: true, force: true });
      rmSync(logDir, { recursive: true, force: true });
    }
  });
});
