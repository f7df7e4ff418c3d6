// Deleting records (docs/org-apis.md A4): `DELETE /crm/v8/{Module}?ids=` (≤ 100), `DELETE /crm/v8/{Module}/{id}`,
// `POST /crm/v8/{Module}/actions/mass_delete` with `ids` (≤ 500), and the recycle bin list
// `GET /crm/v8/{Module}/deleted?type=`. Requests are strict (the emulator parses them); responses tolerant.
import { z } from 'zod';
import { DIGITS, zohoId, zohoUser } from './common.ts';

export const DELETE_MAX_IDS = 100;
export const MASS_DELETE_MAX_IDS = 500;
export const DELETED_MAX_PER_PAGE = 200;

const digitId = z.string().regex(DIGITS, 'a record id is digits only');

/** The `ids` query parameter, split on commas: 1…100 digit ids. Empty pieces are refused, not skipped. */
export const deleteIdsQuery = z
  .string()
  .min(1)
  .transform((s) => s.split(',').map((x) => x.trim()))
  .pipe(z.array(digitId).min(1).max(DELETE_MAX_IDS));

/** Mass delete by ids (the only form this project uses; `cvid` is refused as not supported). */
export const massDeleteRequest = z.strictObject({
  ids: z
    .array(z.union([digitId, z.number().int().nonnegative().transform(String)]))
    .min(1)
    .max(MASS_DELETE_MAX_IDS),
});
export type MassDeleteRequest = z.input<typeof massDeleteRequest>;

/** One id's answer. Zoho puts the id in `details.id`; both delete forms share the shape (messages differ). */
export const deleteItem = z.looseObject({
  status: z.string(),
  code: z.string(),
  message: z.string().nullish(),
  details: z.looseObject({ id: zohoId.nullish() }).nullish(),
});
export type DeleteItem = z.infer<typeof deleteItem>;

/** 200 (all deleted), 207 (mixed) and 400 (every id failed) all carry `data[]`, one item per id. */
export const deleteResponse = z.looseObject({ data: z.array(deleteItem) });
export type DeleteResponse = z.infer<typeof deleteResponse>;

export const deletedQuery = z.object({
  type: z.enum(['all', 'recycle', 'permanent']).default('all'),
  page: z.coerce.number().int().min(1).default(1),
  per_page: z.coerce.number().int().min(1).max(DELETED_MAX_PER_PAGE).default(DELETED_MAX_PER_PAGE),
});

export const deletedRecord = z.looseObject({
  id: zohoId,
  display_name: z.string().nullish(),
  type: z.string().nullish(),
  deleted_by: zohoUser.nullish(),
  deleted_time: z.string().nullish(),
  created_by: zohoUser.nullish(),
});
export const deletedResponse = z.looseObject({
  data: z.array(deletedRecord),
  info: z.looseObject({ page: z.number(), per_page: z.number(), count: z.number(), more_records: z.boolean() }).nullish(),
});
export type DeletedResponse = z.infer<typeof deletedResponse>;
