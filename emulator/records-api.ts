// The synchronous records API's shared core (contract §10): up to 100 records per call, each validated with the
// same row rules and store checks as Bulk Write, answered per record in request order. 1 credit per 10 records.
import type { Context } from 'hono';
import { recordsWriteRequest } from '../src/api/contract/records.ts';
import type { ZohoFieldMeta } from '../src/domain/fields/field-meta.ts';
import { evaluateRow, type ResolvedMapping, type RowError } from '../src/domain/validation/row-rules.ts';
import { isoWithOffset, type Emulator } from './context.ts';
import { echo, invalidData, mandatoryNotFound, ZohoError } from './errors.ts';
import { RecordWriter } from './jobs/record-writer.ts';
import type { ModuleEntry } from './store/metadata.ts';
import type { RecordData, StoredRecord, StoredValue } from './store/records.ts';

export type WriteMode = 'insert' | 'update' | 'upsert';

interface PerRecord {
  code: string;
  status: 'success' | 'error';
  message: string;
  details: Record<string, unknown>;
  action?: 'insert' | 'update';
  duplicate_field?: string | null;
}

const MESSAGES: Record<string, string> = {
  MANDATORY_NOT_FOUND: 'required field not found',
  INVALID_DATA: 'invalid data',
  DUPLICATE_DATA: 'duplicate data',
};

/** Records API module lookup: 400 INVALID_MODULE for unknown modules and ones this emulator cannot write. */
export function writableModule(emu: Emulator, name: string): ModuleEntry {
  // Paths like /crm/v8/upload or /crm/v8/org with the wrong method land here: say so, like Zoho.
  if (name === 'upload' || name === 'org') throw new ZohoError(400, 'INVALID_REQUEST_METHOD', `This method is not allowed on /${name}.`, {});
  if (name === 'settings') throw new ZohoError(404, 'INVALID_URL_PATTERN', 'Please check if the URL trying to access is a correct one.', {});
  const m = emu.meta.module(name);
  if (!m || !m.info.bulk_write)
    throw new ZohoError(400, 'INVALID_MODULE', `The module name "${echo(name)}" is invalid for this API.`, { resource_path_index: 0 });
  return m;
}

/** A JSON value as the CSV-style text the row rules read (multi-select joined by `;`, lookups by their id). */
function asCell(v: string | number | boolean | null | undefined | string[] | { id: string }): string {
  if (v === null || v === undefined) return '';
  if (Array.isArray(v)) return v.join(';');
  if (typeof v === 'object') return v.id;
  return String(v);
}

