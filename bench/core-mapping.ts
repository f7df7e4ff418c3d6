// The mapping the bench validates and sends with: the emulator's seed Leads fields, auto-matched to the headers.
import { SEED_MODULES } from '../emulator/store/seed-metadata.ts';
import { fieldModelFromMeta, type FieldModel } from '../src/domain/fields/field-model.ts';
import { autoMatch } from '../src/domain/mapping/auto-match.ts';
import { assignColumn, emptyMapping, type Mapping } from '../src/domain/mapping/mapping.ts';
import { projectForUpload } from '../src/domain/mapping/project-for-upload.ts';

export interface BenchMapping {
  mapping: Mapping;
  fields: FieldModel[];
  header: string[];
  columnSource: number[];
}

export function benchMapping(headers: readonly string[]): BenchMapping {
  const leads = SEED_MODULES.find((m) => m.api_name === 'Leads');
  if (!leads) throw new Error('seed Leads module missing');
  const fields = leads.fields.map(fieldModelFromMeta);
  let mapping = emptyMapping(headers.length);
  for (const m of autoMatch(headers, fields)) {
    if (m.apiName !== null) mapping = assignColumn(mapping, m.column, m.apiName).mapping;
  }
  const plan = projectForUpload(headers, null, mapping, fields);
  return { mapping, fields, header: plan.header, columnSource: plan.columnSource };
}
