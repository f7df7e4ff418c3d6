// Uploads each prepared part and creates its job (lib/send-run saves every job id the moment it exists), with the
// upload's progress and retry waits; a failure says whether anything was imported, and Retry carries on with the
// parts that have no job yet. While ZIPs are going up, leaving the page asks first (bad-inputs #47).
import { useEffect, useRef, useState } from 'react';
import type { Connection } from '../../api/connection.ts';
import type { CreateJobRequestInput } from '../../api/contract/create-job.ts';
import { AuthError, describeApiError } from '../../api/errors.ts';
import type { RetryWait } from '../../api/retry.ts';
import type { JobPart } from '../../domain/jobs/types.ts';
import { historyStore } from '../../lib/history-store.ts';
import { sendRun } from '../../lib/send-run.ts';

export type Send =
  | { kind: 'idle' }
  | { kind: 'running'; part: number; phase: 'upload' | 'create'; loaded: number; total: number; wait: RetryWait | null }
  | { kind: 'failed'; message: string; auth: boolean; nothingImported: boolean }
  | { kind: 'done' };

export function useSendParts(
  connection: Connection,
  requestFor: (fileId: string) => CreateJobRequestInput,
): {
  send: Send;
  /** Sends the parts of run `id` that have no job yet; a second call while one runs is ignored. */
  sendAll: (id: string, parts: readonly JobPart[]) => Promise<void>;
} {
  const [send, setSend] = useState<Send>({ kind: 'idle' });
  const sending = useRef(false);

  useEffect(() => {
    if (send.kind !== 'running') return;
    const onUnload = (e: BeforeUnloadEvent) => {
      e.preventDefault();
      e.returnValue = '';
    };
    window.addEventListener('beforeunload', onUnload);
    return () => window.removeEventListener('beforeunload', onUnload);
  }, [send.kind]);

  const sendAll = async (id: string, parts: readonly JobPart[]) => {
    if (sending.current) return;
    sending.current = true;
    try {
      await sendRun(connection, id, parts, requestFor, (p) => setSend({ kind: 'running', ...p }));
      setSend({ kind: 'done' });
    } catch (e) {
      const r = historyStore.find(id);
      const anyJob = !!r && r.jobs.some((j) => j.jobId !== null);
      setSend({ kind: 'failed', message: describeApiError(e), auth: e instanceof AuthError, nothingImported: !anyJob });
    } finally {
      sending.current = false;
    }
  };
  return { send, sendAll };
}
