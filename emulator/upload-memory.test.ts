// Upload memory (issue 12 D5, bad-inputs S12 "process memory stays bounded"): the real server runs as a child
// process and its peak resident memory is read from the kernel (VmHWM, reset through /proc/<pid>/clear_refs just
// before the upload), so the figure is the server's own peak, not a sample that could miss it. A 24 MB CSV of
// NUL bytes (one 24 MB header cell, ~24 KB once zipped) once drove the server to about 1 GB.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnEmulator } from './test-helpers.ts';

const TOKEN = 'memory-token-0123456789';
const dataDir = mkdtempSync(join(tmpdir(), 'emu-memory-'));
let child: ChildProcess | null = null;

afterAll(() => {
  child?.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

function boot(): Promise<string> {
  return spawnEmulator({ DATA_DIR: dataDir, EMULATOR_TOKEN: TOKEN, STATIC_DIR: '' }, (p) => (child = p));
}

/** kB figures from /proc/<pid>/status. */
function memKb(pid: number, key: 'VmRSS' | 'VmHWM'): number {
  const m = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no ${key} in /proc/${pid}/status`);
  return Number(m[1]);
}

async function upload(url: string, zgid: string, zip: Uint8Array): Promise<{ status: number; json: Record<string, unknown>; bytes: number }> {
  const form = new FormData();
  form.append('file', new Blob([zip as BlobPart], { type: 'application/zip' }), 'upload.zip');
  const res = await fetch(`${url}/crm/v8/upload`, {
    method: 'POST',
    headers: { Authorization: `Zoho-oauthtoken ${TOKEN}`, feature: 'bulk-write', 'X-CRM-ORG': zgid },
    body: form,
  });
  const text = await res.text();
  return { status: res.status, json: JSON.parse(text) as Record<string, unknown>, bytes: text.length };
}

describe('upload memory stays bounded (D5)', () => {
  it('a 24 MB CSV of NUL bytes peaks at most 4x its size and is refused naming column 1', async () => {
    const url = await boot();
    const pid = child!.pid!;
    const org = (await (await fetch(`${url}/crm/v8/org`, { headers: { Authorization: `Zoho-oauthtoken ${TOKEN}` } })).json()) as { org: { zgid: string }[] };
    const zgid = org.org[0]!.zgid;
    // Warm-up: one ordinary upload loads every module the upload path uses, so the peak below is the file's cost.
    const warm = await upload(url, zgid, zipSync({ 'warm.csv': new TextEncoder().encode('Last_Name\r\nSmith\r\n') }));
    expect(warm.status).toBe(200);

    const csvBytes = 24 * 1024 * 1024;
    const zip = zipSync({ 'nul.csv': new Uint8Array(csvBytes) }, { level: 9 });
    expect(zip.length).toBeLessThan(200 * 1024);
    const before = memKb(pid, 'VmRSS');
    writeFileSync(`/proc/${pid}/clear_refs`, '5'); // resets VmHWM to the current RSS
    const r = await upload(url, zgid, zip);
    const peakKb = memKb(pid, 'VmHWM');
    const growthMb = (peakKb - before) / 1024;
    console.log(
      `24 MB NUL CSV (${zip.length} B zipped): RSS before ${(before / 1024).toFixed(0)} MB, peak ${(peakKb / 1024).toFixed(0)} MB, growth ${growthMb.toFixed(0)} MB; answer ${r.status}, ${r.bytes} B`,
    );

    expect(growthMb).toBeLessThanOrEqual((4 * csvBytes) / (1024 * 1024));
    expect(r.status).toBe(400);
    expect(r.json.code).toBe('INVALID_FILE_FORMAT');
    expect(String(r.json.message)).toMatch(/column 1\b/);
    expect(r.bytes).toBeLessThan(2000);
  }, 60_000);
});
