// `npm run smoke:zoho`: a by-hand check against a REAL Zoho CRM org (never run in CI). It reads the org and the
// module's fields, imports two clearly marked rows with the Bulk Write API, polls, downloads the result, and
// prints every request and response shape it saw with the token redacted. Then, for the org check (issue 9), one
// users read and one small Bulk Read (50 credits; a criteria on the rows it just imported) with their shapes.
//
//   ZOHO_ACCESS_TOKEN=1000.xxx ZOHO_DC=EU [ZOHO_MODULE=Leads] npm run smoke:zoho
//
// ZOHO_API_DOMAIN / ZOHO_UPLOAD_HOST override the data-centre table (e.g. to point it at the local emulator).
import JSZip from 'jszip';
import { DATA_CENTRE_IDS, DATA_CENTRES, type DataCentreId } from '../src/domain/connection/data-centres.ts';
import { orgResponse } from '../src/api/contract/org.ts';
import { parseFieldsResponse } from '../src/api/contract/fields.ts';
import { uploadResponse } from '../src/api/contract/upload.ts';
import { createJobResponse } from '../src/api/contract/create-job.ts';
import { jobDetails } from '../src/api/contract/job-details.ts';
import { usersResponse } from '../src/api/contract/users.ts';
import { bulkReadCreateResponse, bulkReadDetailsResponse, bulkReadColumn, TERMINAL_BULK_READ_STATES } from '../src/api/contract/bulk-read.ts';

const token = process.env.ZOHO_ACCESS_TOKEN ?? '';
const dcId = (process.env.ZOHO_DC ?? 'US').toUpperCase() as DataCentreId;
if (!token) fail('Set ZOHO_ACCESS_TOKEN to an access token with the scopes listed in the README.');
if (!DATA_CENTRE_IDS.includes(dcId)) fail(`ZOHO_DC must be one of ${DATA_CENTRE_IDS.join(', ')}.`);
const dc = DATA_CENTRES[dcId];
const apiDomain = process.env.ZOHO_API_DOMAIN ?? dc.apiDomain;
const uploadHost = process.env.ZOHO_UPLOAD_HOST ?? dc.uploadHost;
const moduleName = process.env.ZOHO_MODULE ?? 'Leads';
const marker = `BULK-IMPORT-SMOKE-${new Date().toISOString().replace(/[:.]/g, '')}`;

function fail(msg: string): never {
  console.error(msg);
  process.exit(2);
}

function redact(text: string): string {
  return token ? text.split(token).join('<redacted-token>') : text;
}

/** The type tree of a JSON value: keys kept, scalars shown as their type (and short enum-like strings kept). */
function shape(v: unknown, depth = 0): unknown {
  if (Array.isArray(v)) return v.length ? [shape(v[0], depth + 1), ...(v.length > 1 ? [`…${v.length - 1} more`] : [])] : [];
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, shape(x, depth + 1)]));
  if (typeof v === 'string') return /^[A-Z_ ]{2,40}$/.test(v) ? `string "${v}"` : 'string';
  return v === null ? 'null' : typeof v;
}

async function call(label: string, url: string, init: RequestInit & { headers?: Record<string, string> }): Promise<Response> {
  const headers = { ...init.headers, Authorization: `Zoho-oauthtoken ${token}` };
  const shown = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, k.toLowerCase() === 'authorization' ? 'Zoho-oauthtoken <redacted>' : v]));
  console.log(`\n=== ${label}\n> ${init.method ?? 'GET'} ${redact(url)}\n> headers ${JSON.stringify(shown)}`);
  if (typeof init.body === 'string') console.log(`> body ${redact(init.body)}`);
  const res = await fetch(url, { ...init, headers });
  console.log(`< HTTP ${res.status} ${res.headers.get('content-type') ?? ''}`);
  return res;
}

