// "Download backup" before Start import (update/upsert): the current values of every field the import will
// write, for every record it will touch, as an Excel-safe CSV that Undo reads back exactly (decision 100).
// By record id the ids are in the prepared files; matching by another field needs the org check to know them.
import { useState } from 'react';
import type { Connection } from '../../api/connection.ts';
import { describeApiError } from '../../api/errors.ts';
import { Banner } from '../../components/banner/banner.tsx';
import type { SplitResult } from '../../domain/jobs/types.ts';
import { backupCsv } from '../../domain/undo/backup-csv.ts';
import type { Destination } from '../../domain/wizard/wizard-state.ts';
import { saveBytes, safeFileName } from '../../lib/download.ts';
import { formatInt } from '../../lib/format.ts';
import { readBackupById } from '../../lib/undo-backup.ts';

export function BackupDownload(props: { connection: Connection; destination: Destination; plan: SplitResult }) {
  const [state, setState] = useState<{ kind: 'idle' } | { kind: 'reading'; done: number; total: number } | { kind: 'saved'; rows: number } | { kind: 'failed'; message: string }>({ kind: 'idle' });
  const { destination } = props;
  if (destination.operation === 'insert') return null;
  if (destination.findBy !== 'id') {
    return (
      <p className="subtle">
        A backup of the old values is made from the org check when records are matched by {destination.findBy ?? 'a field'}. Without it, Undo can delete the records this import adds but cannot put back the ones it updates.
      </p>
    );
  }
  const download = async () => {
    setState({ kind: 'reading', done: 0, total: 0 });
    try {
      const backup = await readBackupById(props.connection, destination.module, props.plan.jobs.map((j) => j.zip), { onProgress: (done, total) => setState({ kind: 'reading', done, total }) });
      saveBytes(backupCsv(backup), safeFileName(`backup-${destination.module}-${new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-')}.csv`), 'text/csv;charset=utf-8');
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
          {state.kind === 'reading' ? `Reading the current values… ${formatInt(state.done)} of ${formatInt(state.total)}` : state.kind === 'saved' ? `Backup of ${formatInt(state.rows)} records saved.` : 'The current values of the fields this import writes, so Undo can put them back. It holds CRM data: keep it safe.'}
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
