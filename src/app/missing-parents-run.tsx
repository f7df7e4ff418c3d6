// "Create the N missing accounts first" (issue 11 item 3) for a single file: after the check against the org, the
// lookup values it finds missing are offered as an insert into the looked-up module, written in the same run before
// the file's rows, which then link to the new records by id (src/domain/multi/missing-parents.ts, decision 115).
// The run itself is the multi-file run's Import and Results (multi-run-view.tsx).
import { useState } from 'react';
import type { Connection } from '../api/connection.ts';
import { Banner } from '../components/banner/banner.tsx';
import { Stepper } from '../components/stepper/stepper.tsx';
import type { MissingParents } from '../domain/multi/missing-parents.ts';
import { recordNoun } from '../domain/multi/run-plan.ts';
import { STEP_IDS, STEP_LABELS } from '../domain/wizard/wizard-state.ts';
import { formatInt } from '../lib/format.ts';
import { MultiRunView, type RunItem, type RunTally } from './multi-run-view.tsx';

/** "Create the 3 missing accounts first" (one record: "the 1 missing account"). */
export function createMissingLabel(m: Pick<MissingParents, 'names' | 'parentModule'>): string {
  const noun = recordNoun(m.parentModule);
  return `Create the ${formatInt(m.names.length)} missing ${m.names.length === 1 ? noun : m.parentModule.replace(/_/g, ' ').toLowerCase()} first`;
}

const SHOWN = 10;

/** The offer on Review: one switch per looked-up module with missing values; Next then goes to the combined run. */
export function MissingParentsOffer(props: {
  missing: readonly MissingParents[];
  fileName: string;
  chosen: ReadonlySet<string>;
  onChosen: (module: string, on: boolean) => void;
  error: string | null;
}) {
  return (
    <Banner tone="info" title="Records this file looks up are not in the org">
      {props.missing.map((m) => (
        <div key={m.parentModule}>
          <p>
            {formatInt(m.rowIndexes.length)} {m.rowIndexes.length === 1 ? 'row' : 'rows'} of {props.fileName} {m.rowIndexes.length === 1 ? 'names' : 'name'}{' '}
            {formatInt(m.names.length)} {m.names.length === 1 ? recordNoun(m.parentModule) : m.parentModule.replace(/_/g, ' ')} that the org does not have (
            {m.fieldLabel}): {m.names.slice(0, SHOWN).join(', ')}
            {m.names.length > SHOWN ? ` and ${formatInt(m.names.length - SHOWN)} more` : ''}. Zoho CRM would skip those rows.
          </p>
          <label className="checkbox">
            <input type="checkbox" checked={props.chosen.has(m.parentModule)} onChange={(e) => props.onChosen(m.parentModule, e.currentTarget.checked)} />{' '}
            {createMissingLabel(m)}
          </label>
          <p className="subtle">
            Next then shows one run: the {m.parentModule} are inserted with only their {m.findBy === m.apiName ? 'name' : m.findBy}, then the rows of{' '}
            {props.fileName}, linked to them.
          </p>
        </div>
      ))}
      {props.error !== null ? <p role="alert">{props.error}</p> : null}
    </Banner>
  );
}

/** The combined run (created parents, then the file) with its own Import and Results. */
export function MissingParentsRun(props: { connection: Connection; items: readonly RunItem[]; onBack: () => void; onNewImport: () => void }) {
  const [phase, setPhase] = useState<'import' | 'results'>('import');
  const [tally, setTally] = useState<RunTally>(new Map());
  return (
    <>
      <Stepper
        steps={STEP_IDS.map((id) => ({ id, label: STEP_LABELS[id] }))}
        currentId={phase}
        doneIds={STEP_IDS.filter((s) => STEP_IDS.indexOf(s) < STEP_IDS.indexOf(phase))}
      />
      <MultiRunView
        connection={props.connection}
        items={props.items}
        phase={phase}
        tally={tally}
        onTally={setTally}
        onBack={props.onBack}
        onFinished={() => setPhase('results')}
        onNewImport={props.onNewImport}
      />
    </>
  );
}