async function json(label: string, res: Response): Promise<unknown> {
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    console.log(`< (not JSON) ${redact(text.slice(0, 300))}`);
    fail(`${label}: the answer was not JSON.`);
  }
  console.log(`< shape ${JSON.stringify(shape(body))}`);
  if (body && typeof body === 'object' && (body as { status?: unknown }).status === 'error') {
    console.log(`< error ${redact(JSON.stringify(body))}`);
    fail(`${label} failed.`);
  }
  return body;
}

const org = orgResponse.parse(await json('org', await call('org', `${apiDomain}/crm/v8/org`, {})));
const zgid = org.org[0]?.zgid;
if (!zgid) fail('GET /crm/v8/org returned no zgid.');

const fields = parseFieldsResponse(
  await json('fields', await call('fields', `${apiDomain}/crm/v8/settings/fields?module=${encodeURIComponent(moduleName)}`, {})),
);
const mandatory = fields.filter((f) => f.system_mandatory && !f.read_only);
const columns = mandatory.length ? mandatory : fields.filter((f) => f.api_name === 'Last_Name');
console.log(`\nMandatory fields of ${moduleName}: ${columns.map((f) => `${f.api_name} (${f.data_type})`).join(', ')}`);
const sample = (f: { data_type: string; pick_list_values?: ReadonlyArray<{ actual_value: string }> | null }, i: number): string => {
  switch (f.data_type) {
    case 'picklist':
      return f.pick_list_values?.find((p) => p.actual_value !== '-None-')?.actual_value ?? marker;
    case 'date':
      return '2026-01-0' + String(i + 1);
    case 'integer':
    case 'bigint':
      return String(i + 1);
    case 'double':
    case 'currency':
    case 'percent':
      return '1.5';
    case 'boolean':
      return 'false';
    case 'email':
      return `smoke${i}@example.invalid`;
    default:
      return `${marker} row ${i + 1}`;
  }
};
const header = columns.map((f) => f.api_name);
const rows = [0, 1].map((i) => columns.map((f) => sample(f, i)));
const csv = [header, ...rows].map((r) => r.map((c) => `"${c.replace(/"/g, '""')}"`).join(',')).join('\r\n') + '\r\n';
const zip = await new JSZip().file(`${moduleName}.csv`, csv).generateAsync({ type: 'uint8array', compression: 'DEFLATE' });

const form = new FormData();
form.append('file', new Blob([new Uint8Array(zip)], { type: 'application/zip' }), `${moduleName}.zip`);
const up = uploadResponse.parse(
  await json(
    'upload',
    await call('upload', `${uploadHost}/crm/v8/upload`, { method: 'POST', body: form, headers: { feature: 'bulk-write', 'X-CRM-ORG': zgid } }),
  ),
);

const jobBody = JSON.stringify({
  operation: 'insert',
  character_encoding: 'UTF-8',
  resource: [
    { type: 'data', module: { api_name: moduleName }, file_id: up.details.file_id, field_mappings: header.map((api_name, index) => ({ api_name, index })) },
  ],
});
const created = createJobResponse.parse(
  await json(
    'create job',
    await call('create job', `${apiDomain}/crm/bulk/v8/write`, { method: 'POST', body: jobBody, headers: { 'Content-Type': 'application/json' } }),
  ),
);
const jobId = created.details.id;

let details = jobDetails.parse(await json('job', await call('job details', `${apiDomain}/crm/bulk/v8/write/${jobId}`, {})));
const deadline = Date.now() + 10 * 60_000;
while (details.status !== 'COMPLETED' && details.status !== 'FAILED' && Date.now() < deadline) {
  await new Promise((r) => setTimeout(r, 5_000));
  const res = await fetch(`${apiDomain}/crm/bulk/v8/write/${jobId}`, { headers: { Authorization: `Zoho-oauthtoken ${token}` } });
  details = jobDetails.parse(await res.json());
  console.log(`  … ${details.status}`);
}
console.log(`\nFinal job status ${details.status}; file counts ${JSON.stringify(details.resource?.[0]?.file ?? null)}`);
const url = details.result?.download_url;
if (!url) fail('The job has no result.download_url.');
const resultUrl = new URL(url, apiDomain).toString();
const res = await call('download result', resultUrl, {});
const bytes = new Uint8Array(await res.arrayBuffer());
const unzipped = await JSZip.loadAsync(bytes);
for (const name of Object.keys(unzipped.files)) {
  console.log(`\n--- ${name}\n${redact(await unzipped.files[name]!.async('string'))}`);
}

