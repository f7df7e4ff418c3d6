// The mapping form of the Map step: react-hook-form over the mapping schema (zod resolver), one row per CSV
// column, defaults for mandatory fields without a column, the problems that block Next, saved profiles, and the
// fields Bulk Write can't write with the reason.
import { zodResolver } from '@hookform/resolvers/zod';
import type { UseQueryResult } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import type { z } from 'zod';
import { Banner } from '../../components/banner/banner.tsx';
import type { ParsedTable } from '../../domain/csv/types.ts';
import { groupFields, type NotWritableField } from '../../domain/fields/field-groups.ts';
import { isUserLookup, type FieldModel } from '../../domain/fields/field-model.ts';
import { assignColumn, mappingSchema, setDefaultOnly, updateColumn, type Mapping } from '../../domain/mapping/mapping.ts';
import type { OrgUser } from '../../domain/org-check/types.ts';
import type { Destination } from '../../domain/wizard/wizard-state.ts';
import { plural } from '../../lib/format.ts';
import { columnSamples, mappingBlocks, type MappingBlock } from './mapping-checks.ts';
import { MappingRow } from './mapping-row.tsx';
import { displacedNote, initialMapping, pickerOptions } from './mapping-setup.ts';
import { DefaultOwnerPicker, UserColumnOptions } from './owner-controls.tsx';
import { ProfilesBar } from './profiles-bar.tsx';
import { columnReader, ownerField, withUserFindBy } from './user-columns.ts';

export function MappingForm(props: {
  destination: Destination;
  table: ParsedTable;
  initial: Mapping | undefined;
  fields: FieldModel[];
  /** The org's users (all pages, active and inactive); idle when the module has no user field. */
  users: UseQueryResult<OrgUser[]>;
  onNext: (m: Mapping, fields: FieldModel[]) => void;
}) {
  const { table, fields, destination, users } = props;
  const groups = useMemo(() => groupFields(fields), [fields]);
  const valuesOf = useMemo(() => columnReader(table.rows), [table.rows]);
  const auto = useMemo(() => {
    const first = initialMapping(table.headers, fields);
    // A column auto-matched to a user field names users by id or e-mail: its values decide (decision 091).
    let mapping = first.mapping;
    for (const c of mapping.columns)
      if (c.apiName)
        mapping = withUserFindBy(
          mapping,
          c.column,
          fields.find((f) => f.apiName === c.apiName),
          () => valuesOf(c.column),
        );
    return { ...first, mapping };
  }, [table.headers, fields, valuesOf]);
  const form = useForm<z.input<typeof mappingSchema>, unknown, Mapping>({
    resolver: zodResolver(mappingSchema),
    defaultValues: props.initial ?? auto.mapping,
    mode: 'onSubmit',
  });
  const mapping = useWatch({ control: form.control }) as Mapping;
  const [note, setNote] = useState<string | null>(null);
  // One react-aria ComboBox per row made Map’s first render slow (decision 040): a row shows a stand-in until used.
  const [active, setActive] = useState<number | null>(null);
  const [tried, setTried] = useState(false);

  const byApi = useMemo(() => new Map(fields.map((f) => [f.apiName, f])), [fields]);
  const owner = useMemo(() => ownerField(fields), [fields]);
  const options = useMemo(() => pickerOptions(groups), [groups]);
  const samples = useMemo(() => table.headers.map((_, i) => columnSamples(table.rows, i)), [table]);
  const blocks = mappingBlocks(mapping, fields, destination.operation, destination.findBy);
  const unmappedMandatory = blocks.flatMap((b) => {
    const f = b.apiName !== null ? byApi.get(b.apiName) : undefined;
    return f?.mandatory && !mapping.columns.some((c) => c.apiName === f.apiName) ? [f] : [];
  });

  const setMapping = (m: Mapping) => form.reset(m, { keepDefaultValues: true });
  const assign = (column: number, apiName: string | null) => {
    const { mapping: assigned, displaced } = assignColumn(mapping, column, apiName);
    const next = withUserFindBy(assigned, column, apiName ? byApi.get(apiName) : undefined, () => valuesOf(column));
    setMapping(next);
    setNote(displaced !== null && apiName ? displacedNote(apiName, column, displaced, table.headers) : null);
  };

  const submit = form.handleSubmit((values) => {
    setTried(true);
    if (mappingBlocks(values, fields, destination.operation, destination.findBy).length > 0) return;
    props.onNext(values, fields);
  });
  const { errors } = form.formState;

  return (
    <form id="mapping-form" onSubmit={(e) => void submit(e)} noValidate className="stack">
      <ProfilesBar
        module={destination.module}
        headers={table.headers}
        mapping={mapping}
        fields={fields}
        onLoad={(m, msg) => {
          setMapping(m);
          setNote(msg);
        }}
      />
      {note ? (
        <p className="subtle" role="status">
          {note}
        </p>
      ) : null}

      <MappingBlocks blocks={blocks} tried={tried} />
      {errors.columns || errors.defaults ? (
        <Banner tone="error" title="The mapping is not valid">
          <p>{JSON.stringify(errors.columns?.root?.message ?? errors.columns?.message ?? 'A field is mapped twice.')}</p>
        </Banner>
      ) : null}

      <MandatoryDefaults fields={unmappedMandatory} mapping={mapping} onChange={setMapping} />
      {owner ? <DefaultOwnerPicker owner={owner} users={users} mapping={mapping} onChange={setMapping} /> : null}

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
              return (
                <MappingRow
                  key={i}
                  index={i}
                  header={h}
                  samples={samples[i] ?? []}
                  column={col}
                  field={field}
                  match={auto.matches.find((m) => m.column === i)}
                  options={options}
                  active={active === i}
                  onActivate={() => setActive(i)}
                  onAssign={(apiName) => assign(i, apiName)}
                  register={form.register}
                  userOptions={
                    field && isUserLookup(field) ? (
                      <UserColumnOptions
                        column={i}
                        header={h}
                        values={valuesOf(i)}
                        users={users}
                        findBy={col?.findBy === 'email' ? 'email' : null}
                        onFindBy={(f) => setMapping(updateColumn(mapping, i, { findBy: f }))}
                      />
                    ) : undefined
                  }
                />
              );
            })}
          </tbody>
        </table>
      </div>

      <NotWritableList fields={groups.notWritable} />
    </form>
  );
}

