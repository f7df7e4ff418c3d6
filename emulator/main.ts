// Entry point of `npm start`: one Node server on loopback serving the built SPA and the Zoho Bulk Write emulator.
// Configuration comes from the environment (see emulator/README.md).
import { startServer } from './server.ts';

const list = (v: string | undefined): string[] | undefined =>
  v
    ? v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : undefined;
const num = (v: string | undefined): number | undefined => (v !== undefined && v !== '' && Number.isFinite(Number(v)) ? Number(v) : undefined);

const opts: Parameters<typeof startServer>[0] = {
  port: num(process.env.PORT) ?? 4173,
  dataDir: process.env.DATA_DIR ?? '.data',
  admin: process.env.EMULATOR_ADMIN === '1',
  quirks: process.env.EMULATOR_QUIRKS === '1',
};
const allow = list(process.env.CALLBACK_ALLOWLIST);
if (allow) opts.callbackAllowlist = allow;
if (process.env.STATIC_DIR) opts.staticDir = process.env.STATIC_DIR;
if (process.env.REQUEST_LOG) opts.requestLog = process.env.REQUEST_LOG;
// Test-only switches: honoured only with EMULATOR_ADMIN=1, so a normal `npm start` can never be made to accept
// another token or to send /zoho-proxy traffic anywhere but Zoho.
if (opts.admin) {
  const extra = list(process.env.EMULATOR_EXTRA_TOKENS);
  if (extra) opts.extraTokens = extra;
  if (process.env.ZOHO_PROXY_UPSTREAM) opts.zohoProxyUpstream = process.env.ZOHO_PROXY_UPSTREAM;
}
const cors = list(process.env.CORS_ORIGINS);
if (cors) opts.corsOrigins = cors;
const credits = num(process.env.DAILY_CREDITS);
if (credits !== undefined) opts.dailyCredits = credits;
const delay = num(process.env.EMULATOR_DELAY_MS_PER_ROW);
if (delay !== undefined) opts.delayMsPerRow = delay;
const chunk = num(process.env.EMULATOR_CHUNK_ROWS);
if (chunk !== undefined) opts.chunkRows = chunk;

const server = await startServer(opts);
console.log(`Zoho Bulk Import wizard: ${server.url}/`);
// S4: no token in logs. The wizard gets it from a loopback-only endpoint; scripts read it from the file.
console.log(`Emulator API: ${server.url} (access token: ${process.env.EMULATOR_TOKEN ? 'the EMULATOR_TOKEN you set' : `in ${opts.dataDir}/token`})`);

let closing = false;
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    if (closing) return;
    closing = true;
    void server.close().then(() => process.exit(0));
  });
}
