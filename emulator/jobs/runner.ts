// The job runner: one job at a time, rows in chunks; each chunk's records, per-row results and progress cursor
// commit in ONE transaction, so after a kill -9 a job resumes from its cursor with nothing lost or written twice.
// The result ZIP is written durably (temp, fsync, rename) before the job is marked COMPLETED.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { strToU8, zipSync } from 'fflate';
import type { JobEvent } from '../../src/api/contract/emulator.ts';
import type { JobStatus } from '../../src/api/contract/job-details.ts';
import type { Emulator, JobQueue } from '../context.ts';
import { csvCell, csvLine, parseCsv, type ParsedCsv } from '../csv.ts';
import { sendCallback } from '../callback-sender.ts';
import { writeFileDurable } from '../fs-util.ts';
import type { JobRow, RowResult } from './job-store.ts';
import { RowProcessor } from './row-processor.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Longest a chunk may hold the event loop (issue 12): under load, job-status calls waited p95 ~300–550 ms behind
 *  2,000-row chunks. A chunk ends at `chunkRows` rows or after this many ms, whichever comes first; each chunk is
 *  still one transaction, so the crash-safety cursor is unchanged (decision 067). */
export const CHUNK_SLICE_MS = 8;
const tick = () => new Promise((r) => setImmediate(r));
/** Least time between two progress events of a job (SSE); the chunk that ends the job is always told. */
export const PROGRESS_EVENT_MS = 100;

export class JobRunner implements JobQueue {
  private readonly emu: () => Emulator;
  private readonly queue: string[] = [];
  private running = false;
  private stopped = false;
  private readonly failRequests = new Set<string>();
  private current: string | null = null;
  private readonly callbacks = new Set<Promise<void>>();
  private loop: Promise<void> = Promise.resolve();
  callbackAllowlist: () => readonly string[] = () => [];

  constructor(emu: () => Emulator) {
    this.emu = emu;
  }

  /** Resume every unfinished job (in creation order) and resend callbacks that never went out. */
  start(): void {
    const emu = this.emu();
    for (const j of emu.jobs.unfinished()) this.enqueue(j.id);
    for (const j of emu.jobs.pendingCallbacks()) this.fireCallback(j.id);
  }

  enqueue(id: string): void {
    if (this.stopped) return;
    this.queue.push(id);
    if (!this.running) {
      this.running = true;
      this.loop = this.drain();
    }
  }

  /** Admin hook: mark a job FAILED; rows not yet processed become UNPROCESSED. */
  requestFail(id: string): boolean {
    const job = this.emu().jobs.get(id);
    if (!job || job.status === 'COMPLETED' || job.status === 'FAILED') return false;
    if (this.current === id) {
      this.failRequests.add(id);
    } else {
      const q = this.queue.indexOf(id);
      if (q >= 0) this.queue.splice(q, 1);
      this.failHard(id, 'failed by the admin hook');
    }
    return true;
  }

  /** Resolves once the job is COMPLETED or FAILED (or the runner stops). */
  async settled(id: string): Promise<void> {
    for (;;) {
      const j = this.emu().jobs.get(id);
      if (!j || j.status === 'COMPLETED' || j.status === 'FAILED' || this.stopped) return;
      await sleep(10);
    }
  }

