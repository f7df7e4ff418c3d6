// `POST {api-domain}/crm/bulk/v8/read` (docs/org-apis.md §1): starts a Bulk Read job for one page of a module —
// the first page by module + fields, a further page by the previous result's `next_page_token` (or by its number when
// a result says there are more records but gives no token). 50 credits a job.
import { bulkReadCreateResponse, type BulkReadRequestInput } from './contract/bulk-read.ts';
import { apiRequest } from './client.ts';
import type { Connection } from './connection.ts';

export interface BulkReadPageRequest {
  module: string;
  /** Field API names; `id` is always added by Zoho. */
  fields: readonly string[];
  /** The previous page's next_page_token; absent for the first page. */
  pageToken?: string | null;
  /** Without a token: the page number (1 when absent; Zoho takes 1…BULK_READ_MAX_PAGE this way). */
  page?: number;
}

export function bulkReadBody(r: BulkReadPageRequest): BulkReadRequestInput {
  // The token remembers the query, but Zoho's samples send module and fields along; the emulator accepts both.
  return {
    query: {
      module: { api_name: r.module },
      ...(r.fields.length > 0 ? { fields: [...r.fields] } : {}),
      ...(r.pageToken ? { page_token: r.pageToken } : { page: r.page ?? 1 }),
    },
  };
}

/** Returns the new job's id. */
export async function createBulkRead(conn: Connection, r: BulkReadPageRequest, signal?: AbortSignal): Promise<string> {
  const res = await apiRequest(conn, {
    method: 'POST',
    path: '/crm/bulk/v8/read',
    json: bulkReadBody(r),
    schema: bulkReadCreateResponse,
    action: `start reading ${r.module} (Bulk Read${r.pageToken || (r.page ?? 1) > 1 ? ', next page' : ''})`,
    ...(signal ? { signal } : {}),
  });
  return res.data[0]!.details.id;
}
