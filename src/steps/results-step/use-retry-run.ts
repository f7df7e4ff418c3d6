// The skipped rows of a finished run as Results lets the user handle them: inline edits, exclusions, and "Retry
// skipped rows", which prepares only the rows still included (edits applied), records the retry as a new run
// nested under this one, and sends it with progress; a failure before the retry run exists can be retried.
import { useState } from 'react';
import type { Connection } from '../../api/connection.ts';
import { describeApiError } from '../../api/errors.ts';
import type { Operation } from '../../domain/fields/field-meta.ts';
import type { SourceRow } from '../../domain/csv/types.ts';
import { historyStore } from '../../lib/history-store.ts';
import type { HistoryRun } from '../../lib/history.ts';
import { runMemory, type RunMemory } from '../../lib/run-memory.ts';
import { newRunEntry, sendRun, type SendProgress } from '../../lib/send-run.ts';
import type { RetryApi } from './retry-plan.ts';

export type RetryState = { kind: 'idle' } | { kind: 'sending'; progress: SendProgress | null } | { kind: 'failed'; message: string; runId: string | null };

export interface RetryRun {
  edits: ReadonlyMap<number, string[]>;
  excluded: ReadonlySet<number>;
  /** The retry's own run once it exists (shown nested below). */
  retryRunId: string | null;
  state: RetryState;
  editCell: (rowIndex: number, col: number, value: string) => void;
  setIncluded: (rowIndex: number, included: boolean) => void;
  /** Sends the included rows (`toSend`) again with the planned operation. */
  start: (toSend: readonly { rowIndex: number; row: SourceRow }[]) => Promise<void>;
}

export function useRetryRun(p: {
  connection: Connection;
  run: HistoryRun | undefined;
  memory: RunMemory | undefined;
  retry: RetryApi | null;
  newRunId: () => string;
  plan: { operation: Operation; findBy: string | null };
}): RetryRun {
  const [edits, setEdits] = useState<ReadonlyMap<number, string[]>>(new Map());
  const [excluded, setExcluded] = useState<ReadonlySet<number>>(new Set());
  const [retryRunId, setRetryRunId] = useState<string | null>(null);
  const [state, setState] = useState<RetryState>({ kind: 'idle' });
  const { connection, run, memory, retry, plan } = p;

  const editCell = (rowIndex: number, col: number, value: string) => {
    const base = edits.get(rowIndex) ?? memory?.sourceRows[rowIndex]?.cells ?? [];
    const next = [...base];
    next[col] = value;
    setEdits(new Map(edits).set(rowIndex, next));
  };
  const setIncluded = (rowIndex: number, included: boolean) => {
    const s = new Set(excluded);
    if (included) s.delete(rowIndex);
    else s.add(rowIndex);
    setExcluded(s);
  };

  const start = async (toSend: readonly { rowIndex: number; row: SourceRow }[]) => {
    if (!retry || !memory || !run || toSend.length === 0) return;
    setState({ kind: 'sending', progress: null });
    let id: string | null = null;
    try {
      const split = await retry.prepare({
        rowIndexes: toSend.map((r) => r.rowIndex),
        edits: toSend.filter((r) => edits.has(r.rowIndex)).map((r) => ({ rowIndex: r.rowIndex, cells: edits.get(r.rowIndex) ?? [] })),
      });
      id = p.newRunId();
      const newId = id;
      const sourceRows = memory.sourceRows.map((r, i) => (edits.has(i) ? { line: r.line, cells: edits.get(i) ?? r.cells } : r));
      runMemory.set(newId, { ...memory, sentHeader: split.header, parts: split.jobs.map(({ zip: _zip, ...part }) => part), sourceRows });
      historyStore.put(
        newRunEntry({
          runId: newId,
          now: new Date(),
          connectionKind: connection.kind,
          apiDomain: connection.apiDomain,
          module: run.module,
          moduleLabel: run.moduleLabel,
          operation: plan.operation,
          findBy: plan.findBy,
          fileName: run.fileName,
          totalRows: split.totalRows,
          parts: split.jobs,
          retryOf: run.runId,
        }),
      );
      setRetryRunId(newId);
      await sendRun(
        connection,
        newId,
        split.jobs,
        (fileId) => retry.requestFor(fileId, plan.operation, plan.findBy),
        (progress) => setState({ kind: 'sending', progress }),
      );
      setState({ kind: 'idle' });
    } catch (e) {
      setState({ kind: 'failed', message: describeApiError(e), runId: id });
    }
  };

  return { edits, excluded, retryRunId, state, editCell, setIncluded, start };
}
