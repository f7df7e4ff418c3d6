// Step 1 — Destination: the connection (built-in emulator by default, or a Zoho CRM org), the module, the
// operation, and for Update/Upsert the field that finds existing records.
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { Connection } from '../../api/connection.ts';
import { describeApiError } from '../../api/errors.ts';
import { fieldsQuery } from '../../api/get-fields.ts';
import { importableModules, modulesQuery } from '../../api/get-modules.ts';
import { Banner } from '../../components/banner/banner.tsx';
import { RadioCards } from '../../components/radio-cards/radio-cards.tsx';
import { SelectField } from '../../components/select-field/select-field.tsx';
import { StepFrame } from '../../components/step-frame/step-frame.tsx';
import type { Operation } from '../../domain/fields/field-meta.ts';
import type { Destination } from '../../domain/wizard/wizard-state.ts';
import { ConnectionPanel, type ConnectionControls } from './connection-panel.tsx';
import { matchFieldOptions } from './match-fields.ts';

const OPERATIONS: { value: Operation; title: string; text: string }[] = [
  { value: 'insert', title: 'Insert', text: 'Add every row as a new record.' },
  { value: 'update', title: 'Update', text: 'Change existing records; rows that match nothing are skipped.' },
  { value: 'upsert', title: 'Upsert', text: 'Update matching records, add the rest as new ones.' },
];

export function DestinationStep(props: {
  connection: Connection | null;
  controls: ConnectionControls;
  initial: Destination | undefined;
  onNext: (d: Destination) => void;
}) {
  const { connection } = props;
  const [module, setModule] = useState(props.initial?.module ?? '');
  const [operation, setOperation] = useState<Operation>(props.initial?.operation ?? 'insert');
  const [findBy, setFindBy] = useState<string>(props.initial?.findBy ?? '');
  const [tried, setTried] = useState(false);

  const modules = useQuery(modulesQuery(connection));
  const fields = useQuery(fieldsQuery(connection, module));
  const moduleOptions = importableModules(modules.data ?? []).map((m) => ({ value: m.api_name, label: m.plural_label ?? m.module_name ?? m.api_name }));
  const matchOptions = matchFieldOptions(fields.data ?? []);
  const needsMatch = operation !== 'insert';
  const findByValid = !needsMatch || matchOptions.some((o) => o.value === findBy);

  const moduleError = tried && !module ? 'Choose the module to import into.' : undefined;
  const matchError =
    tried && needsMatch && !findByValid
      ? `Choose how ${operation === 'update' ? 'Update' : 'Upsert'} finds existing records: a unique field or the record id.`
      : undefined;

  const submit = () => {
    setTried(true);
    if (!connection || !module || !findByValid) return;
    const label = moduleOptions.find((o) => o.value === module)?.label ?? module;
    props.onNext({ connectionKind: connection.kind, module, moduleLabel: label, operation, findBy: needsMatch ? findBy : null });
  };

  return (
    <StepFrame
      title="Where should the records go?"
      lead="Choose the connection, the CRM module and what the import should do with each row."
      primary={
        <button type="button" className="btn btn--primary" onClick={submit}>
          Next
        </button>
      }
    >
      <ConnectionPanel controls={props.controls} />
      {tried && !connection ? (
        <p className="field__error" role="alert">
          {props.controls.choice === 'zoho'
            ? 'Sign in to Zoho CRM (or paste an access token) before choosing the module.'
            : 'The built-in emulator is not connected yet: use Retry above.'}
        </p>
      ) : null}
      {!connection ? null : (
        <>
          {modules.isError ? (
            <Banner tone="error" title="The list of modules could not be loaded">
              <p>{describeApiError(modules.error)}</p>
              <button type="button" className="btn btn--small" onClick={() => void modules.refetch()}>
                Retry
              </button>
            </Banner>
          ) : null}

          <div className="grid-2">
            <SelectField
              label="Module"
              value={module}
              placeholder={modules.isPending ? 'Loading modules…' : 'Choose a module'}
              options={moduleOptions}
              onChange={(v) => {
                setModule(v);
                setFindBy('');
              }}
              error={moduleError}
              hint="One module per import, e.g. Contacts or Leads."
            />
            {needsMatch ? (
              <SelectField
                label="Match records by"
                value={findBy}
                placeholder={!module ? 'Choose a module first' : fields.isPending ? 'Loading fields…' : 'Choose a unique field'}
                options={matchOptions}
                onChange={setFindBy}
                disabled={!module}
                error={matchError}
                hint="Only unique fields and the record id can identify a record."
              />
            ) : null}
          </div>
          {fields.isError ? (
            <Banner tone="error" title="The module's fields could not be loaded">
              <p>{describeApiError(fields.error)}</p>
            </Banner>
          ) : null}

          <RadioCards label="Operation" value={operation} options={OPERATIONS} onChange={(v) => setOperation(v as Operation)} />
        </>
      )}
    </StepFrame>
  );
}