export async function handleRecordsWrite(c: Context, emu: Emulator, mode: WriteMode): Promise<Response> {
  const mod = writableModule(emu, c.req.param('module') ?? '');
  let json: unknown;
  try {
    json = await c.req.json();
  } catch {
    throw invalidData('data', '$', 'The request body is not valid JSON.');
  }
  const parsed = recordsWriteRequest.safeParse(json, { reportInput: true });
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    const jp = '$' + i.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
    if (i.code === 'too_big')
      throw new ZohoError(400, 'LIMIT_EXCEEDED', 'At most 100 records per request; use Bulk Write for more.', {
        limit: 100,
        api_name: 'data',
        json_path: '$.data',
      });
    if (i.path.length > 0 && i.input === undefined)
      throw mandatoryNotFound(String(i.path[i.path.length - 1] ?? 'data'), jp, `The key at ${echo(jp)} is required.`);
    throw invalidData(String([...i.path].reverse().find((p) => typeof p === 'string') ?? 'data'), jp, `Invalid value at ${echo(jp)}: ${echo(i.message)}.`);
  }
  const body = parsed.data;
  const writer = new RecordWriter(emu, mod, null);
  const metaOf = (a: string): ZohoFieldMeta | undefined => mod.byName.get(a);
  const dupFields = mode === 'upsert' ? (body.duplicate_check_fields ?? writer.uniqueFields.map((f) => f.apiName)) : [];
  for (const [i, f] of dupFields.entries()) {
    if (f !== 'id' && !writer.uniqueFields.some((u) => u.apiName === f))
      throw invalidData('duplicate_check_fields', `$.duplicate_check_fields[${i}]`, `${echo(f)} is not a unique field of ${mod.info.api_name}.`);
  }
  const now = isoWithOffset(emu.now());
  const user = emu.user();
  const results: PerRecord[] = [];

  emu.records.transaction(() => {
    emu.credits.spend(Math.ceil(body.data.length / 10), emu.now());
    body.data.forEach((rec, ri) => {
      const fail = (code: string, apiName: string, extra: Record<string, unknown> = {}): PerRecord => ({
        code,
        status: 'error',
        message: MESSAGES[code] ?? code.toLowerCase().replace(/_/g, ' '),
        details: { api_name: apiName, json_path: `$.data[${ri}].${apiName}`, ...extra },
      });
      // Existing record: by id (update), or by the duplicate check fields (upsert).
      let existing: StoredRecord | null = null;
      let dupField: string | null = null;
      if (mode === 'update') {
        const id = asCell(rec.id).trim();
        if (id === '') return void results.push(fail('MANDATORY_NOT_FOUND', 'id'));
        existing = writer.byId(id);
        if (!existing) return void results.push(fail('INVALID_DATA', 'id', { expected_data_type: 'bigint' }));
      } else if (mode === 'upsert') {
        for (const f of ['id', ...dupFields]) {
          const raw = asCell(rec[f]).trim();
          if (raw === '') continue;
          const id = writer.findByUniqueValue(f, raw);
          if (id !== null) {
            existing = writer.byId(id);
            dupField = f;
            break;
          }
        }
      }
      // Present keys become mappings over a synthetic row; absent mandatory fields are mapped to "no column".
      const cells: string[] = [];
      const mappings: ResolvedMapping[] = [];
      const findBy = new Map<string, string | null>();
      for (const [key, value] of Object.entries(rec)) {
        const meta = metaOf(key);
        const model = meta ? writer.models.get(key) : undefined;
        if (!model || !model.writable.ok) continue; // Zoho ignores unknown and read-only keys
        mappings.push({ field: model, index: cells.length, defaultValue: null, ignoreEmpty: false, format: null, findBy: null });
        cells.push(asCell(value));
        findBy.set(key, null);
      }
      if (existing === null) {
        for (const model of writer.models.values()) {
          if (model.mandatory && model.writable.ok && !(model.apiName in rec))
            mappings.push({ field: model, index: null, defaultValue: null, ignoreEmpty: false, format: null, findBy: null });
        }
      }
      const ev = evaluateRow(cells, mappings, { isInsert: existing === null, ignoreEmpty: false });
      const lookupErrors = writer.resolveLookups(ev.values, () => null);
      const unique = writer.checkUnique(ev.values, existing?.id ?? null);
      const first: RowError | undefined = ev.errors[0] ?? lookupErrors[0] ?? unique.errors[0];
      if (first) {
        const extra: Record<string, unknown> = {};
        if (first.code === 'INVALID_DATA') extra.expected_data_type = writer.models.get(first.apiName)?.dataType ?? null;
        if (first.code === 'DUPLICATE_DATA')
          extra.duplicate_record = { id: unique.holders.get(first.apiName) ?? null, module: { api_name: mod.info.api_name } };
        return void results.push(fail(first.code, first.apiName, extra));
      }
      const id = writer.write(ev.values, existing, now);
      const action = existing === null ? 'insert' : 'update';
      const out: PerRecord = {
        code: 'SUCCESS',
        status: 'success',
        message: action === 'insert' ? 'record added' : 'record updated',
        details: {
          id,
          Modified_Time: now,
          Modified_By: { id: user.id, name: user.name },
          Created_Time: existing === null ? now : (existing.data.Created_Time ?? now),
          Created_By: { id: user.id, name: user.name },
        },
      };
      if (mode === 'upsert') {
        out.action = action;
        out.duplicate_field = dupField;
      }
      results.push(out);
    });
    writer.flushPicklists();
    emu.records.persist();
  });
  const allOk = results.every((r) => r.status === 'success');
  const noneOk = results.every((r) => r.status === 'error');
  const status = allOk ? (mode === 'update' ? 200 : 201) : noneOk ? 400 : 207;
  return c.json({ data: results }, status);
}

/**
 * A stored record as the read API returns it: lookups as `{id, name}`, Owner and user lookups as
 * `{id, name, email}` (as Zoho does), every other value as stored.
 */
export function recordOut(
  emu: Emulator,
  mod: ModuleEntry,
  rec: StoredRecord,
  only: Set<string> | null,
): Record<string, StoredValue | { id: string; name: string | null; email?: string | null }> {
  const out: Record<string, StoredValue | { id: string; name: string | null; email?: string | null }> = { id: rec.id };
  for (const [k, v] of Object.entries(rec.data)) {
    if (only && !only.has(k)) continue;
    const f = mod.byName.get(k);
    const target = f?.lookup && 'module' in f.lookup ? f.lookup.module?.api_name : undefined;
    if ((f?.data_type === 'ownerlookup' || f?.data_type === 'userlookup') && typeof v === 'string') {
      const u = emu.users.byId(v);
      out[k] = { id: v, name: u?.full_name ?? null, email: u?.email ?? null };
    } else if (f?.data_type === 'lookup' && typeof v === 'string' && target) {
      const t = emu.records.get(target, v);
      out[k] = { id: v, name: t ? displayName(target, t.data) : null };
    } else out[k] = v;
  }
  return out;
}

export function displayName(module: string, d: RecordData): string | null {
  const s = (k: string) => (typeof d[k] === 'string' ? d[k] : '');
  if (module === 'Contacts' || module === 'Leads') return [s('First_Name'), s('Last_Name')].filter(Boolean).join(' ') || null;
  const primary = { Accounts: 'Account_Name', Deals: 'Deal_Name' }[module];
  return primary ? s(primary) || null : null;
}
