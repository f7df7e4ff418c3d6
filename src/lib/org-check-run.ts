// Runs the org check: per module of the read plan, one Bulk Read job per page (create, poll, download the ZIP into
// the worker piece by piece, follow next_page_token), the next job asked for while a page downloads and downloaded
// while the worker still reads the last page (decision 172), and the users read while Zoho prepares the first; then
// asks the worker to predict every row. Cancellable at any await (AbortSignal); never throws for an API failure — it
// answers `failed` with words a person can act on (what failed, what to do) and drops the partial snapshot; Review
// says what still stands.
import { describeApiError, ApiError, AuthError, RateLimitError } from '../api/errors.ts';
import type { Connection } from '../api/connection.ts';
import { createBulkRead } from '../api/create-bulk-read.ts';
import { streamBulkRead } from '../api/download-bulk-read.ts';
import { BULK_READ_MAX_PAGE, type BulkReadJob } from '../api/contract/bulk-read.ts';
import { bulkReadPollDelay, fetchBulkRead, fetchBulkReadRetrying, isBulkReadDone } from '../api/get-bulk-read.ts';
import { fetchFields } from '../api/get-fields.ts';
import { fetchUsers } from '../api/get-users.ts';
import { pause, withRetry, type RetryWait } from '../api/retry.ts';
import type { ParsedTable } from '../domain/csv/types.ts';
import type { Operation } from '../domain/fields/field-meta.ts';
import type { FieldModel } from '../domain/fields/field-model.ts';
import { fieldModelFromMeta } from '../domain/fields/field-model.ts';
import type { Mapping } from '../domain/mapping/mapping.ts';
import { planOrgRead } from '../domain/org-check/plan.ts';
import { BULK_READ_JOB_CREDITS, type OrgReadPlan, type OrgUser } from '../domain/org-check/types.ts';
import { ImportCancelledError, type ImportClient } from '../worker/import-client.ts';
import { OrgCheckResult } from '../worker/org-result.ts';
import type { PackedEdits } from '../domain/jobs/packed-edits.ts';

export interface OrgCheckParams {
  connection: Connection;
  client: ImportClient;
  module: string;
  operation: Operation;
  findBy: string | null;
  ignoreEmpty: boolean;
  mapping: Mapping;
  /** Field models of the imported module. */
  fields: readonly FieldModel[];
  excluded: readonly number[];
  /** Review's edits, packed (see OrgPredictWire.edits); none when the rows are the table's. */
  edits?: PackedEdits;
  /** Names the rows of this prediction for a later one's `editsSince` (see OrgPredictWire). */
  rowsVersion?: number;
  /** `edits` are against the rows of the prediction with this version instead of the table. */
  editsSince?: number;
  /** The table under review, sent to the worker only when it does not hold it (as for client.validate). */
  table?: ParsedTable;
  /** Records per module when known, for the plan's page estimate. */
  knownRecords?: Readonly<Record<string, number>>;
  /**
   * The users the import resolves user cells with (the wizard's read on Map), so the check judges those cells against
   * the very list the rows are sent by (decision 175); null when that read failed (the cells then go as they stand, and
   * the check says nothing about them). Absent: the check reads the users itself.
   */
  users?: readonly OrgUser[] | null;
  /** Poll interval override (tests and the benchmark); default bulkReadPollDelay. */
  pollDelay?: (n: number) => number;
}

export type OrgCheckPhase = 'users' | 'fields' | 'create' | 'wait' | 'download' | 'index' | 'predict';

export interface OrgCheckProgress {
  phase: OrgCheckPhase;
  /** Bulk Read jobs finished / planned so far (grows when a module has more pages). */
  done: number;
  total: number;
  message: string;
}

export interface OrgCheckStats {
  jobs: number;
  credits: number;
  /**
   * Time the check spent polling Bulk Read jobs until they finished on the server, with nothing else to do
   * (excluded from check_ms in the benchmark). A job prepared while a page was downloaded and read is not waited for,
   * and a poll while the worker still reads an earlier page counts only from when it has read every page (decision 172).
   */
  waitMs: number;
  downloadMs: number;
  indexMs: number;
  predictMs: number;
  totalMs: number;
}

export type OrgCheckOutcome =
  | { kind: 'done'; result: OrgCheckResult; stats: OrgCheckStats }
  | { kind: 'failed'; message: string; stats: OrgCheckStats }
  | { kind: 'cancelled'; stats: OrgCheckStats };

