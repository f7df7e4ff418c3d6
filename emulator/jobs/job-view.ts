// The job-details JSON (contract §5) of a stored job — the body of `GET …/write/{id}` and of the callback POST.
import type { JobDetailsOut } from '../../src/api/contract/job-details.ts';
import type { JobRow } from './job-store.ts';

export function jobDetails(job: JobRow, origin: string, user: { id: string; name: string }): JobDetailsOut {
  const s = job.spec;
  const processing = job.status !== 'ADDED';
  const out: JobDetailsOut = {
    id: job.id,
    operation: job.operation,
    status: job.status,
    ignore_empty: s.ignoreEmpty,
    created_by: { id: user.id, name: user.name },
    created_time: job.createdTime,
    resource: [
      {
        status: job.status,
        type: 'data',
        code: job.status === 'FAILED' ? 'FAILED' : 'SUCCESS',
        module: { api_name: s.module, id: s.moduleId },
        find_by: s.findBy,
        ignore_empty: s.resourceIgnoreEmpty ?? s.ignoreEmpty,
        field_mappings: s.mappings.map((m) => ({
          api_name: m.apiName,
          index: m.index,
          format: m.format,
          find_by: m.findBy,
          module: null,
          default_value: m.defaultValue === null ? null : { name: null, module: null, value: m.defaultValue },
        })),
        file: {
          status: job.status,
          name: s.fileName,
          added_count: job.added,
          skipped_count: job.skipped,
          updated_count: job.updated,
          total_count: job.total,
        },
      },
    ],
  };
  if (processing) out.character_encoding = s.characterEncoding;
  if (s.callback) out.callback = { url: s.callback.url, method: s.callback.method };
  if (job.status === 'COMPLETED') out.result = { download_url: `${origin}/crm/bulk/v8/write/${job.id}/result` };
  return out;
}
