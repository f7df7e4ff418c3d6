// "Check against the org" on Review: the switch, what the check will read and what it costs (before anything is
// read), a determinate progress bar with Cancel while it runs, and how it ended (done, cancelled, failed — then the
// panel says what still stands: the file-only prediction, or the result of an earlier check that is still shown).
// Presentational: the parent runs the check.
import { Banner } from '../banner/banner.tsx';
import { ProgressBar } from '../progress-bar/progress-bar.tsx';
import { SwitchField } from '../switch-field/switch-field.tsx';

/** One module the check reads, with the fields it asks for (API names, in request order). */
export interface OrgReadLine {
  module: string;
  fields: readonly string[];
  /** Bulk Read jobs this module needs at least (one per 200,000 records). */
  jobs: number;
}

export type OrgCheckStatus =
  | { kind: 'ready' }
  | { kind: 'running'; phase: string; done: number; total: number | null }
  | { kind: 'done'; summary: string }
  /** `earlier`: an earlier check's result is still shown (this run did not replace it). */
  | { kind: 'cancelled'; earlier: boolean }
  /** `message`: what failed and what to do; `earlier` as for cancelled. */
  | { kind: 'failed'; message: string; earlier: boolean }
  /** A check was held, but the rows changed and it can no longer be applied to them: run it again. */
  | { kind: 'stale'; message: string };

const fmt = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });

/** What stands after a run that did not finish, when an earlier check's result is still shown. */
export const EARLIER_RESULT_STANDS =
  'The result of the earlier check still shows below, as that check read the org. Its copy of the org went when this run started, so the first edit or exclusion withdraws that result: run the check again to compare the rows as they stand.';
/** …and when none is: the prediction from the file alone. */
export const FILE_ONLY_STANDS =
  'The check found nothing wrong or right yet: the prediction from the file alone still stands, and you can import without the check.';

export function OrgCheckPanel(props: {
  enabled: boolean;
  onEnabledChange: (on: boolean) => void;
  reads: readonly OrgReadLine[];
  /** The users list is read too (owner or user-lookup columns are mapped, or the check needs them). */
  readsUsers: boolean;
  creditsPerJob: number;
  status: OrgCheckStatus;
  onStart: () => void;
  onCancel: () => void;
}) {
  const { status } = props;
  const jobs = props.reads.reduce((n, r) => n + r.jobs, 0);
  const credits = jobs * props.creditsPerJob;
  const cost = `${fmt.format(jobs)} Bulk Read ${jobs === 1 ? 'job' : 'jobs'} × ${fmt.format(props.creditsPerJob)} credits = ${fmt.format(credits)} credits`;
  return (
    <section className="org-check" aria-labelledby="org-check-title">
      <h3 className="visually-hidden" id="org-check-title">
        Check against the org
      </h3>
      <SwitchField
        label="Check against the org"
        isSelected={props.enabled}
        onChange={props.onEnabledChange}
        isDisabled={status.kind === 'running'}
        hint={
          props.enabled
            ? 'Reads what the org already holds, so Review can say which rows will be added, updated or skipped and what each update changes. Nothing is written, and what is read stays in this tab’s memory.'
            : 'Off: only the file is checked; nothing is read from the org.'
        }
      />
      {props.enabled ? (
        <>
          <div className="stack" aria-label="What the check reads" role="group">
            <p className="subtle" style={{ margin: 0 }}>
              It reads, with {cost} (at least one more job per further 200,000 records; each status check and download is one API credit more):
            </p>
            <ul className="org-check__plan">
              {props.reads.map((r) => (
                <li key={r.module}>
                  <strong>{r.module}</strong>:{' '}
                  {r.fields.map((f, i) => (
                    <span key={f}>
                      {i > 0 ? ', ' : ''}
                      <code>{f}</code>
                    </span>
                  ))}
                </li>
              ))}
              {props.readsUsers ? (
                <li>
                  <strong>Users</strong>: the users list (one API credit a page of 200 users)
                </li>
              ) : null}
            </ul>
          </div>
          {status.kind === 'running' ? (
            <div className="row" style={{ alignItems: 'flex-end' }}>
              <div style={{ flex: 1, minWidth: 240 }}>
                <ProgressBar
                  label="Checking against the org"
                  value={status.done}
                  max={status.total ?? 0}
                  indeterminate={status.total === null}
                  valueText={status.total === null ? status.phase : `${status.phase} — ${fmt.format(status.done)} of ${fmt.format(status.total)}`}
                />
              </div>
              <button type="button" className="btn btn--small" onClick={props.onCancel}>
                Cancel the check
              </button>
            </div>
          ) : (
            <div className="row">
              <button type="button" className="btn" onClick={props.onStart}>
                {status.kind === 'done' || status.kind === 'stale' || ((status.kind === 'failed' || status.kind === 'cancelled') && status.earlier)
                  ? `Check again (${fmt.format(credits)} credits)`
                  : `Run the check (${fmt.format(credits)} credits)`}
              </button>
              {status.kind === 'done' ? (
                <p className="subtle" role="status" style={{ margin: 0 }}>
                  {status.summary}
                </p>
              ) : null}
              {status.kind === 'cancelled' ? (
                <p className="subtle" role="status" style={{ margin: 0 }}>
                  Check cancelled: nothing was kept from it. {status.earlier ? EARLIER_RESULT_STANDS : 'The file-only prediction below still stands.'}
                </p>
              ) : null}
            </div>
          )}
          {status.kind === 'stale' ? (
            <Banner tone="warning" title="The org check is out of date">
              <p>{status.message}</p>
            </Banner>
          ) : null}
          {status.kind === 'failed' ? (
            <Banner tone="warning" title="The check against the org did not finish">
              <p>{status.message}</p>
              <p>{status.earlier ? EARLIER_RESULT_STANDS : FILE_ONLY_STANDS}</p>
            </Banner>
          ) : null}
        </>
      ) : null}
    </section>
  );
}
