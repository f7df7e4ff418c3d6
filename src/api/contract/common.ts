// Wire pieces shared by several Bulk Write endpoints (contract §2–§5): ids, the Zoho error body, created_by.
// Response schemas are lenient (extra keys kept, numeric ids accepted); request schemas are strict on types.
import { z } from 'zod';

/** Zoho ids travel as digit strings, but the OpenAPI spec says int64: accept both, always hand out a string. */
export const zohoId = z.union([z.string().min(1), z.number().int().nonnegative()]).transform((v) => String(v));

/** Every Zoho error: `{"status":"error","code","message","details"}` (contract §3/§4). */
export const zohoErrorBody = z.looseObject({
  status: z.literal('error'),
  code: z.string(),
  message: z.string().default(''),
  details: z
    .record(z.string(), z.unknown())
    .nullish()
    .transform((d) => d ?? {}),
});
export type ZohoErrorBody = z.infer<typeof zohoErrorBody>;

/** What the emulator sends for an error: exactly the four keys, details always an object. */
export interface ZohoErrorOut {
  status: 'error';
  code: string;
  message: string;
  details: Record<string, unknown>;
}

export const zohoUser = z.looseObject({ id: zohoId, name: z.string().nullish() });
export type ZohoUser = z.infer<typeof zohoUser>;

/** Digits only: the emulator matches every id in a path or body against this before using it. */
export const DIGITS = /^\d+$/;
