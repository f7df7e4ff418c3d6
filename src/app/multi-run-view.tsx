// Import and Results of a run of several files (issue 11): the plan (modules in order, parents first, or the plan's
// refusal), the credits of the whole run before Start import, progress per module while runMultiModule sends, then
// one Results page with a section per module — counts, skipped and held-back rows with their reasons, the records
// written — and "Send held rows again" once a parent row is fixed (linked to what earlier sends wrote). Below, each
// send's result files per module and its undo, as History shows the run (multi-run-group.tsx, decision 120).
import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import type { Connection } from '../api/connection.ts';
import { describeApiError } from '../api/errors.ts';
import { usersQuery } from '../api/get-users.ts';
import { Banner } from '../components/banner/banner.tsx';
import { StepFrame } from '../components/step-frame/step-frame.tsx';
import type { SourceRow } from '../domain/csv/types.ts';
import { userColumnsOf } from '../steps/map-step/user-columns.ts';
import { resolveRun, type HeldRow, type RowState } from '../domain/multi/linking.ts';
import { runCost } from '../domain/multi/run-cost.ts';
import type { UserIdColumn } from '../domain/org-check/types.ts';
import { userIdColumn } from '../domain/org-check/users.ts';
import { CREDITS_PER_WRITE_JOB, planRun, type RunLink, type RunSource } from '../domain/multi/run-plan.ts';
import { formatInt } from '../lib/format.ts';
import { runMultiModule, type MultiRunInput, type SourceOutcome } from '../lib/multi-run.ts';
import { effectiveRows, type RowIndexes } from '../steps/review-step/review-model.ts';
import { MultiRunGroupBody, useRunGroup } from './multi-run-group.tsx';
import type { MultiSource } from './multi-source.ts';

/** What every send of this run so far has done to one file's rows. */
export interface SourceTally {
  added: number;
  updated: number;
  /** Row index → record id, for every row written by any send. */
  written: Map<number, string>;
  /** Rows Zoho CRM skipped in their latest send (and not written since), with why. */
  skipped: Map<number, { line: number; reason: string }>;
  /** Rows held back in the latest send: their parent row was not written. */
  held: HeldRow[];
  /** Rows written without their self-lookup (second pass), with why. */
  unlinked: HeldRow[];
  /** Rows whose self-lookup the second pass set (update by record id), over every send. */
  linked: number;
  /** The self-lookup's field label, when the module looks itself up. */
  linkLabel: string | null;
  problems: string[];
  /** The History groups (run ids) of the sends that wrote this file, first send first. */
  runs: string[];
}

export type RunTally = ReadonlyMap<string, SourceTally>;

const emptyTally = (): SourceTally => ({
  added: 0,
  updated: 0,
  written: new Map(),
  skipped: new Map(),
  held: [],
  unlinked: [],
  linked: 0,
  linkLabel: null,
  problems: [],
  runs: [],
});

function addOutcomes(tally: RunTally, outcomes: ReadonlyMap<string, SourceOutcome>, links: readonly RunLink[], runId: string): Map<string, SourceTally> {
  const next = new Map(tally);
  for (const [id, o] of outcomes) {
    const before = next.get(id) ?? emptyTally();
    const selfLabel = links.find((l) => l.self && l.childId === id)?.fieldLabel ?? null;
    const t: SourceTally = {
      added: before.added + o.result.counts.added,
      updated: before.updated + o.result.counts.updated,
      written: new Map(before.written),
      skipped: new Map(before.skipped),
      held: o.held,
      unlinked: o.selfLink?.held ?? [],
      linked: before.linked + (o.selfLink?.result.counts.updated ?? 0),
      linkLabel: before.linkLabel ?? selfLabel,
      problems: [...o.result.problems, ...(o.selfLink?.result.problems ?? [])].map((p) => p.message),
      runs: before.runs.includes(runId) ? before.runs : [...before.runs, runId],
    };
    for (const r of o.result.outcomes) {
      if ((r.status === 'ADDED' || r.status === 'UPDATED') && r.recordId !== null && r.recordId !== '') {
        t.written.set(r.rowIndex, r.recordId);
        t.skipped.delete(r.rowIndex);
      } else {
        const why = r.errors.map((e) => e.reason).join('; ');
        t.skipped.set(r.rowIndex, { line: r.line, reason: why === '' ? `${r.status.toLowerCase()} by Zoho CRM` : why });
      }
    }
    next.set(id, t);
  }
  return next;
}

/** One source of the run as Import and Results need it: a file of the run, or the missing parents to create. */
export interface RunItem {
  run: RunSource;
  /** The rows as they stand after Review's edits. */
  rows: readonly SourceRow[];
  /** Rows Review left in (not excluded), 0-based. */
  included: number[];
  excluded: ReadonlySet<number>;
  /** Rows Review predicts Zoho will skip (0-based): the whole-run cost holds their children back up front. */
  predictedSkips: RowIndexes;
}

