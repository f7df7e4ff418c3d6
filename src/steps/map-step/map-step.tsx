// Step 3 — Map columns: a react-hook-form form (zod resolver over the mapping schema), one row per CSV column with
// its header, index, samples and target field (searchable; auto-matched ones say why), plus default value,
// "ignore empty" and date format. Blocking problems are listed; profiles can be saved, loaded, exported and
// imported as Zoho field_mappings JSON, and one matching these headers is suggested.
import { zodResolver } from '@hookform/resolvers/zod';
import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import type { z } from 'zod';
import type { Connection } from '../../api/connection.ts';
import { describeApiError } from '../../api/errors.ts';
import { fieldsQuery } from '../../api/get-fields.ts';
import { Banner } from '../../components/banner/banner.tsx';
import { FieldCombobox, type ComboOption } from '../../components/field-combobox/field-combobox.tsx';
import { StepFrame } from '../../components/step-frame/step-frame.tsx';
import { TruncatedText } from '../../components/truncated-text/truncated-text.tsx';
import type { ParsedTable } from '../../domain/csv/types.ts';
import { groupFields } from '../../domain/fields/field-groups.ts';
import { fieldModelFromMeta, type FieldModel } from '../../domain/fields/field-model.ts';
import { autoMatch, type HeaderMatch } from '../../domain/mapping/auto-match.ts';
import { assignColumn, emptyMapping, mappingSchema, setDefaultOnly, type Mapping } from '../../domain/mapping/mapping.ts';
import type { Destination } from '../../domain/wizard/wizard-state.ts';
import { plural } from '../../lib/format.ts';
import { withRecordId } from '../../lib/record-id-field.ts';
import { columnSamples, mappingBlocks } from './mapping-checks.ts';
import { ProfilesBar } from './profiles-bar.tsx';

const DATE_TYPES = new Set(['date', 'datetime']);
const LAZY_PICKER_COLUMNS = 40;

function fieldMeta(f: FieldModel): string {
  const marks = [f.mandatory ? 'mandatory' : null, f.unique ? 'unique' : null].filter(Boolean).join(', ');
  return `${f.apiName} · ${f.dataType}${marks ? ` · ${marks}` : ''}`;
}

/** The first mapping for a file: auto-matched suggestions, each with its reason. */
function initialMapping(headers: readonly string[], fields: readonly FieldModel[]): { mapping: Mapping; matches: HeaderMatch[] } {
  const matches = autoMatch(headers, fields.filter((f) => f.writable.ok));
  let mapping = emptyMapping(headers.length);
  for (const m of matches) {
    if (m.apiName === null) continue;
    mapping = assignColumn(mapping, m.column, m.apiName).mapping;
    if (m.findBy !== null) mapping = { ...mapping, columns: mapping.columns.map((c) => (c.column === m.column ? { ...c, findBy: m.findBy } : c)) };
  }
  return { mapping, matches };
}

export function MapStep(props: {
  connection: Connection;
  destination: Destination;
  table: ParsedTable;
  initial: Mapping | undefined;
  onBack: () => void;
  onNext: (m: Mapping, fields: FieldModel[]) => void;
}) {
  const fieldsQ = useQuery(fieldsQuery(props.connection, props.destination.module));
  const findBy = props.destination.findBy;
  const fields = useMemo(() => withRecordId((fieldsQ.data ?? []).map(fieldModelFromMeta), findBy), [fieldsQ.data, findBy]);
  return (
    <StepFrame
      title="Map columns to fields"
      lead={`Choose the ${props.destination.moduleLabel} field each column fills. Suggestions say why they were made.`}
      onBack={props.onBack}
      primary={
        fieldsQ.isSuccess ? (
          <button type="submit" form="mapping-form" className="btn btn--primary">
            Next
          </button>
        ) : (
          <button type="button" className="btn btn--primary" disabled>
            Next
          </button>
        )
      }
    >
      {fieldsQ.isError ? (
        <Banner tone="error" title="The module's fields could not be loaded">
          <p>{describeApiError(fieldsQ.error)}</p>
          <button type="button" className="btn btn--small" onClick={() => void fieldsQ.refetch()}>
            Retry
          </button>
        </Banner>
      ) : null}
      {fieldsQ.isPending ? <p className="subtle">Loading the fields of {props.destination.moduleLabel}…</p> : null}
      {fieldsQ.isSuccess ? <MappingForm {...props} fields={fields} /> : null}
    </StepFrame>
  );
}

