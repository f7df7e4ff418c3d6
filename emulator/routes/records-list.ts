// GET /crm/v8/{Module}?fields=&page=&per_page= — read records back (contract §10); per_page ≤ 200. With `ids=` (≤ 100)
// only those records, in the order asked, missing ones left out (an undo reads Modified_Time this way).
import type { Hono } from 'hono';
import { recordsReadQuery } from '../../src/api/contract/records.ts';
import type { Emulator } from '../context.ts';
import { ZohoError } from '../errors.ts';
import { recordOut, writableModule } from '../records-api.ts';

export function registerRecordsList(app: Hono, emu: Emulator): void {
  app.get('/crm/:version{v[2-8]}/:module{[A-Za-z][A-Za-z0-9_]*}', (c) => {
    const mod = writableModule(emu, c.req.param('module'));
    const q = recordsReadQuery.safeParse({
      fields: c.req.query('fields'),
      ids: c.req.query('ids'),
      page: c.req.query('page') ?? undefined,
      per_page: c.req.query('per_page') ?? undefined,
    });
    if (!q.success) {
      const key = String(q.error.issues[0]?.path[0] ?? 'page');
      throw new ZohoError(400, 'INVALID_DATA', `The query parameter "${key}" is invalid: page ≥ 1, per_page 1–200, ids up to 100 digit ids.`, { param: key });
    }
    const only = q.data.fields
      ? new Set(
          q.data.fields
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean),
        )
      : null;
    if (q.data.ids !== undefined) {
      const found = [...new Set(q.data.ids.split(','))].flatMap((id) => {
        const rec = emu.records.get(mod.info.api_name, id);
        return rec ? [recordOut(emu, mod, rec, only)] : [];
      });
      if (found.length === 0) return c.body(null, 204);
      return c.json({ data: found, info: { page: 1, per_page: found.length, count: found.length, more_records: false } });
    }
    const { rows, total } = emu.records.page(mod.info.api_name, q.data.page, q.data.per_page);
    if (rows.length === 0) return c.body(null, 204);
    return c.json({
      data: rows.map((r) => recordOut(emu, mod, r, only)),
      info: { page: q.data.page, per_page: q.data.per_page, count: rows.length, more_records: q.data.page * q.data.per_page < total },
    });
  });
}
