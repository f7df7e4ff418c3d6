// `POST {api-domain}/crm/bulk/v8/write` (contract §4): the job request and its 201 answer.
// The request schema is what the emulator validates with: types checked, unknown keys REFUSED at every level
// (bad-inputs S15, decision 065: a misspelt key such as `ignore_empy` must not be silently dropped), `module` a
// string (v2) or `{api_name}` (v2.1+), file_id digits or int. The one tolerated spelling is the top-level
// `callBack` of Zoho's own sample, which the emulator reads as `callback` before this schema runs.
import { z } from 'zod';
import { zohoId, zohoUser } from './common.ts';

export const OPERATIONS = ['insert', 'update', 'upsert'] as const;

/** A default value is sent as `{ "value": … }`; Zoho echoes it back with `name` and `module`. */
export const defaultValue = z.strictObject({
  value: z.union([z.string(), z.number(), z.boolean()]).transform((v) => String(v)),
});

export const fieldMapping = z.strictObject({
  api_name: z.string().min(1),
  index: z.number().int().nullish(),
  format: z.string().nullish(),
  find_by: z.string().nullish(),
  default_value: defaultValue.nullish(),
  ignore_empty: z.boolean().nullish(),
});
export type FieldMapping = z.infer<typeof fieldMapping>;

export const moduleRef = z.union([
  z
    .string()
    .min(1)
    .transform((api_name) => ({ api_name })),
  z.strictObject({ api_name: z.string().min(1), id: zohoId.nullish() }),
]);

export const resourceRequest = z.strictObject({
  type: z.literal('data').default('data'),
  module: moduleRef,
  file_id: zohoId,
  find_by: z.string().min(1).nullish(),
  ignore_empty: z.boolean().nullish(),
  field_mappings: z.array(fieldMapping).nullish(),
});
export type ResourceRequest = z.infer<typeof resourceRequest>;

export const callbackRequest = z.strictObject({
  url: z.string().nullish(),
  method: z.string(),
});

export const createJobRequest = z.strictObject({
  operation: z.enum(OPERATIONS),
  callback: callbackRequest.nullish(),
  ignore_empty: z.boolean().nullish(),
  character_encoding: z.string().nullish(),
  resource: z.array(resourceRequest).min(1),
});
export type CreateJobRequest = z.infer<typeof createJobRequest>;
/** What a client builds before parsing (module may be a bare string, ids may be numbers). */
export type CreateJobRequestInput = z.input<typeof createJobRequest>;

export const createJobResponse = z.looseObject({
  status: z.literal('success'),
  code: z.string(),
  message: z.string().nullish(),
  details: z.looseObject({ id: zohoId, created_by: zohoUser.nullish() }),
});
export type CreateJobResponse = z.infer<typeof createJobResponse>;

export interface CreateJobResponseOut {
  status: 'success';
  code: 'SUCCESS';
  message: 'success';
  details: { id: string; created_by: { id: string; name: string } };
}