/** The run items of the files of a multi-file run (those loaded and mapped). */
export function itemsOfSources(sources: readonly MultiSource[]): RunItem[] {
  return sources.flatMap((s) => {
    if (s.loaded.kind !== 'ready' || s.mapping === null) return [];
    const table = s.loaded.table;
    const rows = effectiveRows(table, s.edits);
    return [
      {
        run: { id: s.id, name: s.name, module: s.module, operation: 'insert', mapping: s.mapping, fields: s.fields, headers: table.headers },
        rows,
        included: rows.map((_, i) => i).filter((i) => !s.edits.excluded.has(i)),
        excluded: s.edits.excluded,
        predictedSkips: s.predictedSkips,
      },
    ];
  });
}

const rowsText = (n: number): string => `${formatInt(n)} ${n === 1 ? 'row' : 'rows'}`;

type Progress = { module: string; name: string; rows: number; kind: 'write' | 'self-link'; done: boolean }[];

export function MultiRunView(props: {
  connection: Connection;
  items: readonly RunItem[];
  phase: 'import' | 'results';
  tally: RunTally;
  onTally: (t: RunTally) => void;
  onBack: () => void;
  onFinished: () => void;
  /** Opens Review of that source to fix rows; without it Results offers no fixing (e.g. the created parents). */
  onFix?: ((sourceId: string) => void) | undefined;
  onNewImport: () => void;
}) {
  const { connection } = props;
  const prepared = props.items;
  const plan = useMemo(() => planRun(prepared.map((p) => p.run)), [prepared]);
  // Owner and user-lookup columns go out as user ids, exactly as in a single-file import (docs/org-apis.md A1): the
  // org's users are read when such a column is mapped, and each cell naming an active user (by id, e-mail or unique
  // name) is sent as that user's id; any other value goes as it is and Zoho skips the row (Map lists those values).
  const userColumns = useMemo(
    () =>
      prepared.map((p) => ({
        id: p.run.id,
        columns: userColumnsOf(p.run.mapping, p.run.fields).map((c) => ({
          column: c.column,
          defaultValue: c.defaultValue,
          label: `${p.run.name}: column ${c.column + 1} ("${p.run.headers[c.column] ?? ''}")`,
        })),
      })),
    [prepared],
  );
  const userColumnLabels = userColumns.flatMap((u) => u.columns.map((c) => c.label));
  const usersQ = useQuery(usersQuery(userColumnLabels.length > 0 ? connection : null));
  const usersBlocking = userColumnLabels.length > 0 && usersQ.data === undefined;
  const userIdsOf = (p: RunItem): UserIdColumn[] => {
    const users = usersQ.data;
    if (users === undefined) return [];
    return (userColumns.find((u) => u.id === p.run.id)?.columns ?? []).map((c) =>
      userIdColumn(
        c.column,
        p.rows.map((r) => r.cells[c.column] ?? ''),
        users,
        c.defaultValue,
      ),
    );
  };
  // A send that stopped (network, server) is sent again under the same run id: the jobs it already created are in
  // History under that id and are not created twice (src/lib/multi-run.ts).
  const [pendingRunId, setPendingRunId] = useState<string | null>(null);
  const [progress, setProgress] = useState<Progress | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const running = progress !== null && progress.some((p) => !p.done);

  const cost = useMemo(() => {
    if (!plan.ok) return null;
    // Review's predicted skips and excluded rows are the parents known not to be written; the rest will be.
    const base = new Map<string, Map<number, RowState>>();
    for (const p of prepared) {
      const m = new Map<number, RowState>();
      for (const i of p.predictedSkips) m.set(i, { kind: 'not-written', predicted: true, reason: 'Review predicts Zoho CRM skips it' });
      for (const i of p.excluded) m.set(i, { kind: 'not-written', predicted: true, reason: 'it is left out of this run' });
      base.set(p.run.id, m);
    }
    const byId = new Map(prepared.map((p) => [p.run.id, p]));
    const resolutions = resolveRun(
      plan.order,
      plan.links,
      (id) => byId.get(id)?.rows ?? [],
      base,
      'will-write',
      (id) => byId.get(id)?.included,
    );
    return runCost(plan.steps, resolutions);
  }, [plan, prepared]);

  /** One send of the run: `pick` chooses each file's rows; `known` is what earlier sends wrote. */
  const send = async (pick: (p: RunItem) => number[], known: Map<string, Map<number, RowState>>): Promise<void> => {
    if (!plan.ok) return;
    setFailure(null);
    const inputs: MultiRunInput[] = prepared.map((p) => ({ source: p.run, rows: p.rows, rowIndexes: pick(p), userIds: userIdsOf(p) }));
    // "multi-" marks these history entries: the single-file wizard never resumes one of them on reload.
    const runId = pendingRunId ?? `multi-${crypto.randomUUID()}`;
    setPendingRunId(runId);
    const seen: Progress = [];
    setProgress([]);
    try {
      const out = await runMultiModule(plan.steps, plan.links, inputs, {
        conn: connection,
        runId,
        now: () => new Date(),
        known,
        onStep: (step, rows) => {
          for (const p of seen) p.done = true;
          seen.push({ module: step.module, name: prepared.find((p) => p.run.id === step.sourceId)?.run.name ?? '', rows, kind: step.kind, done: false });
          setProgress([...seen]);
        },
      });
      for (const p of seen) p.done = true;
      setProgress([...seen]);
      setPendingRunId(null);
      props.onTally(addOutcomes(props.tally, out, plan.links, runId));
      props.onFinished();
    } catch (e) {
      setProgress(null);
      setFailure(e instanceof Error ? e.message : String(e));
    }
  };

  const progressList =
    progress !== null ? (
      <ol aria-label="Progress per module" aria-live="polite">
        {progress.map((p, i) => (
          <li key={i}>
            {p.module} ({p.name}): {p.kind === 'self-link' ? 'linking to records of the same file, ' : ''}
            {rowsText(p.rows)} {p.done ? '— done' : '— sending…'}
          </li>
        ))}
      </ol>
    ) : null;
  const failed = failure ? (
    <Banner tone="error" title="The run stopped">
      <p>{failure}</p>
      <p>
        Trying again sends what is left under the same run, without creating the jobs already created. Going back to change rows starts a new run, which sends
        every row again.
      </p>
    </Banner>
  ) : null;

  if (props.phase === 'import') {
    return (
      <StepFrame
        title="Import several modules"
        lead="The files are written in this order, parents first, so every lookup points at the record its parent row got."
        onBack={running ? undefined : props.onBack}
        primary={
          <button
            type="button"
            className="btn btn--primary"
            disabled={!plan.ok || usersBlocking || running}
            onClick={() => void send((p) => p.included, new Map())}
          >
            Start import
          </button>
        }
      >
        {userColumnLabels.length > 0 && usersQ.isError ? (
          <Banner tone="error" title="The org's users could not be read">
            <p>
              These columns fill user fields and are sent as user ids, read from the users API: {userColumnLabels.join('; ')}. {describeApiError(usersQ.error)}
            </p>
            <button type="button" className="btn btn--small" onClick={() => void usersQ.refetch()}>
              Retry
            </button>
          </Banner>
        ) : userColumnLabels.length > 0 && usersQ.isPending ? (
          <p className="subtle">Reading the org's users for the user columns…</p>
        ) : null}
        {!plan.ok ? (
          <Banner tone="error" title="This run cannot be planned">
            <ul>
              {plan.problems.map((p) => (
                <li key={p.message}>{p.message}</li>
              ))}
            </ul>
          </Banner>
        ) : (
          <>
            <ol aria-label="Run plan">
              {plan.steps.map((step) => {
                const p = prepared.find((x) => x.run.id === step.sourceId);
                const c = cost?.steps.find((s) => s.step === step);
                return (
                  <li key={`${step.sourceId}-${step.kind}-${step.kind === 'self-link' ? step.link.column : ''}`}>
                    {step.kind === 'write'
                      ? `${step.module} from ${p?.run.name ?? ''}: ${rowsText(c?.rows ?? 0)}`
                      : `${step.module}: ${step.link.fieldLabel} linked to records of the same file, ${rowsText(c?.rows ?? 0)}`}
                    , {formatInt(c?.jobs ?? 0)} {c?.jobs === 1 ? 'job' : 'jobs'}
                  </li>
                );
              })}
            </ol>
            {plan.links.length > 0 ? (
              <ul aria-label="Links between files">
                {plan.links.map((l) => (
                  <li key={`${l.childId}-${l.column}`}>
                    {l.childModule}.{l.fieldLabel} → {l.parentModule} by {l.findByLabel}
                  </li>
                ))}
              </ul>
            ) : null}
            {cost ? (
              <p aria-label="Credits for the whole run">
                Credits for the whole run: {formatInt(cost.jobs)} {cost.jobs === 1 ? 'job' : 'jobs'} × {CREDITS_PER_WRITE_JOB} = {formatInt(cost.credits)}{' '}
                credits.
                {cost.held > 0 ? ` ${formatInt(cost.held)} rows are held back before sending: their parent row will not be written.` : ''}
              </p>
            ) : null}
          </>
        )}
        {progressList}
        {failed}
      </StepFrame>
    );
  }

  const unwritten = (p: RunItem): number[] => {
    const t = props.tally.get(p.run.id);
    return p.included.filter((i) => !(t?.written.has(i) ?? false));
  };
  const toResend = prepared.reduce((n, p) => n + unwritten(p).length, 0);
  const known = new Map<string, Map<number, RowState>>(
    [...props.tally].map(([id, t]) => [id, new Map<number, RowState>([...t.written].map(([i, recordId]) => [i, { kind: 'written', recordId }]))]),
  );
  const ordered = plan.ok ? plan.order.flatMap((id) => prepared.filter((p) => p.run.id === id)) : prepared;
  return (
    <StepFrame
      title="Results"
      lead="One section per module, in the order they were written."
      secondary={
        <button type="button" className="btn" disabled={toResend === 0 || running} onClick={() => void send(unwritten, known)}>
          Send held rows again
        </button>
      }
      primary={
        <button type="button" className="btn btn--primary" disabled={running} onClick={props.onNewImport}>
          Start a new import
        </button>
      }
    >
      {ordered.map((p) => {
        const t = props.tally.get(p.run.id) ?? emptyTally();
        const lineOf = (i: number) => p.rows[i]?.line ?? i + 1;
        return (
          <section key={p.run.id} aria-label={`${p.run.module} results`} className="panel">
            <h3>
              {p.run.module} <span className="subtle">from {p.run.name}</span>
            </h3>
            <p>
              Added: {formatInt(t.added)} · Updated: {formatInt(t.updated)} · Skipped: {formatInt(t.skipped.size)} · Held back: {formatInt(t.held.length)}
            </p>
            {t.linkLabel !== null ? (
              <p>
                {t.linkLabel} linked in a second pass: {formatInt(t.linked)}
              </p>
            ) : null}
            {t.problems.length > 0 ? (
              <Banner tone="warning" title="Some results could not be matched to rows">
                <ul>
                  {t.problems.map((m) => (
                    <li key={m}>{m}</li>
                  ))}
                </ul>
              </Banner>
            ) : null}
            {t.skipped.size > 0 ? (
              <ul aria-label={`Skipped rows of ${p.run.name}`}>
                {[...t.skipped].map(([i, s]) => (
                  <li key={i}>
                    Line {s.line}: {s.reason}
                  </li>
                ))}
              </ul>
            ) : null}
            {t.held.length > 0 ? (
              <ul aria-label={`Held-back rows of ${p.run.name}`}>
                {t.held.map((h) => (
                  <li key={h.rowIndex}>
                    Line {h.line}: {h.reasons.join(' ')}
                  </li>
                ))}
              </ul>
            ) : null}
            {t.unlinked.length > 0 ? (
              <ul aria-label={`Rows of ${p.run.name} written without their link`}>
                {t.unlinked.map((h) => (
                  <li key={h.rowIndex}>
                    Line {h.line}: {h.reasons.join(' ')}
                  </li>
                ))}
              </ul>
            ) : null}
            {t.written.size > 0 ? (
              <details>
                <summary>Records written ({formatInt(t.written.size)})</summary>
                <ul aria-label={`Records written from ${p.run.name}`}>
                  {[...t.written].map(([i, id]) => (
                    <li key={i}>
                      Line {lineOf(i)}: record {id}
                    </li>
                  ))}
                </ul>
              </details>
            ) : null}
            {props.onFix && (t.skipped.size > 0 || t.held.length > 0) ? (
              <button type="button" className="btn btn--small" disabled={running} onClick={() => props.onFix?.(p.run.id)}>
                Fix rows of {p.run.name}
              </button>
            ) : null}
          </section>
        );
      })}
      {[...new Set([...props.tally.values()].flatMap((t) => t.runs))].map((id, n, all) => (
        <SendFiles key={id} connection={connection} runId={id} title={all.length === 1 ? 'Result files and undo' : `Result files and undo, send ${n + 1}`} />
      ))}
      {toResend > 0 ? (
        <p className="subtle">
          Fix the skipped parent rows above, then Send held rows again: the {formatInt(toResend)} rows not written yet are sent, and their lookups point at the
          records written before.
        </p>
      ) : null}
      {progressList}
      {failed}
    </StepFrame>
  );
}

/** One send of the run as History holds it: per module the result ZIP, the merged Excel-safe CSV, and the run's undo. */
function SendFiles(props: { connection: Connection; runId: string; title: string }) {
  const group = useRunGroup(props.runId);
  if (!group) return null;
  return (
    <section aria-label={props.title} className="stack">
      <h3 className="section-title">{props.title}</h3>
      <MultiRunGroupBody connection={props.connection} group={group} />
    </section>
  );
}
