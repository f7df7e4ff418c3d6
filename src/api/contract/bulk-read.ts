// Bulk Read (docs/org-apis.md §1): `POST {api-domain}/crm/bulk/{v2…v8}/read`, `GET …/read/{id}`,
// `GET …/read/{id}/result` (a ZIP `{id}.zip` holding `{id}.csv`).
// The request schema is what the emulator validates with: types checked, unknown keys stripped, `module` a string
// (v2) or `{api_name}` (v2.1+), a condition naming its field as `{field:{api_name}}` (v2.1+) or `api_name` (v2).
// The response schemas are what the client parses with, and tolerate every variant Zoho's pages disagree on:
// `IN PROGRESS` / `INPROGRESS` / `In Progress`, `FAILURE` / `FAILED`, numeric ids, numbers sent as strings,
// a relative `download_url`, `result` missing until the job completes, unknown keys.
import { z } from 'zod';
import { headerIndex } from '../../domain/org-check/snapshot.ts';
import { zohoId, zohoUser } from './common.ts';

/** Records in one Bulk Read page (one job); the next page is another job created with `page_token`. */
export const BULK_READ_PER_PAGE = 200_000;
/** Credits a Bulk Read job costs from the daily budget (project decision, docs/org-apis.md A2). */
export const BULK_READ_CREDITS = 50;
/** At most this many conditions in one criteria tree (`CRITERIA_LIMIT_EXCEEDED`). */
export const BULK_READ_MAX_CRITERIA = 25;
/** At most this many values in one `in` / `not_in` list (`VALUE_LIMIT_EXCEEDED_IN_CRITERIA`). */
export const BULK_READ_MAX_CRITERIA_VALUES = 200;
/** At most this many entries in `query.fields`. */
export const BULK_READ_MAX_FIELDS = 1000;
/** Highest `page` number the create call accepts (`PAGE_RANGE_EXCEEDED`); beyond, only `page_token` goes on. */
export const BULK_READ_MAX_PAGE = 50;
/** Bulk Read result downloads allowed per minute before Zoho answers 429. */
export const BULK_READ_DOWNLOADS_PER_MINUTE = 10;

export const BULK_READ_COMPARATORS = [
  'equal',
  'not_equal',
  'in',
  'not_in',
  'less_than',
  'less_equal',
  'greater_than',
  'greater_equal',
  'contains',
  'not_contains',
  'starts_with',
  'ends_with',
  'between',
  'not_between',
] as const;
export type BulkReadComparator = (typeof BULK_READ_COMPARATORS)[number];

/** Comparators whose value is a JSON array (`between` takes exactly two). */
export const LIST_COMPARATORS: ReadonlySet<BulkReadComparator> = new Set(['in', 'not_in', 'between', 'not_between']);

// ---------------------------------------------------------------- request (the emulator validates with these)

const criteriaScalar = z.union([z.string(), z.number(), z.boolean()]);

/** One condition after parsing: the field name flattened whichever form it came in. */
export interface BulkReadCondition {
  api_name: string;
  comparator: BulkReadComparator;
  value: string | number | boolean | (string | number | boolean)[];
}
/** A group of conditions or groups, joined by `and` / `or`. */
export interface BulkReadGroup {
  group_operator: 'and' | 'or';
  group: BulkReadCriteria[];
}
export type BulkReadCriteria = BulkReadCondition | BulkReadGroup;

const conditionIn = z
  .object({
    field: z.object({ api_name: z.string().min(1), id: zohoId.nullish() }).optional(),
    api_name: z.string().min(1).optional(),
    comparator: z.enum(BULK_READ_COMPARATORS),
    value: z.union([criteriaScalar, z.array(criteriaScalar)]),
    type: z.literal('value').optional(),
  })
  .refine((c) => c.field !== undefined || c.api_name !== undefined, { message: 'A condition needs field.api_name (or api_name in v2).' })
  .transform((c): BulkReadCondition => ({ api_name: c.field?.api_name ?? c.api_name!, comparator: c.comparator, value: c.value }));

const groupIn: z.ZodType<BulkReadGroup, unknown> = z.lazy(() =>
  z.object({
    group_operator: z.enum(['and', 'or']),
    group: z.array(criteriaIn).min(1),
  }),
);

/** A criteria tree: a single condition or a (nestable) group. */
export const criteriaIn: z.ZodType<BulkReadCriteria, unknown> = z.lazy(() => z.union([groupIn, conditionIn]));

/** `query.module`: a bare string in v2, `{api_name}` (Zoho adds `id` in the echo) from v2.1 on. */
export const bulkReadModuleRef = z.union([
  z
    .string()
    .min(1)
    .transform((api_name) => ({ api_name })),
  z.object({ api_name: z.string().min(1), id: zohoId.nullish() }).transform((m) => ({ api_name: m.api_name })),
]);

export const bulkReadQueryIn = z.object({
  /** Required unless `page_token` continues an earlier read (the token remembers the module). */
  module: bulkReadModuleRef.optional(),
  fields: z.array(z.string().min(1)).max(BULK_READ_MAX_FIELDS).nullish(),
  cvid: zohoId.nullish(),
  criteria: criteriaIn.nullish(),
  /** Range (1…BULK_READ_MAX_PAGE) is checked by the emulator so it can answer PAGE_RANGE_EXCEEDED. */
  page: z.number().int().nullish(),
  page_token: z.string().min(1).nullish(),
  file_type: z.string().nullish(),
});

export const bulkReadRequest = z.object({
  /** `method` must be `post`; checked by the emulator so it can answer INVALID_CALLBACK_METHOD. */
  callback: z.object({ url: z.string().min(1), method: z.string() }).nullish(),
  file_type: z.string().nullish(),
  query: bulkReadQueryIn,
});
export type BulkReadRequest = z.infer<typeof bulkReadRequest>;
/** What a client builds (module as `{api_name}`, conditions with `field: {api_name}`). */
export type BulkReadRequestInput = z.input<typeof bulkReadRequest>;

