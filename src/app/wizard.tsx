// The wizard switch: one reducer (src/domain/wizard) drives the steps; this file wires each step to the worker
// client, the API and the domain functions it needs. Steps never import each other.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { startTransition, useCallback, useEffect, useMemo, useReducer, useState } from 'react';
import type { Connection } from '../api/connection.ts';
import { describeApiError } from '../api/errors.ts';
import { fieldsQuery } from '../api/get-fields.ts';
import { usersQuery } from '../api/get-users.ts';
import { Banner } from '../components/banner/banner.tsx';
import { Stepper } from '../components/stepper/stepper.tsx';
import { packEdits } from '../domain/jobs/packed-edits.ts';
import type { ParsedTable, SourceRow } from '../domain/csv/types.ts';
import type { SplitResult } from '../domain/jobs/types.ts';
import type { Operation } from '../domain/fields/field-meta.ts';
import { fieldModelFromMeta } from '../domain/fields/field-model.ts';
import { findMissingParents, missingParentsSource } from '../domain/multi/missing-parents.ts';
import type { Mapping } from '../domain/mapping/mapping.ts';
import { buildCreateJobRequest, projectForUpload } from '../domain/mapping/project-for-upload.ts';
import type { UserIdColumn } from '../domain/org-check/types.ts';
import { userIdColumn } from '../domain/org-check/users.ts';
import {
  canGoBack,
  initialWizardState,
  STEP_IDS,
  STEP_LABELS,
  wizardReducer,
  type ReviewEdits,
  type WizardAction,
  type WizardState,
} from '../domain/wizard/wizard-state.ts';
import { historyStore } from '../lib/history-store.ts';
import { unfinishedRuns } from '../lib/history.ts';
import { multiHistoryStore } from '../lib/multi-history-store.ts';
import { runMemory } from '../lib/run-memory.ts';
import { editsAgainst } from '../lib/pack-edits.ts';
import { withRecordId } from '../lib/record-id-field.ts';
import type { ConnectionControls } from '../steps/destination-step/connection-panel.tsx';
import { DestinationStep } from '../steps/destination-step/destination-step.tsx';
import { ImportStep } from '../steps/import-step/import-step.tsx';
import { MapStep } from '../steps/map-step/map-step.tsx';
import { ResultsStep } from '../steps/results-step/results-step.tsx';
import type { RetryApi } from '../steps/results-step/retry-plan.ts';
import { namesToEmailsFix, userColumnsOf } from '../steps/map-step/user-columns.ts';
import { JobTracker } from '../steps/results-step/job-tracker.tsx';
import { readCovers, type HeldOrgCheck, type OrgRead, type PredictedOutcome } from '../steps/review-step/org-check-model.ts';
import { ReviewStep, type ReviewOrgCheck } from '../steps/review-step/review-step.tsx';
import { effectiveRows, type RowIndexes, type ValidateRows } from '../steps/review-step/review-model.ts';
import { UploadStep } from '../steps/upload-step/upload-step.tsx';
import type { SourceLoader } from '../steps/upload-step/use-source-loader.ts';
import { createImportClient } from '../worker/import-client.ts';
import { MissingParentsOffer, MissingParentsRun } from './missing-parents-run.tsx';
import { MultiRunGroupView } from './multi-run-group.tsx';
import type { RunItem } from './multi-run-view.tsx';
import { MultiWizard } from './multi-wizard.tsx';
import { partsOfFiles, partsOfSheets, type RunPart } from './multi-source.ts';
import { createOrgCheckApi } from './org-check-adapter.ts';
import { createReviewValidator, type ReviewContext } from './validation-adapter.ts';

type S = WizardState<ParsedTable, Mapping>;
type A = WizardAction<ParsedTable, Mapping>;
const reducer = (s: S, a: A): S => wizardReducer(s, a);
/**
 * The rows sent, ascending: every row not excluded, as the typed array the worker takes. Counted first and written
 * into the array: at a million rows, pushing into a list and converting it was ~0.15 s, this ~30 ms (Node).
 */
