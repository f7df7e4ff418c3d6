// A run of several modules as History holds it (issue 11 item 5): a line per module in the order the run wrote them,
// then each module's own outcome — live tracking (after a reload too), Zoho's result ZIP, the merged Excel-safe CSV
// and its rows not written joined to the file's rows while this tab holds them — and "Undo the whole run", children
// first. Steps a reload cut off are named with what to do: their rows lived only in the closed tab (S9). Decision 120.
import { useEffect, useState } from 'react';
import type { Connection } from '../api/connection.ts';
import { describeApiError } from '../api/errors.ts';
import { Banner } from '../components/banner/banner.tsx';
import { ModalDialog } from '../components/modal-dialog/modal-dialog.tsx';
import { ProgressBar } from '../components/progress-bar/progress-bar.tsx';
import { StepFrame } from '../components/step-frame/step-frame.tsx';
import { groupConfirmationText } from '../domain/undo/group-plan.ts';
import { formatDateTime, formatInt } from '../lib/format.ts';
import { historyStore } from '../lib/history-store.ts';
import type { HistoryRun } from '../lib/history.ts';
import { useHistoryItems } from '../lib/multi-history-store.ts';
import { GROUP_STATUS_WORDS, LINE_STATUS_WORDS, type RunGroupItem } from '../lib/multi-history.ts';
import { runMemory } from '../lib/run-memory.ts';
import { resumePendingCreates } from '../lib/send-run.ts';
import { RunOutcome } from '../steps/results-step/run-outcome.tsx';
import { UndoConfirmBody } from '../steps/results-step/undo-panel.tsx';
import { useGroupUndo } from './use-group-undo.ts';

export function useRunGroup(groupId: string): RunGroupItem | undefined {
  return useHistoryItems().find((i): i is RunGroupItem => i.kind === 'group' && i.id === groupId);
}

/** The group opened from History, or on page load while its jobs are still running. */
export function MultiRunGroupView(props: { connection: Connection; groupId: string; onNewImport: () => void }) {
  const group = useRunGroup(props.groupId);
  return (
    <StepFrame
      title={group?.status === 'running' ? 'Run of several modules in progress' : 'Run of several modules'}
      lead={group ? `Started ${formatDateTime(group.createdAt)} · ${GROUP_STATUS_WORDS[group.status]}` : undefined}
      primary={
        <button type="button" className="btn" onClick={props.onNewImport}>
          New import
        </button>
      }
    >
      {group ? <MultiRunGroupBody connection={props.connection} group={group} /> : <p className="empty">This run is not in this browser’s history.</p>}
    </StepFrame>
  );
}

const rowsText = (n: number): string => `${formatInt(n)} ${n === 1 ? 'row' : 'rows'}`;

export function MultiRunGroupBody(props: { connection: Connection; group: RunGroupItem }) {
  const { connection, group } = props;
  const resume = useResumeCreates(connection, group.entries);
  const running = group.lines.some((l) => l.status === 'running' || l.status === 'waiting');
  return (
    <div className="stack">
      <ol aria-label="Modules of this run">
        {group.lines.map((l) => (
          <li key={l.key}>
            {l.module} from {l.name}
            {l.kind === 'self-link' ? ' (lookups to the same file)' : ''}: {l.entry ? `${rowsText(l.rows)} · ` : ''}
            {l.entry ? `added ${formatInt(l.added)} · updated ${formatInt(l.updated)} · skipped ${formatInt(l.skipped)} · ` : ''}
            {LINE_STATUS_WORDS[l.status]}
          </li>
        ))}
      </ol>
      {group.notSent.length > 0 ? (
        <Banner tone="warning" title="Part of this run was not sent">
          <ul>
            {group.notSent.map((s) => (
              <li key={`${s.sourceId}-${s.kind}`}>
                {s.module} from {s.name}
                {s.kind === 'self-link' ? ' (its lookups to records of the same file)' : ''}:{' '}
                {s.state === 'waiting' ? 'never sent' : 'only part of it was sent'}.
              </li>
            ))}
          </ul>
          <p>
            The page was reloaded or closed before its turn, and the rows lived only in that tab (they are never stored). Nothing of it was written twice. To
            send it, pick the file again in a new import of that module on its own: its lookups can now find the parents this run wrote by their name (Lookup by
            on Map), since those records exist in the org.
          </p>
        </Banner>
      ) : null}
      {resume.map((r) =>
        r.lost > 0 || r.unknown > 0 || r.error ? (
          <Banner key={r.runId} tone="error" title={`Part of ${r.module} was not sent`}>
            {r.lost > 0 ? <p>{r.lost} job(s) never finished uploading before the page was closed or reloaded: none of their rows were imported.</p> : null}
            {r.unknown > 0 ? (
              <p>{r.unknown} job(s) were being created when the page closed; Zoho may or may not have created them. Check the Bulk Write jobs in Zoho CRM.</p>
            ) : null}
            {r.error ? <p>{r.error}</p> : null}
          </Banner>
        ) : null,
      )}
      {group.entries.map((e) => (
        <section key={e.runId} className="panel" aria-label={`${e.moduleLabel} from ${e.fileName}`} style={{ boxShadow: 'none' }}>
          <h3 className="section-title">
            {e.moduleLabel} <span className="subtle">from {e.fileName}</span>
            {e.operation === 'update' ? <span className="subtle"> · lookups to the same file, second pass</span> : null}
          </h3>
          <RunOutcome
            connection={connection}
            runId={e.runId}
            retry={null}
            newRunId={() => ''}
            depth={0}
            noMemoryText={`This tab no longer holds the rows of ${e.fileName} (the page was reloaded), so its skipped rows can’t be joined back or sent again from here. Download the result ZIP to see them; to send them again, pick ${e.fileName} again in a new import.`}
          />
        </section>
      ))}
      {!running && group.entries.length > 0 ? <GroupUndoPanel connection={connection} group={group} /> : null}
    </div>
  );
}

