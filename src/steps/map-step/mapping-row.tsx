// One row of the mapping table: the CSV column (index, header, samples), its field picker with the auto-match
// reason and field badges, and the per-column options (default, ignore empty, date format, lookup-by).
import type { ReactNode } from 'react';
import type { UseFormRegister } from 'react-hook-form';
import type { z } from 'zod';
import { FieldCombobox, type ComboOption } from '../../components/field-combobox/field-combobox.tsx';
import { TruncatedText } from '../../components/truncated-text/truncated-text.tsx';
import type { FieldModel } from '../../domain/fields/field-model.ts';
import type { HeaderMatch } from '../../domain/mapping/auto-match.ts';
import type { mappingSchema, Mapping } from '../../domain/mapping/mapping.ts';
import { NOT_IMPORTED } from './mapping-setup.ts';

const DATE_TYPES = new Set(['date', 'datetime']);

type MappingRegister = UseFormRegister<z.input<typeof mappingSchema>>;

export function MappingRow(props: {
  index: number;
  header: string;
  samples: readonly string[];
  column: Mapping['columns'][number] | undefined;
  field: FieldModel | undefined;
  match: HeaderMatch | undefined;
  options: readonly ComboOption[];
  active: boolean;
  onActivate: () => void;
  onAssign: (apiName: string | null) => void;
  register: MappingRegister;
  /** Under an owner / user-lookup field: how the cells name users and how they resolve. */
  userOptions?: ReactNode;
}) {
  const { index: i, header: h, samples, column: col, field, match } = props;
  // The press must not also move the focus: the stand-in is gone by then, and the picker has taken it.
  const activateByPointer = (e: { preventDefault: () => void }): void => {
    e.preventDefault();
    props.onActivate();
  };
  const autoApplied = match?.apiName !== null && match?.apiName !== undefined && match.apiName === col?.apiName;
  return (
    <tr>
      <td className="col-index mono">{i}</td>
      <th scope="row" style={{ maxWidth: 200 }}>
        <TruncatedText text={h || `(column ${i + 1} has no header)`} maxWidth={200} />
      </th>
      <td className="col-samples">
        <div className="samples">{samples.length ? samples.map((s, k) => <TruncatedText key={k} text={s} maxWidth={220} />) : <span>(empty)</span>}</div>
      </td>
      <td>
        {!props.active ? (
          // A stand-in that looks, reads and is named like the picker: the searchable picker (a react-aria ComboBox,
          // ~15 ms each to mount) replaces it as soon as it is focused or pressed, with the focus (decision 040).
          <div className="combo">
            <div className="combo__control">
              <input
                className="input input--small"
                role="combobox"
                aria-expanded={false}
                aria-autocomplete="list"
                aria-label={`Field for column ${i + 1} “${h}”`}
                readOnly
                value={field ? `${field.label} (${field.apiName})` : 'Don’t import this column'}
                onFocus={props.onActivate}
                onPointerDown={activateByPointer}
              />
              <span className="combo__button" aria-hidden="true" onPointerDown={activateByPointer}>
                ▾
              </span>
            </div>
          </div>
        ) : (
          <FieldCombobox
            label={`Field for column ${i + 1} “${h}”`}
            hideLabel
            autoFocus
            options={props.options}
            selectedId={col?.apiName ?? NOT_IMPORTED}
            onChange={(id) => id !== null && props.onAssign(id === NOT_IMPORTED ? null : id)}
          />
        )}
        {autoApplied && match ? (
          <span className="badge badge--accent" title={match.reason}>
            Auto: {match.reason}
          </span>
        ) : null}
        {!col?.apiName && match && match.apiName === null && match.reason ? <p className="field__hint">{match.reason}</p> : null}
        {field?.mandatory ? <span className="badge">mandatory</span> : null}
        {field?.unique ? <span className="badge">unique</span> : null}
      </td>
      <td>
        {col?.apiName && field ? <ColumnOptions index={i} header={h} field={field} register={props.register} /> : <span className="subtle">Not imported</span>}
        {col?.apiName && field ? props.userOptions : null}
      </td>
    </tr>
  );
}

function ColumnOptions(props: { index: number; header: string; field: FieldModel; register: MappingRegister }) {
  const { index: i, header: h, field, register } = props;
  // An empty input means "not set" (null in the mapping), never an empty-string value sent to Zoho.
  const nullIfEmpty = { setValueAs: (v: string) => (v === '' ? null : v) };
  return (
    <div className="mapping-options">
      <input
        className="input input--small"
        style={{ width: 150 }}
        aria-label={`Default value for column ${i + 1} “${h}”`}
        placeholder="Default value"
        {...register(`columns.${i}.defaultValue`, nullIfEmpty)}
      />
      <label className="checkbox">
        <input
          type="checkbox"
          aria-label={`Ignore empty cells of column ${i + 1} “${h}”`}
          {...register(`columns.${i}.ignoreEmpty`, { setValueAs: (v: boolean) => (v ? true : null) })}
        />
        Ignore empty
      </label>
      {DATE_TYPES.has(field.dataType) ? (
        <input
          className="input input--small mono"
          style={{ width: 150 }}
          aria-label={`Date format for column ${i + 1} “${h}”`}
          placeholder={field.dataType === 'date' ? 'yyyy-MM-dd' : "yyyy-MM-dd'T'HH:mm:ssXXX"}
          {...register(`columns.${i}.format`, nullIfEmpty)}
        />
      ) : null}
      {field.dataType === 'lookup' ? (
        <input
          className="input input--small"
          style={{ width: 150 }}
          aria-label={`Lookup by (field of ${field.lookupModule ?? 'the looked-up module'}) for column ${i + 1}`}
          placeholder="Lookup by: id"
          {...register(`columns.${i}.findBy`, nullIfEmpty)}
        />
      ) : null}
    </div>
  );
}
