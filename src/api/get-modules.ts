// `GET /crm/v8/settings/modules` (contract §9): the modules a Bulk Write job can target.
import { queryOptions, skipToken } from '@tanstack/react-query';
import { modulesResponse, type ModuleMeta } from './contract/modules.ts';
import { apiRequest } from './client.ts';
import { connectionKey, type Connection } from './connection.ts';
import { bulkWriteKeys } from './query-keys.ts';

export async function fetchModules(conn: Connection, signal?: AbortSignal): Promise<ModuleMeta[]> {
  const r = await apiRequest(conn, {
    path: '/crm/v8/settings/modules',
    schema: modulesResponse,
    action: 'load the list of modules',
    ...(signal ? { signal } : {}),
  });
  return r.modules;
}

/** Modules worth offering: API-supported and creatable (Zoho flags); unknown flags count as yes. */
export function importableModules(modules: readonly ModuleMeta[]): ModuleMeta[] {
  return modules
    .filter((m) => m.api_supported !== false && m.creatable !== false)
    .sort((a, b) => (a.plural_label ?? a.api_name).localeCompare(b.plural_label ?? b.api_name));
}

/** No connection yet (Zoho chosen, not signed in): nothing is fetched. */
export const modulesQuery = (conn: Connection | null) =>
  queryOptions({
    queryKey: bulkWriteKeys.modules(conn ? connectionKey(conn) : 'none'),
    queryFn: conn ? ({ signal }) => fetchModules(conn, signal) : skipToken,
    staleTime: 5 * 60_000,
  });
