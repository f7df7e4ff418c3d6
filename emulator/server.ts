// The one Node server: built SPA (dist/, SPA fallback) + the Zoho Bulk Write emulator on the same loopback origin.
// startServer() is what `npm start`, scripts/dev.ts, the tests and the bench call (port 0 = ephemeral).
import { serve, type ServerType } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { ownOrigins, tokenMatches } from './auth.ts';
import { CallbackSecrets } from './callback-secret.ts';
import type { Emulator, EmulatorConfig, TestHooks } from './context.ts';
import { freshTestHooks } from './test-hooks.ts';
import { onError, ZohoError } from './errors.ts';
import { EventHub } from './events.ts';
import { isLoopbackHost } from './host-check.ts';
import { JobRunner } from './jobs/runner.ts';
import { JobStore } from './jobs/job-store.ts';
import { registerAdmin } from './routes/admin.ts';
import { BulkReadRunner } from './bulk-read/runner.ts';
import { BulkReadStore } from './bulk-read/store.ts';
import { registerBulkReadCreate } from './routes/bulk-read-create.ts';
import { registerBulkReadDetails } from './routes/bulk-read-details.ts';
import { registerBulkReadResult } from './routes/bulk-read-result.ts';
import { registerUsers } from './routes/users.ts';
import { UserStore } from './store/users.ts';
import { registerCallbackReceiver } from './routes/callback-receiver.ts';
import { registerCreateJob } from './routes/create-job.ts';
import { registerEvents } from './routes/events.ts';
import { registerFields } from './routes/fields.ts';
import { registerJobDetails } from './routes/job-details.ts';
import { registerJobResult } from './routes/job-result.ts';
import { registerModules } from './routes/modules.ts';
import { registerOrg } from './routes/org.ts';
import { registerRecordGet } from './routes/record-get.ts';
import { registerRecordsDelete } from './routes/records-delete.ts';
import { registerRecordsList } from './routes/records-list.ts';
import { registerRecordsInsert } from './routes/records-insert.ts';
import { registerRecordsUpdate } from './routes/records-update.ts';
import { registerRecordsUpsert } from './routes/records-upsert.ts';
import { registerSession } from './routes/session.ts';
import { registerUpload } from './routes/upload.ts';
import { Credits } from './store/credits.ts';
import { openDb } from './store/db.ts';
import { MetadataStore } from './store/metadata.ts';
import { RecordStore } from './store/records.ts';
import { createZohoProxy } from './zoho-proxy.ts';
import { zohoProxyHosts } from '../src/domain/connection/data-centres.ts';

export interface StartOptions {
  port?: number;
  dataDir: string;
  token?: string;
  /** Also accepted as valid tokens (never printed). */
  extraTokens?: string[];
  admin?: boolean;
  /** Append one line per request (time, method, path and query, status, ms — never headers or bodies) here. */
  requestLog?: string;
  /** Send /zoho-proxy traffic to this origin instead of Zoho; 'self' = this emulator (tests stand it in for Zoho). */
  zohoProxyUpstream?: string;
  /** Replaces the proxy's host allowlist (tests only; default: the contract's Zoho hosts). */
  zohoProxyAllowedHosts?: ReadonlySet<string>;
  /** Exact origins; default: the server's own origin. */
  callbackAllowlist?: string[];
  corsOrigins?: string[];
  dailyCredits?: number;
  chunkRows?: number;
  delayMsPerRow?: number;
  /** Start in Zoho quirks mode (emulator/quirks.ts). */
  quirks?: boolean;
  maxCsvBytes?: number;
  callbackTimeoutMs?: number;
  callbackRetries?: number;
  /** Folder of the built SPA; null = API only. Default: ./dist when it exists. */
  staticDir?: string | null;
  /** Fixed clock for tests; default real time. */
  now?: () => Date;
}

export interface RunningServer {
  url: string;
  token: string;
  emulator: Emulator;
  close(): Promise<void>;
}