function includedRows(count: number, excluded: ReadonlySet<number> | undefined): Uint32Array {
  const none = excluded === undefined || excluded.size === 0;
  let n = count;
  if (!none) for (let i = 0; i < count; i++) if (excluded.has(i)) n--;
  const out = new Uint32Array(n);
  for (let i = 0, k = 0; i < count; i++) if (none || !excluded.has(i)) out[k++] = i;
  return out;
}

/** The rows each prepared plan was made from (edits applied), kept for Results when that plan is started. */
const preparedRows = new WeakMap<SplitResult, readonly SourceRow[]>();

function newId(prefix: string): string {
  return `${prefix}-${crypto.randomUUID()}`;
}

/**
 * Where the wizard starts: a run opened from History; on page load the newest unfinished run (tracking resumes);
 * otherwise step 1.
 */
function initialState(p: { openRun: string | undefined; resume: boolean }): S {
  const start = initialWizardState<ParsedTable, Mapping>();
  if (p.openRun !== undefined && isRunGroup(p.openRun)) return start;
  // Only emulator runs resume by themselves: a page load starts on the emulator, and a Zoho run needs a sign-in first.
  // An entry of a run of several modules resumes as its whole group (initialGroup); entries from before runs were
  // grouped ("multi-…" without a group) are left to History.
  const runId =
    p.openRun ??
    (p.resume
      ? unfinishedRuns(historyStore.get()).find((r) => r.connectionKind === 'emulator' && r.multiRun === null && !r.runId.startsWith('multi-'))?.runId
      : undefined);
  return runId ? wizardReducer(start, { type: 'open-run', runId }) : start;
}

const isRunGroup = (id: string): boolean => multiHistoryStore.find(id) !== undefined || historyStore.get().some((r) => r.multiRun?.id === id);

/** The run of several modules to show: opened from History, or on page load the newest one with jobs still running. */
function initialGroup(p: { openRun: string | undefined; resume: boolean }): string | null {
  if (p.openRun !== undefined) return isRunGroup(p.openRun) ? p.openRun : null;
  if (!p.resume) return null;
  const unfinished = unfinishedRuns(historyStore.get()).filter((r) => r.connectionKind === 'emulator');
  if (unfinished.some((r) => r.multiRun === null && !r.runId.startsWith('multi-'))) return null;
  return unfinished.find((r) => r.multiRun !== null)?.multiRun?.id ?? null;
}

