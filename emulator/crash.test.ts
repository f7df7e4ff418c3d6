// Crash safety (bad-inputs #48): the real server runs as a child process, is killed with SIGKILL mid-job at
// several points, restarted on the same DATA_DIR, and must finish the job with nothing lost or written twice.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import Papa from 'papaparse';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnEmulator } from './test-helpers.ts';

const TOKEN = 'crash-token-0123456789';
const dataDir = mkdtempSync(join(tmpdir(), 'emu-crash-'));
let child: ChildProcess | null = null;
// A real callback receiver outside the server: the callback must arrive even though the server was killed.
const callbacks: string[] = [];
const receiver = createServer((req, res) => {
  let body = '';
  req.on('data', (d: Buffer) => (body += d.toString()));
  req.on('end', () => {
    callbacks.push(body);
    res.end('ok');
  });
});
let receiverOrigin = '';

afterAll(() => {
  child?.kill('SIGKILL');
  receiver.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function boot(delayEnv: number): Promise<string> {
  if (!receiverOrigin) {
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
    receiverOrigin = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  }
  const env: NodeJS.ProcessEnv = { DATA_DIR: dataDir, EMULATOR_TOKEN: TOKEN, EMULATOR_ADMIN: '1', CALLBACK_ALLOWLIST: receiverOrigin };
  if (delayEnv > 0) env.EMULATOR_DELAY_MS_PER_ROW = String(delayEnv);
  return spawnEmulator(env, (p) => (child = p));
}

function kill(): Promise<void> {
  const p = child!;
  return new Promise((r) => {
    p.on('exit', () => r());
    p.kill('SIGKILL');
  });
}

const auth = { Authorization: `Zoho-oauthtoken ${TOKEN}` };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function details(
  url: string,
  id: string,
): Promise<{ status: string; file: { added_count: number; skipped_count: number; updated_count: number; total_count: number } }> {
  const j = (await (await fetch(`${url}/crm/bulk/v8/write/${id}`, { headers: auth })).json()) as { status: string; resource: { file: never }[] };
  return { status: j.status, file: j.resource[0]!.file };
}

describe('crash test: SIGKILL mid-job, restart, resume', () => {
  it('loses no row, writes none twice, counts add up, result complete, integrity_check ok', { timeout: 120_000 }, async () => {
    // 1,500 rows: every 10th repeats an earlier e-mail (DUPLICATE_DATA), every 25th has no Last_Name.
    const N = 1500;
    const lines = ['Last_Name,Email,Phone'];
    const expected: string[] = [];
    const seen = new Set<string>();
    for (let i = 0; i < N; i++) {
      const email = i % 10 === 9 ? `user${i - 5}@crash.example` : `user${i}@crash.example`;
      const name = i % 25 === 24 ? '' : `Name${i}`;
      lines.push(`${name},${email},+1555${String(i).padStart(6, '0')}`);
      if (name === '') expected.push('SKIPPED');
      else if (seen.has(email)) expected.push('SKIPPED');
      else {
        expected.push('ADDED');
        seen.add(email);
      }
    }
    const expectedAdded = expected.filter((s) => s === 'ADDED').length;

    let url = await boot(0);
    // Per-row delay through the admin hook, so the job is slow enough to be killed mid-way.
    expect(
      (
        await fetch(`${url}/__emulator/admin/delay`, {
          method: 'POST',
          headers: { ...auth, 'content-type': 'application/json' },
          body: JSON.stringify({ ms_per_row: 2 }),
        })
      ).status,
    ).toBe(200);
    const zgid = ((await (await fetch(`${url}/crm/v8/org`, { headers: auth })).json()) as { org: { zgid: string }[] }).org[0]!.zgid;
    const form = new FormData();
    form.append('file', new Blob([zipSync({ 'crash.csv': strToU8(lines.join('\r\n')) })]), 'crash.zip');
    const up = (await (
      await fetch(`${url}/crm/v8/upload`, { method: 'POST', headers: { ...auth, feature: 'bulk-write', 'X-CRM-ORG': zgid }, body: form })
    ).json()) as { details: { file_id: string } };
    const created = await fetch(`${url}/crm/bulk/v8/write`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({
        operation: 'insert',
        callback: { url: `${receiverOrigin}/done`, method: 'post' },
        resource: [
          {
            type: 'data',
            module: 'Contacts',
            file_id: up.details.file_id,
            field_mappings: [
              { api_name: 'Last_Name', index: 0 },
              { api_name: 'Email', index: 1 },
              { api_name: 'Phone', index: 2 },
            ],
          },
        ],
      }),
    });
    const jobId = ((await created.json()) as { details: { id: string } }).details.id;

    // Kill at several points of progress; after each restart the job resumes (slowly, via env delay).
    const killPoints = [200, 600, 1000];
    const progress: number[] = [];
    for (const at of killPoints) {
      for (;;) {
        const d = await details(url, jobId);
        const done = d.file.added_count + d.file.skipped_count + d.file.updated_count;
        if (done >= at || d.status === 'COMPLETED') {
          progress.push(done);
          break;
        }
        await sleep(20);
      }
      await kill();
      url = await boot(2);
    }
    // Every kill happened mid-job.
    expect(progress.every((p) => p < N)).toBe(true);
    const final = await (async () => {
      for (;;) {
        const d = await details(url, jobId);
        if (d.status === 'COMPLETED' || d.status === 'FAILED') return d;
        await sleep(50);
      }
    })();
    expect(final.status).toBe('COMPLETED');
    expect(final.file).toMatchObject({ added_count: expectedAdded, skipped_count: N - expectedAdded, updated_count: 0, total_count: N });

    const res = await fetch(`${url}/crm/bulk/v8/write/${jobId}/result`, { headers: auth });
    const [, csv] = Object.entries(unzipSync(new Uint8Array(await res.arrayBuffer())))[0]!;
    const rows = Papa.parse<string[]>(strFromU8(csv), { skipEmptyLines: true }).data.slice(1);
    expect(rows.length).toBe(N);
    expect(rows.map((r) => r[3])).toEqual(expected);
    rows.forEach((r, i) => expect(r[1]).toBe(lines[i + 1]!.split(',')[1]));
    const ids = rows.filter((r) => r[3] === 'ADDED').map((r) => r[4]);
    expect(new Set(ids).size).toBe(expectedAdded);
    // The callback arrives (at least once) with the terminal details.
    while (callbacks.length === 0) await sleep(20);
    const cb = JSON.parse(callbacks[0]!) as { id: string; status: string; resource: { file: { added_count: number } }[] };
    expect(cb).toMatchObject({ id: jobId, status: 'COMPLETED' });
    expect(cb.resource[0]!.file.added_count).toBe(expectedAdded);
    await kill();
    child = null;

    const db = new Database(join(dataDir, 'emulator.sqlite'), { readonly: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      const count = (db.prepare(`SELECT COUNT(*) AS n FROM records WHERE job_id = ?`).get(jobId) as { n: number }).n;
      expect(count).toBe(expectedAdded);
      const dupEmails = db
        .prepare(`SELECT json_extract(data, '$.Email') AS e, COUNT(*) AS n FROM records WHERE module = 'Contacts' GROUP BY lower(e) HAVING n > 1`)
        .all();
      expect(dupEmails).toEqual([]);
      // Result chunks tile the input exactly: no gap, no overlap.
      const chunks = db.prepare(`SELECT start_row, row_count FROM job_results WHERE job_id = ? ORDER BY start_row`).all(jobId) as {
        start_row: number;
        row_count: number;
      }[];
      let next = 0;
      for (const c of chunks) {
        expect(c.start_row).toBe(next);
        next += c.row_count;
      }
      expect(next).toBe(N);
      const stored = db
        .prepare(`SELECT id FROM records WHERE job_id = ? ORDER BY id`)
        .all(jobId)
        .map((r) => (r as { id: string }).id);
      expect(stored).toEqual(ids);
    } finally {
      db.close();
    }
  });
});
