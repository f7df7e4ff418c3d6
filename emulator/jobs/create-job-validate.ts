// Validation of a create-job request (contract §4), in Zoho's order of concerns: body shape (zod), callback,
// module, file, limits, mappings, find_by, mandatory fields. Returns the normalised job spec or throws the
// Zoho-shaped error naming the offending key with its JSON path.
import type { z } from 'zod';
import { createJobRequest } from '../../src/api/contract/create-job.ts';
import { DIGITS } from '../../src/api/contract/common.ts';
import { fieldModelFromMeta, isUserLookup, USER_FIND_BY, type FieldModel } from '../../src/domain/fields/field-model.ts';
import { callbackUrlAllowed } from '../callback-policy.ts';
import type { Emulator } from '../context.ts';
import { echo, invalidData, mandatoryNotFound, ZohoError } from '../errors.ts';
import { checkDatePattern, checkDefaultValue } from './domain-adapter.ts';
import type { JobSpec, MappingSpec } from './job-store.ts';

export const MAX_RECORDS = 25_000;
export const MAX_COLUMNS = 200;

export interface UploadRow {
  file_id: string;
  path: string;
  name: string;
  rows: number;
  columns: number;
  header: string;
}

const jsonPathOf = (path: readonly PropertyKey[]): string => '$' + path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');

function zodToZoho(issue: z.core.$ZodIssue): ZohoError {
  const path = issue.path;
  const keys = path.filter((p): p is string => typeof p === 'string');
  const apiName = keys[keys.length - 1] ?? 'body';
  const jsonPath = jsonPathOf(path);
  if (issue.code === 'unrecognized_keys') {
    // bad-inputs S15 / decision 065: an unknown key is refused, not stripped, so a misspelling cannot silently
    // change what a job does. The first unknown key is named (capped: keys are client input too).
    const key = issue.keys[0] ?? '';
    const at = jsonPathOf([...path, key]);
    return invalidData(
      echo(key),
      echo(at),
      `The key "${echo(key)}" is not part of a create-job request (${echo(at)}); remove it or check its spelling (contract §4 lists the keys).`,
    );
  }
  const missing = path.length > 0 && issue.input === undefined;
  if (missing) return mandatoryNotFound(apiName, jsonPath, `The key "${echo(apiName)}" is required (${echo(jsonPath)}).`);
  if (issue.code === 'too_small' && apiName === 'resource') return mandatoryNotFound('resource', '$.resource', 'The "resource" array must hold one resource.');
  return invalidData(apiName, jsonPath, `The key "${echo(apiName)}" has an invalid value at ${echo(jsonPath)}: ${echo(issue.message)}.`);
}

/** JSON path of the first own `__proto__` key, or null. zod's strict objects do not see it (it is "in" every
 *  object through the prototype), so it is looked for here and refused like any unknown key (S15, S19). */
function protoKeyPath(v: unknown, path: (string | number)[] = []): (string | number)[] | null {
  if (typeof v !== 'object' || v === null) return null;
  if (Object.hasOwn(v, '__proto__')) return [...path, '__proto__'];
  for (const [k, x] of Object.entries(v)) {
    const found = protoKeyPath(x, [...path, Array.isArray(v) ? Number(k) : k]);
    if (found) return found;
  }
  return null;
}

