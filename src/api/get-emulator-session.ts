// `GET /__emulator/session` (same origin, emulator only): the token and hosts of the built-in emulator, turned
// into a Connection whose token stays in a closure.
import { queryOptions } from '@tanstack/react-query';
import { emulatorSession } from './contract/emulator.ts';
import { memoryToken, type Connection } from './connection.ts';
import { ApiError } from './errors.ts';
import { bulkWriteKeys } from './query-keys.ts';

export async function fetchEmulatorConnection(origin: string, signal?: AbortSignal): Promise<Connection> {
  const action = 'reach the built-in emulator';
  let res: Response;
  try {
    res = await fetch(new URL('/__emulator/session', origin), { headers: { Accept: 'application/json' }, credentials: 'omit', ...(signal ? { signal } : {}) });
  } catch (e) {
    throw new ApiError({ kind: 'network', action, message: e instanceof Error ? e.message : 'network error' });
  }
  if (!res.ok)
    throw new ApiError({
      kind: 'http',
      action,
      status: res.status,
      message: 'the emulator session endpoint answered with an error (it only answers on 127.0.0.1/localhost)',
    });
  const parsed = emulatorSession.safeParse(await res.json().catch(() => null));
  if (!parsed.success) throw new ApiError({ kind: 'parse', action, message: 'unexpected session shape' });
  const s = parsed.data;
  return {
    kind: 'emulator',
    apiDomain: s.apiDomain || origin,
    uploadHost: s.uploadHost || origin,
    zgid: s.zgid,
    getToken: memoryToken(s.token),
  };
}

/** The session is fetched once per page load; the token is never refetched into a cache that persists. */
export const emulatorConnectionQuery = (origin: string) =>
  queryOptions({
    queryKey: bulkWriteKeys.session(origin),
    queryFn: ({ signal }) => fetchEmulatorConnection(origin, signal),
    staleTime: Infinity,
    gcTime: Infinity,
    retry: 1,
  });
