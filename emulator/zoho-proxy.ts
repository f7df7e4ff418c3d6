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

  app.all('/zoho-proxy/*', async (c) => {
    const url = new URL(c.req.url);
    // Split the path as it came over the wire (still percent-encoded): the host is the first segment and must be a
    // plain allowlisted name, the rest is forwarded byte for byte. Issue 12 D1: cutting the encoded path at the
    // length of the *decoded* host let `%63%6F…t.zohoapis.com` glue part of the path onto the host.
    const m = /^\/zoho-proxy\/([^/]*)(\/.*)?$/.exec(url.pathname);
    const segment = m?.[1] ?? '';
    const host = segment.toLowerCase();
    if (segment.includes('%') || !allowed.has(host)) {
      return refuse(
        `The proxy only forwards to Zoho CRM hosts, named plainly (no %-escapes); "${echo(segment)}" is not one of them.`,
        { host: echo(segment) },
        403,
      );
    }
    const rest = m?.[2] ?? '/';
    const origin = new URL(upstream(host));
    let target = new URL(`${origin.origin}${rest}${url.search}`);
    // The URL parser cannot move a path into the authority once the origin is fixed; this makes sure of it.
    if (target.origin !== origin.origin) return refuse(`The path "${echo(rest)}" does not stay on ${echo(host)}.`, { host: echo(segment) }, 403);

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
    if (declared > maxReq) return tooLarge(maxReq);

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
          await res.body?.cancel();
          return refuse(`Zoho redirected to "${next.host}", which is not a Zoho CRM host; the proxy did not follow.`, { host: next.host }, 502);
        }
        // A redirected download is fetched with GET and no body, as browsers do for 302/303.
        target = new URL(`${upstream(next.host)}${next.pathname}${next.search}`);
        res = await fetch(target, { method: 'GET', headers, redirect: 'manual', signal });
      }
    } catch (err) {
      if (err instanceof BodyTooLarge || (err instanceof Error && err.cause instanceof BodyTooLarge)) return tooLarge(maxReq);
      const reason = signal.aborted ? `no answer within ${Math.round(timeoutMs / 1000)} s` : 'the host could not be reached';
      return errorResponse(502, 'UPSTREAM_UNREACHABLE', `Could not reach ${host}: ${reason}. Check the network or the data centre, then retry.`, { host });
    }

    const len = Number(res.headers.get('content-length') ?? '0');
    if (len > maxRes) {
      await res.body?.cancel();
      return errorResponse(502, 'FILE_TOO_LARGE', `Zoho's answer is larger than the proxy's ${maxRes} byte cap.`, {});
    }
    // Whatever comes back is served from this app's own origin (where /__emulator/session hands out a token), so
    // only the media types Zoho's API answers with get through; an HTML or script answer is replaced by an error.
    const contentType = res.headers.get('content-type');
    const kind = answerKind(contentType, res.body !== null);
    if (kind === 'refused') {
      await res.body?.cancel();
      const shown = contentType === null ? 'no content type' : `"${mediaType(contentType)}"`;
      return errorResponse(
        502,
        'UPSTREAM_CONTENT_TYPE',
        `${host} answered HTTP ${res.status} with ${shown}, which is not a Zoho API answer (JSON, ZIP, CSV or octet-stream); the proxy does not pass it on. Retry, or check the data centre.`,
        { host, status: res.status },
      );
    }
    const out = new Headers(SAFE_HEADERS);
    for (const name of FORWARD_RESPONSE_HEADERS) {
      const v = res.headers.get(name);
      if (v !== null) out.set(name, v);
    }
    // A file is always a download, never rendered: keep Zoho's file name parameters, force the disposition.
    if (kind === 'file') out.set('content-disposition', `attachment${(res.headers.get('content-disposition') ?? '').replace(/^[^;]*/, '')}`);
    return new Response(res.body ? capStream(res.body, maxRes) : null, { status: res.status, headers: out });
  });

  return app;
}

class BodyTooLarge extends Error {}

/** Sent with every answer of the proxy: the browser must not sniff a type, and nothing served here may run script. */
const SAFE_HEADERS: Readonly<Record<string, string>> = { 'x-content-type-options': 'nosniff', 'content-security-policy': 'sandbox' };
const JSON_TYPES = new Set(['application/json']);
const FILE_TYPES = new Set(['application/zip', 'text/csv', 'application/octet-stream']);

function mediaType(contentType: string): string {
  return contentType.split(';')[0]!.trim().toLowerCase();
}

/** JSON and files pass (files become attachments); a body of any other type, or of no declared type, does not. */
function answerKind(contentType: string | null, hasBody: boolean): 'json' | 'file' | 'empty' | 'refused' {
  if (contentType === null) return hasBody ? 'refused' : 'empty';
  const t = mediaType(contentType);
  if (JSON_TYPES.has(t)) return 'json';
  if (FILE_TYPES.has(t)) return 'file';
  return 'refused';
}

function errorResponse(status: number, code: string, message: string, details: Record<string, unknown>): Response {
  return new Response(JSON.stringify({ status: 'error', code, message, details }), {
    status,
    headers: { ...SAFE_HEADERS, 'content-type': 'application/json; charset=UTF-8' },
  });
}

function refuse(message: string, details: Record<string, unknown>, status: 403 | 502): Response {
  return errorResponse(status, 'HOST_NOT_ALLOWED', message, details);
}

function isRedirect(status: number): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}

function tooLarge(cap: number): Response {
  return errorResponse(413, 'FILE_TOO_LARGE', `The request body is larger than ${cap} bytes; Zoho accepts ZIPs up to 25 MB.`, { limit: cap });
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