export interface OrgCheckHooks {
  onProgress?: (p: OrgCheckProgress) => void;
  signal?: AbortSignal;
}

class Cancelled extends Error {}

async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (!(await pause(ms, signal))) throw new Cancelled();
}

/**
 * `work`, or Cancelled as soon as `signal` aborts: a worker's answer to a page's end does not stop for a cancel (the
 * page is read to its end), so the check stops waiting for it instead.
 */
function unlessAborted<T>(work: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return work;
  if (signal.aborted) return Promise.reject(new Cancelled());
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new Cancelled());
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

/** The optional row versions of a prediction request, present only when given. */
function versions(p: Pick<OrgCheckParams, 'rowsVersion' | 'editsSince'>): { rowsVersion?: number; editsSince?: number } {
  return { ...(p.rowsVersion !== undefined ? { rowsVersion: p.rowsVersion } : {}), ...(p.editsSince !== undefined ? { editsSince: p.editsSince } : {}) };
}

/** The read plan of these params (what Review shows before the user presses Run). */
export function planFor(p: Pick<OrgCheckParams, 'module' | 'operation' | 'findBy' | 'mapping' | 'fields' | 'knownRecords'>): OrgReadPlan {
  return planOrgRead({
    module: p.module,
    operation: p.operation,
    findBy: p.findBy,
    mapping: p.mapping,
    fields: p.fields,
    ...(p.knownRecords ? { knownRecords: p.knownRecords } : {}),
  });
}

function labelsOf(fields: readonly FieldModel[]): Map<string, string> {
  return new Map(fields.map((f) => [f.apiName, f.label]));
}

/**
 * Words for a failure, naming what failed and what to do. What still stands meanwhile (the file-only prediction, or
 * an earlier check's result) is for Review to say: it knows which of them it shows.
 */
export function describeOrgCheckFailure(err: unknown): string {
  if (err instanceof AuthError) return `The org check stopped: ${describeApiError(err)}`;
  if (err instanceof RateLimitError)
    return /\bdownload/.test(err.action)
      ? `The org check stopped: Zoho is still refusing downloads after waiting (${err.message}). Zoho allows 10 Bulk Read downloads a minute; run the check again in a minute.`
      : `The org check stopped: Zoho refused to ${err.action} — too many requests for now (${err.message}). Run the check again in a minute.`;
  if (err instanceof ApiError) return `The org check stopped: ${describeApiError(err)}`;
  return `The org check stopped: ${err instanceof Error ? err.message : String(err)}`;
}

/** What the worker is asked to predict: the same request for the first prediction and every re-prediction. */
function predictRequest(p: Omit<OrgCheckParams, 'connection' | 'pollDelay'>) {
  return {
    mapping: p.mapping,
    fields: [...p.fields],
    operation: p.operation,
    findBy: p.findBy,
    ignoreEmpty: p.ignoreEmpty,
    excluded: p.excluded,
    ...(p.edits ? { edits: p.edits } : {}),
    ...versions(p),
  };
}

/** A Bulk Read job's state in the words progress shows ("in progress", not "inprogress"). */
const STATE_WORDS: Record<string, string> = { ADDED: 'queued', QUEUED: 'queued', INPROGRESS: 'in progress' };

/** Runs of the check started in this tab: each names its snapshot, so its clean-up drops only its own. */
let checkRuns = 0;

