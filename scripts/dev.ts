// `npm run dev`: Vite's dev server (HMR) with the emulator started in-process on an ephemeral port behind it.
// API paths are proxied, so the SPA talks to one origin exactly as it does under `npm start`.
import { createServer } from 'vite';
import { startServer } from '../emulator/server.ts';

const port = Number(process.env.PORT ?? 5173);
const viteOrigins = [`http://127.0.0.1:${port}`, `http://localhost:${port}`];
const allow = process.env.CALLBACK_ALLOWLIST?.split(',')
  .map((s) => s.trim())
  .filter(Boolean);

const emulator = await startServer({
  port: 0,
  dataDir: process.env.DATA_DIR ?? '.data',
  admin: process.env.EMULATOR_ADMIN === '1',
  staticDir: null,
  corsOrigins: viteOrigins,
  // Default callback targets = the emulator's own origin + these CORS origins (the Vite origin proxies to it).
  callbackAllowlist: allow ?? [],
  ...(process.env.DAILY_CREDITS ? { dailyCredits: Number(process.env.DAILY_CREDITS) } : {}),
});

const target = emulator.url;
const proxied = ['/crm', '/__emulator', '/zoho-proxy', '/healthz'];
const vite = await createServer({
  server: {
    host: '127.0.0.1',
    port,
    strictPort: true,
    // The Host header is kept (changeOrigin false): the emulator sees a loopback Host and builds absolute URLs
    // (download_url) on the Vite origin, which the proxy serves too.
    proxy: Object.fromEntries(proxied.map((p) => [p, { target, changeOrigin: false, ws: false }])),
  },
});
await vite.listen();
console.log(`Zoho Bulk Import wizard (dev): http://127.0.0.1:${port}/`);
console.log(`Emulator API: ${target} behind the dev server (access token: in the data folder's token file or EMULATOR_TOKEN)`);

let closing = false;
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    if (closing) return;
    closing = true;
    void Promise.all([vite.close(), emulator.close()]).then(() => process.exit(0));
  });
}