// ---- Users (scope ZohoCRM.users.READ): one page; a 204 is an empty page.
const usersRes = await call('users', `${apiDomain}/crm/v8/users?type=ActiveUsers&page=1&per_page=5`, {});
const usersText = await usersRes.text();
const usersBody: unknown = usersRes.status === 204 || usersText.trim() === '' ? null : JSON.parse(usersText);
console.log(`< shape ${JSON.stringify(shape(usersBody))}`);
const users = usersResponse.parse(usersBody);
console.log(
  `Users parsed: ${users.users.length} on this page, more_records ${String(users.info.more_records)}, statuses ${[...new Set(users.users.map((u) => u.status))].join(', ') || '—'}`,
);

// ---- Bulk Read (scope ZohoCRM.bulk.READ): the rows just imported, by the first column's value when it is text.
const first = columns[0];
const textual = first !== undefined && ['text', 'email', 'textarea'].includes(first.data_type);
const readBody = JSON.stringify({
  query: {
    module: { api_name: moduleName },
    fields: header,
    ...(textual ? { criteria: { field: { api_name: first.api_name }, comparator: 'starts_with', value: marker } } : {}),
    page: 1,
  },
});
const readCreated = bulkReadCreateResponse.parse(
  await json(
    'bulk read create',
    await call('bulk read create', `${apiDomain}/crm/bulk/v8/read`, { method: 'POST', body: readBody, headers: { 'Content-Type': 'application/json' } }),
  ),
);
const readId = readCreated.data[0]!.details.id;
let readJob = bulkReadDetailsResponse.parse(await json('bulk read details', await call('bulk read details', `${apiDomain}/crm/bulk/v8/read/${readId}`, {})))
  .data[0]!;
const readDeadline = Date.now() + 10 * 60_000;
while (!TERMINAL_BULK_READ_STATES.includes(readJob.state) && Date.now() < readDeadline) {
  await new Promise((r) => setTimeout(r, 5_000));
  const r = await fetch(`${apiDomain}/crm/bulk/v8/read/${readId}`, { headers: { Authorization: `Zoho-oauthtoken ${token}` } });
  const raw: unknown = await r.json();
  readJob = bulkReadDetailsResponse.parse(raw).data[0]!;
  console.log(`  … ${readJob.state} (as sent: ${JSON.stringify((raw as { data?: { state?: unknown }[] }).data?.[0]?.state ?? null)})`);
}
console.log(`\nBulk Read ${readId}: ${readJob.state}; result ${redact(JSON.stringify(readJob.result ?? null))}`);
if (readJob.state === 'COMPLETED') {
  const readUrl = new URL(readJob.result?.download_url ?? `/crm/bulk/v8/read/${readId}/result`, apiDomain).toString();
  const rr = await call('bulk read result', readUrl, {});
  const readZip = await JSZip.loadAsync(new Uint8Array(await rr.arrayBuffer()));
  for (const name of Object.keys(readZip.files)) {
    const lines = (await readZip.files[name]!.async('string')).split(/\r?\n/);
    const head = lines[0]?.split(',') ?? [];
    console.log(
      `\n--- ${name}: header ${JSON.stringify(head)}; id column at ${bulkReadColumn(head, 'id')}; ${lines.filter((l) => l !== '').length - 1} records\n${redact(lines.slice(0, 4).join('\n'))}`,
    );
  }
}
console.log(`\nDone. Marked rows carry "${marker}" — delete them from ${moduleName} when you have checked them.`);
