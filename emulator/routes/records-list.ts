// GET /crm/v8/{Module}?fields=&page=&per_page= — read records back (contract §10); per_page ≤ 200.
import type { Hono } from 'hono';
import { recordsReadQuery } from '../../src/api/contract/records.ts';
import type { Emulator } from '../context.ts';
import { ZohoError } from '../errors.ts';
import { recordOut, writableModule } from '../records-api.ts';

export function registerRecordsList(app: Hono, emu: Emulator): void {
  app.get('/crm/:version{v[2-8]}/:module{[A-Za-z][A-Za-z0-9_]*}', (c) => {
    const mod = writableModule(emu, c.req.param('module'));
    const q = recordsReadQuery.safeParse({ fields: c.req.query('fields'), page: c.req.query('page') ?? undefined, per_page: c.req.query('per_page') ?? undefined });
    if (!q.success) {
      const key = String(q.error.issues[0]?.path[0] ?? 'page');
      throw new ZohoError(400, 'INVALID_DATA', `The query parameter "${key}" is invalid: page ≥ 1, per_page 1–200.`, { param: key });
    }
    const only = q.data.fields ? new Set(q.data.fields.split(',').map((s) => s.trim()).filter(Boolean)) : null;
    const { rows, total } = emu.records.page(mod.info.api_name, q.data.page, q.data.per_page);
    if (rows.length === 0) return c.body(null, 204);
    return c.json({
      data: rows.map((r) => recordOut(emu, mod, r, only)),
      info: { page: q.data.page, per_page: q.data.per_page, count: rows.length, more_records: q.data.page * q.data.per_page < total },
    });
  });
}
