// A Bulk Read job as Zoho shows it (docs/org-apis.md §1.5): job details, and the same `{data:[job]}` as the
// callback body. `result` only once the job is terminal; a relative download_url, like Zoho's.
import type { BulkReadJobOut } from '../../src/api/contract/bulk-read.ts';
import type { Emulator } from '../context.ts';
import { criteriaEcho } from './criteria.ts';
import type { BulkReadRow } from './store.ts';

export function bulkReadJobOut(emu: Emulator, job: BulkReadRow): BulkReadJobOut {
  const mod = emu.meta.module(job.module);
  const user = emu.user();
  const s = job.spec;
  const query: BulkReadJobOut['query'] = {
    module: s.moduleAsString ? job.module : { api_name: job.module, id: mod?.info.id ?? '' },
    ...(s.fields !== null ? { fields: s.fields } : {}),
    ...(s.criteria !== null && mod ? { criteria: criteriaEcho(mod, s.criteria) } : {}),
    ...(s.cvid !== null ? { cvid: s.cvid } : {}),
    page: s.page,
    ...(s.pageToken !== null ? { page_token: s.pageToken } : {}),
  };
  const out: BulkReadJobOut = {
    id: job.id,
    operation: 'read',
    state: job.state,
    query,
    created_by: { id: user.id, name: user.name },
    created_time: job.createdTime,
    file_type: 'csv',
  };
  const o = job.outcome;
  if (job.state === 'COMPLETED' && o) {
    out.result = {
      page: s.page,
      per_page: s.pageSize,
      count: o.count,
      download_url: `/crm/bulk/${job.version}/read/${job.id}/result`,
      more_records: o.moreRecords,
      ...(o.nextPageToken !== null && emu.hooks.bulkRead.pageTokens ? { next_page_token: o.nextPageToken } : {}),
    };
  } else if (job.state === 'FAILURE' && o?.error) {
    out.result = { error_message: { status: 'error', code: o.error.code, message: o.error.message, details: {} } };
  }
  return out;
}
