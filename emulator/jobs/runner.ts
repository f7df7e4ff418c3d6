// The job runner: one job at a time, rows in chunks; each chunk's records, per-row results and progress cursor
// commit in ONE transaction, so after a kill -9 a job resumes from its cursor with nothing lost or written twice.
// The result ZIP is written durably (temp, fsync, rename) before the job is marked COMPLETED.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
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
const tick = () => new Promise((r) => setImmediate(r));

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
    while (cursor < job.total) {
      if (this.stopped || failRequested()) return;
      const delay = emu.hooks.delayMsPerRow;
      const size = delay > 0 ? Math.max(1, Math.min(emu.config.chunkRows, Math.ceil(250 / delay))) : emu.config.chunkRows;
      const end = Math.min(job.total, cursor + size);
      if (delay > 0) await sleep(delay * (end - cursor));
      if (this.stopped || failRequested()) return;
      const from = cursor;
      const counts = emu.records.transaction(() => {
        let a = added, u = updated, s = skipped;
        const chunk: RowResult[] = [];
        for (let i = from; i < end; i++) {
          const r = proc.process(i, rows[i] ?? []);
          chunk.push(r);
          if (r.status === 'ADDED') a++;
          else if (r.status === 'UPDATED') u++;
          else s++;
        }
        emu.jobs.addResults(id, from, chunk);
        proc.flushPicklists();
        emu.records.persist();
        emu.jobs.progress(id, 'INPROGRESS', end, a, u, s);
        return { a, u, s };
      });
      proc.afterCommit();
      cursor = end;
      added = counts.a;
      updated = counts.u;
      skipped = counts.s;
      this.event(job, 'progress', 'INPROGRESS', cursor, added, updated, skipped);
      await tick();
    }
    this.finish(job, rows, csv.header, 'COMPLETED', null);
  }

  /** Write the result ZIP durably, then mark the job terminal, then announce it (SSE + callback). */
  private finish(job: JobRow, rows: string[][], header: string[], status: 'COMPLETED' | 'FAILED', reason: string | null): void {
    const emu = this.emu();
    const results = emu.jobs.resultTuples(job.id);
    const echo = echoColumns(job);
    // One string per line joined once (not 25,000 appends); the line is what csvLine gives for [...echo cells,
    // STATUS, RECORD_ID, ERRORS] — status words and digit ids never need quoting, so only the other cells go
    // through csvCell.
    const lines: string[] = [csvLine([...echo.map((i) => header[i] ?? ''), 'STATUS', 'RECORD_ID', 'ERRORS'])];
    let unprocessed = 0;
    for (let i = 0; i < job.total; i++) {
      const row = rows[i];
      let line = '';
      for (let e = 0; e < echo.length; e++) line += csvCell(row?.[echo[e]!] ?? '') + ',';
      const r = results[i];
      if (r) lines.push(`${line}${r[0]},${r[1]},${csvCell(r[2])}\r\n`);
      else {
        unprocessed++;
        lines.push(`${line}UNPROCESSED,,\r\n`);
      }
    }
    const path = join(emu.config.dataDir, 'results', `${job.id}.zip`);
    // Stored, not deflated: a result is at most a few MB and every ZIP reader takes stored entries; deflating it
    // was ~10 % of a 25,000-row job's time.
    writeFileDurable(path, zipSync({ [`${job.module}-${job.id}.csv`]: strToU8(lines.join('')) }, { level: 0 }));
    emu.jobs.transaction(() => emu.jobs.finish(job.id, status, unprocessed, path, reason));
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

/** Parsed uploads kept briefly in memory so a job right after its upload does not parse the CSV twice. */
const parsedUploads = new Map<string, ParsedCsv>();
export function rememberUpload(path: string, csv: ParsedCsv): void {
  parsedUploads.set(path, csv);
  while (parsedUploads.size > 2) parsedUploads.delete(parsedUploads.keys().next().value!);
}
function readUploadCsv(path: string): ParsedCsv {
  const hit = parsedUploads.get(path);
  if (hit) {
    parsedUploads.delete(path);
    return hit;
  }
  return parseCsv(readFileSync(path, 'utf8'));
}

/** The first three mapped CSV columns, in column order (contract §7). */
export function echoColumns(job: JobRow): number[] {
  const idx = [...new Set(job.spec.mappings.map((m) => m.index).filter((i): i is number => i !== null))].sort((a, b) => a - b);
  return idx.slice(0, 3);
}