  /** After an admin reset: accept work again and pick up whatever the store holds. */
  restart(): void {
    this.stopped = false;
    this.failRequests.clear();
    this.start();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.queue.length = 0;
    await this.loop;
    await Promise.allSettled([...this.callbacks]);
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0 && !this.stopped) {
      const id = this.queue.shift()!;
      this.current = id;
      try {
        await this.run(id);
      } catch (e) {
        // A job that cannot run (e.g. its CSV vanished, disk full) ends FAILED with a reason, never half-done.
        if (!this.stopped) this.failHard(id, e instanceof Error ? e.message : 'internal error');
      } finally {
        this.current = null;
      }
    }
    this.running = false;
  }

  private event(job: JobRow, type: JobEvent['type'], status: JobStatus, cursor: number, added: number, updated: number, skipped: number): void {
    this.emu().events.emit({ type, job_id: job.id, status, processed: cursor, total: job.total, added, updated, skipped });
  }

  private async run(id: string): Promise<void> {
    const emu = this.emu();
    const job = emu.jobs.get(id);
    if (!job || job.status === 'COMPLETED' || job.status === 'FAILED') return;
    const csv = readUploadCsv(job.csvPath);
    const rows = csv.rows;
    const proc = new RowProcessor(emu, job);
    let { cursor, added, updated, skipped } = job;
    if (job.status === 'ADDED') {
      emu.jobs.progress(id, 'INPROGRESS', cursor, added, updated, skipped);
      this.event(job, 'status', 'INPROGRESS', cursor, added, updated, skipped);
    }
    const failRequested = (): boolean => {
      if (!this.failRequests.has(id)) return false;
      this.failRequests.delete(id);
      this.finish(job, rows, csv.header, 'FAILED', 'failed by the admin hook');
      return true;
    };
    let toldAt = -Infinity;
    while (cursor < job.total) {
      if (this.stopped || failRequested()) return;
      const delay = emu.hooks.delayMsPerRow;
      const size = delay > 0 ? Math.max(1, Math.min(emu.config.chunkRows, Math.ceil(250 / delay))) : emu.config.chunkRows;
      const end = Math.min(job.total, cursor + size);
      if (delay > 0) await sleep(delay * (end - cursor));
      if (this.stopped || failRequested()) return;
      const from = cursor;
      const sliceEnd = performance.now() + CHUNK_SLICE_MS;
      const counts = emu.records.transaction(() => {
        let a = added,
          u = updated,
          s = skipped;
        const chunk: RowResult[] = [];
        let i = from;
        // At least one row per chunk, so a slow row can never stall the job.
        do {
          const r = proc.process(i, rows[i] ?? []);
          chunk.push(r);
          if (r.status === 'ADDED') a++;
          else if (r.status === 'UPDATED') u++;
          else s++;
          i++;
        } while (i < end && performance.now() < sliceEnd);
        emu.jobs.addResults(id, from, chunk);
        proc.flushPicklists();
        emu.records.persist();
        emu.jobs.progress(id, 'INPROGRESS', i, a, u, s);
        return { a, u, s, end: i };
      });
      proc.afterCommit();
      cursor = counts.end;
      added = counts.a;
      updated = counts.u;
      skipped = counts.s;
      // A chunk is ~8 ms of rows, so telling every one was up to ~125 events a second, each parsed on the page's
      // thread, which shows them at most four times a second (decision 160). The last chunk is always told.
      const now = performance.now();
      if (cursor >= job.total || now - toldAt >= PROGRESS_EVENT_MS) {
        toldAt = now;
        this.event(job, 'progress', 'INPROGRESS', cursor, added, updated, skipped);
      }
      await tick();
    }
    await this.finishSliced(job, rows, csv.header, 'COMPLETED', null);
  }

  /** Write the result ZIP durably, then mark the job terminal, then announce it (SSE + callback). Synchronous: for
   *  the failure paths (admin hook, a job that cannot run), which must be terminal when they return. */
  private finish(job: JobRow, rows: string[][], header: string[], status: 'COMPLETED' | 'FAILED', reason: string | null): void {
    const out = this.resultStart(job, header);
    out.unprocessed += appendResultLines(out, rows, 0, job.total);
    this.complete(job, out, status, reason);
  }

  /** The same as finish, but the result lines are built in time slices with a yield between them, so a
   *  25,000-row result does not hold job-status calls for its whole build (issue 12, decision 067). */
  private async finishSliced(job: JobRow, rows: string[][], header: string[], status: 'COMPLETED' | 'FAILED', reason: string | null): Promise<void> {
    const out = this.resultStart(job, header);
    let i = 0;
    while (i < job.total) {
      const sliceEnd = performance.now() + CHUNK_SLICE_MS;
      const from = i;
      while (i < job.total && (i === from || performance.now() < sliceEnd)) {
        const to = Math.min(job.total, i + 64);
        out.unprocessed += appendResultLines(out, rows, i, to);
        i = to;
      }
      if (i < job.total) await tick();
    }
    this.complete(job, out, status, reason);
  }

  private resultStart(job: JobRow, header: string[]): ResultBuild {
    const echo = echoColumns(job);
    // One string per line joined once (not 25,000 appends); the line is what csvLine gives for [...echo cells,
    // STATUS, RECORD_ID, ERRORS] — status words and digit ids never need quoting, so only the other cells go
    // through csvCell.
    const lines: string[] = [csvLine([...echo.map((i) => header[i] ?? ''), 'STATUS', 'RECORD_ID', 'ERRORS'])];
    return { echo, lines, results: this.emu().jobs.resultTuples(job.id), unprocessed: 0 };
  }

  private complete(job: JobRow, out: ResultBuild, status: 'COMPLETED' | 'FAILED', reason: string | null): void {
    const emu = this.emu();
    const path = join(emu.config.dataDir, 'results', `${job.id}.zip`);
    // Stored, not deflated: a result is at most a few MB and every ZIP reader takes stored entries; deflating it
    // was ~10 % of a 25,000-row job's time.
    writeFileDurable(path, zipSync({ [`${job.module}-${job.id}.csv`]: strToU8(out.lines.join('')) }, { level: 0 }));
    emu.jobs.transaction(() => emu.jobs.finish(job.id, status, out.unprocessed, path, reason));
    const done = emu.jobs.get(job.id)!;
    this.event(done, 'status', status, done.cursor, done.added, done.updated, done.skipped);
    this.fireCallback(job.id);
  }

  private failHard(id: string, reason: string): void {
    const emu = this.emu();
    const job = emu.jobs.get(id);
    if (!job || job.status === 'COMPLETED' || job.status === 'FAILED') return;
    let rows: string[][] = [];
    let header: string[] = job.spec.header;
    try {
      const csv = parseCsv(readFileSync(job.csvPath, 'utf8'));
      rows = csv.rows;
      header = csv.header;
    } catch {
      // keep empty rows: every row is reported UNPROCESSED with empty echo cells
    }
    try {
      this.finish(job, rows, header, 'FAILED', reason);
    } catch {
      emu.jobs.transaction(() => emu.jobs.finish(id, 'FAILED', job.total - job.cursor, null, reason));
    }
  }

  private fireCallback(id: string): void {
    const p = sendCallback(this.emu(), id, this.callbackAllowlist()).catch(() => undefined);
    this.callbacks.add(p);
    void p.finally(() => this.callbacks.delete(p));
  }
}

