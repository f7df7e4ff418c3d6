// Review's "Check against the org" block: the panel (switch, plan and cost, progress, Cancel), then what the check
// found — Will add · will update · will skip, one plain line per flagged row, and for update/upsert What will
// change (counts per field, the filter, exclude unchanged rows, and a read-only grid of old → new per record).
import { useMemo } from 'react';
import { ChangeSummary } from '../../components/change-summary/change-summary.tsx';
import { DataGrid } from '../../components/data-grid/data-grid.tsx';
import type { GridRow } from '../../components/data-grid/grid-model.ts';
import { OrgCheckPanel, type OrgCheckStatus } from '../../components/org-check-panel/org-check-panel.tsx';
import { OrgFindings, type OrgFinding } from '../../components/org-findings/org-findings.tsx';
import { OutcomeLine } from '../../components/outcome-line/outcome-line.tsx';
import type { SourceRow } from '../../domain/csv/types.ts';
import type { FieldModel } from '../../domain/fields/field-model.ts';
import { formatInt, plural } from '../../lib/format.ts';
import {
  changeCounts,
  changeText,
  changingRows,
  isFresh,
  unchangedMatchedRows,
  type RowList,
  type HeldOrgCheck,
  type OrgCheckPlanView,
  type PredictedOutcome,
} from './org-check-model.ts';

const FINDINGS_SHOWN = 50;

export function OrgCheckSection(props: {
  plan: OrgCheckPlanView;
  enabled: boolean;
  onEnabledChange: (on: boolean) => void;
  status: OrgCheckStatus;
  onStart: () => void;
  onCancel: () => void;
  held: HeldOrgCheck | null;
  rows: readonly SourceRow[];
  excluded: ReadonlySet<number>;
  outcome: PredictedOutcome;
  operation: 'insert' | 'update' | 'upsert';
  fields: readonly FieldModel[];
  /** Any mapped column with "ignore empty" on: its empty cells keep the org's value (never shown as a change). */
  ignoresEmpty: boolean;
  onlyChanging: boolean;
  onOnlyChangingChange: (on: boolean) => void;
  onExclude: (rowIndexes: RowList) => void;
  /** Rows changed since the held check and their re-prediction against the same read has not landed yet. */
  updating: boolean;
}) {
  const { held, rows, excluded, enabled } = props;
  const labels = useMemo(() => new Map(props.fields.map((f) => [f.apiName, f.label])), [props.fields]);
  const shown = enabled ? held : null;

  // Every flagged row counts; only the first FINDINGS_SHOWN are built into lines (the grid holds the rest).
  const findings = useMemo(() => {
    if (!shown) return { total: 0, lines: [] as OrgFinding[] };
    const lines: OrgFinding[] = [];
    let total = 0;
    const { flagged } = shown.view;
    for (let k = 0; k < flagged.length; k++) {
      const i = flagged[k]!;
      if (excluded.has(i) || !isFresh(shown.rows, rows, i)) continue;
      total += 1;
      if (lines.length >= FINDINGS_SHOWN) continue;
      const r = shown.view.row(i);
      if (r?.severity) lines.push({ rowIndex: i, line: rows[i]?.line ?? i + 2, text: r.detail, severity: r.severity });
    }
    return { total, lines };
  }, [shown, rows, excluded]);

  const unchanged = useMemo(() => (shown ? unchangedMatchedRows(shown.view, shown.rows, rows, excluded) : []), [shown, rows, excluded]);
  const changing = useMemo(() => (shown ? changingRows(shown.view, shown.rows, rows, excluded) : []), [shown, rows, excluded]);
  const changes = useMemo(
    () => (shown && props.operation !== 'insert' ? changeCounts(shown.view, shown.rows, rows, excluded, changing, unchanged) : null),
    [shown, rows, excluded, props.operation, changing, unchanged],
  );
  const changeColumns = changes?.perField ?? [];

  let status = props.status;
  // While a re-prediction is on its way the edited rows are about to be included: no advice to run the check again.
  if (status.kind === 'done' && props.outcome.unchecked > 0 && !props.updating) {
    status = {
      kind: 'done',
      summary: `${status.summary} ${plural(props.outcome.unchecked, 'row')} edited since: run the check again to include ${props.outcome.unchecked === 1 ? 'it' : 'them'}.`,
    };
  }

  return (
    <div className="stack">
      <OrgCheckPanel
        enabled={enabled}
        onEnabledChange={props.onEnabledChange}
        reads={props.plan.reads}
        readsUsers={props.plan.readsUsers}
        creditsPerJob={props.plan.creditsPerJob}
        status={status}
        onStart={props.onStart}
        onCancel={props.onCancel}
      />
      {/* Always present, so a screen reader hears it when the text appears; quiet: nothing waits for it. */}
      <p className="subtle" role="status" aria-label="Org check update" style={{ margin: 0 }}>
        {enabled && props.updating ? 'Updating the org check for the rows as they stand now…' : ''}
      </p>
      {shown ? (
        <>
          <OutcomeLine
            add={props.outcome.add}
            update={props.outcome.update}
            skip={props.outcome.skip}
            note={
              props.outcome.unchecked > 0 && !props.updating
                ? `${plural(props.outcome.unchecked, 'row')} edited after the check ${props.outcome.unchecked === 1 ? 'is' : 'are'} counted by the file-only check.`
                : undefined
            }
          />
          <OrgFindings findings={findings.lines} total={findings.total} />
          {changes ? (
            <>
              <ChangeSummary
                matchedRows={changes.matched}
                changingRows={changes.changing}
                perField={changeColumns.map((f) => ({
                  apiName: f.apiName,
                  label: `${labels.get(f.apiName) ?? f.apiName}${f.column < 0 ? ' (default value)' : ''}`,
                  rows: f.rows,
                }))}
                onlyChanging={props.onlyChanging}
                onOnlyChangingChange={props.onOnlyChangingChange}
                onExcludeUnchanged={() => props.onExclude(unchanged)}
                ignoreEmptyNote={
                  props.ignoresEmpty
                    ? 'Columns with “Ignore empty” keep the org’s value where the cell is empty; those cells are not counted as changes.'
                    : undefined
                }
              />
              {changing.length > 0 ? (
                <DataGrid
                  ariaLabel="Changes to existing records"
                  columns={[
                    { key: 'record', header: 'Record', subheader: 'id in the org', readOnly: true },
                    ...changeColumns.map((f) => ({
                      key: f.apiName,
                      readOnly: true,
                      // A field with no column (below zero): what changes is its default value.
                      header: `${labels.get(f.apiName) ?? f.apiName}${f.column < 0 ? ' (default value)' : ''}`,
                      subheader: `${formatInt(f.rows)} changed · old → new`,
                    })),
                  ]}
                  rowCount={changing.length}
                  getRow={(k): GridRow => {
                    const i = changing[k] ?? 0;
                    const list = shown.view.changes(i);
                    const byColumn = new Map(list.map((c) => [c.column, c]));
                    return {
                      id: i,
                      line: rows[i]?.line ?? i + 2,
                      excluded: false,
                      cells: [
                        shown.view.row(i)?.recordId ?? '',
                        ...changeColumns.map((f) => {
                          const c = byColumn.get(f.column);
                          return c ? changeText(c) : '';
                        }),
                      ],
                    };
                  }}
                  height={Math.min(300, 66 + changing.length * 36)}
                  emptyMessage="No matched record changes."
                />
              ) : null}
            </>
          ) : null}
        </>
      ) : null}
    </div>
  );
}