const JSON_BODY_MAX = 100 * 1024;

/** Token: explicit, else EMULATOR_TOKEN, else the one stored in DATA_DIR, else a new random one (stored 0600). */
function resolveToken(dataDir: string, explicit?: string): string {
  if (explicit) return explicit;
  if (process.env.EMULATOR_TOKEN) return process.env.EMULATOR_TOKEN;
  const file = join(dataDir, 'token');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const token = `1000.${randomBytes(24).toString('hex')}`;
  writeFileSync(file, token, { mode: 0o600 });
  return token;
}

export async function startServer(opts: StartOptions): Promise<RunningServer> {
  const dataDir = resolve(opts.dataDir);
  const { db, ids } = openDb(dataDir);
  const config: EmulatorConfig = {
    dataDir,
    token: resolveToken(dataDir, opts.token),
    extraTokens: opts.extraTokens ?? [],
    admin: opts.admin ?? false,
    callbackAllowlist: opts.callbackAllowlist ?? [],
    corsOrigins: opts.corsOrigins ?? [],
    dailyCredits: opts.dailyCredits ?? 100_000,
    chunkRows: opts.chunkRows ?? 2000,
    maxCsvBytes: opts.maxCsvBytes ?? 25 * 1024 * 1024,
    callbackTimeoutMs: opts.callbackTimeoutMs ?? 5_000,
    callbackRetries: opts.callbackRetries ?? 3,
    quirks: opts.quirks ?? false,
  };
  const hooks: TestHooks = freshTestHooks(config.quirks, opts.delayMsPerRow ?? 0);
  const meta = new MetadataStore(db);
  const records = new RecordStore(db, ids);
  // Pick-list values added inside a rolled-back chunk must not linger in the metadata cache.
  records.onRollback = () => meta.invalidate();
  const now = opts.now ?? (() => new Date());
  const readMeta = <T>(key: string): T => JSON.parse((db.prepare(`SELECT value FROM meta WHERE key = ?`).get(key) as { value: string }).value) as T;
  // The runner needs the emulator and the emulator holds the runner: a getter breaks the cycle.
  const holder: { emu?: Emulator } = {};
  const runner = new JobRunner(() => holder.emu!);
  const bulkReadRunner = new BulkReadRunner(() => holder.emu!);
  const emu: Emulator = {
    config,
    db,
    ids,
    meta,
    records,
    hooks,
    runner,
    now,
    users: new UserStore(db),
    bulkReads: new BulkReadStore(db),
    bulkReadRunner,
    jobs: new JobStore(db),
    credits: new Credits(db, config.dailyCredits),
    events: new EventHub(),
    callbackSecrets: new CallbackSecrets(),
    origin: '',
    org: () => readMeta('org'),
    user: () => readMeta('user'),
  };
  holder.emu = emu;

  const selfOrigins = (): string[] => ownOrigins(emu.origin);
  // Default callback targets: this server's own origins and the trusted app origins (e.g. the Vite dev server
  // that proxies to us). CALLBACK_ALLOWLIST replaces the default entirely.
  const callbackAllowlist = (): string[] => (config.callbackAllowlist.length > 0 ? config.callbackAllowlist : [...selfOrigins(), ...config.corsOrigins]);
  runner.callbackAllowlist = callbackAllowlist;
  bulkReadRunner.callbackAllowlist = callbackAllowlist;

  const app = new Hono();
  app.onError(onError);
  const requestLog = opts.requestLog ? createWriteStream(opts.requestLog, { flags: 'a' }) : null;
  if (requestLog) {
    app.use('*', async (c, next) => {
      const t0 = performance.now();
      await next();
      const u = new URL(c.req.url);
      requestLog.write(`${new Date().toISOString()} ${c.req.method} ${u.pathname}${u.search} ${c.res.status} ${Math.round(performance.now() - t0)}ms\n`);
    });
  }

  // S10: loopback Host only — a DNS-rebinding page cannot talk to the emulator.
  app.use('*', async (c, next) => {
    if (!isLoopbackHost(c.req.header('host'))) {
      return c.json(
        { status: 'error', code: 'FORBIDDEN_HOST', message: 'This server only answers requests addressed to 127.0.0.1, localhost or [::1].', details: {} },
        403,
      );
    }
    await next();
  });
  // Exact-origin CORS allowlist, never `*`.
  app.use('*', async (c, next) => {
    const origin = c.req.header('origin');
    const allowed = origin !== undefined && (selfOrigins().includes(origin) || config.corsOrigins.includes(origin));
    if (c.req.method === 'OPTIONS' && origin !== undefined) {
      if (!allowed) return c.body(null, 403);
      c.header('Access-Control-Allow-Origin', origin);
      c.header('Vary', 'Origin');
      c.header('Access-Control-Allow-Methods', 'GET, POST, PUT, DELETE, OPTIONS');
      c.header('Access-Control-Allow-Headers', 'Authorization, Content-Type, feature, X-CRM-ORG, Idempotency-Key');
      c.header('Access-Control-Max-Age', '600');
      return c.body(null, 204);
    }
    await next();
    if (allowed) {
      c.res.headers.set('Access-Control-Allow-Origin', origin);
      c.res.headers.append('Vary', 'Origin');
      c.res.headers.set('Access-Control-Expose-Headers', 'Retry-After, Content-Disposition');
    }
  });
  app.get('/healthz', (c) => c.json({ ok: true }));

  // Zoho API: throttle hook, then auth, then a JSON body cap on everything but the upload.
  app.use('/crm/*', async (c, next) => {
    const t = hooks.throttle;
    if (t.count > 0) {
      t.count--;
      throw new ZohoError(
        429,
        'TOO_MANY_REQUESTS',
        `Too many requests; retry after ${t.retryAfter} s.`,
        { retry_after: t.retryAfter },
        { 'Retry-After': String(t.retryAfter) },
      );
    }
    const auth = c.req.header('authorization');
    if (!tokenMatches(auth, config.token) && !config.extraTokens.some((t) => tokenMatches(auth, t))) {
      throw new ZohoError(401, 'INVALID_TOKEN', 'invalid oauth token: send "Authorization: Zoho-oauthtoken <token>" with a valid token.', {});
    }
    await next();
  });
  const jsonCap = bodyLimit({
    maxSize: JSON_BODY_MAX,
    onError: () => {
      throw new ZohoError(413, 'REQUEST_ENTITY_TOO_LARGE', `The JSON body is larger than ${JSON_BODY_MAX} bytes.`, { limit: JSON_BODY_MAX });
    },
  });
  // The upload has its own 25 MB cap; every other body is JSON and capped at 100 KB (S11).
  app.use('/crm/*', async (c, next) => {
    if (/\/upload$/.test(new URL(c.req.url).pathname)) await next();
    else {
      const r = await (jsonCap as (ctx: typeof c, n: typeof next) => Promise<Response | void>)(c, next);
      if (r) return r;
    }
  });
  app.use('/__emulator/*', jsonCap);

  registerSession(app, emu);
  registerOrg(app, emu);
  registerModules(app, emu);
  registerFields(app, emu);
  registerUpload(app, emu);
  registerCreateJob(app, emu, callbackAllowlist);
  registerJobDetails(app, emu);
  registerJobResult(app, emu);
  registerBulkReadCreate(app, emu, callbackAllowlist);
  registerBulkReadDetails(app, emu);
  registerBulkReadResult(app, emu);
  // Before the records routes: /crm/v8/users would otherwise read as a module called "users".
  registerUsers(app, emu);
  registerRecordsUpsert(app, emu);
  registerRecordsInsert(app, emu);
  registerRecordsUpdate(app, emu);
  registerRecordsList(app, emu);
  // Before the record GET: `/{Module}/deleted` is not a record id.
  registerRecordsDelete(app, emu);
  registerRecordGet(app, emu);
  registerEvents(app, emu);
  registerCallbackReceiver(app, emu);
  registerAdmin(app, emu);
  const upstream = opts.zohoProxyUpstream;
  app.route(
    '/',
    createZohoProxy({
      ...(upstream ? { upstreamOrigin: () => (upstream === 'self' ? emu.origin : upstream), announceHost: true } : {}),
      ...(opts.zohoProxyAllowedHosts ? { allowedHosts: opts.zohoProxyAllowedHosts } : {}),
    }),
  );

  // Known Zoho paths with a wrong method → INVALID_REQUEST_METHOD; other /crm paths → INVALID_URL_PATTERN.
  app.all('/crm/*', (c) => {
    const path = new URL(c.req.url).pathname;
    const known =
      /^\/crm\/(v[2-8]\/(upload|org|settings\/(modules|fields)|[A-Za-z0-9_]+(\/(upsert|deleted|actions\/mass_delete|\d+))?)|bulk\/v[2-8]\/(write|read)(\/\d+(\/result)?)?)$/.test(
        path,
      );
    if (known) throw new ZohoError(400, 'INVALID_REQUEST_METHOD', `The method ${c.req.method} is not allowed on ${path}.`, {});
    throw new ZohoError(404, 'INVALID_URL_PATTERN', 'Please check if the URL trying to access is a correct one.', {});
  });
  app.all('/__emulator/*', (c) => c.json({ status: 'error', code: 'NOT_FOUND', message: 'No such emulator endpoint.', details: {} }, 404));

  const staticDir = opts.staticDir === undefined ? (existsSync('dist/index.html') ? 'dist' : null) : opts.staticDir;
  if (staticDir) {
    // S7: a strict CSP for the built SPA — scripts and workers only from this origin, API calls only to this origin
    // and Zoho's own hosts, no framing. (The dev server injects inline scripts, so dev does not get this header.)
    const zohoHosts = [...zohoProxyHosts()].map((h) => `https://${h}`).join(' ');
    const csp = [
      "default-src 'self'",
      "script-src 'self'",
      "worker-src 'self' blob:",
      "style-src 'self' 'unsafe-inline'",
      "img-src 'self' data: blob:",
      "font-src 'self' data:",
      `connect-src 'self' ${zohoHosts}`,
      "object-src 'none'",
      "base-uri 'self'",
      "form-action 'self'",
      "frame-ancestors 'none'",
    ].join('; ');
    app.use('/*', async (c, next) => {
      await next();
      if (c.req.method === 'GET' && !c.res.headers.has('Content-Security-Policy')) {
        c.res.headers.set('Content-Security-Policy', csp);
        c.res.headers.set('X-Content-Type-Options', 'nosniff');
        c.res.headers.set('Referrer-Policy', 'no-referrer');
      }
    });
    app.use('/*', serveStatic({ root: staticDir }));
    app.get('/*', serveStatic({ path: join(staticDir, 'index.html') }));
  }

  const server: ServerType = await new Promise((resolveListen) => {
    const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: opts.port ?? 0 }, () => resolveListen(s));
  });
  // S11: slow clients cannot hold sockets forever.
  const http = server as unknown as { headersTimeout: number; requestTimeout: number };
  http.headersTimeout = 10_000;
  http.requestTimeout = 120_000;
  const port = (server.address() as AddressInfo).port;
  emu.origin = `http://127.0.0.1:${port}`;
  runner.start();
  bulkReadRunner.start();

  return {
    url: emu.origin,
    token: config.token,
    emulator: emu,
    async close() {
      await runner.stop();
      await bulkReadRunner.stop();
      await new Promise<void>((r) => {
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
        server.close(() => r());
      });
      db.close();
      await new Promise<void>((r) => (requestLog ? requestLog.end(() => r()) : r()));
    },
  };
}
