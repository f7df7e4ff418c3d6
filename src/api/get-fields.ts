// `GET /crm/v8/settings/fields?module=X` (contract §9): field metadata in the shared ZohoFieldMeta shape.
import { queryOptions } from '@tanstack/react-query';
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

export const fieldsQuery = (conn: Connection, module: string) =>
  queryOptions({
    queryKey: bulkWriteKeys.fields(connectionKey(conn), module),
    queryFn: ({ signal }) => fetchFields(conn, module, signal),
    staleTime: 60_000,
    enabled: module !== '',
  });
