// `GET /crm/v8/org` (contract §2): the organisation's zgid, needed as X-CRM-ORG on upload.
import { queryOptions } from '@tanstack/react-query';
import { orgResponse } from './contract/org.ts';
import { apiRequest } from './client.ts';
import { connectionKey, type Connection } from './connection.ts';
import { bulkWriteKeys } from './query-keys.ts';

export async function fetchOrg(conn: Connection, signal?: AbortSignal) {
  const r = await apiRequest(conn, { path: '/crm/v8/org', schema: orgResponse, action: 'read the organisation', ...(signal ? { signal } : {}) });
  return r.org[0];
}

export const orgQuery = (conn: Connection) =>
  queryOptions({ queryKey: bulkWriteKeys.org(connectionKey(conn)), queryFn: ({ signal }) => fetchOrg(conn, signal), staleTime: 5 * 60_000 });
