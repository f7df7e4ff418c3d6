// How calls to Zoho travel: straight from the browser (CORS, as Zoho documents for client-based apps) or, when
// the browser cannot reach a Zoho host directly, through this app's own server at `/zoho-proxy/{host}/{path}`.
// The switch happens once per connection, automatically, and is explained to the user (contract §2).
import { ApiError } from './errors.ts';

export type TransportMode = 'direct' | 'proxy';

export interface TransportState {
  mode: TransportMode;
  /** Why the proxy is in use, in words; null while direct. */
  reason: string | null;
}

/** Closures, not methods: `state` and `subscribe` are handed to React's useSyncExternalStore as they are. */
export interface Transport {
  state: () => TransportState;
  /** Origin that serves `/zoho-proxy` (this page's own origin); null = no proxy available. */
  readonly proxyOrigin: string | null;
  switchToProxy: (reason: string) => void;
  subscribe: (listener: (s: TransportState) => void) => () => void;
}

export function createTransport(p: { proxyOrigin: string | null; mode?: TransportMode; reason?: string }): Transport {
  let state: TransportState = { mode: p.mode ?? 'direct', reason: p.mode === 'proxy' ? (p.reason ?? 'Chosen when connecting.') : null };
  const listeners = new Set<(s: TransportState) => void>();
  return {
    proxyOrigin: p.proxyOrigin,
    state: () => state,
    switchToProxy: (reason) => {
      if (state.mode === 'proxy' || p.proxyOrigin === null) return;
      state = { mode: 'proxy', reason };
      for (const l of listeners) l(state);
    },
    subscribe: (listener) => {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
}

/** The URL actually requested: the Zoho URL itself, or its same-origin proxy form. */
export function physicalUrl(transport: Transport | undefined, url: URL): URL {
  if (!transport || transport.state().mode === 'direct' || transport.proxyOrigin === null) return url;
  // Already same-origin with the proxy: nothing to route around.
  if (url.origin === new URL(transport.proxyOrigin).origin) return url;
  return new URL(`/zoho-proxy/${url.host}${url.pathname}${url.search}`, transport.proxyOrigin);
}

/**
 * Runs `send` against the physical URL. A network failure of a direct call (which is how a CORS refusal looks
 * from script) switches the connection to the proxy; the call is then repeated through it when `replay` is true
 * (reads, uploads — repeating them cannot create anything twice). A non-replayable call (create job) is not sent
 * again: the caller gets the network error and decides, and every later call goes through the proxy.
 */
export async function sendWithFallback<T>(
  transport: Transport | undefined,
  url: URL,
  o: { replay: boolean; signal?: AbortSignal | undefined },
  send: (physical: URL) => Promise<T>,
): Promise<T> {
  const before = transport?.state().mode ?? 'direct';
  try {
    return await send(physicalUrl(transport, url));
  } catch (e) {
    if (!transport || transport.proxyOrigin === null || before !== 'direct' || o.signal?.aborted) throw e;
    if (!(e instanceof ApiError) || e.kind !== 'network') throw e;
    transport.switchToProxy(
      `Your browser could not call ${url.host} directly (${e.message}) — usually because that host does not answer cross-origin (CORS) requests from this page. ` +
        'Calls now go through this app’s own server (/zoho-proxy), which forwards them unchanged to Zoho’s hosts only and never stores or logs the token.',
    );
    if (!o.replay) throw e;
    return send(physicalUrl(transport, url));
  }
}