export function validateCreateJob(emu: Emulator, body: unknown, allowlist: readonly string[]): { spec: JobSpec; upload: UploadRow } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalidData('body', '$', 'The request body must be a JSON object.');
  const proto = protoKeyPath(body);
  if (proto) {
    const at = jsonPathOf(proto);
    throw invalidData('__proto__', at, `The key "__proto__" is not part of a create-job request (${at}); remove it.`);
  }
  // Zoho's own create-job sample spells the top-level key `callBack`; it is read as `callback` (decision 065).
  // Both at once is ambiguous, so it is refused rather than one silently winning.
  let input = body as Record<string, unknown>;
  if (Object.hasOwn(input, 'callBack')) {
    if (Object.hasOwn(input, 'callback')) throw invalidData('callBack', '$.callBack', 'Send "callback" once: the body has both "callback" and "callBack".');
    const { callBack, ...rest } = input;
    input = { ...rest, callback: callBack };
  }
  const parsed = createJobRequest.safeParse(input, { reportInput: true });
  if (!parsed.success) throw zodToZoho(parsed.error.issues[0]!);
  const req = parsed.data;

  // Callback: method must be post; a URL must be an allowed origin.
  let callback: JobSpec['callback'] = null;
  if (req.callback) {
    if (req.callback.method.toLowerCase() !== 'post') {
      throw new ZohoError(400, 'INVALID_CALLBACK_METHOD', 'The callback method must be "post".', { supported_callback_methods: ['post'] });
    }
    const url = req.callback.url ?? null;
    if (url !== null) {
      const ok = callbackUrlAllowed(url, allowlist);
      if (!ok.ok) throw invalidData('url', '$.callback.url', `callback.url is refused: ${echo(ok.reason)}. Use an allowed http(s) origin.`);
    }
    callback = { url, method: 'post' };
  }

  if (req.resource.length !== 1) throw invalidData('resource', '$.resource', 'A job writes one module: send exactly one resource.');
  const res = req.resource[0]!;
  const mod = emu.meta.module(res.module.api_name);
  if (!mod || !mod.info.bulk_write) {
    throw new ZohoError(400, 'MODULE_NOT_AVAILABLE', `The module "${echo(res.module.api_name)}" is not available for Bulk Write.`, {
      api_name: res.module.api_name,
    });
  }
  if (!DIGITS.test(res.file_id))
    throw new ZohoError(400, 'INVALID_FILE_ID', 'file_id must be the digits returned by the upload.', {
      api_name: 'file_id',
      json_path: '$.resource[0].file_id',
    });
  const upload = emu.db.prepare(`SELECT file_id, path, name, rows, columns, header FROM uploads WHERE file_id = ?`).get(res.file_id) as UploadRow | undefined;
  if (!upload)
    throw new ZohoError(400, 'INVALID_FILE_ID', `No uploaded file has the id ${echo(res.file_id)}; upload the ZIP first.`, {
      api_name: 'file_id',
      json_path: '$.resource[0].file_id',
    });
  if (upload.rows > MAX_RECORDS) {
    throw new ZohoError(400, 'LIMIT_EXCEEDED', `The CSV holds ${upload.rows} records; a job takes at most ${MAX_RECORDS}. Split the file.`, {
      limit: MAX_RECORDS,
    });
  }
  if (upload.columns > MAX_COLUMNS) {
    throw new ZohoError(400, 'HEADER_LIMIT_EXCEEDED', `The CSV has ${upload.columns} columns; at most ${MAX_COLUMNS} are allowed. Remove unmapped columns.`, {
      limit: MAX_COLUMNS,
    });
  }
  if (upload.rows === 0) {
    // Decision 065: a header-only CSV would make a job that imports nothing and still costs 500 credits; it is
    // refused here, before any credit is spent.
    throw invalidData(
      'file_id',
      '$.resource[0].file_id',
      `The uploaded CSV (file_id ${upload.file_id}) has a header row but no data rows, so the job would import nothing and still cost 500 credits. Add data rows and upload again.`,
    );
  }
  const header = JSON.parse(upload.header) as string[];
  const models = new Map<string, FieldModel>(mod.fields.map((f) => [f.api_name, fieldModelFromMeta(f)]));

  // Mappings: given, or read from the CSV header (api names, `Lookup.id` for lookups).
  const fromHeader = !res.field_mappings;
  const rawMappings: MappingSpec[] = fromHeader
    ? header.map((h, i) => {
        const name = h.trim();
        const dot = name.indexOf('.');
        return {
          apiName: dot > 0 ? name.slice(0, dot) : name,
          index: i,
          format: null,
          findBy: dot > 0 ? name.slice(dot + 1) : null,
          defaultValue: null,
          ignoreEmpty: null,
        };
      })
    : res.field_mappings!.map((m) => ({
        apiName: m.api_name,
        index: m.index ?? null,
        format: m.format ?? null,
        findBy: m.find_by ?? null,
        defaultValue: m.default_value ? m.default_value.value : null,
        ignoreEmpty: m.ignore_empty ?? null,
      }));
  if (rawMappings.length > MAX_COLUMNS) {
    throw new ZohoError(400, 'HEADER_LIMIT_EXCEEDED', `${rawMappings.length} field mappings were sent; at most ${MAX_COLUMNS} are allowed.`, {
      limit: MAX_COLUMNS,
    });
  }
  const seen = new Set<string>();
  rawMappings.forEach((m, i) => {
    const base = `$.resource[0].field_mappings[${i}]`;
    if (m.apiName === 'id') {
      // The record id column, used by find_by "id" on update/upsert; never written.
    } else {
      const model = models.get(m.apiName);
      if (!model)
        throw new ZohoError(
          400,
          'INVALID_FIELD',
          `The module ${mod.info.api_name} has no field "${echo(m.apiName)}"${fromHeader ? ' (read from the CSV header)' : ''}.`,
          { api_name: m.apiName, json_path: `${base}.api_name` },
        );
      if (!model.writable.ok)
        throw new ZohoError(400, 'INVALID_FIELD', `${echo(m.apiName)}: ${model.writable.reason}`, { api_name: m.apiName, json_path: `${base}.api_name` });
      if (m.findBy !== null && isUserLookup(model)) {
        // docs/org-apis.md A1: users are found by id or e-mail, nothing else.
        if (!USER_FIND_BY.has(m.findBy))
          throw invalidData(
            'find_by',
            `${base}.find_by`,
            `find_by on ${echo(m.apiName)} must be "id" or "email"; users cannot be found by "${echo(m.findBy)}".`,
          );
      } else if (m.findBy !== null) {
        if (model.dataType !== 'lookup' || !model.lookupModule)
          throw invalidData('find_by', `${base}.find_by`, `find_by on ${echo(m.apiName)} only applies to lookup fields.`);
        const target = emu.meta.module(model.lookupModule);
        if (m.findBy !== 'id' && !target?.byName.has(m.findBy))
          throw invalidData('find_by', `${base}.find_by`, `The module ${model.lookupModule} has no field "${echo(m.findBy)}" to find ${echo(m.apiName)} by.`);
      }
      if (m.format !== null && (model.dataType === 'date' || model.dataType === 'datetime')) {
        const err = checkDatePattern(m.format);
        if (err)
          throw new ZohoError(400, 'INVALID_FORMAT', `The format "${echo(m.format)}" of ${echo(m.apiName)} is not a valid date pattern: ${echo(err)}.`, {
            api_name: m.apiName,
            json_path: `${base}.format`,
          });
      }
      if (m.defaultValue !== null) {
        const err = checkDefaultValue(model, m.defaultValue, m.format, m.findBy);
        if (err) throw invalidData('default_value', `${base}.default_value`, `The default value for ${echo(m.apiName)} is invalid: ${echo(err)}.`);
      }
    }
    if (seen.has(m.apiName)) throw invalidData('api_name', `${base}.api_name`, `The field ${echo(m.apiName)} is mapped twice; map each field once.`);
    seen.add(m.apiName);
    if (m.index === null) {
      if (m.defaultValue === null)
        throw mandatoryNotFound('index', `${base}.index`, `The mapping of ${echo(m.apiName)} needs an "index" (its CSV column) or a default_value.`);
    } else if (m.index < 0 || m.index >= upload.columns) {
      throw new ZohoError(
        400,
        'COLUMN_INDEX_NOT_FOUND',
        `Column index ${m.index} of ${echo(m.apiName)} is outside the CSV's ${upload.columns} columns (0-based).`,
        { index: m.index, json_path: `${base}.index` },
      );
    }
  });

  const findBy = res.find_by ?? null;
  if ((req.operation === 'update' || req.operation === 'upsert') && findBy === null) {
    throw mandatoryNotFound(
      'find_by',
      '$.resource[0].find_by',
      `find_by is required for ${req.operation}: name a unique field (or "id") that identifies the record.`,
    );
  }
  if (findBy !== null) {
    if (findBy !== 'id') {
      const model = models.get(findBy);
      if (!model || model.unique === null)
        throw invalidData('find_by', '$.resource[0].find_by', `find_by "${echo(findBy)}" must be "id" or a unique field of ${mod.info.api_name}.`);
    }
    const mapped = rawMappings.find((m) => m.apiName === findBy);
    if (!mapped || mapped.index === null) throw invalidData('find_by', '$.resource[0].find_by', `find_by "${echo(findBy)}" must be mapped to a CSV column.`);
  }
  if (req.operation !== 'update') {
    const missing = [...models.values()].filter((f) => f.mandatory && f.writable.ok && !rawMappings.some((m) => m.apiName === f.apiName));
    if (missing.length > 0) {
      throw new ZohoError(
        400,
        'MANDATORY_FIELDS_NOT_MAPPED',
        `Map every mandatory field of ${mod.info.api_name}: ${missing.map((f) => f.apiName).join(', ')}.`,
        { api_names: missing.map((f) => f.apiName) },
      );
    }
  }

  const spec: JobSpec = {
    operation: req.operation,
    module: mod.info.api_name,
    moduleId: mod.info.id,
    findBy,
    ignoreEmpty: req.ignore_empty ?? false,
    resourceIgnoreEmpty: res.ignore_empty ?? null,
    mappingsFromHeader: fromHeader,
    mappings: rawMappings,
    callback,
    characterEncoding: req.character_encoding ?? 'UTF-8',
    fileName: upload.name,
    header,
  };
  return { spec, upload };
}
