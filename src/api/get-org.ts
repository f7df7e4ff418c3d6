// `GET /crm/v8/org` (contract §2): the organisation's zgid, needed as X-CRM-ORG on upload.
import { queryOptions } from '@tanstack/react-query';
import { orgResponse, type OrgResponse } from './contract/org.ts';
import { apiRequest } from './client.ts';
import { connectionKey, type Connection } from './connection.ts';
import { ApiError } from './errors.ts';
import { bulkWriteKeys } from './query-keys.ts';

export async function fetchOrg(conn: Connection, signal?: AbortSignal): Promise<OrgResponse['org'][number]> {
  const action = 'read the organisation';
  const r = await apiRequest(conn, { path: '/crm/v8/org', schema: orgResponse, action, ...(signal ? { signal } : {}) });
  // The schema already requires one entry; this narrows the type (a query must never resolve to undefined).
  const [org] = r.org;
  if (org === undefined) throw new ApiError({ kind: 'parse', action, message: 'the answer names no organisation' });
  return org;
}

export const orgQuery = (conn: Connection) =>
  queryOptions({ queryKey: bulkWriteKeys.org(connectionKey(conn)), queryFn: ({ signal }) => fetchOrg(conn, signal), staleTime: 5 * 60_000 });
