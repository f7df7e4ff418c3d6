// The confirmation dialog of a one-click column clean-up: what it does, before/after for the first changes, the
// values it cannot convert (left as they are), and Apply / Cancel. Nothing changes until Apply.
import { useEffect, useRef, useState } from 'react';
import { Banner } from '../../components/banner/banner.tsx';
import { ModalDialog } from '../../components/modal-dialog/modal-dialog.tsx';
import { ProgressBar } from '../../components/progress-bar/progress-bar.tsx';
import { TruncatedText } from '../../components/truncated-text/truncated-text.tsx';
import type { SourceRow } from '../../domain/csv/types.ts';
import { formatInt, plural } from '../../lib/format.ts';
import { Cancelled } from '../../lib/time-slices.ts';
import type { PackedFix } from '../../worker/column-fixes.ts';

export function FixDialog(props: {
  fix: PackedFix | null;
  headers: readonly string[];
  rows: readonly SourceRow[];
  /**
   * Applies the clean-up, reporting how many changes are done; resolves once applied (the caller closes the dialog),
   * rejects with `Cancelled` when `signal` is aborted (Cancel, or the dialog going away) with nothing changed.
   */
  onApply: (fix: PackedFix, onProgress: (done: number) => void, signal: AbortSignal) => Promise<void>;
  onClose: () => void;
}) {
  const { fix, headers, rows, onApply, onClose } = props;
  // While a large clean-up is applied in slices, the dialog stays open (modal: no other edit can slip in) with its
  // progress, and Cancel stops it.
  const [applying, setApplying] = useState<{ fix: PackedFix; done: number } | null>(null);
  // An apply that failed for another reason than a cancel (say the tab ran short of memory at a million cells): said
  // in the dialog, which stays open with nothing changed, rather than lost as an unhandled rejection.
  const [failed, setFailed] = useState<{ fix: PackedFix; message: string } | null>(null);
  const controller = useRef<AbortController | null>(null);
  useEffect(() => () => controller.current?.abort(), []);
  const shown = applying !== null && applying.fix === fix ? applying : null;
  const apply = (f: PackedFix): void => {
    controller.current?.abort();
    const ctrl = new AbortController();
    controller.current = ctrl;
    setApplying({ fix: f, done: 0 });
    setFailed(null);
    onApply(f, (done) => setApplying({ fix: f, done }), ctrl.signal).then(
      () => setApplying(null),
      (e: unknown) => {
        setApplying(null);
        if (!(e instanceof Cancelled)) setFailed({ fix: f, message: e instanceof Error ? e.message : String(e) });
      },
    );
  };
  const cancel = (): void => {
    controller.current?.abort();
    onClose();
  };
  // A row's file line for the before/after table; the fallback is the line a header-plus-rows file would give it.
  const lineOf = (row: number): string => formatInt(rows[row]?.line ?? row + 2);
  return (
    <ModalDialog title={fix ? `${fix.label} — ${headers[fix.column] ?? ''}` : ''} isOpen={fix !== null} onClose={cancel}>
      {fix ? (
        <>
          <p>{fix.summary}</p>
          {fix.note ? <p className="subtle">{fix.note}</p> : null}
          <div className="table-wrap" tabIndex={0} style={{ maxHeight: 300 }}>
            <table className="table before-after">
              <caption className="visually-hidden">Before and after</caption>
              <thead>
                <tr>
                  <th scope="col" className="num">
                    Line
                  </th>
                  <th scope="col">Before</th>
                  <th scope="col">After</th>
                </tr>
              </thead>
              <tbody>
                {fix.preview.map((c) => (
                  <tr key={c.row}>
                    <td className="num">{lineOf(c.row)}</td>
                    <td className="before">
                      <TruncatedText text={c.before} maxWidth={260} />
                    </td>
                    <td className="after">
                      <TruncatedText text={c.after} maxWidth={260} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {fix.changeCount > 50 ? <p className="subtle">…and {formatInt(fix.changeCount - 50)} more changes.</p> : null}
          {fix.unconvertibleCount > 0 ? (
            <Banner tone="warning" title={`${plural(fix.unconvertibleCount, 'value')} can’t be converted and stay as they are`} live={false}>
              <ul className="issue-list" tabIndex={0}>
                {fix.unconvertible.map((u) => (
                  <li key={u.row}>
                    Line {lineOf(u.row)}: “{u.value}” — {u.reason}
                  </li>
                ))}
              </ul>
            </Banner>
          ) : null}
          {failed !== null && failed.fix === fix ? (
            <Banner tone="error" title="The clean-up was not applied">
              Nothing was changed ({failed.message}). Apply it again, or close this and edit the cells by hand.
            </Banner>
          ) : null}
          {shown ? (
            <ProgressBar
              label="Applying the clean-up"
              value={shown.done}
              max={fix.changeCount}
              valueText={`${formatInt(shown.done)} of ${plural(fix.changeCount, 'cell')}`}
            />
          ) : null}
          <div className="row">
            <button type="button" className="btn btn--primary" onClick={() => apply(fix)} disabled={shown !== null}>
              Apply to {plural(fix.changeCount, 'cell')}
            </button>
            <button type="button" className="btn" onClick={cancel}>
              Cancel
            </button>
          </div>
        </>
      ) : null}
    </ModalDialog>
  );
}
