// `GET {api-domain}/crm/bulk/v8/write/{job_id}` (contract §5) — also the callback body (§6).
// Lenient: `IN PROGRESS` and `INPROGRESS` both become `INPROGRESS`; a relative download_url is kept as given
// (the client resolves it against the API domain); numeric ids become strings; unknown keys are kept.
import { z } from 'zod';
import { zohoId, zohoUser } from './common.ts';

export const JOB_STATUSES = ['ADDED', 'INPROGRESS', 'COMPLETED', 'FAILED'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/** Removes spaces and upper-cases, so `In Progress` / `IN PROGRESS` / `INPROGRESS` all read the same. */
export const jobStatus = z
  .string()
  .transform((s) => s.replace(/\s+/g, '').toUpperCase())
  .pipe(z.enum(JOB_STATUSES));

export const TERMINAL_JOB_STATUSES: readonly JobStatus[] = ['COMPLETED', 'FAILED'];

const countField = z
  .union([z.number(), z.string().regex(/^\d+$/).transform(Number)])
  .nullish()
  .transform((n) => n ?? 0);

export const jobFile = z.looseObject({
  status: jobStatus.nullish(),
  name: z.string().nullish(),
  added_count: countField,
  skipped_count: countField,
  updated_count: countField,
  total_count: countField,
});

export const jobFieldMapping = z.looseObject({
  api_name: z.string(),
  index: z.number().int().nullish(),
  format: z.string().nullish(),
  find_by: z.string().nullish(),
  module: z.unknown().optional(),
  default_value: z.looseObject({ value: z.unknown().optional() }).nullish(),
});

export const jobResource = z.looseObject({
  status: jobStatus.nullish(),
  type: z.string().nullish(),
  code: z.string().nullish(),
  module: z.union([z.string().transform((api_name) => ({ api_name, id: null })), z.looseObject({ api_name: z.string(), id: zohoId.nullish() })]),
  find_by: z.string().nullish(),
  ignore_empty: z.boolean().nullish(),
  field_mappings: z.array(jobFieldMapping).nullish(),
  file: jobFile.nullish(),
});

export const jobDetails = z.looseObject({
  id: zohoId,
  operation: z.string(),
  status: jobStatus,
  character_encoding: z.string().nullish(),
  ignore_empty: z.boolean().nullish(),
  callback: z.looseObject({ url: z.string().nullish(), method: z.string().nullish() }).nullish(),
  created_by: zohoUser.nullish(),
  created_time: z.string().nullish(),
  result: z.looseObject({ download_url: z.string().nullish() }).nullish(),
  resource: z.array(jobResource).default([]),
});
export type JobDetails = z.infer<typeof jobDetails>;

/** Exactly what the emulator sends (strict, stable key set). */
export interface JobFieldMappingOut {
  api_name: string;
  index: number | null;
  format: string | null;
  find_by: string | null;
  module: null;
  default_value: { name: null; module: null; value: string } | null;
}
export interface JobResourceOut {
  status: JobStatus;
  type: 'data';
  code: string;
  module: { api_name: string; id: string };
  find_by: string | null;
  ignore_empty: boolean;
  field_mappings: JobFieldMappingOut[];
  file: {
    status: JobStatus;
    name: string;
    added_count: number;
    skipped_count: number;
    updated_count: number;
    total_count: number;
  };
}
export interface JobDetailsOut {
  id: string;
  operation: 'insert' | 'update' | 'upsert';
  status: JobStatus;
  character_encoding?: string;
  ignore_empty: boolean;
  callback?: { url: string | null; method: string };
  created_by: { id: string; name: string };
  created_time: string;
  result?: { download_url: string };
  resource: JobResourceOut[];
}
