// `GET /crm/v8/settings/fields?module=X` (contract §9): field metadata in the shared ZohoFieldMeta shape.
import { queryOptions, skipToken } from '@tanstack/react-query';
import type { ZohoFieldMeta } from '../domain/fields/field-meta.ts';
import { fieldsResponse, parseFieldsResponse } from './contract/fields.ts';
import { apiRequest } from './client.ts';
import { connectionKey, type Connection } from './connection.ts';
import { bulkWriteKeys } from './query-keys.ts';

export async function fetchFields(conn: Connection, module: string, signal?: AbortSignal): Promise<ZohoFieldMeta[]> {
  const raw = await apiRequest(conn, {
    path: '/crm/v8/settings/fields',
    query: { module },
    schema: fieldsResponse,
    action: `load the fields of ${module}`,
    ...(signal ? { signal } : {}),
  });
  return parseFieldsResponse(raw);
}

/** No connection yet (Zoho chosen, not signed in) or no module: nothing is fetched. */
export const fieldsQuery = (conn: Connection | null, module: string) =>
  queryOptions({
    queryKey: bulkWriteKeys.fields(conn ? connectionKey(conn) : 'none', module),
    queryFn: conn && module !== '' ? ({ signal }) => fetchFields(conn, module, signal) : skipToken,
    staleTime: 60_000,
  });