/** After a reload this tab sends nothing itself: creates that were in flight are finished with the same key. */
function useResumeCreates(
  connection: Connection,
  entries: readonly HistoryRun[],
): { runId: string; module: string; lost: number; unknown: number; error: string | null }[] {
  const [out, setOut] = useState<{ runId: string; module: string; lost: number; unknown: number; error: string | null }[]>([]);
  const pending = entries
    .filter((e) => runMemory.get(e.runId) === undefined && e.phase !== 'stopped' && e.jobs.some((j) => j.jobId === null))
    .map((e) => e.runId)
    .join(',');
  useEffect(() => {
    for (const runId of pending.split(',').filter(Boolean)) {
      const module = historyStore.find(runId)?.moduleLabel ?? '';
      resumePendingCreates(connection, runId)
        .then((o) => setOut((x) => [...x.filter((y) => y.runId !== runId), { runId, module, lost: o.lost, unknown: o.unknown, error: null }]))
        .catch((err: unknown) => setOut((x) => [...x.filter((y) => y.runId !== runId), { runId, module, lost: 0, unknown: 0, error: describeApiError(err) }]));
    }
  }, [connection, pending]);
  return out;
}

function GroupUndoPanel(props: { connection: Connection; group: RunGroupItem }) {
  const { group } = props;
  const undo = useGroupUndo({ connection: props.connection, groupId: group.id, entries: group.entries, finished: true });
  const { phase, plan } = undo;
  const touched = plan ? plan.deletes + plan.restores : 0;
  return (
    <section className="section" aria-labelledby={`undo-group-${group.id}`}>
      <h2 className="section-title" id={`undo-group-${group.id}`}>
        Undo the whole run
      </h2>
      {undo.fetchError ? (
        <Banner tone="error" title="A result file could not be downloaded">
          <p>{describeApiError(undo.fetchError)}</p>
        </Banner>
      ) : null}
      {undo.problems.map((m) => (
        <Banner key={m} tone="error" title="A result file cannot be used for an undo">
          <p>{m}</p>
        </Banner>
      ))}
      {!undo.ready ? <p className="subtle">Fetching the result files…</p> : null}
      {plan && (phase.kind === 'idle' || phase.kind === 'checking') ? (
        <p>
          <button type="button" className="btn" disabled={touched === 0 || phase.kind === 'checking'} onClick={() => void undo.start()}>
            {phase.kind === 'checking' ? 'Checking the records…' : 'Undo the whole run'}
          </button>{' '}
          {touched === 0 ? (
            <span className="subtle">This run added no record that can be undone.</span>
          ) : (
            <span className="subtle">Children are deleted before the parents they point at, module by module.</span>
          )}
        </p>
      ) : null}
      {phase.kind === 'running' ? (
        <ProgressBar
          label={`Undoing the run: ${phase.module}`}
          value={phase.done}
          max={phase.total}
          valueText={`${formatInt(phase.done)} of ${formatInt(phase.total)} records`}
        />
      ) : null}
      {phase.kind === 'error' ? (
        <Banner tone="error" title="The undo stopped">
          <p>{phase.message}</p>
          <button type="button" className="btn" onClick={undo.retry}>
            Retry undo
          </button>
        </Banner>
      ) : null}
      {phase.kind === 'finished' ? (
        <div>
          {(() => {
            const failed = phase.outcome.reports.reduce((n, r) => n + r.report.counts.failed + r.report.counts.pending, 0);
            const stopped = phase.outcome.stoppedBefore;
            return (
              <Banner
                tone={failed > 0 || stopped ? 'warning' : 'success'}
                title={failed > 0 || stopped ? 'The undo of the run is not complete' : 'Undo of the whole run finished'}
              >
                <ul aria-label="Undo per module">
                  {phase.outcome.reports.map((r) => (
                    <li key={r.id}>
                      {r.module}: {formatInt(r.report.counts.undone)} undone · {formatInt(r.report.counts.failed)} failed ·{' '}
                      {formatInt(r.report.counts['left-alone'])} left alone · {formatInt(r.report.counts.cannot)} cannot be undone
                    </li>
                  ))}
                </ul>
                {stopped ? <p>{stopped.because}</p> : null}
                {failed > 0 || stopped ? (
                  <button type="button" className="btn" onClick={undo.retry}>
                    Retry undo
                  </button>
                ) : null}
              </Banner>
            );
          })()}
        </div>
      ) : null}
      <ModalDialog title="Undo the whole run?" isOpen={phase.kind === 'confirm'} onClose={undo.cancel}>
        {phase.kind === 'confirm' && plan ? (
          <UndoConfirmBody text={groupConfirmationText(plan)} changed={phase.changed} what="run" onConfirm={undo.confirm} onCancel={undo.cancel} />
        ) : null}
      </ModalDialog>
    </section>
  );
}
