// SSE (GET /__emulator/events) and the callback receiver (POST /__emulator/callback): a browser sees status and
// progress events of a job and the callback the emulator POSTed to itself.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobEvent, type JobEvent } from '../../src/api/contract/emulator.ts';
import { startTestServer, type TestServer } from '../test-helpers.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ chunkRows: 2 });
});
afterAll(async () => {
  await s.stop();
});

/** Read SSE frames from a real streaming response until `until` says stop. */
async function collect(url: string, until: (events: { event: string; data: JobEvent }[]) => boolean): Promise<{ event: string; data: JobEvent; id: string | null }[]> {
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

describe('SSE events and the callback receiver', () => {
  it('streams status, progress and the callback of a job; ?job_id filters', async () => {
    await s.api('POST', '/__emulator/admin/delay', { ms_per_row: 20 });
    const fileId = await s.uploadCsv('Last_Name\r\nA\r\nB\r\nC\r\nD\r\nE');
    const created = await s.createJob({ operation: 'insert', callback: { url: `${s.url}/__emulator/callback`, method: 'post' }, resource: [{ type: 'data', module: 'Contacts', file_id: fileId }] });
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

  it('the callback receiver refuses bodies that are not job details and de-duplicates repeats', async () => {
    const bad = await fetch(`${s.url}/__emulator/callback`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"hello":1}' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ status: 'error', code: 'INVALID_DATA' });
    const body = { id: '1', operation: 'insert', status: 'COMPLETED', resource: [] };
    const got: string[] = [];
    const off = s.emulator.events.subscribe((e) => got.push(e.job_id));
    for (let i = 0; i < 3; i++) {
      const r = await fetch(`${s.url}/__emulator/callback`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect(r.status).toBe(200);
    }
    off();
    expect(got).toEqual(['1']);
  });
});