export function Wizard(props: {
  connection: Connection | null;
  connectionControls: ConnectionControls;
  openRun: string | undefined;
  resumeUnfinished: boolean;
  onRestart: () => void;
}) {
  const { connection } = props;
  const [state, dispatch] = useReducer(reducer, { openRun: props.openRun, resume: props.resumeUnfinished }, initialState);
  // Map and Review over a large file are large first renders (a million rows: Review's was one 95–118 ms task in the
  // click that asked for it, a third of it the layout its grid reads). As a transition React renders them in slices
  // and commits in a task of its own; the reducer ignores a second Next meanwhile (it checks the step).
  const enterStep = useCallback((action: A) => startTransition(() => dispatch(action)), []);
  const [group] = useState(() => initialGroup({ openRun: props.openRun, resume: props.resumeUnfinished }));
  // The page's copy of the rows is the one kept: the worker lets its own go between requests (decision 152).
  const client = useMemo(() => createImportClient({ lendRows: true }), []);
  useEffect(() => () => client.dispose(), [client]);

  const module = state.data.destination?.module ?? '';
  const fieldsQ = useQuery(fieldsQuery(connection, module));
  const findByChoice = state.data.destination?.findBy ?? null;
  const fields = useMemo(() => withRecordId((fieldsQ.data ?? []).map(fieldModelFromMeta), findByChoice), [fieldsQ.data, findByChoice]);

  const loader: SourceLoader = useMemo(
    () => ({
      open: (file, options, h) => client.openFile(file, options, { onProgress: h.onProgress, signal: h.signal }),
      reparse: (options, h) => client.reparse(options, { onProgress: h.onProgress, signal: h.signal }),
    }),
    [client],
  );

  // What is sent: computed from the mapping once, used by the import and by retries.
  const source = state.data.source;
  const mapping = state.data.mapping;
  const destination = state.data.destination;
  const edits = state.data.edits;
  // Owner / user-lookup columns go out as user ids (docs/org-apis.md A1): the users are read when such a column is
  // mapped, and each cell that names an active user (as it stands after Review's edits) is sent as that user's id.
  const userColumns = useMemo(() => (mapping ? userColumnsOf(mapping, fields) : []), [mapping, fields]);
  const usersQ = useQuery(usersQuery(userColumns.length > 0 ? connection : null));
  const userIds: UserIdColumn[] = useMemo(() => {
    if (!source || !usersQ.data || userColumns.length === 0) return [];
    const rows = effectiveRows(source.table, edits ?? { editedRows: new Map(), excluded: new Set() });
    return userColumns.map((c) =>
      userIdColumn(
        c.column,
        rows.map((r) => r.cells[c.column] ?? ''),
        usersQ.data,
        c.defaultValue,
      ),
    );
  }, [source, usersQ.data, userColumns, edits]);
  // A user column matched by e-mail that names users by full name: Review offers names → e-mails as a clean-up.
  const userFixes = useMemo(() => {
    if (state.step !== 'review' || !source || !usersQ.data) return [];
    const rows = effectiveRows(source.table, edits ?? { editedRows: new Map(), excluded: new Set() });
    return userColumns.flatMap((c) => {
      if (c.findBy !== 'email') return [];
      const fix = namesToEmailsFix(
        c.column,
        source.table.headers[c.column] ?? '',
        rows.map((r) => r.cells[c.column] ?? ''),
        usersQ.data,
      );
      return fix ? [fix] : [];
    });
  }, [state.step, source, usersQ.data, userColumns, edits]);
  const projection = useMemo(
    () => (source && mapping ? projectForUpload(source.table.headers, source.table.rows, mapping, fields, userIds) : null),
    [source, mapping, fields, userIds],
  );
  const callbackUrl = connection?.kind === 'emulator' ? new URL('/__emulator/callback', connection.apiDomain).toString() : null;
  const requestFor = useCallback(
    (fileId: string, operation: Operation, findBy: string | null) => {
      if (!projection || !destination) throw new Error('The mapping is missing: go back to Map columns.');
      return buildCreateJobRequest({
        operation,
        module: destination.module,
        fileId,
        fieldMappings: projection.fieldMappings,
        findBy,
        ignoreEmpty: false,
        callbackUrl,
      });
    },
    [projection, destination, callbackUrl],
  );

  const prepare = useCallback(
    async (hooks: { onProgress: (p: { phase: string; done: number; total: number }) => void; signal: AbortSignal }) => {
      if (!projection || !source || !destination) throw new Error('Nothing to prepare.');
      const excluded = edits?.excluded;
      const rows = source.table.rows;
      // The rows as sent (edits applied), for Results: Review's own (effectiveRows keeps them per edits), so an edited
      // row is Review's edited row itself (nothing writes into these rows: exports read them, a retry copies them); a
      // copy of every row after a million-row clean-up was ~200 MB more heap and a 470 ms task at Start (decision 142).
      const sentRows = effectiveRows(source.table, edits ?? { editedRows: new Map(), excluded: new Set() });
      // Only the changed cells cross to the worker: it holds the parsed rows (a whole-column clean-up at 1M sent
      // whole rows held this thread ~20 s cloning them). Packed in slices of this thread, as the checks pack theirs.
      const packed = await editsAgainst(rows, sentRows, hooks.signal);
      const plan = await client.buildJobs(
        {
          header: projection.header,
          columnSource: projection.columnSource,
          module: destination.module,
          rowIndexes: includedRows(rows.length, excluded),
          edits: packed,
          userIds,
        },
        { onProgress: hooks.onProgress, signal: hooks.signal },
      );
      preparedRows.set(plan, sentRows);
      return plan;
    },
    [client, projection, source, destination, edits, userIds],
  );

  const retry: RetryApi | null = useMemo(() => {
    if (!projection || !destination) return null;
    return {
      prepare: ({ rowIndexes, edits: retryEdits }) => {
        const merged = new Map<number, string[]>();
        // A Set, not rowIndexes.includes: after a clean-up of a million rows, every edited row was looked up in the
        // list of rows to retry.
        const retried = new Set(rowIndexes);
        for (const [i, row] of edits?.editedRows ?? []) if (retried.has(i)) merged.set(i, [...row.cells]);
        for (const e of retryEdits) merged.set(e.rowIndex, e.cells);
        // The worker holds the rows only while it splits them (see onStarted).
        return client
          .buildJobs({
            header: projection.header,
            columnSource: projection.columnSource,
            module: destination.module,
            rowIndexes: Uint32Array.from(rowIndexes),
            edits: packEdits(merged, source?.table.rows ?? []),
            userIds,
          })
          .finally(() => {
            client.release().catch(() => undefined);
          });
      },
      requestFor,
    };
  }, [client, projection, destination, edits, requestFor, userIds, source]);

  // A run is followed only on the server it was sent to: a Zoho run is never polled on the emulator, or the
  // other way round (ids would mean other jobs there).
  const runId = state.step === 'import' ? state.data.runId : state.step === 'results' ? state.runId : undefined;
  const run = runId ? historyStore.find(runId) : undefined;
  const elsewhere =
    (connection === null && state.step !== 'destination') ||
    (run !== undefined && connection !== null && (run.connectionKind !== connection.kind || run.apiDomain !== connection.apiDomain));

  const doneIds = state.history.filter((s, i, all) => all.indexOf(s) === i);
  const back = canGoBack(state) ? () => dispatch({ type: 'back' }) : undefined;
  const onFinished = useCallback((runId: string) => dispatch({ type: 'import/finished', runId }), []);
  // Validation runs in the import worker (it holds the parsed rows); the validator keeps the last result so a
  // one-cell edit re-checks one row there.
  const validator = useMemo(() => createReviewValidator(client), [client]);
  const reviewCtx: ReviewContext | null = useMemo(
    () =>
      state.step === 'review'
        ? {
            table: state.source.table,
            mapping: state.mapping,
            fields,
            operation: state.destination.operation,
            findBy: state.destination.findBy,
            excluded: state.data.edits?.excluded ?? new Set<number>(),
            // Owner and user-lookup cells are checked against the users the Map step read (nothing read again).
            users: userColumns.length > 0 ? (usersQ.data ?? null) : null,
          }
        : null,
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only what validation reads
    [state.step, state.data.source, state.data.mapping, state.data.edits?.excluded, state.data.destination, fields, userColumns.length, usersQ.data],
  );
  // The check against the org (decision 090): the switch and the last finished check live here, in memory, so Back
  // and forward keep them; the check is keyed to what it read for (connection, module, operation, mapping, file).
  // Several files picked at once on Upload: the run of related modules takes over (src/app/multi-wizard.tsx).
  const [several, setSeveral] = useState<readonly RunPart[] | null>(null);
  const [orgEnabled, setOrgEnabled] = useState(true);
  const [orgHeld, setOrgHeld] = useState<{ key: string; scope: string | null; read: OrgRead | null; connection: Connection; held: HeldOrgCheck } | null>(null);
  const [predicted, setPredicted] = useState<{ outcome: PredictedOutcome; fromOrg: boolean } | null>(null);
  // Disconnecting (or another org) drops what was read: the worker's snapshot here, and the held check is valid only
  // for the connection object it was read through (a new sign-in is a new object).
  useEffect(() => () => void client.orgReset(), [client, connection]);
  const orgKey =
    state.step === 'review' && connection
      ? JSON.stringify([connection.kind, connection.apiDomain, state.destination, state.source.sourceId, state.mapping])
      : null;
  const orgApi = useMemo(
    () =>
      state.step === 'review' && connection && fieldsQ.isSuccess
        ? createOrgCheckApi({
            connection,
            client,
            table: state.source.table,
            module: state.destination.module,
            operation: state.destination.operation,
            findBy: state.destination.findBy,
            mapping: state.mapping,
            fields,
            // The users the rows are sent by (decision 175): the same list judges them; while it loads, the check
            // reads its own; when it failed, the cells go as they stand and the check says nothing about them.
            ...(userColumns.length > 0 && (usersQ.data !== undefined || usersQ.isError) ? { users: usersQ.data ?? null } : {}),
          })
        : null,
    // eslint-disable-next-line react-hooks/exhaustive-deps -- orgKey stands for destination, source and mapping
    [orgKey, connection, client, fields, fieldsQ.isSuccess, usersQ.data, usersQ.isError],
  );
  // A mapping changed on Map (a default, Ignore empty, a column unmapped) that needs no more of the org than the last
  // run read keeps the paid check: it is predicted again against the read the worker holds, rather than dropped for
  // a new Bulk Read (decision 176). `scope`: the file and the connection a check is for (its destination apart: a change
  // of it is said in other words).
  const scope =
    orgApi && orgKey !== null && connection && state.step === 'review' ? JSON.stringify([connection.kind, connection.apiDomain, state.source.sourceId]) : null;
  const destinationKey = state.step === 'review' ? JSON.stringify(state.destination) : null;
  const carriedOver = useMemo((): HeldOrgCheck | null => {
    if (orgHeld === null || orgHeld.connection !== connection || orgHeld.key === orgKey || scope === null || orgHeld.scope !== scope) return null;
    const stale = (why: string): HeldOrgCheck => ({
      ...orgHeld.held,
      rows: [],
      stale: `The org check needs to run again: ${why}. Until you run it again, the prediction from the file alone stands.`,
    });
    if (orgHeld.read === null || orgHeld.read.destination !== destinationKey)
      return stale('the destination (module, operation or match field) changed since it ran');
    // It describes no row as mapped now: every row is predicted again (decision 092's re-prediction) before it is shown…
    if (orgApi && readCovers(orgHeld.read, orgApi.plan)) return { ...orgHeld.held, rows: [] };
    // …unless the mapping now needs what that check did not read: then it says so, instead of vanishing unexplained.
    return stale('the mapping changed and now needs fields of the org that the last check did not read');
  }, [orgHeld, connection, orgKey, scope, destinationKey, orgApi]);
  const reviewOrg: ReviewOrgCheck | null =
    orgApi && orgKey !== null && connection && state.step === 'review'
      ? {
          api: orgApi,
          operation: state.destination.operation,
          enabled: orgEnabled,
          onEnabledChange: setOrgEnabled,
          held: orgHeld?.key === orgKey && orgHeld.connection === connection ? orgHeld.held : carriedOver,
          // What the worker holds is what the last run read: a re-prediction keeps it (a narrower mapping reads less of it).
          onHeld: (held, read) =>
            setOrgHeld((before) => ({
              key: orgKey,
              scope,
              read:
                read === true || before === null || before.scope !== scope
                  ? { destination: destinationKey, reads: orgApi.plan.reads, readsUsers: orgApi.plan.readsUsers }
                  : before.read,
              connection,
              held,
            })),
        }
      : null;
  // "Create the N missing accounts first" (issue 11 item 3): an insert whose check against the org finds lookup
  // values the org does not have is offered the parents as a run of their own, written first.
  const queryClient = useQueryClient();
  // A stale check describes rows that are gone: nothing is offered from it until Check again.
  const heldCheck = reviewOrg?.enabled && reviewOrg.held?.stale === undefined ? reviewOrg.held : null;
  const missing = useMemo(
    () =>
      heldCheck && state.step === 'review' && state.destination.operation === 'insert'
        ? findMissingParents({ mapping: state.mapping, fields }, heldCheck.rows, (i) => ({
            errors: heldCheck.view.errors(i),
            issues: heldCheck.view.issues(i),
          })).filter(
            // One source per module in a run: the first lookup naming a module is offered.
            (m, i, all) => all.findIndex((o) => o.parentModule === m.parentModule) === i && m.parentModule !== state.destination.module,
          )
        : [],
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the held check is keyed to the mapping and destination
    [heldCheck, fields],
  );
  const [createMissing, setCreateMissing] = useState<{ key: string; modules: ReadonlySet<string> } | null>(null);
  const chosenMissing = createMissing !== null && createMissing.key === orgKey ? createMissing.modules : new Set<string>();
  const [missingError, setMissingError] = useState<string | null>(null);
  const [missingRun, setMissingRun] = useState<RunItem[] | null>(null);
  /** Review's Next with parents to create: build the run (parents first, then this file) or say why it cannot be. */
  const startMissingRun = async (e: ReviewEdits, predictedSkips: RowIndexes): Promise<void> => {
    if (state.step !== 'review' || !connection) return;
    const offered = missing.filter((m) => chosenMissing.has(m.parentModule));
    const parents: RunItem[] = [];
    for (const [n, m] of offered.entries()) {
      let parentFields;
      try {
        parentFields = (await queryClient.fetchQuery(fieldsQuery(connection, m.parentModule))).map(fieldModelFromMeta);
      } catch (err) {
        setMissingError(`The fields of ${m.parentModule} could not be read: ${describeApiError(err)}`);
        return;
      }
      const made = missingParentsSource(m, parentFields, `missing-${n}`, state.source.name);
      if (!made.ok) {
        setMissingError(made.message);
        return;
      }
      const included = made.rows.map((_, i) => i);
      parents.push({ run: made.source, rows: made.rows, included, excluded: new Set(), predictedSkips: [] });
    }
    const rows = effectiveRows(state.source.table, e);
    parents.push({
      run: {
        id: 'file',
        name: state.source.name,
        module: state.destination.module,
        operation: 'insert',
        mapping: state.mapping,
        fields,
        headers: state.source.table.headers,
      },
      rows,
      included: rows.map((_, i) => i).filter((i) => !e.excluded.has(i)),
      excluded: e.excluded,
      predictedSkips,
    });
    setMissingError(null);
    setMissingRun(parents);
  };
  const validate: ValidateRows = useCallback(
    (rows, hooks) => (reviewCtx ? validator(reviewCtx, rows, hooks) : Promise.reject(new Error('Review is not open.'))),
    [validator, reviewCtx],
  );
  if (group !== null) {
    const g = multiHistoryStore.find(group) ?? historyStore.get().find((r) => r.multiRun?.id === group);
    const there = g !== undefined && connection !== null && (g.connectionKind !== connection.kind || g.apiDomain !== connection.apiDomain);
    if (connection === null || there)
      return (
        <NotConnectedHere
          target={g ? (g.connectionKind === 'emulator' ? 'the built-in emulator' : `Zoho CRM at ${g.apiDomain}`) : null}
          onNewImport={props.onRestart}
        />
      );
    return <MultiRunGroupView connection={connection} groupId={group} onNewImport={props.onRestart} />;
  }
  if (missingRun !== null && connection)
    return <MissingParentsRun connection={connection} items={missingRun} onBack={() => setMissingRun(null)} onNewImport={props.onRestart} />;
  if (several !== null && connection)
    return <MultiWizard connection={connection} parts={several} onCancel={() => setSeveral(null)} onRestart={props.onRestart} />;
  return (
    <>
      <Stepper
        steps={STEP_IDS.map((id) => ({ id, label: STEP_LABELS[id] }))}
        currentId={state.step}
        doneIds={state.step === 'results' ? STEP_IDS.filter((s) => s !== 'results') : doneIds}
        onGo={canGoBack(state) ? (id) => dispatch({ type: 'goto', step: id as (typeof STEP_IDS)[number] }) : undefined}
      />
      {elsewhere ? (
        <NotConnectedHere
          target={run ? (run.connectionKind === 'emulator' ? 'the built-in emulator' : `Zoho CRM at ${run.apiDomain}`) : null}
          onNewImport={props.onRestart}
        />
      ) : null}
      {state.step === 'destination' ? (
        <DestinationStep
          connection={connection}
          controls={props.connectionControls}
          initial={state.data.destination}
          onNext={(d) => dispatch({ type: 'destination/submitted', destination: d })}
        />
      ) : null}
      {connection && !elsewhere && state.step === 'upload' ? (
        <UploadStep
          loader={loader}
          initial={state.data.source}
          newSourceId={() => newId('src')}
          onBack={() => dispatch({ type: 'back' })}
          onNext={(s) => enterStep({ type: 'source/loaded', source: s })}
          onSeveral={(files) => setSeveral(partsOfFiles(files))}
          onSeveralSheets={(file, sheets) => setSeveral(partsOfSheets(file, sheets))}
        />
      ) : null}
      {connection && !elsewhere && state.step === 'map' ? (
        <MapStep
          connection={connection}
          destination={state.destination}
          table={state.source.table}
          initial={state.data.mapping}
          onBack={() => dispatch({ type: 'back' })}
          onNext={(m) => enterStep({ type: 'mapping/submitted', mapping: m })}
        />
      ) : null}
      {connection && !elsewhere && state.step === 'review' && missing.length > 0 && orgKey !== null ? (
        <MissingParentsOffer
          missing={missing}
          fileName={state.source.name}
          chosen={chosenMissing}
          error={missingError}
          onChosen={(module, on) => {
            const next = new Set(chosenMissing);
            if (on) next.add(module);
            else next.delete(module);
            setCreateMissing({ key: orgKey, modules: next });
          }}
        />
      ) : null}
      {connection && !elsewhere && state.step === 'review' ? (
        <ReviewStep
          table={state.source.table}
          mapping={state.mapping}
          fields={fields}
          edits={state.data.edits ?? { editedRows: new Map(), excluded: new Set() }}
          validate={validate}
          onEditsChange={(e) => dispatch({ type: 'edits/changed', edits: e })}
          onBack={() => dispatch({ type: 'back' })}
          onNext={(e, outcome, predictedSkips) => {
            // With missing parents chosen, Next goes to their combined run instead (Back there returns here).
            if (missing.some((m) => chosenMissing.has(m.parentModule))) {
              void startMissingRun(e, predictedSkips);
              return;
            }
            const fromOrg = reviewOrg?.held != null && reviewOrg.held.stale === undefined && reviewOrg.enabled;
            // A transition, as Map and Review are entered (decision 151): rendered in slices, not inside the click
            // (at a million rows the click was one task of 135–170 ms).
            startTransition(() => {
              setPredicted({ outcome, fromOrg });
              dispatch({ type: 'review/confirmed', edits: e });
            });
          }}
          orgCheck={reviewOrg}
          extraFixes={userFixes}
        />
      ) : null}
      {connection && !elsewhere && state.step === 'import' ? (
        <ImportStep
          connection={connection}
          destination={state.destination}
          fileName={state.source.name}
          runId={state.data.runId}
          newRunId={() => newId('run')}
          prepare={prepare}
          requestFor={(fileId) => requestFor(fileId, state.destination.operation, state.destination.findBy)}
          onStarted={(runId, plan) => {
            const rows = preparedRows.get(plan) ?? effectiveRows(state.source.table, state.edits);
            const columnFields = new Map<number, string>();
            for (const c of state.mapping.columns) if (c.apiName) columnFields.set(c.column, c.apiName);
            runMemory.set(runId, {
              sentHeader: plan.header,
              parts: plan.jobs.map(({ zip: _zip, ...p }) => p),
              sourceHeaders: state.source.table.headers,
              sourceRows: rows,
              fieldLabels: new Map(fields.map((f) => [f.apiName, f.label])),
              columnFields,
              uniqueFields: fields.filter((f) => f.unique !== null && [...columnFields.values()].includes(f.apiName)).map((f) => f.apiName),
            });
            dispatch({ type: 'import/started', runId });
            // From here on the rows are read on this thread only (Results' exports and joins): the worker lets go of
            // its copy, and a retry lends it back (decision 152). At a million rows that is ~400 MB of the worker.
            client.release().catch(() => undefined);
          }}
          tracker={(runId) => {
            const run = historyStore.find(runId);
            return run ? <JobTracker connection={connection} run={run} /> : null;
          }}
          onBack={back}
          onFinished={onFinished}
          predicted={predicted}
        />
      ) : null}
      {connection && !elsewhere && state.step === 'results' ? (
        <ResultsStep
          connection={connection}
          runId={state.runId}
          retry={runMemory.get(state.runId) ? retry : null}
          newRunId={() => newId('run')}
          onNewImport={props.onRestart}
        />
      ) : null}
    </>
  );
}

/** Shown instead of a step that needs a connection this tab does not have right now. */
function NotConnectedHere(props: { target: string | null; onNewImport: () => void }) {
  return (
    <Banner tone="warning" title={props.target ? `This import was sent to ${props.target}` : 'Not connected'}>
      <p>
        {props.target
          ? `Its jobs live there, so nothing is fetched from the current connection. Connect to ${props.target} (Import → step 1, Connection) to follow it, or start a new import.`
          : 'This step needs a connection. Choose the built-in emulator or sign in to Zoho CRM, or start a new import.'}
      </p>
      <button type="button" className="btn btn--small" onClick={props.onNewImport}>
        Start a new import
      </button>
    </Banner>
  );
}
