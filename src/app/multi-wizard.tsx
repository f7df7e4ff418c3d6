// Several files in one run (issue 11): each file is read by its own import worker (the worker validates its own copy
// of the rows, so one worker per file keeps Review's checks per file), goes into its own module, is mapped and
// reviewed with the same Map and Review steps as a single file, and then the whole set is planned and sent parents
// first (src/domain/multi, src/lib/multi-run.ts; decision 115). Insert only; see decision 116 for what a multi-file
// run does not offer yet. The sources may also be sheets of one workbook (RunPart): each sheet is read by its own
// worker exactly like a file, with the header row the sheet picker suggests (or the admin chose on Upload).
import { useQuery } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { Connection } from '../api/connection.ts';
import { describeApiError } from '../api/errors.ts';
import { importableModules, modulesQuery } from '../api/get-modules.ts';
import { usersQuery } from '../api/get-users.ts';
import { Banner } from '../components/banner/banner.tsx';
import { SelectField } from '../components/select-field/select-field.tsx';
import { StepFrame } from '../components/step-frame/step-frame.tsx';
import { Stepper } from '../components/stepper/stepper.tsx';
import type { ParsedTable } from '../domain/csv/types.ts';
import { EMPTY_EDITS, STEP_IDS, STEP_LABELS, type Destination } from '../domain/wizard/wizard-state.ts';
import { formatInt } from '../lib/format.ts';
import { MapStep } from '../steps/map-step/map-step.tsx';
import { userColumnsOf } from '../steps/map-step/user-columns.ts';
import { ReviewStep } from '../steps/review-step/review-step.tsx';
import type { ValidateRows } from '../steps/review-step/review-model.ts';
import { createImportClient, type ImportClient } from '../worker/import-client.ts';
import { guessModule, openOptionsOf, type MultiSource, type RunPart } from './multi-source.ts';
import { itemsOfSources, MultiRunView, type RunTally } from './multi-run-view.tsx';
import { createReviewValidator, type ReviewContext, type ReviewValidator } from './validation-adapter.ts';

export type Phase =
  | { kind: 'modules' }
  | { kind: 'map'; index: number }
  | { kind: 'review'; index: number }
  | { kind: 'import' }
  /** Results, or Review of one file opened from Results to fix rows before sending the held ones again. */
  | { kind: 'results' }
  | { kind: 'fix'; index: number };

const STEP_OF: Record<Phase['kind'], (typeof STEP_IDS)[number]> = {
  modules: 'upload',
  map: 'map',
  review: 'review',
  import: 'import',
  results: 'results',
  fix: 'review',
};

/** Why a parsed file or sheet cannot take part in the run, or null. */
function tableProblem(table: ParsedTable, part: RunPart | undefined): string | null {
  // A workbook picked among several files needs its sheet and header row chosen (Upload's sheet picker), which this
  // screen does not offer; reading its first sheet unasked could import the wrong rows. Sheets ticked on Upload are chosen.
  if (table.workbook !== undefined && part?.sheet === undefined)
    return 'It is a workbook: a run of several files takes CSV files only for now. Import the workbook on its own, or save each sheet as a CSV file and choose those.';
  if (table.blocked) {
    const first = table.issues.find((i) => i.severity === 'error');
    return `${first?.message ?? 'The file has a blocking problem.'} Fix the file and choose the files again, or import it on its own to use the upload step's fixes.`;
  }
  if (!table.encoding.confirmed && table.encoding.proposal)
    return `Its text encoding is only a guess (${table.encoding.proposal.name}). Import it on its own first to confirm the encoding with the preview, or save it as UTF-8.`;
  if (table.rows.length === 0) return 'It has no data rows.';
  return null;
}

