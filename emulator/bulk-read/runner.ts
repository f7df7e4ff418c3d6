// Runs Bulk Read jobs one at a time: ADDED → QUEUED → IN PROGRESS → COMPLETED | FAILURE (docs/org-apis.md §1.5).
// A page is read with keyset batches of one SQL query each (`id > last`, the table's own order), every batch turned
// into CSV text and streamed into a deflating ZIP; the event loop gets a turn between batches so the server keeps
// answering while 200,000 records are exported. The ZIP is written durably before the job says COMPLETED.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { strToU8, Zip, ZipDeflate } from 'fflate';
import type { BulkReadQueue, Emulator } from '../context.ts';
import { deliverCallback } from '../callback-sender.ts';
import { csvCell } from '../csv.ts';
import { writeFileDurable } from '../fs-util.ts';
import { columnSql, criteriaSql } from './criteria.ts';
import type { BulkReadOutcome, BulkReadRow } from './store.ts';
import { bulkReadJobOut } from './view.ts';

const BATCH = 10_000;
const tick = () => new Promise((r) => setImmediate(r));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Cell = string | number | bigint | null;

export class BulkReadRunner implements BulkReadQueue {
  private readonly emu: () => Emulator;
  private readonly queue: string[] = [];
  private running = false;
  private stopped = false;
  private loop: Promise<void> = Promise.resolve();
  private readonly callbacks = new Set<Promise<void>>();
  callbackAllowlist: () => readonly string[] = () => [];

  constructor(emu: () => Emulator) {
    this.emu = emu;
  }

  /** Run unfinished jobs again (a read has no side effects) and resend callbacks that never went out. */
  start(): void {
    const emu = this.emu();
    for (const j of emu.bulkReads.unfinished()) this.enqueue(j.id);
    for (const j of emu.bulkReads.pendingCallbacks()) this.fireCallback(j.id);
  }

  restart(): void {
    this.stopped = false;
    this.start();
  }

