// Shared by the emulator's tests: start a real server in-process on an ephemeral port with a temp DATA_DIR, and
// talk to it over real HTTP (no mocks): upload a CSV as a ZIP, create a job, wait for it, read the result.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import Papa from 'papaparse';
import { startServer, type RunningServer, type StartOptions } from './server.ts';

export interface TestServer extends RunningServer {
  dataDir: string;
  api(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; json: Record<string, unknown>; headers: Headers }>;
  uploadZip(zip: Uint8Array, headers?: Record<string, string>): Promise<{ status: number; json: Record<string, unknown> }>;
  uploadCsv(csv: string, name?: string): Promise<string>;
  createJob(body: unknown, version?: string): Promise<{ status: number; json: Record<string, unknown> }>;
  waitJob(id: string): Promise<Record<string, unknown>>;
  result(id: string): Promise<{ header: string[]; rows: string[][]; name: string }>;
  runJob(
    csv: string,
    job: Record<string, unknown>,
    resource: Record<string, unknown>,
  ): Promise<{ id: string; details: Record<string, unknown>; result: { header: string[]; rows: string[][] } }>;
  stop(): Promise<void>;
}

export async function startTestServer(opts: Partial<StartOptions> = {}): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'emu-test-'));
  const s = await startServer({ dataDir, token: 'test-token', admin: true, staticDir: null, ...opts });
  const auth = { Authorization: `Zoho-oauthtoken ${s.token}` };
  const api: TestServer['api'] = async (method, path, body, headers = {}) => {
    const init: RequestInit = { method, headers: { ...auth, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers } };
    if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body);
    const res = await fetch(s.url + path, init);
    const text = await res.text();
    let json: Record<string, unknown>;
    try {
      json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      json = { raw: text };
    }
    return { status: res.status, json, headers: res.headers };
  };
  const zgid = s.emulator.org().zgid;
  const uploadZip: TestServer['uploadZip'] = async (zip, headers = {}) => {
    const form = new FormData();
    form.append('file', new Blob([zip as BlobPart], { type: 'application/zip' }), 'upload.zip');
    const res = await fetch(`${s.url}/crm/v8/upload`, {
      method: 'POST',
      headers: { ...auth, feature: 'bulk-write', 'X-CRM-ORG': zgid, ...headers },
      body: form,
    });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  };
  const uploadCsv: TestServer['uploadCsv'] = async (csv, name = 'data.csv') => {
    const r = await uploadZip(zipSync({ [name]: strToU8(csv) }));
    if (r.status !== 200) throw new Error(`upload failed: ${JSON.stringify(r.json)}`);
    return (r.json.details as { file_id: string }).file_id;
  };
  const createJob: TestServer['createJob'] = async (body, version = 'v8') => {
    const r = await api('POST', `/crm/bulk/${version}/write`, body);
    return { status: r.status, json: r.json };
  };
  const waitJob: TestServer['waitJob'] = async (id) => {
    await s.emulator.runner.settled(id);
    const r = await api('GET', `/crm/bulk/v8/write/${id}`);
    return r.json;
  };
  const result: TestServer['result'] = async (id) => {
    const res = await fetch(`${s.url}/crm/bulk/v8/write/${id}/result`, { headers: auth });
    if (res.status !== 200) throw new Error(`result ${res.status}: ${await res.text()}`);
    const files = unzipSync(new Uint8Array(await res.arrayBuffer()));
    const [name, bytes] = Object.entries(files)[0]!;
    const parsed = Papa.parse<string[]>(strFromU8(bytes), { skipEmptyLines: true });
    const [header, ...rows] = parsed.data;
    return { header: header ?? [], rows, name };
  };
  const runJob: TestServer['runJob'] = async (csv, job, resource) => {
    const fileId = await uploadCsv(csv);
    const created = await createJob({ ...job, resource: [{ type: 'data', module: { api_name: 'Contacts' }, file_id: fileId, ...resource }] });
    if (created.status !== 201) throw new Error(`create failed: ${JSON.stringify(created.json)}`);
    const id = (created.json.details as { id: string }).id;
    const details = await waitJob(id);
    return { id, details, result: await result(id) };
  };
  return {
    ...s,
    dataDir,
    api,
    uploadZip,
    uploadCsv,
    createJob,
    waitJob,
    result,
    runJob,
    async stop() {
      await s.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** file counts of a job-details JSON. */
export function fileCounts(details: Record<string, unknown>): { added: number; updated: number; skipped: number; total: number; status: string } {
  const res = (details.resource as { file: { added_count: number; updated_count: number; skipped_count: number; total_count: number } }[])[0]!.file;
  return { added: res.added_count, updated: res.updated_count, skipped: res.skipped_count, total: res.total_count, status: details.status as string };
}

/**
 * Starts `emulator/main.ts` as a child process (for tests that kill it or read its memory from the kernel) and
 * resolves with the API origin it printed. `onChild` receives the process at once, so a test can clean up even
 * when the server never comes up.
 */
export function spawnEmulator(env: NodeJS.ProcessEnv, onChild: (p: ChildProcess) => void): Promise<string> {
  const p = spawn(process.execPath, ['--import', 'tsx', 'emulator/main.ts'], { env: { ...process.env, PORT: '0', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  onChild(p);
  return new Promise((resolve, reject) => {
    let out = '';
    p.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /Emulator API: (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    p.on('exit', (code) => reject(new Error(`server exited (${code}) before listening: ${out}`)));
  });
}
