// What is actually sent: only mapped columns (in original column order), their field API names as the header,
// field_mappings renumbered to positions in the SENT file, and the create-job JSON body of contract §4.
import type { Operation } from '../fields/field-meta.ts';
import type { FieldModel } from '../fields/field-model.ts';
import { columnToZoho, type ZohoFieldMapping } from './field-mappings-json.ts';
import { RECORD_ID, type Mapping } from './mapping.ts';
import { userCellToSend } from '../org-check/users.ts';
import type { UserIdColumn } from '../org-check/types.ts';

export interface UploadPlan {
  /** Header of the sent CSV: field API names of the mapped columns. */
  header: string[];
  /** columnSource[i] = original CSV column feeding sent column i. */
  columnSource: number[];
  /** index = position in the sent file; default-only mappings have no index. */
  fieldMappings: ZohoFieldMapping[];
}

/**
 * Project a mapping onto the file to upload. Columns mapped to fields the module lacks or cannot write are not
 * sent (pre-flight reports them); the record-id column (`id`, for find_by id) is sent. `rows` is not read — serialising through `columnSource` is the csv layer's job —
 * but is part of the signature so a caller cannot project without the table it belongs to.
 */
export function projectForUpload(
  headers: readonly string[],
  _rows: unknown,
  mapping: Mapping,
  fields: readonly FieldModel[],
  /**
   * User columns whose cells the worker sends as user ids (docs/org-apis.md A1: the client resolves e-mails to ids):
   * their find_by becomes none (= id), and a default value is resolved the same way.
   */
  userIds: readonly UserIdColumn[] = [],
): UploadPlan {
  const asIds = new Map(userIds.map((u) => [u.column, u]));
  const writable = new Set(fields.filter((f) => f.writable.ok).map((f) => f.apiName));
  writable.add(RECORD_ID);
  const header: string[] = [];
  const columnSource: number[] = [];
  const fieldMappings: ZohoFieldMapping[] = [];
  const sorted = [...mapping.columns].sort((a, b) => a.column - b.column);
  for (const c of sorted) {
    if (c.apiName === null || !writable.has(c.apiName) || c.column >= headers.length) continue;
    const ids = asIds.get(c.column);
    const sent = ids ? { ...c, findBy: null, defaultValue: c.defaultValue === null ? null : userCellToSend(c.defaultValue, ids) } : c;
    fieldMappings.push(columnToZoho(c.apiName, header.length, sent));
    header.push(c.apiName);
    columnSource.push(c.column);
  }
  for (const d of mapping.defaults) {
    if (writable.has(d.apiName)) fieldMappings.push({ api_name: d.apiName, default_value: { value: d.defaultValue } });
  }
  return { header, columnSource, fieldMappings };
}

export interface CreateJobInput {
  operation: Operation;
  /** Module API name. */
  module: string;
  fileId: string;
  fieldMappings: readonly ZohoFieldMapping[];
  /** API name of a unique field or `id`; required for update/upsert, optional for insert. */
  findBy: string | null;
  ignoreEmpty: boolean;
  callbackUrl?: string | null;
}

/** The JSON body of the wire shape, v8 (module as an object). */
export interface CreateJobBody {
  operation: Operation;
  ignore_empty: boolean;
  character_encoding: 'UTF-8';
  callback?: { url: string; method: 'post' };
  resource: [
    {
      type: 'data';
      module: { api_name: string };
      file_id: string;
      find_by?: string;
      field_mappings: ZohoFieldMapping[];
    },
  ];
}

/** Build the create-job body of contract §4 (v8 shape; the client always uploads and declares UTF-8). */
export function buildCreateJobRequest(input: CreateJobInput): CreateJobBody {
  const resource: CreateJobBody['resource'][0] = {
    type: 'data',
    module: { api_name: input.module },
    file_id: input.fileId,
    field_mappings: input.fieldMappings.map((m) => ({ ...m, ...(m.default_value ? { default_value: { ...m.default_value } } : {}) })),
  };
  if (input.findBy !== null && input.findBy !== '') resource.find_by = input.findBy;
  const body: CreateJobBody = {
    operation: input.operation,
    ignore_empty: input.ignoreEmpty,
    character_encoding: 'UTF-8',
    resource: [resource],
  };
  if (input.callbackUrl !== undefined && input.callbackUrl !== null && input.callbackUrl !== '') {
    body.callback = { url: input.callbackUrl, method: 'post' };
  }
  return body;
}