function MappingBlocks(props: { blocks: readonly MappingBlock[]; tried: boolean }) {
  const { blocks, tried } = props;
  if (blocks.length === 0) return null;
  return (
    <Banner tone={tried ? 'error' : 'warning'} title={`${plural(blocks.length, 'problem')} to solve before continuing`} live={tried}>
      <ul className="issue-list" tabIndex={0}>
        {blocks.map((b, i) => (
          <li key={i}>{b.message}</li>
        ))}
      </ul>
    </Banner>
  );
}

/** A default value for each mandatory field no column fills (insert/upsert need one or the other). */
function MandatoryDefaults(props: { fields: readonly FieldModel[]; mapping: Mapping; onChange: (m: Mapping) => void }) {
  const { fields, mapping, onChange } = props;
  if (fields.length === 0) return null;
  return (
    <fieldset className="stack" style={{ border: 0, padding: 0, margin: 0 }}>
      <legend className="section-title">Mandatory fields without a column</legend>
      {fields.map((f) => {
        const current = mapping.defaults.find((d) => d.apiName === f.apiName)?.defaultValue ?? '';
        return (
          <label key={f.apiName} className="row">
            <span style={{ minWidth: 220 }}>
              Default for {f.label} ({f.apiName})
            </span>
            <input
              className="input input--small"
              style={{ maxWidth: 320 }}
              value={current}
              onChange={(e) => onChange(setDefaultOnly(mapping, f.apiName, e.currentTarget.value === '' ? null : e.currentTarget.value))}
            />
          </label>
        );
      })}
    </fieldset>
  );
}

function NotWritableList(props: { fields: readonly NotWritableField[] }) {
  const { fields } = props;
  if (fields.length === 0) return null;
  return (
    <details>
      <summary className="subtle">{plural(fields.length, 'field')} of this module can’t be written by Bulk Write — why</summary>
      <ul className="issue-list" tabIndex={0}>
        {fields.map((n) => (
          <li key={n.field.apiName}>
            <strong>{n.field.label}</strong> ({n.field.apiName}): {n.reason}
          </li>
        ))}
      </ul>
    </details>
  );
}