/** Counts the conditions of a parsed tree (groups do not count), for the 25-condition limit. */
export function countConditions(c: BulkReadCriteria): number {
  return 'group' in c ? c.group.reduce((n, g) => n + countConditions(g), 0) : 1;
}

// ---------------------------------------------------------------- responses (the client parses with these)

export const BULK_READ_STATES = ['ADDED', 'QUEUED', 'INPROGRESS', 'COMPLETED', 'FAILURE'] as const;
export type BulkReadState = (typeof BULK_READ_STATES)[number];

/** `IN PROGRESS`, `In Progress`, `IN_PROGRESS` → `INPROGRESS`; `FAILED` → `FAILURE`. */
export const bulkReadState = z
  .string()
  .transform((s) => {
    const k = s.replace(/[\s_]+/g, '').toUpperCase();
    return k === 'FAILED' ? 'FAILURE' : k;
  })
  .pipe(z.enum(BULK_READ_STATES));

export const TERMINAL_BULK_READ_STATES: readonly BulkReadState[] = ['COMPLETED', 'FAILURE'];

const count = z.union([z.number(), z.string().regex(/^\d+$/).transform(Number)]);
const bool = z.union([z.boolean(), z.enum(['true', 'false']).transform((s) => s === 'true')]);

/** `result` of a job: download fields once COMPLETED, `error_message` on FAILURE. */
export const bulkReadResult = z.looseObject({
  page: count.nullish(),
  per_page: count.nullish(),
  count: count.nullish(),
  /** Usually relative (`/crm/bulk/v8/read/{id}/result`): resolve it against the API domain. */
  download_url: z.string().nullish(),
  more_records: bool.nullish().transform((b) => b ?? false),
  next_page_token: z.string().nullish(),
  error_message: z
    .looseObject({ status: z.string().nullish(), code: z.string().nullish(), message: z.string().nullish(), details: z.unknown().optional() })
    .nullish(),
});
export type BulkReadResult = z.infer<typeof bulkReadResult>;

export const bulkReadJob = z.looseObject({
  id: zohoId,
  operation: z.string().nullish(),
  state: bulkReadState,
  query: z
    .looseObject({
      module: z.union([z.string().transform((api_name) => ({ api_name, id: null })), z.looseObject({ api_name: z.string(), id: zohoId.nullish() })]).nullish(),
      fields: z.array(z.string()).nullish(),
      page: count.nullish(),
      page_token: z.string().nullish(),
      criteria: z.unknown().optional(),
      cvid: zohoId.nullish(),
    })
    .nullish(),
  created_by: zohoUser.nullish(),
  created_time: z.string().nullish(),
  file_type: z.string().nullish(),
  result: bulkReadResult.nullish(),
});
export type BulkReadJob = z.infer<typeof bulkReadJob>;

/** `GET …/read/{id}` and the callback body: `{data:[job]}`. */
export const bulkReadDetailsResponse = z.looseObject({ data: z.array(bulkReadJob).min(1) });

/** 201 of the create call: `{data:[{status:"success", code:"ADDED_SUCCESSFULLY", details:{id, state, …}}], info:{}}`. */
export const bulkReadCreateResponse = z.looseObject({
  data: z
    .array(
      z.looseObject({
        status: z.string().nullish(),
        code: z.string().nullish(),
        message: z.string().nullish(),
        details: z.looseObject({
          id: zohoId,
          operation: z.string().nullish(),
          state: bulkReadState.nullish(),
          created_by: zohoUser.nullish(),
          created_time: z.string().nullish(),
        }),
      }),
    )
    .min(1),
  info: z.unknown().optional(),
});
export type BulkReadCreateResponse = z.infer<typeof bulkReadCreateResponse>;

/**
 * Index of a column in a Bulk Read CSV header, found by name and case-insensitively (never by position: Zoho's
 * header case and order are not documented). -1 when absent.
 */
export const bulkReadColumn: (header: readonly string[], apiName: string) => number = headerIndex;

// ---------------------------------------------------------------- exactly what the emulator sends

export type BulkReadStateOut = 'ADDED' | 'QUEUED' | 'IN PROGRESS' | 'COMPLETED' | 'FAILURE';

export interface BulkReadConditionOut {
  field: { api_name: string; id: string | null };
  comparator: BulkReadComparator;
  value: BulkReadCondition['value'];
}
export interface BulkReadGroupOut {
  group_operator: 'and' | 'or';
  group: (BulkReadConditionOut | BulkReadGroupOut)[];
}

export interface BulkReadJobOut {
  id: string;
  operation: 'read';
  state: BulkReadStateOut;
  query: {
    module: { api_name: string; id: string } | string;
    fields?: string[];
    criteria?: BulkReadConditionOut | BulkReadGroupOut;
    cvid?: string;
    page: number;
    page_token?: string;
  };
  created_by: { id: string; name: string };
  created_time: string;
  file_type: 'csv';
  result?:
    | {
        page: number;
        per_page: number;
        count: number;
        download_url: string;
        more_records: boolean;
        next_page_token?: string;
      }
    | {
        error_message: { status: 'error'; code: string; message: string; details: Record<string, unknown> };
      };
}

export interface BulkReadCreateOut {
  data: [
    {
      status: 'success';
      code: 'ADDED_SUCCESSFULLY';
      message: 'Added successfully.';
      details: { id: string; operation: 'read'; state: 'ADDED'; created_by: { id: string; name: string }; created_time: string };
    },
  ];
  info: Record<string, never>;
}
