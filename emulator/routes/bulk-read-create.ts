// POST /crm/bulk/{v2…v8}/read — create a Bulk Read job (docs/org-apis.md §1.2–§1.4). Validated with the contract's
// zod schema, then against the module's fields with Zoho's error codes; spends 50 credits and queues the job in
// one transaction. `query.page_token` continues an earlier read where its page ended.
import type { Context, Hono } from 'hono';
import { BULK_READ_CREDITS, BULK_READ_MAX_PAGE, bulkReadRequest, type BulkReadCreateOut } from '../../src/api/contract/bulk-read.ts';
import { checkCriteria, columnSql } from '../bulk-read/criteria.ts';
import type { BulkReadSpec } from '../bulk-read/store.ts';
import { callbackUrlAllowed } from '../callback-policy.ts';
import { isoWithOffset, type Emulator } from '../context.ts';
import { invalidData, mandatoryNotFound, ZohoError } from '../errors.ts';
import { jsonWithNumericIds } from '../quirks.ts';

/** A page token is good for 24 hours (Zoho's documented lifetime). */
const TOKEN_LIFETIME_MS = 24 * 60 * 60 * 1000;

export function registerBulkReadCreate(app: Hono, emu: Emulator, callbackAllowlist: () => readonly string[]): void {
  app.post('/crm/bulk/:version{v[2-8]}/read', async (c) => {
    try {
      return await create(c);
    } catch (e) {
      // Quirks mode: Zoho may also wrap a create error in `data[]` (docs/org-apis.md §1.4).
      if (emu.hooks.quirks && e instanceof ZohoError) return c.json({ data: [e.body()] }, e.status);
      throw e;
    }
  });

  async function create(c: Context): Promise<Response> {
    const version = c.req.param('version') ?? 'v8';
    if (!/application\/json/i.test(c.req.header('content-type') ?? '')) {
      throw new ZohoError(415, 'MEDIA_TYPE_NOT_SUPPORTED', 'Send the Bulk Read request as JSON with "Content-Type: application/json".', {});
    }
    const raw = await c.req.text();
    if (raw.trim() === '') throw new ZohoError(400, 'REQUEST_BODY_IS_EMPTY', 'The request body is empty; send {"query": {"module": {"api_name": "…"}}}.', {});
    let json: unknown;
    try {
      json = JSON.parse(raw) as unknown;
    } catch {
      throw invalidData('body', '$', 'The request body is not valid JSON.');
    }
    const parsed = bulkReadRequest.safeParse(json, { reportInput: true });
    if (!parsed.success) {
      const i = parsed.error.issues[0]!;
      const path = i.path.map(String);
      const jp = '$' + i.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
      if (path.includes('criteria'))
        throw new ZohoError(
          400,
          'INVALID_CRITERIA',
          `The criteria at ${jp} is not valid: ${i.message}. A condition is {"field": {"api_name"}, "comparator", "value"}; a group is {"group_operator": "and"|"or", "group": [...]}.`,
          { json_path: jp },
        );
      const name = path.length > 0 ? path[path.length - 1]! : 'query';
      if (i.code === 'invalid_type' && i.input === undefined) throw mandatoryNotFound(name, jp, `${name} is required (${jp}).`);
      throw invalidData(name, jp, `${jp} is not valid: ${i.message}.`);
    }
    const req = parsed.data;
    const rawModule = (json as { query?: { module?: unknown } }).query?.module;

    let callbackUrl: string | null = null;
    if (req.callback) {
      if (req.callback.method.toLowerCase() !== 'post')
        throw new ZohoError(400, 'INVALID_CALLBACK_METHOD', 'The callback method must be "post".', { supported_callback_methods: ['post'] });
      const ok = callbackUrlAllowed(req.callback.url, callbackAllowlist());
      if (!ok.ok)
        throw new ZohoError(400, 'INVALID_CALLBACK_URL', `callback.url is refused: ${ok.reason}. Use an allowed http(s) origin.`, {
          api_name: 'url',
          json_path: '$.callback.url',
        });
      callbackUrl = req.callback.url;
    }
    const fileType = req.file_type ?? req.query.file_type ?? 'csv';
    if (fileType.toLowerCase() !== 'csv') {
      throw invalidData(
        'file_type',
        '$.file_type',
        fileType.toLowerCase() === 'ics'
          ? 'file_type "ics" is only for Events, which this org does not have; use "csv".'
          : 'file_type must be "csv" (or "ics" for Events).',
      );
    }
    if (req.query.cvid != null)
      throw new ZohoError(400, 'CVID_NOT_SUPPORTED', 'This org has no custom views to export; filter with criteria instead.', { api_name: 'cvid' });
    const hook = emu.hooks.bulkRead;

    let spec: BulkReadSpec;
    if (req.query.page_token != null) {
      // Continue an earlier read: same module, fields and criteria, from where its page ended.
      const token = req.query.page_token;
      const prior = emu.bulkReads.byNextPageToken(token);
      if (!prior?.outcome)
        throw invalidData('page_token', '$.query.page_token', "This page_token is unknown. Use the next_page_token of the previous job's result.");
      if (emu.now().getTime() - Date.parse(prior.createdTime) > TOKEN_LIFETIME_MS) {
        throw invalidData('page_token', '$.query.page_token', 'This page_token has expired (tokens last 24 hours). Start the read again from page 1.');
      }
      if (req.query.module && req.query.module.api_name.toLowerCase() !== prior.module.toLowerCase()) {
        throw invalidData('module', '$.query.module', `This page_token continues a read of ${prior.module}, not ${req.query.module.api_name}.`);
      }
      spec = { ...prior.spec, page: prior.spec.page + 1, pageToken: token, afterId: prior.outcome.lastId, fail: false };
    } else {
      if (!req.query.module) throw mandatoryNotFound('module', '$.query.module', 'query.module is required: {"api_name": "Contacts"} (or "Contacts" in v2).');
      const mod = emu.meta.module(req.query.module.api_name);
      if (!mod)
        throw new ZohoError(400, 'MODULE_NOT_AVAILABLE', `There is no module "${req.query.module.api_name}" to read.`, { api_name: req.query.module.api_name });
      const page = req.query.page ?? 1;
      if (page < 1 || page > BULK_READ_MAX_PAGE) {
        throw new ZohoError(400, 'PAGE_RANGE_EXCEEDED', `page must be between 1 and ${BULK_READ_MAX_PAGE}; beyond that, continue with page_token.`, {
          max_limit: BULK_READ_MAX_PAGE,
        });
      }
      const fields = req.query.fields ?? null;
      const columns: string[] = [];
      for (const f of fields ?? mod.fields.map((x) => x.api_name)) {
        if (f === 'id' || columns.includes(f)) continue;
        if (columnSql(emu, mod, f) === null) {
          if (f.includes('.'))
            throw new ZohoError(
              400,
              'FIELD_NOT_SUPPORTED',
              `"${f}" cannot be read: dot notation needs a lookup field and a field of its module (or id, email, full_name, first_name, last_name, status of a user).`,
              { api_name: f },
            );
          throw new ZohoError(400, 'FIELD_NOT_AVAILABLE', `The module ${mod.info.api_name} has no field "${f}".`, { api_name: f });
        }
        columns.push(f);
      }
      if (req.query.criteria) checkCriteria(mod, req.query.criteria);
      spec = {
        module: mod.info.api_name,
        moduleAsString: typeof rawModule === 'string',
        fields,
        columns,
        criteria: req.query.criteria ?? null,
        cvid: null,
        page,
        pageToken: null,
        afterId: null,
        pageSize: hook.pageSize,
        fail: false,
      };
    }
    if (hook.failNext > 0) {
      hook.failNext--;
      spec.fail = true;
    }
    let id = '';
    const created = isoWithOffset(emu.now());
    emu.records.transaction(() => {
      emu.credits.spend(BULK_READ_CREDITS, emu.now());
      id = emu.ids.take();
      emu.ids.persist();
      emu.bulkReads.insert({ id, version, module: spec.module, spec, createdTime: created, callbackUrl });
    });
    emu.bulkReadRunner.enqueue(id);
    const user = emu.user();
    const body: BulkReadCreateOut = {
      data: [
        {
          status: 'success',
          code: 'ADDED_SUCCESSFULLY',
          message: 'Added successfully.',
          details: { id, operation: 'read', state: 'ADDED', created_by: { id: user.id, name: user.name }, created_time: created },
        },
      ],
      info: {},
    };
    if (emu.hooks.quirks) return jsonWithNumericIds(c, body, 201);
    return c.json(body, 201);
  }
}
