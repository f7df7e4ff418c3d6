// Entry point of `npm start`: one Node server on loopback serving the built SPA and the Bulk Write emulator.
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { serveStatic } from '@hono/node-server/serve-static';

const port = Number(process.env.PORT ?? 4173);
const app = new Hono();
app.get('/healthz', (c) => c.json({ ok: true }));
app.use('/*', serveStatic({ root: './dist' }));
app.get('/*', serveStatic({ path: './dist/index.html' }));
serve({ fetch: app.fetch, hostname: '127.0.0.1', port }, (info) => {
  console.log(`Zoho Bulk Import wizard: http://127.0.0.1:${info.port}/`);
});