  enqueue(id: string): void {
    if (this.stopped) return;
    this.queue.push(id);
    if (!this.running) {
      this.running = true;
      this.loop = this.drain();
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.queue.length = 0;
    await this.loop;
    await Promise.allSettled([...this.callbacks]);
  }

  /** Resolves once the job is COMPLETED or FAILURE (or the runner stops). */
  async settled(id: string): Promise<void> {
    for (;;) {
      const j = this.emu().bulkReads.get(id);
      if (!j || j.state === 'COMPLETED' || j.state === 'FAILURE' || this.stopped) return;
      await sleep(10);
    }
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0 && !this.stopped) {
        const id = this.queue.shift()!;
        const emu = this.emu();
        // Each state is visible to a poller for at least one turn of the event loop, as Zoho's are for seconds.
        emu.bulkReads.setState(id, 'QUEUED');
        await tick();
        if (this.stopped) return;
        emu.bulkReads.setState(id, 'IN PROGRESS');
        await tick();
        // The admin hook `hold_after`: past its count, a job stays IN PROGRESS (as a slow Zoho would) until released.
        const hold = emu.hooks.bulkRead;
        if (hold.holdAfter > 0) hold.holdAfter -= 1;
        else if (hold.holdAfter === 0) while (this.emu().hooks.bulkRead.holdAfter === 0 && !this.stopped) await sleep(10);
        if (this.stopped) return;
        const job = emu.bulkReads.get(id);
        if (!job) continue;
        let outcome: BulkReadOutcome;
        try {
          outcome = job.spec.fail
            ? failed('The Bulk Read job failed (made to fail by the emulator admin hook). Create the job again.')
            : await this.export(job);
        } catch (e) {
          if (this.stopped) return;
          console.error(`emulator: bulk read ${id} failed: ${(e as Error).name}`);
          outcome = failed('The Bulk Read job failed inside the emulator. Create the job again.');
        }
        if (this.stopped) return;
        emu.bulkReads.finish(id, outcome.error ? 'FAILURE' : 'COMPLETED', outcome);
        this.fireCallback(id);
      }
    } finally {
      this.running = false;
    }
  }

  /** Write this job's page as `{id}.zip` holding `{id}.csv`. */
  private async export(job: BulkReadRow): Promise<BulkReadOutcome> {
    const emu = this.emu();
    const mod = emu.meta.module(job.module);
    if (!mod) return failed(`The module ${job.module} no longer exists.`);
    const { columns, pageSize } = job.spec;
    const cols = columns.map((c) => columnSql(emu, mod, c) ?? { sql: 'NULL', user: null, dataType: 'text' });
    const types = cols.map((c) => c.dataType);
    // `Owner.email` and the like: the user's field, looked up per row in the (small, cached) user list.
    const userField = cols.map((c) => c.user);
    const where: string[] = ['module = ?'];
    const params: (string | number)[] = [mod.info.api_name];
    if (job.spec.criteria !== null) where.push(criteriaSql(mod, job.spec.criteria, params));
    const select = ['id', ...cols.map((c) => c.sql)].join(', ');
    const base = `FROM records WHERE ${where.join(' AND ')}`;
    const batchSql = emu.db.prepare(`SELECT ${select} ${base} AND id > ? ORDER BY id LIMIT ?`).raw(true);

    // Where this page starts: after the last id of the previous page (page_token), else after `page - 1` pages.
    let after = job.spec.afterId ?? '';
    if (job.spec.afterId === null && job.spec.page > 1) {
      const skip = (job.spec.page - 1) * pageSize;
      const r = emu.db
        .prepare(`SELECT id ${base} ORDER BY id LIMIT 1 OFFSET ?`)
        .raw(true)
        .get(...params, skip - 1) as [string] | undefined;
      after = r ? r[0] : '\uffff';
    }

    const chunks: Uint8Array[] = [];
    const zip = new Zip((err, data) => {
      if (err) throw err;
      chunks.push(data);
    });
    const entry = new ZipDeflate(`${job.id}.csv`, { level: 1 });
    zip.add(entry);
    entry.push(strToU8(['id', ...columns].map(csvCell).join(',') + '\r\n'));
    let count = 0;
    let lastId: string | null = null;
    while (count < pageSize) {
      const rows = batchSql.all(...params, after, Math.min(BATCH, pageSize - count)) as Cell[][];
      if (rows.length === 0) break;
      let text = '';
      for (const r of rows) {
        let line = csvCell(String(r[0]));
        for (let i = 0; i < columns.length; i++) {
          const uf = userField[i];
          const v = r[i + 1] ?? null;
          line += ',' + csvCell(uf ? userText(emu, v, uf) : cellText(v, types[i]!));
        }
        text += line + '\r\n';
      }
      entry.push(strToU8(text));
      count += rows.length;
      lastId = String(rows[rows.length - 1]![0]);
      after = lastId;
      await tick();
      if (this.stopped) throw new Error('stopped');
    }
    entry.push(new Uint8Array(0), true);
    zip.end();
    const more = lastId !== null && count === pageSize && emu.db.prepare(`SELECT 1 ${base} AND id > ? LIMIT 1`).get(...params, lastId) !== undefined;
    const zipPath = join(emu.config.dataDir, 'results', `read-${job.id}.zip`);
    writeFileDurable(zipPath, Buffer.concat(chunks));
    return { count, moreRecords: more, nextPageToken: more ? randomBytes(16).toString('hex') : null, lastId, zipPath, error: null };
  }

  private fireCallback(id: string): void {
    const emu = this.emu();
    const job = emu.bulkReads.get(id);
    if (!job?.callbackUrl || job.callbackState !== 'pending') return;
    const body = JSON.stringify({ data: [bulkReadJobOut(emu, job)] });
    // No receiver secret: the emulator's own receiver takes Bulk Write job details only (decision 060).
    const p = deliverCallback(emu, job.callbackUrl, body, this.callbackAllowlist(), null)
      .then((state) => emu.bulkReads.setCallbackState(id, state))
      .catch(() => undefined);
    this.callbacks.add(p);
    void p.finally(() => this.callbacks.delete(p));
  }
}

function failed(message: string): BulkReadOutcome {
  return { count: 0, moreRecords: false, nextPageToken: null, lastId: null, zipPath: null, error: { code: 'INTERNAL_ERROR', message } };
}

/** A user's field (`Owner.email`) from the stored user id; empty when no such user. */
function userText(emu: Emulator, id: Cell, field: string): string {
  if (id === null) return '';
  const u = emu.users.byId(String(id));
  if (!u) return '';
  const v = (u as unknown as Record<string, unknown>)[field];
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : '';
}

/** One stored value as CSV text: checkboxes true/false, multi-select lists joined by `;`, ids and dates as stored. */
function cellText(v: Cell, dataType: string): string {
  if (v === null) return '';
  if (dataType === 'boolean') return v === 1 || v === '1' || v === 'true' ? 'true' : 'false';
  if (typeof v === 'string' && v.startsWith('[') && (dataType === 'multiselectpicklist' || dataType === 'multiselectlookup')) {
    try {
      const list = JSON.parse(v) as unknown;
      if (Array.isArray(list)) return list.map(String).join(';');
    } catch {
      // not a JSON list: keep the text
    }
  }
  return String(v);
}
