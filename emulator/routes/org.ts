// GET /crm/v8/org — the organisation (contract §2); its zgid is what uploads send in X-CRM-ORG.
import type { Hono } from 'hono';
import type { Emulator } from '../context.ts';

export function registerOrg(app: Hono, emu: Emulator): void {
  app.get('/crm/:version{v[2-8]}/org', (c) => c.json({ org: [emu.org()] }));
}
