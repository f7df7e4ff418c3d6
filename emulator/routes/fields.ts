// GET /crm/v8/settings/fields?module=X — field metadata (contract §9), including pick-list values jobs added.
import type { Hono } from 'hono';
import type { Emulator } from '../context.ts';
import { echo, ZohoError } from '../errors.ts';

export function registerFields(app: Hono, emu: Emulator): void {
  app.get('/crm/:version{v[2-8]}/settings/fields', (c) => {
    const name = c.req.query('module');
    if (!name) throw new ZohoError(400, 'REQUIRED_PARAM_MISSING', 'The query parameter "module" is required, e.g. ?module=Contacts.', { param: 'module' });
    const m = emu.meta.module(name);
    if (!m)
      throw new ZohoError(400, 'INVALID_MODULE', `There is no module "${echo(name)}" in this org; pick one from GET /crm/v8/settings/modules.`, {
        param: 'module',
      });
    return c.json({ fields: m.fields });
  });
}
