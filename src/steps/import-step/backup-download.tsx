// "Download backup" before Start import (update/upsert): the current values of every field the import will
// write, for every record it will touch, as an Excel-safe CSV that Undo reads back exactly (decision 100).
// By record id the ids are in the prepared files (records API); by another field the module is read with Bulk Read.
import { useState } from 'react';
import type { Connection } from '../../api/connection.ts';
import { describeApiError } from '../../api/errors.ts';
import { Banner } from '../../components/banner/banner.tsx';
import type { SplitResult } from '../../domain/jobs/types.ts';
import { backupCsv } from '../../domain/undo/backup-csv.ts';
import type { Destination } from '../../domain/wizard/wizard-state.ts';
import { saveBytes, safeFileName } from '../../lib/download.ts';
import { formatInt } from '../../lib/format.ts';
import { readBackupById, readBackupByMatch } from '../../lib/undo-backup.ts';

export function BackupDownload(props: { connection: Connection; destination: Destination; plan: SplitResult }) {
  const [state, setState] = useState<
    { kind: 'idle' } | { kind: 'reading'; done: number; total: number } | { kind: 'saved'; rows: number } | { kind: 'failed'; message: string }
  >({ kind: 'idle' });
  const { destination } = props;
  if (destination.operation === 'insert') return null;
  const findBy = destination.findBy ?? 'id';
  const byId = findBy === 'id';
  const download = async () => {
    setState({ kind: 'reading', done: 0, total: 0 });
    try {
      const zips = props.plan.jobs.map((j) => j.zip);
      const backup = byId
        ? await readBackupById(props.connection, destination.module, zips, { onProgress: (done, total) => setState({ kind: 'reading', done, total }) })
        : await readBackupByMatch(props.connection, destination.module, findBy, zips, {
            onProgress: (pages) => setState({ kind: 'reading', done: pages, total: 0 }),
          });
      saveBytes(
        backupCsv(backup),
        safeFileName(`backup-${destination.module}-${new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-')}.csv`),
        'text/csv;charset=utf-8',
      );
      setState({ kind: 'saved', rows: backup.rows.length });
    } catch (e) {
      setState({ kind: 'failed', message: describeApiError(e) });
    }
  };
  return (
    <div>
      <p>
        <button type="button" className="btn" disabled={state.kind === 'reading'} onClick={() => void download()}>
          Download backup
        </button>{' '}
        <span className="subtle">
          {state.kind === 'reading'
            ? byId
              ? `Reading the current values… ${formatInt(state.done)} of ${formatInt(state.total)}`
              : `Reading ${destination.module} with Bulk Read… ${formatInt(state.done)} page(s) read`
            : state.kind === 'saved'
              ? `Backup of ${formatInt(state.rows)} records saved.`
              : `The current values of the fields this import writes, so Undo can put them back. It holds CRM data: keep it safe.${byId ? '' : ` Records matched by ${findBy} are found with a Bulk Read of ${destination.module} (50 credits a job).`}`}
        </span>
      </p>
      {state.kind === 'failed' ? (
        <Banner tone="error" title="The backup could not be made">
          <p>{state.message}</p>
        </Banner>
      ) : null}
    </div>
  );
}
