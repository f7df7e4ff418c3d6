// GET /crm/v8/{Module}/{id} — one record (contract §10); ids must be digits (else 400); unknown id → 404.
import type { Hono } from 'hono';
import { DIGITS } from '../../src/api/contract/common.ts';
import type { Emulator } from '../context.ts';
import { ZohoError } from '../errors.ts';
import { recordOut, writableModule } from '../records-api.ts';

export function registerRecordGet(app: Hono, emu: Emulator): void {
  app.get('/crm/:version{v[2-8]}/:module{[A-Za-z][A-Za-z0-9_]*}/:id', (c) => {
    const mod = writableModule(emu, c.req.param('module'));
    const id = c.req.param('id');
    if (!DIGITS.test(id)) throw new ZohoError(400, 'INVALID_DATA', 'The record id must be digits.', { api_name: 'id' });
    const rec = emu.records.get(mod.info.api_name, id);
    if (!rec) throw new ZohoError(404, 'RESOURCE_NOT_FOUND', `There is no ${mod.info.singular_label} with id ${id}.`, { api_name: 'id' });
    const fields = c.req.query('fields');
    const only = fields
      ? new Set(
          fields
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean),
        )
      : null;
    return c.json({ data: [recordOut(emu, mod, rec, only)] });
  });
}
