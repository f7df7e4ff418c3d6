// Synchronous records API (contract §10): read `GET /crm/v8/{Module}[/{id}]`, write `POST|PUT /crm/v8/{Module}`
// and `POST /crm/v8/{Module}/upsert` with up to 100 records, answered per record in request order.
import { z } from 'zod';
import { zohoId } from './common.ts';

export const RECORDS_MAX_PER_REQUEST = 100;
export const RECORDS_MAX_PER_PAGE = 200;

/** A record value on the wire: scalars, string lists (multi-select) or `{id}` lookups. */
export const recordValue = z.union([
  z.string(),
  z.number(),
  z.boolean(),
  z.null(),
  z.array(z.string()),
  z.looseObject({ id: zohoId, name: z.string().nullish() }),
]);
export type RecordValue = z.infer<typeof recordValue>;

export const recordIn = z.record(z.string(), recordValue);

export const recordsWriteRequest = z.object({
  data: z.array(recordIn).min(1).max(RECORDS_MAX_PER_REQUEST),
  duplicate_check_fields: z.array(z.string().min(1)).nullish(),
  trigger: z.array(z.string()).nullish(),
});
export type RecordsWriteRequest = z.infer<typeof recordsWriteRequest>;

export const recordWriteResult = z.looseObject({
  code: z.string(),
  status: z.string(),
  message: z.string().nullish(),
  details: z.record(z.string(), z.unknown()).nullish(),
  action: z.string().nullish(),
});
export const recordsWriteResponse = z.looseObject({ data: z.array(recordWriteResult) });
export type RecordsWriteResponse = z.infer<typeof recordsWriteResponse>;

export const recordOut = z.looseObject({ id: zohoId });
export const recordsInfo = z.looseObject({
  page: z.number(),
  per_page: z.number(),
  count: z.number(),
  more_records: z.boolean(),
});
export const recordsReadResponse = z.looseObject({ data: z.array(recordOut), info: recordsInfo.nullish() });
export type RecordsReadResponse = z.infer<typeof recordsReadResponse>;

/** Query of `GET /crm/v8/{Module}`: fields comma-separated, page ≥ 1, per_page 1…200; `ids` (≤ 100) reads those records. */
export const recordsReadQuery = z.object({
  fields: z.string().optional(),
  ids: z
    .string()
    .regex(/^\d+(,\d+){0,99}$/, 'ids: up to 100 record ids (digits) separated by commas')
    .optional(),
  page: z.coerce.number().int().min(1).default(1),
  per_page: z.coerce.number().int().min(1).max(RECORDS_MAX_PER_PAGE).default(RECORDS_MAX_PER_PAGE),
});
