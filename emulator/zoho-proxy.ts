// Same-origin fallback proxy to Zoho (`/zoho-proxy/{host}/{path…}`) for hosts that do not answer the browser's
// CORS requests. An exact host allowlist (never an open proxy), bodies streamed both ways with size caps,
// Authorization passed through and never stored or logged, redirects followed only to allowed hosts.
import { Hono } from 'hono';
import { zohoProxyHosts } from '../src/domain/connection/data-centres.ts';
import { echo } from './errors.ts';

export interface ZohoProxyOptions {
  /** Host names (no scheme) that may be reached; defaults to every Zoho API/upload/download host of the contract. */
  allowedHosts?: ReadonlySet<string>;
  /** Maps an allowed host to the origin actually dialled. Default `https://{host}`. Tests point it at loopback. */
  upstreamOrigin?: (host: string) => string;
  /** Tell a stand-in upstream which Zoho host was meant (X-Forwarded-Host/Proto). Only with `upstreamOrigin`. */
  announceHost?: boolean;
  maxRequestBytes?: number;
  maxResponseBytes?: number;
  timeoutMs?: number;
}

const FORWARD_REQUEST_HEADERS = ['authorization', 'content-type', 'accept', 'feature', 'x-crm-org', 'if-none-match'];
const FORWARD_RESPONSE_HEADERS = ['content-type', 'content-disposition', 'retry-after', 'etag', 'x-ratelimit-remaining'];
const MAX_REDIRECTS = 3;

export function createZohoProxy(opts: ZohoProxyOptions = {}): Hono {
  const allowed = opts.allowedHosts ?? zohoProxyHosts();
  const upstream = opts.upstreamOrigin ?? ((host: string) => `https://${host}`);
  const maxReq = opts.maxRequestBytes ?? 26 * 1024 * 1024;
  const maxRes = opts.maxResponseBytes ?? 256 * 1024 * 1024;
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const app = new Hono();

  app.all('/zoho-proxy/:host/*', async (c) => {
    const host = c.req.param('host').toLowerCase();
    if (!allowed.has(host)) {
      return c.json(
        { status: 'error', code: 'HOST_NOT_ALLOWED', message: `The proxy only forwards to Zoho CRM hosts; "${echo(host)}" is not one of them.`, details: { host: echo(host) } },
        403,
      );
    }
    const url = new URL(c.req.url);
    const rest = url.pathname.slice(`/zoho-proxy/${c.req.param('host')}`.length) || '/';
    let target = new URL(`${upstream(host)}${rest}${url.search}`);

    const headers = new Headers();
    for (const name of FORWARD_REQUEST_HEADERS) {
      const v = c.req.header(name);
      if (v !== undefined) headers.set(name, v);
    }
    if (opts.announceHost) {
      headers.set('x-forwarded-host', host);
      headers.set('x-forwarded-proto', 'https');
    }
    const declared = Number(c.req.header('content-length') ?? '0');
    if (declared > maxReq) return tooLarge(c, maxReq);

    const method = c.req.method;
    const raw = method !== 'GET' && method !== 'HEAD' ? c.req.raw.body : null;
    const body = raw ? capStream(raw, maxReq) : undefined;
    const signal = AbortSignal.timeout(timeoutMs);

    let res: Response;
    try {
      // Node's fetch needs `duplex: 'half'` to send a streamed body; it is not in the DOM RequestInit type.
      const init: RequestInit & { duplex?: 'half' } = { method, headers, redirect: 'manual', signal };
      if (body) Object.assign(init, { body, duplex: 'half' });
      res = await fetch(target, init);
      for (let hops = 0; isRedirect(res.status) && hops < MAX_REDIRECTS; hops++) {
        const loc = res.headers.get('location');
        if (!loc) break;
        const next = new URL(loc, `https://${host}${rest}`);
        if (next.protocol !== 'https:' || !allowed.has(next.host)) {
          return c.json(
            { status: 'error', code: 'HOST_NOT_ALLOWED', message: `Zoho redirected to "${next.host}", which is not a Zoho CRM host; the proxy did not follow.`, details: { host: next.host } },
            502,
          );
        }
        // A redirected download is fetched with GET and no body, as browsers do for 302/303.
        target = new URL(`${upstream(next.host)}${next.pathname}${next.search}`);
        res = await fetch(target, { method: 'GET', headers, redirect: 'manual', signal });
      }
    } catch (err) {
      if (err instanceof BodyTooLarge || (err instanceof Error && err.cause instanceof BodyTooLarge)) return tooLarge(c, maxReq);
      const reason = signal.aborted ? `no answer within ${Math.round(timeoutMs / 1000)} s` : 'the host could not be reached';
      return c.json(
        { status: 'error', code: 'UPSTREAM_UNREACHABLE', message: `Could not reach ${host}: ${reason}. Check the network or the data centre, then retry.`, details: { host } },
        502,
      );
    }

    const out = new Headers();
    for (const name of FORWARD_RESPONSE_HEADERS) {
      const v = res.headers.get(name);
      if (v !== null) out.set(name, v);
    }
    const len = Number(res.headers.get('content-length') ?? '0');
    if (len > maxRes) {
      await res.body?.cancel();
      return c.json({ status: 'error', code: 'FILE_TOO_LARGE', message: `Zoho's answer is larger than the proxy's ${maxRes} byte cap.`, details: {} }, 502);
    }
    return new Response(res.body ? capStream(res.body, maxRes) : null, { status: res.status, headers: out });
  });

  return app;
}

class BodyTooLarge extends Error {}

function isRedirect(status: number): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}

function tooLarge(c: { json: (b: unknown, s: 413) => Response }, cap: number): Response {
  return c.json({ status: 'error', code: 'FILE_TOO_LARGE', message: `The request body is larger than ${cap} bytes; Zoho accepts ZIPs up to 25 MB.`, details: { limit: cap } }, 413);
}

/** Passes a byte stream through, erroring once more than `cap` bytes went by (so a body is never buffered whole). */
function capStream(src: ReadableStream<Uint8Array>, cap: number): ReadableStream<Uint8Array> {
  let seen = 0;
  return src.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, ctl) {
        seen += chunk.byteLength;
        if (seen > cap) ctl.error(new BodyTooLarge(`body over ${cap} bytes`));
        else ctl.enqueue(chunk);
      },
    }),
  );
}
