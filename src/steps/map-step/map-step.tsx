// Step 3 — Map columns: a react-hook-form form (zod resolver over the mapping schema), one row per CSV column with
// its header, index, samples and target field (searchable; auto-matched ones say why), plus default value,
// "ignore empty" and date format. Blocking problems are listed; profiles can be saved, loaded, exported and
// imported as Zoho field_mappings JSON, and one matching these headers is suggested.
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import type { Connection } from '../../api/connection.ts';
import { describeApiError } from '../../api/errors.ts';
import { fieldsQuery } from '../../api/get-fields.ts';
import { usersQuery } from '../../api/get-users.ts';
import { Banner } from '../../components/banner/banner.tsx';
import { StepFrame } from '../../components/step-frame/step-frame.tsx';
import type { ParsedTable } from '../../domain/csv/types.ts';
import { fieldModelFromMeta, isUserLookup, type FieldModel } from '../../domain/fields/field-model.ts';
import type { Mapping } from '../../domain/mapping/mapping.ts';
import type { Destination } from '../../domain/wizard/wizard-state.ts';
import { withRecordId } from '../../lib/record-id-field.ts';
import { MappingForm } from './mapping-form.tsx';

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
  // The users are read only for a module with an owner or user lookup (active and inactive: decision 091).
  const usersQ = useQuery(usersQuery(fields.some((f) => isUserLookup(f) && f.writable.ok) ? props.connection : null));
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
      {fieldsQ.isSuccess ? <MappingForm {...props} fields={fields} users={usersQ} /> : null}
    </StepFrame>
  );
}
