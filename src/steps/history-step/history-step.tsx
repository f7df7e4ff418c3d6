// History: past imports kept in this browser (job ids, module, counts, time — no row data, no token). Opening
// one shows its results; an unfinished one resumes tracking. A run of several modules is one group: its row, then a
// line per module in the order the run wrote them (decision 120).
import { formatDateTime, formatInt, operationLabel } from '../../lib/format.ts';
import { isRunFinished, runCounts, type HistoryRun } from '../../lib/history.ts';
import { useHistoryItems } from '../../lib/multi-history-store.ts';
import { GROUP_STATUS_WORDS, LINE_STATUS_WORDS, type RunGroupItem } from '../../lib/multi-history.ts';
import { StepFrame } from '../../components/step-frame/step-frame.tsx';

export function HistoryView(props: { onOpen: (runId: string) => void; onNewImport: () => void }) {
  const runs = useHistoryItems();
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
              {runs.map((item) =>
                item.kind === 'single' ? (
                  <SingleRow key={item.run.runId} r={item.run} onOpen={props.onOpen} />
                ) : (
                  <GroupRows key={item.id} g={item} onOpen={props.onOpen} />
                ),
              )}
            </tbody>
          </table>
        </div>
      )}
    </StepFrame>
  );
}

function SingleRow(props: { r: HistoryRun; onOpen: (runId: string) => void }) {
  const { r } = props;
  const c = runCounts(r);
  const finished = isRunFinished(r);
  return (
    <tr>
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
        {finished ? (r.jobs.some((j) => j.status === 'FAILED') ? 'Failed' : 'Finished') : r.jobs.some((j) => j.jobId === null) ? 'Not fully sent' : 'Running'}
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
}

/** One run of several modules: its own row (totals, state, Open), then a line per module, indented. */
function GroupRows(props: { g: RunGroupItem; onOpen: (runId: string) => void }) {
  const { g } = props;
  const modules = [...new Set(g.lines.map((l) => l.module))];
  return (
    <>
      <tr aria-label={`Run of several modules started ${formatDateTime(g.createdAt)}`}>
        <td>{formatDateTime(g.createdAt)}</td>
        <td>{modules.join(', ')}</td>
        <td>
          Insert <span className="badge">{formatInt(modules.length)} modules</span>
        </td>
        <td>
          <span className="truncate" style={{ maxWidth: 180 }} title={[...new Set(g.lines.map((l) => l.name))].join(', ')}>
            {[...new Set(g.lines.map((l) => l.name))].join(', ')}
          </span>
        </td>
        <td className="mono">{g.entries.flatMap((e) => e.jobs.map((j) => j.jobId ?? '—')).join(', ')}</td>
        <td className="num">{formatInt(g.counts.added)}</td>
        <td className="num">{formatInt(g.counts.updated)}</td>
        <td className="num">{formatInt(g.counts.skipped)}</td>
        <td>{GROUP_STATUS_WORDS[g.status]}</td>
        <td>
          <button
            type="button"
            className="btn btn--small"
            onClick={() => props.onOpen(g.id)}
            aria-label={`Open the run of several modules started ${formatDateTime(g.createdAt)}`}
          >
            Open
          </button>
        </td>
      </tr>
      {g.lines.map((l) => (
        <tr key={l.key} className="subtle" aria-label={`${l.module} from ${l.name}`}>
          <td />
          <td>
            ↳ {l.module}
            {l.entry ? <span className="subtle"> · {formatInt(l.rows)} rows</span> : null}
          </td>
          <td>{l.kind === 'self-link' ? 'Update (links)' : 'Insert'}</td>
          <td>
            <span className="truncate" style={{ maxWidth: 180 }} title={l.name}>
              {l.name}
            </span>
          </td>
          <td className="mono">{l.entry ? l.entry.jobs.map((j) => j.jobId ?? '—').join(', ') : '—'}</td>
          <td className="num">{formatInt(l.added)}</td>
          <td className="num">{formatInt(l.updated)}</td>
          <td className="num">{formatInt(l.skipped)}</td>
          <td>{LINE_STATUS_WORDS[l.status]}</td>
          <td />
        </tr>
      ))}
    </>
  );
}
