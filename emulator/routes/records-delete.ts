// Deleting records (docs/org-apis.md A4): `DELETE /crm/{v}/{Module}?ids=` (≤ 100) and `DELETE /crm/{v}/{Module}/{id}`,
// `POST /crm/{v}/{Module}/actions/mass_delete` with `ids` (≤ 500, synchronous), and the recycle bin
// `GET /crm/{v}/{Module}/deleted?type=`. Every id gets its own answer in request order; HTTP 200 when all were
// deleted, 207 when mixed, 400 when none was. A deleted record moves to the bin and frees its unique values.
import type { Context, Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { DIGITS } from '../../src/api/contract/common.ts';
import { deletedQuery, deleteIdsQuery, DELETE_MAX_IDS, massDeleteRequest, MASS_DELETE_MAX_IDS } from '../../src/api/contract/delete.ts';
import { fieldModelFromMeta } from '../../src/domain/fields/field-model.ts';
import { isoWithOffset, type Emulator } from '../context.ts';
import { ZohoError } from '../errors.ts';
import { displayName, writableModule } from '../records-api.ts';
import type { ModuleEntry } from '../store/metadata.ts';
import type { RecordData } from '../store/records.ts';

interface DeleteOut {
  status: 'success' | 'error';
  code: string;
  message: string;
  details: Record<string, unknown>;
}

/** Zoho words the two forms differently (B §3.2): "record deleted" vs "record is deleted". */
type Form = 'delete' | 'mass_delete';

/** Consumes one planned failure for this id, if the fail-deletes hook holds one. */
function hookFails(emu: Emulator, id: string): boolean {
  const h = emu.hooks.failDeletes;
  const left = h.ids.get(id) ?? 0;
  if (left > 0) {
    if (left === 1) h.ids.delete(id);
    else h.ids.set(id, left - 1);
    return true;
  }
  if (h.count > 0) {
    h.count--;
    return true;
  }
  return false;
}

function deleteAll(c: Context, emu: Emulator, mod: ModuleEntry, ids: readonly string[], form: Form, credits: number): Response {
  const module = mod.info.api_name;
  const uniqueFields = mod.fields.map(fieldModelFromMeta).filter((f) => f.unique !== null);
  const user = emu.user();
  const by = JSON.stringify({ id: user.id, name: user.name });
  const now = isoWithOffset(emu.now());
  const out: DeleteOut[] = [];
  emu.records.transaction(() => {
    emu.credits.spend(credits, emu.now());
    for (const id of ids) {
      if (hookFails(emu, id)) {
        out.push({ status: 'error', code: 'RECORD_LOCKED', message: 'the record is locked, so it was not deleted', details: { id, action: 'delete' } });
        continue;
      }
      const done = DIGITS.test(id) && emu.records.delete(module, id, uniqueFields, now, by);
      out.push(
        done
          ? { status: 'success', code: 'SUCCESS', message: form === 'delete' ? 'record deleted' : 'record is deleted', details: { id } }
          : { status: 'error', code: 'INVALID_DATA', message: 'record not deleted', details: { id } },
      );
    }
  });
  const ok = out.filter((o) => o.status === 'success').length;
  const status: ContentfulStatusCode = ok === out.length ? 200 : ok === 0 ? 400 : 207;
  return c.json({ data: out }, status);
}

/** `wf_trigger` is accepted (this emulator has no workflows) but must be a boolean when present. */
function checkWfTrigger(c: Context): void {
  const wf = c.req.query('wf_trigger');
  if (wf !== undefined && wf !== 'true' && wf !== 'false') {
    throw new ZohoError(400, 'INVALID_DATA', 'wf_trigger must be true or false.', { param_name: 'wf_trigger' });
  }
}

export function registerRecordsDelete(app: Hono, emu: Emulator): void {
  app.delete('/crm/:version{v[2-8]}/:module{[A-Za-z][A-Za-z0-9_]*}', (c) => {
    const mod = writableModule(emu, c.req.param('module'));
    checkWfTrigger(c);
    const raw = c.req.query('ids');
    if (raw === undefined || raw.trim() === '') {
      throw new ZohoError(400, 'REQUIRED_PARAM_MISSING', 'One of the expected parameter is missing', { param_name: 'ids' });
    }
    const parsed = deleteIdsQuery.safeParse(raw);
    if (!parsed.success) {
      const tooMany = parsed.error.issues.some((i) => i.code === 'too_big');
      if (tooMany)
        throw new ZohoError(
          400,
          'LIMIT_EXCEEDED',
          `At most ${DELETE_MAX_IDS} ids per request; use mass delete (≤ ${MASS_DELETE_MAX_IDS}) or several requests.`,
          { param_name: 'ids', limit: DELETE_MAX_IDS },
        );
      throw new ZohoError(400, 'INVALID_DATA', 'ids must be record ids (digits) separated by commas, with no empty entries.', { param_name: 'ids' });
    }
    return deleteAll(c, emu, mod, parsed.data, 'delete', 1);
  });

  app.delete('/crm/:version{v[2-8]}/:module{[A-Za-z][A-Za-z0-9_]*}/:id', (c) => {
    const mod = writableModule(emu, c.req.param('module'));
    checkWfTrigger(c);
    const id = c.req.param('id');
    if (!DIGITS.test(id)) throw new ZohoError(400, 'INVALID_DATA', 'The record id must be digits.', { param_name: 'id' });
    return deleteAll(c, emu, mod, [id], 'delete', 1);
  });

  app.post('/crm/:version{v[2-8]}/:module{[A-Za-z][A-Za-z0-9_]*}/actions/mass_delete', async (c) => {
    const mod = writableModule(emu, c.req.param('module'));
    let json: unknown;
    try {
      json = await c.req.json();
    } catch {
      throw new ZohoError(400, 'INVALID_DATA', 'The request body is not valid JSON.', { api_name: 'ids' });
    }
    if (typeof json === 'object' && json !== null && !('ids' in json)) {
      if ('cvid' in json)
        throw new ZohoError(400, 'NOT_SUPPORTED', 'Mass delete by custom view (cvid) is not supported by this emulator; send ids.', { api_name: 'cvid' });
      throw new ZohoError(400, 'MANDATORY_NOT_FOUND', 'required field not found', { api_name: 'ids' });
    }
    const parsed = massDeleteRequest.safeParse(json);
    if (!parsed.success) {
      const i = parsed.error.issues[0]!;
      if (i.code === 'too_big' && i.path.length === 1)
        throw new ZohoError(400, 'LIMIT_EXCEEDED', `At most ${MASS_DELETE_MAX_IDS} ids per mass delete.`, { api_name: 'ids', limit: MASS_DELETE_MAX_IDS });
      const where = '$' + i.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
      throw new ZohoError(400, 'INVALID_DATA', `Invalid value at ${where}: ${i.message}.`, { api_name: String(i.path[0] ?? 'ids'), json_path: where });
    }
    // 1 credit per 100 records (B §3.2).
    return deleteAll(c, emu, mod, parsed.data.ids, 'mass_delete', Math.ceil(parsed.data.ids.length / 100));
  });

  app.get('/crm/:version{v[2-8]}/:module{[A-Za-z][A-Za-z0-9_]*}/deleted', (c) => {
    const mod = writableModule(emu, c.req.param('module'));
    const q = deletedQuery.safeParse({
      type: c.req.query('type') ?? undefined,
      page: c.req.query('page') ?? undefined,
      per_page: c.req.query('per_page') ?? undefined,
    });
    if (!q.success) {
      const key = String(q.error.issues[0]?.path[0] ?? 'type');
      throw new ZohoError(400, 'INVALID_DATA', `The query parameter "${key}" is invalid: type all|recycle|permanent, page ≥ 1, per_page 1–200.`, {
        param_name: key,
      });
    }
    // Nothing is ever purged here, so "permanent" is always empty and "all" equals "recycle".
    if (q.data.type === 'permanent') return c.body(null, 204);
    const { rows, total } = emu.records.deletedPage(mod.info.api_name, q.data.page, q.data.per_page);
    if (rows.length === 0) return c.body(null, 204);
    const user = emu.user();
    return c.json({
      data: rows.map((r) => ({
        id: r.id,
        display_name: displayName(r.module, JSON.parse(r.data) as RecordData),
        type: 'recycle',
        deleted_by: JSON.parse(r.deleted_by) as { id: string; name: string },
        deleted_time: r.deleted_time,
        created_by: { id: user.id, name: user.name },
      })),
      info: { page: q.data.page, per_page: q.data.per_page, count: rows.length, more_records: q.data.page * q.data.per_page < total },
    });
  });
}