/** Runs the whole check. See the module comment. */
export async function runOrgCheck(p: OrgCheckParams, h: OrgCheckHooks = {}): Promise<OrgCheckOutcome> {
  const started = performance.now();
  const run = ++checkRuns;
  const stats: OrgCheckStats = { jobs: 0, credits: 0, waitMs: 0, downloadMs: 0, indexMs: 0, predictMs: 0, totalMs: 0 };
  // Aborted by the caller's signal, and by a page whose reading failed: whatever the check then awaits (a wait for
  // Zoho to prepare the next page, a 429 pause before a download) stops at once and the page's failure is named.
  const stop = new AbortController();
  const outer = h.signal;
  const onOuterAbort = (): void => stop.abort();
  if (outer?.aborted) stop.abort();
  else outer?.addEventListener('abort', onOuterAbort, { once: true });
  const signal = stop.signal;
  const plan = planFor(p);
  let planned = plan.minJobs;
  const report = (phase: OrgCheckPhase, message: string) => h.onProgress?.({ phase, done: stats.jobs, total: planned, message });
  const check = () => {
    if (signal.aborted) throw new Cancelled();
  };
  const opt = { signal };
  const finish = <T extends OrgCheckOutcome>(o: T): T => {
    outer?.removeEventListener('abort', onOuterAbort);
    stats.totalMs = performance.now() - started;
    return o;
  };
  // What Zoho answered stops the run, with words: this run's snapshot goes, and the file-only prediction stands.
  const stopped = async (why: string): Promise<OrgCheckOutcome> => {
    await p.client.orgReset(run);
    return finish({ kind: 'failed', message: `The org check stopped: ${why}`, stats });
  };

  // The first page whose reading failed, and why: what the check names if it stops, whatever failed after it.
  const failedRead: { end: Promise<number> | null; error: unknown } = { end: null, error: undefined };
  try {
    // A fresh snapshot: whatever an earlier check held is gone before anything new is read.
    await p.client.orgReset();
    const reads = plan.modules.filter((m) => m.read);
    // One Bulk Read job at a time is asked for ahead of the page being read: while this page downloads and the
    // worker reads it, Zoho already prepares the next (the next page, or the next module's first) — decision 144.
    const create = async (readAt: number, token: string | null, page: number): Promise<{ readAt: number; page: number; jobId: string }> => {
      const m = reads[readAt]!;
      report('create', `Starting Bulk Read of ${m.module}${page > 1 ? ` (page ${page})` : ''}…`);
      const jobId = await createBulkRead(p.connection, { module: m.module, fields: m.fields, pageToken: token, page }, signal);
      stats.jobs += 1;
      stats.credits += BULK_READ_JOB_CREDITS;
      if (stats.jobs > planned) planned = stats.jobs;
      return { readAt, page, jobId };
    };
    let next = reads.length > 0 ? create(0, null, 1) : null;
    // A failure of a job asked for ahead is reported where it is awaited, not as an unhandled rejection meanwhile.
    next?.catch(() => undefined);

    // The users and the lookup targets' fields are read while Zoho prepares the first page.
    // A refused or failed read of the users or of a module's fields is waited out and asked again, with the wait
    // shown, as a job's status is: one 429 or network blip no longer ends the check.
    const retrying = <T>(what: string, phase: OrgCheckPhase, read: () => Promise<T>): Promise<T> =>
      withRetry(read, {
        signal,
        onWait: (w: RetryWait) =>
          report(
            phase,
            w.reason === 'rate-limit'
              ? `Zoho limits requests; reading ${what} again in ${Math.ceil(w.delayMs / 1000)} s…`
              : `Could not read ${what}; trying again in ${Math.ceil(w.delayMs / 1000)} s…`,
          ),
      });
    let users: OrgUser[] | null = null;
    if (plan.readsUsers && p.users !== undefined) users = p.users === null ? null : [...p.users];
    else if (plan.readsUsers) {
      report('users', 'Reading the users of the org…');
      users = await retrying('the users', 'users', () => fetchUsers(p.connection, 'AllUsers', signal));
    }
    check();
    const moduleFields: Record<string, FieldModel[]> = {};
    for (const m of plan.modules) {
      if (m.role !== 'lookup' || m.fields.length === 0) continue;
      report('fields', `Reading the fields of ${m.module}…`);
      moduleFields[m.module] = (await retrying(`the fields of ${m.module}`, 'fields', () => fetchFields(p.connection, m.module, signal))).map(
        fieldModelFromMeta,
      );
    }
    check();
    const target = plan.modules[0]!;
    await p.client.orgStart(
      {
        target: { module: target.module, fields: target.fields },
        lookups: plan.modules.slice(1).map((m) => ({ module: m.module, fields: m.fields })),
        moduleFields,
        users,
        check: run,
      },
      opt,
    );
    // The file's half of the prediction needs no org data: the worker works it out while Zoho prepares the Bulk
    // Read (decision 093). Its failure costs nothing: the prediction works it out then.
    const preparing = p.editsSince === undefined ? p.client.orgPrepare(predictRequest(p), opt, p.table).catch(() => undefined) : Promise.resolve();

    // The next job's first status, asked while the worker is still reading the page before it, so it is known by
    // the time that page is: a round trip less between pages (on Zoho, a few hundred ms a page).
    let firstStatus: Promise<BulkReadJob | null> | null = null;
    // A job's status: a refused or failed ask is waited out and asked again, with the wait shown.
    const statusOf = (jobId: string, module: string): Promise<BulkReadJob> =>
      fetchBulkReadRetrying(p.connection, jobId, {
        ...opt,
        onWait: (w: RetryWait) =>
          report(
            'wait',
            w.reason === 'rate-limit'
              ? `Zoho limits requests; asking for the status of ${module} again in ${Math.ceil(w.delayMs / 1000)} s…`
              : `Could not read the status of ${module}; asking again in ${Math.ceil(w.delayMs / 1000)} s…`,
          ),
      });
    // Pages handed to the worker, whose reading may not have ended: the next page is downloaded meanwhile (its pieces
    // wait in the worker behind the last page's end — decision 172).
    const reading: Promise<number>[] = [];
    // Pages still being read, and since when none is: a wait for Zoho counts as waiting (waitMs) only while the
    // worker has nothing left to read — time it spends reading is the check's own, whatever else is awaited then.
    const pageReads: { pending: number; idleSince: number } = { pending: 0, idleSince: performance.now() };
    while (next !== null) {
      const { readAt, page, jobId } = await next;
      next = null;
      const m = reads[readAt]!;
      check();
      const waitStart = performance.now();
      // null also when the early ask failed: the status is then asked (and its failures waited out) below.
      let job = firstStatus !== null ? await firstStatus : null;
      firstStatus = null;
      // The status asked during the page tail is stale when it was not done: ask again now, as before, rather than sleep on it.
      if (job === null || !isBulkReadDone(job)) job = await statusOf(jobId, m.module);
      for (let n = 0; !isBulkReadDone(job); n++) {
        report('wait', `Zoho is preparing ${m.module}${page > 1 ? ` page ${page}` : ''} (${STATE_WORDS[job.state] ?? job.state.toLowerCase()})…`);
        await sleep((p.pollDelay ?? bulkReadPollDelay)(n), signal);
        job = await statusOf(jobId, m.module);
      }
      const waitEnd = performance.now();
      if (pageReads.pending === 0) stats.waitMs += waitEnd - Math.max(waitStart, pageReads.idleSince);
      if (job.state === 'FAILURE') {
        const e = job.result?.error_message;
        return stopped(
          `Zoho could not read ${m.module} (Bulk Read job ${jobId} failed${e?.code ? `: ${e.code}` : ''}${e?.message ? ` — ${e.message}` : ''}). Run the check again later.`,
        );
      }
      const more = job.result?.more_records === true;
      const token = job.result?.next_page_token ?? '';
      // More records and no token (Zoho's page-number paging): the next page is asked for by its number, which Zoho
      // takes up to BULK_READ_MAX_PAGE; past that nothing can read further, and a check that stopped there would
      // predict the rows of the unread records as new ones.
      if (more && token === '' && page + 1 > BULK_READ_MAX_PAGE)
        return stopped(
          `Zoho said ${m.module} has more records after page ${page} but gave no page token, and pages past ${BULK_READ_MAX_PAGE} can only be read with one. Rather than predict the rows of the records it cannot read as new ones, the check stops; the file-only prediction still stands. Run the check again later, or import without it.`,
        );
      // No further job (50 credits) before the page before this one has been read: a broken page stops the check with
      // at most one job asked for ahead, as always, and at most one page waits in the worker behind another.
      const lastRead = reading.at(-1);
      if ((more || readAt + 1 < reads.length) && lastRead !== undefined) await unlessAborted(lastRead, signal);
      if (more) {
        if (stats.jobs >= planned) planned = stats.jobs + 1;
        next = create(readAt, token === '' ? null : token, page + 1);
      } else if (readAt + 1 < reads.length) next = create(readAt + 1, null, 1);
      next?.catch(() => undefined);

      // A page already known to be broken: nothing more is downloaded.
      if (failedRead.end !== null) await failedRead.end;
      // A page of no records (an empty module) has nothing to read: no download (one of Zoho's 10 a minute).
      if (job.result?.count === 0 && !more) continue;
      report('download', `Downloading and reading ${m.module}${page > 1 ? ` page ${page}` : ''}…`);
      const dl = performance.now();
      // The worker takes each piece as it arrives and reads the page meanwhile: the main thread keeps no copy.
      const upload = p.client.orgPageStream(m.module, job.result?.count ?? undefined);
      // Zoho's 204 for an empty result: a page of no records, nothing for the worker to read (its attempt is begun all
      // the same, so what an earlier, failed attempt of this page had read is taken out).
      let empty = false;
      await streamBulkRead(p.connection, jobId, job.result?.download_url, {
        ...opt,
        onStart: (status) => {
          empty = status === 204;
          upload.begin();
        },
        onChunk: (bytes) => upload.push(bytes),
        onWait: (w: RetryWait) =>
          report(
            'download',
            w.reason === 'rate-limit'
              ? `Zoho limits Bulk Read downloads; waiting ${Math.ceil(w.delayMs / 1000)} s…`
              : `Download failed; retrying in ${Math.ceil(w.delayMs / 1000)} s…`,
          ),
      });
      stats.downloadMs += performance.now() - dl;
      check();
      if (next !== null) {
        // One plain ask: a failure of it only means the status is asked again at the top of the loop.
        firstStatus = next.then((n) => fetchBulkRead(p.connection, n.jobId, signal)).catch(() => null);
      }
      if (empty) {
        // An empty answer for a page Zoho counted records in would read as a page of none, and their rows as new ones.
        if ((job.result?.count ?? 0) > 0)
          return stopped(
            `Zoho answered the download of ${m.module}${page > 1 ? ` page ${page}` : ''} (Bulk Read job ${jobId}, ${job.result!.count!} records) with no content. Run the check again later.`,
          );
        continue;
      }
      const end = upload.end(opt);
      pageReads.pending++;
      end.then(
        () => {
          if (--pageReads.pending === 0) pageReads.idleSince = performance.now();
        },
        (e: unknown) => {
          if (--pageReads.pending === 0) pageReads.idleSince = performance.now();
          // A worker that went away (disposed, restarted by a cancelled parse) is a cancel, not a broken page.
          if (failedRead.end === null && !(e instanceof ImportCancelledError)) {
            failedRead.end = end;
            failedRead.error = e;
          }
          stop.abort();
        },
      );
      reading.push(end);
    }
    if (reading.length > 0) {
      report('index', `Indexing ${reads[reads.length - 1]!.module}…`);
      const ix = performance.now();
      // A cancel is heard at once: the catch below drops the snapshot, and the worker's queued pages with it.
      for (const end of reading) await unlessAborted(end, signal);
      stats.indexMs += performance.now() - ix;
    }

    await preparing;
    check();
    report('predict', 'Comparing every row with the org…');
    const pr = performance.now();
    const packed = await p.client.orgPredict(predictRequest(p), opt, p.table);
    stats.predictMs += performance.now() - pr;
    // The worker answers a prediction it had begun even when the run was cancelled meanwhile: that answer is not shown.
    check();
    if (packed === null)
      return finish({ kind: 'failed', message: 'The org check lost its copy of the org (the import worker restarted). Run the check again.', stats });
    return finish({ kind: 'done', result: new OrgCheckResult(packed, { plan, module: p.module, operation: p.operation, labels: labelsOf(p.fields) }), stats });
  } catch (err) {
    // A cancel by the caller is a cancel; a stop because a page could not be read names that page's failure.
    const aborted =
      outer?.aborted === true ||
      (failedRead.end === null && (err instanceof Cancelled || err instanceof ImportCancelledError || (err instanceof ApiError && err.kind === 'aborted')));
    // A partial snapshot would predict wrongly: drop it whatever went wrong.
    // Only this run's: a newer run may have started its own copy while this one stopped.
    await p.client.orgReset(run).catch(() => undefined);
    if (aborted) return finish({ kind: 'cancelled', stats });
    return finish({ kind: 'failed', message: describeOrgCheckFailure(failedRead.end !== null ? failedRead.error : err), stats });
  }
}

/**
 * Predicts again against the snapshot the worker still holds (after grid edits, exclusions, a changed mapping of
 * the same fields); null when it holds none — run the check again. Reads nothing from the org.
 */
export async function repredictOrg(p: Omit<OrgCheckParams, 'connection' | 'pollDelay'>, h: OrgCheckHooks = {}): Promise<OrgCheckResult | null> {
  const packed = await p.client.orgPredict(predictRequest(p), h.signal ? { signal: h.signal } : {}, p.table);
  if (packed === null) return null;
  return new OrgCheckResult(packed, { plan: planFor(p), module: p.module, operation: p.operation, labels: labelsOf(p.fields) });
}
