// History: past imports kept in this browser (job ids, module, counts, time — no row data, no token). Opening
// one shows its results; an unfinished one resumes tracking.
import { formatDateTime, formatInt, operationLabel } from '../../lib/format.ts';
import { useHistory } from '../../lib/history-store.ts';
import { isRunFinished, runCounts } from '../../lib/history.ts';
import { StepFrame } from '../../components/step-frame/step-frame.tsx';

export function HistoryView(props: { onOpen: (runId: string) => void; onNewImport: () => void }) {
  const runs = useHistory();
  return (
    <StepFrame
      title="Import history"
      lead="Imports started in this browser. Only job ids, counts and times are kept — never the rows or the access token."
      primary={
        <button type="button" className="btn btn--primary" onClick={props.onNewImport}>
          New import
        </button>
      }
    >
      {runs.length === 0 ? (
        <p className="empty">No imports yet. Your imports will be listed here, and unfinished ones resume after a reload.</p>
      ) : (
        <div className="table-wrap" tabIndex={0}>
          <table className="table">
            <caption className="visually-hidden">Past imports, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Started</th>
                <th scope="col">Module</th>
                <th scope="col">Operation</th>
                <th scope="col">File</th>
                <th scope="col">Job ids</th>
                <th scope="col" className="num">
                  Added
                </th>
                <th scope="col" className="num">
                  Updated
                </th>
                <th scope="col" className="num">
                  Skipped
                </th>
                <th scope="col">State</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {runs.map((r) => {
                const c = runCounts(r);
                const finished = isRunFinished(r);
                return (
                  <tr key={r.runId}>
                    <td>{formatDateTime(r.createdAt)}</td>
                    <td>{r.moduleLabel}</td>
                    <td>
                      {operationLabel(r.operation)}
                      {r.findBy ? ` by ${r.findBy}` : ''}
                      {r.retryOf ? <span className="badge">retry</span> : null}
                    </td>
                    <td>
                      <span className="truncate" style={{ maxWidth: 180 }} title={r.fileName}>
                        {r.fileName}
                      </span>
                    </td>
                    <td className="mono">{r.jobs.map((j) => j.jobId ?? '—').join(', ')}</td>
                    <td className="num">{formatInt(c.added)}</td>
                    <td className="num">{formatInt(c.updated)}</td>
                    <td className="num">{formatInt(c.skipped)}</td>
                    <td>
                      {finished
                        ? r.jobs.some((j) => j.status === 'FAILED')
                          ? 'Failed'
                          : 'Finished'
                        : r.jobs.some((j) => j.jobId === null)
                          ? 'Not fully sent'
                          : 'Running'}
                    </td>
                    <td>
                      <button
                        type="button"
                        className="btn btn--small"
                        onClick={() => props.onOpen(r.runId)}
                        aria-label={`Open the import started ${formatDateTime(r.createdAt)} into ${r.moduleLabel}`}
                      >
                        Open
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </StepFrame>
  );
}