interface ResultBuild {
  echo: number[];
  lines: string[];
  results: ReturnType<Emulator['jobs']['resultTuples']>;
  unprocessed: number;
}

/** Append the result lines of rows [from, to); returns how many of them were never processed. */
function appendResultLines(out: ResultBuild, rows: string[][], from: number, to: number): number {
  let unprocessed = 0;
  for (let i = from; i < to; i++) {
    const row = rows[i];
    let line = '';
    for (let e = 0; e < out.echo.length; e++) line += csvCell(row?.[out.echo[e]!] ?? '') + ',';
    const r = out.results[i];
    if (r) out.lines.push(`${line}${r[0]},${r[1]},${csvCell(r[2])}\r\n`);
    else {
      unprocessed++;
      out.lines.push(`${line}UNPROCESSED,,\r\n`);
    }
  }
  return unprocessed;
}

/** Parsed uploads kept briefly in memory so a job right after its upload does not parse the CSV twice. Bounded by
 *  the uploads' CSV bytes, not a count: four 5,000-row uploads queued at once (issue 12) all stay parsed, so no
 *  job start re-parses its file on the event loop, while one 25 MB upload still evicts the rest. */
const parsedUploads = new Map<string, { csv: ParsedCsv; bytes: number }>();
const PARSED_BUDGET_BYTES = 32 * 1024 * 1024;
export function rememberUpload(path: string, csv: ParsedCsv, bytes: number): void {
  parsedUploads.set(path, { csv, bytes });
  let total = 0;
  for (const v of parsedUploads.values()) total += v.bytes;
  while (total > PARSED_BUDGET_BYTES && parsedUploads.size > 1) {
    const oldest = parsedUploads.keys().next().value!;
    total -= parsedUploads.get(oldest)!.bytes;
    parsedUploads.delete(oldest);
  }
}
function readUploadCsv(path: string): ParsedCsv {
  const hit = parsedUploads.get(path);
  if (hit) {
    parsedUploads.delete(path);
    return hit.csv;
  }
  return parseCsv(readFileSync(path, 'utf8'));
}

/** The first three mapped CSV columns, in column order (contract §7). */
export function echoColumns(job: JobRow): number[] {
  const idx = [...new Set(job.spec.mappings.map((m) => m.index).filter((i): i is number => i !== null))].sort((a, b) => a - b);
  return idx.slice(0, 3);
}