function MappingForm(props: {
  destination: Destination;
  table: ParsedTable;
  initial: Mapping | undefined;
  fields: FieldModel[];
  onNext: (m: Mapping, fields: FieldModel[]) => void;
}) {
  const { table, fields, destination } = props;
  const groups = useMemo(() => groupFields(fields), [fields]);
  const auto = useMemo(() => initialMapping(table.headers, fields), [table.headers, fields]);
  const form = useForm<z.input<typeof mappingSchema>, unknown, Mapping>({ resolver: zodResolver(mappingSchema), defaultValues: props.initial ?? auto.mapping, mode: 'onSubmit' });
  const mapping = useWatch({ control: form.control }) as Mapping;
  const [note, setNote] = useState<string | null>(null);
  // Past this many columns one react-aria ComboBox per row makes the first render slow (decision 044).
  const lazyPickers = table.headers.length > LAZY_PICKER_COLUMNS;
  const [active, setActive] = useState<number | null>(null);
  const [tried, setTried] = useState(false);

  const byApi = useMemo(() => new Map(fields.map((f) => [f.apiName, f])), [fields]);
  const options: ComboOption[] = useMemo(
    () => [
      { id: '__none__', label: 'Don’t import this column', meta: 'the column is left out of the upload' },
      ...groups.writable.map((f) => ({ id: f.apiName, label: f.label, meta: fieldMeta(f), textValue: `${f.label} (${f.apiName})` })),
      ...groups.notWritable.map((n) => ({ id: n.field.apiName, label: `${n.field.label} — can’t be imported`, meta: n.reason, disabled: true })),
    ],
    [groups],
  );
  const samples = useMemo(() => table.headers.map((_, i) => columnSamples(table.rows, i)), [table]);
  const blocks = mappingBlocks(mapping, fields, destination.operation, destination.findBy);
  const unmappedMandatory = blocks.filter((b) => b.apiName !== null && byApi.get(b.apiName)?.mandatory && !mapping.columns.some((c) => c.apiName === b.apiName));

  const setMapping = (m: Mapping) => form.reset(m, { keepDefaultValues: true });
  const assign = (column: number, apiName: string | null) => {
    const { mapping: next, displaced } = assignColumn(mapping, column, apiName);
    setMapping(next);
    if (displaced !== null && apiName) {
      setNote(displaced === 'default' ? `${apiName} no longer uses its default value: column ${column + 1} now fills it.` : `${apiName} was mapped to column ${displaced + 1} (“${table.headers[displaced] ?? ''}”); that column is now not imported.`);
    } else setNote(null);
  };
  const matchFor = (column: number) => auto.matches.find((m) => m.column === column);

  const submit = form.handleSubmit((values) => {
    setTried(true);
    if (mappingBlocks(values, fields, destination.operation, destination.findBy).length > 0) return;
    props.onNext(values, fields);
  });

  return (
    <form id="mapping-form" onSubmit={(e) => void submit(e)} noValidate className="stack">
      <ProfilesBar module={destination.module} headers={table.headers} mapping={mapping} fields={fields} onLoad={(m, msg) => {
        setMapping(m);
        setNote(msg);
      }} />
      {note ? (
        <p className="subtle" role="status">
          {note}
        </p>
      ) : null}

      {blocks.length > 0 ? (
        <Banner tone={tried ? 'error' : 'warning'} title={`${plural(blocks.length, 'problem')} to solve before continuing`} live={tried}>
          <ul className="issue-list" tabIndex={0}>
            {blocks.map((b, i) => (
              <li key={i}>{b.message}</li>
            ))}
          </ul>
        </Banner>
      ) : null}
      {form.formState.errors.columns || form.formState.errors.defaults ? (
        <Banner tone="error" title="The mapping is not valid">
          <p>{JSON.stringify(form.formState.errors.columns?.root?.message ?? form.formState.errors.columns?.message ?? 'A field is mapped twice.')}</p>
        </Banner>
      ) : null}

      {unmappedMandatory.length > 0 ? (
        <fieldset className="stack" style={{ border: 0, padding: 0, margin: 0 }}>
          <legend className="section-title">Mandatory fields without a column</legend>
          {unmappedMandatory.map((b) => {
            const f = byApi.get(b.apiName ?? '');
            if (!f) return null;
            const current = mapping.defaults.find((d) => d.apiName === f.apiName)?.defaultValue ?? '';
            return (
              <label key={f.apiName} className="row">
                <span style={{ minWidth: 220 }}>
                  Default for {f.label} ({f.apiName})
                </span>
                <input className="input input--small" style={{ maxWidth: 320 }} value={current} onChange={(e) => setMapping(setDefaultOnly(mapping, f.apiName, e.currentTarget.value === '' ? null : e.currentTarget.value))} />
              </label>
            );
          })}
        </fieldset>
      ) : null}

      <div className="table-wrap" tabIndex={0} style={{ maxHeight: 'max(320px, calc(100vh - 360px))' }}>
        <table className="table mapping-table">
          <caption className="visually-hidden">One row per CSV column</caption>
          <thead>
            <tr>
              <th scope="col" className="col-index">
                Index
              </th>
              <th scope="col">CSV column</th>
              <th scope="col">Sample values</th>
              <th scope="col">Field</th>
              <th scope="col">Options</th>
            </tr>
          </thead>
          <tbody>
            {table.headers.map((h, i) => {
              const col = mapping.columns[i];
              const field = col?.apiName ? byApi.get(col.apiName) : undefined;
              const match = matchFor(i);
              const autoApplied = match?.apiName !== null && match?.apiName !== undefined && match.apiName === col?.apiName;
              return (
                <tr key={i}>
                  <td className="col-index mono">{i}</td>
                  <th scope="row" style={{ maxWidth: 200 }}>
                    <TruncatedText text={h || `(column ${i + 1} has no header)`} maxWidth={200} />
                  </th>
                  <td className="col-samples">
                    <div className="samples">
                      {samples[i]?.length ? samples[i].map((s, k) => <TruncatedText key={k} text={s} maxWidth={220} />) : <span>(empty)</span>}
                    </div>
                  </td>
                  <td>
                    {lazyPickers && active !== i ? (
                      // Wide files: a light button per column; the searchable picker mounts when it is used.
                      <button
                        type="button"
                        className="input input--small"
                        style={{ textAlign: 'left', cursor: 'pointer' }}
                        aria-label={`Field for column ${i + 1} “${h}”: ${field ? `${field.label} (${field.apiName})` : 'not imported'}. Press Enter to change.`}
                        onClick={() => setActive(i)}
                      >
                        {field ? `${field.label} (${field.apiName})` : 'Don’t import this column'}
                      </button>
                    ) : (
                      <FieldCombobox
                        label={`Field for column ${i + 1} “${h}”`}
                        hideLabel
                        autoFocus={lazyPickers}
                        options={options}
                        selectedId={col?.apiName ?? '__none__'}
                        onChange={(id) => id !== null && assign(i, id === '__none__' ? null : id)}
                      />
                    )}
                    {autoApplied && match ? <span className="badge badge--accent" title={match.reason}>Auto: {match.reason}</span> : null}
                    {!col?.apiName && match && match.apiName === null && match.reason ? <p className="field__hint">{match.reason}</p> : null}
                    {field?.mandatory ? <span className="badge">mandatory</span> : null}
                    {field?.unique ? <span className="badge">unique</span> : null}
                  </td>
                  <td>
                    {col?.apiName && field ? (
                      <div className="mapping-options">
                        <input
                          className="input input--small"
                          style={{ width: 150 }}
                          aria-label={`Default value for column ${i + 1} “${h}”`}
                          placeholder="Default value"
                          {...form.register(`columns.${i}.defaultValue`, { setValueAs: (v: string) => (v === '' ? null : v) })}
                        />
                        <label className="checkbox">
                          <input type="checkbox" {...form.register(`columns.${i}.ignoreEmpty`, { setValueAs: (v: boolean) => (v ? true : null) })} />
                          Ignore empty
                        </label>
                        {DATE_TYPES.has(field.dataType) ? (
                          <input
                            className="input input--small mono"
                            style={{ width: 150 }}
                            aria-label={`Date format for column ${i + 1} “${h}”`}
                            placeholder={field.dataType === 'date' ? 'yyyy-MM-dd' : "yyyy-MM-dd'T'HH:mm:ssXXX"}
                            {...form.register(`columns.${i}.format`, { setValueAs: (v: string) => (v === '' ? null : v) })}
                          />
                        ) : null}
                        {field.dataType === 'lookup' ? (
                          <input
                            className="input input--small"
                            style={{ width: 150 }}
                            aria-label={`Lookup by (field of ${field.lookupModule ?? 'the looked-up module'}) for column ${i + 1}`}
                            placeholder="Lookup by: id"
                            {...form.register(`columns.${i}.findBy`, { setValueAs: (v: string) => (v === '' ? null : v) })}
                          />
                        ) : null}
                      </div>
                    ) : (
                      <span className="subtle">Not imported</span>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>

      {groups.notWritable.length > 0 ? (
        <details>
          <summary className="subtle">{plural(groups.notWritable.length, 'field')} of this module can’t be written by Bulk Write — why</summary>
          <ul className="issue-list" tabIndex={0}>
            {groups.notWritable.map((n) => (
              <li key={n.field.apiName}>
                <strong>{n.field.label}</strong> ({n.field.apiName}): {n.reason}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </form>
  );
}