export function MultiWizard(props: {
  connection: Connection;
  /** The files, or the ticked sheets of one workbook, in the order picked. */
  parts: readonly RunPart[];
  /** Back from the first screen: the single-file upload again. */
  onCancel: () => void;
  onRestart: () => void;
}) {
  const { connection } = props;
  const [picked, setPicked] = useState<MultiSource[]>(() =>
    props.parts.map((p, i) => ({
      id: `file-${i}`,
      name: p.name,
      loaded: { kind: 'loading' },
      module: '',
      moduleLabel: '',
      mapping: null,
      fields: [],
      edits: EMPTY_EDITS,
      predictedSkips: [],
    })),
  );
  const [phase, setPhase] = useState<Phase>({ kind: 'modules' });
  const [tally, setTally] = useState<RunTally>(new Map());
  const [visited, setVisited] = useState<ReadonlySet<string>>(new Set(['destination']));
  // One worker per file, for the life of this run.
  const clients = useMemo<ImportClient[]>(() => props.parts.map(() => createImportClient()), [props.parts]);
  const validators = useMemo<ReviewValidator[]>(() => clients.map((c) => createReviewValidator(c)), [clients]);
  useEffect(() => () => clients.forEach((c) => c.dispose()), [clients]);

  const setLoaded = (index: number, loaded: MultiSource['loaded']) => setPicked((all) => all.map((s, i) => (i === index ? { ...s, loaded } : s)));
  const go = (next: Phase) => {
    setVisited((v) => new Set([...v, STEP_OF[phase.kind]]));
    setPhase(next);
  };

  useEffect(() => {
    const ctrl = new AbortController();
    props.parts.forEach((part, i) => {
      clients[i]
        ?.openFile(part.file, openOptionsOf(part), { signal: ctrl.signal })
        .then((table) => setLoaded(i, { kind: 'ready', table }))
        .catch((e: unknown) => {
          if (!ctrl.signal.aborted) setLoaded(i, { kind: 'failed', message: e instanceof Error ? e.message : String(e) });
        });
    });
    return () => ctrl.abort();
  }, [props.parts, clients]);

  const modulesQ = useQuery(modulesQuery(connection));
  const moduleOptions = useMemo(
    () => importableModules(modulesQ.data ?? []).map((m) => ({ value: m.api_name, label: m.plural_label ?? m.module_name ?? m.api_name })),
    [modulesQ.data],
  );
  // Each file's module is the one its name says ("contacts.csv", or a sheet "Contacts" → Contacts) until the person picks one.
  const sources = useMemo(
    () =>
      picked.map((s, i) => {
        if (s.module !== '') return s;
        const guess = guessModule(props.parts[i]?.guessFrom ?? s.name, moduleOptions);
        return guess === '' ? s : { ...s, module: guess, moduleLabel: moduleOptions.find((o) => o.value === guess)?.label ?? guess };
      }),
    [picked, moduleOptions, props.parts],
  );

  // A change to one file also fixes the module shown for it (the guess becomes the choice).
  const update = (index: number, patch: (s: MultiSource) => MultiSource) =>
    setPicked((all) =>
      all.map((s, i) => (i === index ? patch({ ...s, module: sources[i]?.module ?? s.module, moduleLabel: sources[i]?.moduleLabel ?? s.moduleLabel }) : s)),
    );
  const items = useMemo(() => itemsOfSources(sources), [sources]);

  const destinationOf = (s: MultiSource): Destination => ({
    connectionKind: connection.kind,
    module: s.module,
    moduleLabel: s.moduleLabel,
    operation: 'insert',
    findBy: null,
  });
  const tableOf = (s: MultiSource | undefined): ParsedTable | null => (s?.loaded.kind === 'ready' ? s.loaded.table : null);

  // Review re-validates when `validate` changes, so it changes only with what validation reads.
  const reviewIndex = phase.kind === 'review' || phase.kind === 'fix' ? phase.index : -1;
  const reviewed = sources[reviewIndex];
  const reviewTable = tableOf(reviewed);
  const reviewMapping = reviewed?.mapping ?? null;
  const reviewFields = reviewed?.fields;
  const reviewExcluded = reviewed?.edits.excluded;
  // Owner and user-lookup cells of the reviewed file are checked against the org's users (the Map step read them).
  const reviewHasUsers = useMemo(
    () => !!reviewMapping && !!reviewFields && userColumnsOf(reviewMapping, reviewFields).length > 0,
    [reviewMapping, reviewFields],
  );
  const reviewUsersQ = useQuery(usersQuery(reviewHasUsers ? connection : null));
  const reviewUsers = reviewHasUsers ? (reviewUsersQ.data ?? null) : null;
  // One context object per state of what validation reads: the validator re-checks one edited (or included, or
  // excluded) row only against the context it checked last, so a context made anew per call made every edit a full check.
  const reviewCtx: ReviewContext | null = useMemo(
    () =>
      reviewTable && reviewMapping && reviewFields && reviewExcluded
        ? { table: reviewTable, mapping: reviewMapping, fields: reviewFields, operation: 'insert', findBy: null, excluded: reviewExcluded, users: reviewUsers }
        : null,
    [reviewTable, reviewMapping, reviewFields, reviewExcluded, reviewUsers],
  );
  const validate: ValidateRows = useCallback(
    (rows, hooks) => {
      const validator = validators[reviewIndex];
      if (!validator || !reviewCtx) return Promise.reject(new Error('Review is not open.'));
      return validator(reviewCtx, rows, hooks);
    },
    [validators, reviewIndex, reviewCtx],
  );

  const stepper = (
    <Stepper
      steps={STEP_IDS.map((id) => ({ id, label: STEP_LABELS[id] }))}
      currentId={STEP_OF[phase.kind]}
      doneIds={[...visited].filter((v) => v !== STEP_OF[phase.kind])}
    />
  );
  const picker = (current: number, kind: 'map' | 'review') => (
    <nav aria-label="Files of this run" className="row">
      {sources.map((s, i) => (
        <button
          key={s.id}
          type="button"
          className="btn btn--small"
          aria-current={i === current ? 'page' : undefined}
          // Review of a file needs its mapping; Map is open for any file.
          disabled={i === current || (kind === 'review' && s.mapping === null)}
          onClick={() => setPhase({ kind, index: i })}
        >
          {s.name} → {s.moduleLabel}
        </button>
      ))}
    </nav>
  );

  if (phase.kind === 'modules') {
    const problems = sources.flatMap((s, i) => {
      const t = tableOf(s);
      const p = s.loaded.kind === 'failed' ? s.loaded.message : t ? tableProblem(t, props.parts[i]) : null;
      return p === null ? [] : [`${s.name}: ${p}`];
    });
    const dupes = sources.filter((s, i) => s.module !== '' && sources.findIndex((o) => o.module === s.module) !== i);
    for (const d of dupes) {
      const first = sources.find((o) => o.module === d.module);
      problems.push(
        `${first?.name ?? ''} and ${d.name} both go into ${d.moduleLabel}. A run takes one file per module: choose another module for one of them.`,
      );
    }
    const ready = sources.every((s) => s.loaded.kind === 'ready' && s.module !== '') && problems.length === 0;
    return (
      <>
        {stepper}
        <StepFrame
          title={`Upload ${formatInt(sources.length)} related ${props.parts.every((p) => p.sheet) ? 'sheets' : 'files'}`}
          lead="Each file goes into its own module. Lookups between them (a contact's account, a deal's contact) are linked in the run: parents are written first."
          onBack={props.onCancel}
          primary={
            <button type="button" className="btn btn--primary" disabled={!ready} onClick={() => go({ kind: 'map', index: 0 })}>
              Next
            </button>
          }
        >
          {modulesQ.isError ? (
            <Banner tone="error" title="The list of modules could not be loaded">
              <p>{describeApiError(modulesQ.error)}</p>
            </Banner>
          ) : null}
          <ul className="plain-list" aria-label="Files of this run">
            {sources.map((s, i) => {
              const t = tableOf(s);
              return (
                <li key={s.id}>
                  <p>
                    <strong>{s.name}</strong>{' '}
                    <span className="subtle">
                      {s.loaded.kind === 'loading'
                        ? 'Reading…'
                        : s.loaded.kind === 'failed'
                          ? 'Cannot be read'
                          : `${formatInt(t?.rows.length ?? 0)} ${t?.rows.length === 1 ? 'row' : 'rows'}, ${formatInt(t?.headers.length ?? 0)} ${t?.headers.length === 1 ? 'column' : 'columns'}`}
                    </span>
                  </p>
                  <SelectField
                    label={`Module for ${s.name}`}
                    value={s.module}
                    options={moduleOptions}
                    placeholder={modulesQ.isPending ? 'Loading modules…' : 'Choose a module'}
                    onChange={(v) =>
                      update(i, (x) => ({ ...x, module: v, moduleLabel: moduleOptions.find((o) => o.value === v)?.label ?? v, mapping: null, fields: [] }))
                    }
                  />
                </li>
              );
            })}
          </ul>
          {problems.length > 0 ? (
            <Banner tone="error" title="Fix these before continuing">
              <ul>
                {problems.map((p) => (
                  <li key={p}>{p}</li>
                ))}
              </ul>
            </Banner>
          ) : null}
          <p className="subtle">
            A run of several files inserts new records (no update or upsert) and cannot fill owner or user fields yet. History lists each module's jobs as runs
            of their own, and a run of several files is not resumed after a page reload.
          </p>
        </StepFrame>
      </>
    );
  }

  if (phase.kind === 'map') {
    const s = sources[phase.index];
    const table = tableOf(s);
    if (!s || !table) return null;
    return (
      <>
        {stepper}
        {picker(phase.index, 'map')}
        <p className="subtle">
          File {phase.index + 1} of {sources.length}: {s.name} into {s.moduleLabel}. To link a lookup to another file of this run, set its “Lookup by” to the
          field that file fills (e.g. Account_Name).
        </p>
        <MapStep
          key={s.id}
          connection={connection}
          destination={destinationOf(s)}
          table={table}
          initial={s.mapping ?? undefined}
          onBack={() => setPhase(phase.index === 0 ? { kind: 'modules' } : { kind: 'map', index: phase.index - 1 })}
          onNext={(mapping, fields) => {
            update(phase.index, (x) => ({ ...x, mapping, fields }));
            go(phase.index + 1 < sources.length ? { kind: 'map', index: phase.index + 1 } : { kind: 'review', index: 0 });
          }}
        />
      </>
    );
  }

  if (phase.kind === 'review' || phase.kind === 'fix') {
    const s = sources[phase.index];
    const table = tableOf(s);
    if (!s || !table || !s.mapping) return null;
    const fixing = phase.kind === 'fix';
    return (
      <>
        {stepper}
        {fixing ? null : picker(phase.index, 'review')}
        <p className="subtle">
          {fixing
            ? `Fix rows of ${s.name}, then go back to Results to send the held rows again.`
            : `File ${phase.index + 1} of ${sources.length}: ${s.name} into ${s.moduleLabel}.`}
        </p>
        <ReviewStep
          key={`${s.id}-${phase.kind}`}
          table={table}
          mapping={s.mapping}
          fields={s.fields}
          edits={s.edits}
          validate={validate}
          onEditsChange={(edits) => update(phase.index, (x) => ({ ...x, edits }))}
          onBack={() =>
            setPhase(fixing ? { kind: 'results' } : phase.index === 0 ? { kind: 'map', index: sources.length - 1 } : { kind: 'review', index: phase.index - 1 })
          }
          onNext={(edits, _outcome, predictedSkips) => {
            update(phase.index, (x) => ({ ...x, edits, predictedSkips }));
            go(fixing ? { kind: 'results' } : phase.index + 1 < sources.length ? { kind: 'review', index: phase.index + 1 } : { kind: 'import' });
          }}
          orgCheck={null}
        />
      </>
    );
  }

  return (
    <>
      {stepper}
      <MultiRunView
        connection={connection}
        items={items}
        phase={phase.kind}
        tally={tally}
        onTally={setTally}
        onBack={() => setPhase({ kind: 'review', index: sources.length - 1 })}
        onFinished={() => go({ kind: 'results' })}
        onFix={(id) =>
          setPhase({
            kind: 'fix',
            index: Math.max(
              0,
              sources.findIndex((s) => s.id === id),
            ),
          })
        }
        onNewImport={props.onRestart}
      />
    </>
  );
}
