// POST /crm/v8/upload (and /crm/v2/upload) — multipart `file` = a ZIP holding one CSV (contract §3). The CSV is
// stored under a generated name in DATA_DIR/uploads (never the entry name); its row and column counts are kept
// so job creation can enforce the 25,000-record and 200-column limits.
import type { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { join } from 'node:path';
import type { UploadResponseOut } from '../../src/api/contract/upload.ts';
import { UPLOAD_MAX_BYTES, UPLOAD_PART_NAME } from '../../src/api/contract/upload.ts';
import { isoWithOffset, type Emulator } from '../context.ts';
import { checkHeaderCells, decodeUtf8, parseCsv } from '../csv.ts';
import { ZohoError } from '../errors.ts';
import { writeFileDurable } from '../fs-util.ts';
import { extractSingleCsv } from '../zip-reader.ts';
import { rememberUpload } from '../jobs/runner.ts';
import { jsonWithNumericIds, uploadErrorStatus } from '../quirks.ts';

const tooLarge = () =>
  new ZohoError(413, 'FILE_TOO_LARGE', `The ZIP is larger than ${UPLOAD_MAX_BYTES} bytes (25 MB); split the CSV into several files.`, {
    limit: UPLOAD_MAX_BYTES,
  });

export function registerUpload(app: Hono, emu: Emulator): void {
  // Quirks mode: a refused upload keeps its Zoho error body but is answered HTTP 200 (contract §3).
  app.use('/crm/:version{v[2-8]}/upload', async (c, next) => {
    await next();
    const err = c.error;
    if (emu.hooks.quirks && err instanceof ZohoError) {
      c.res = new Response(JSON.stringify(err.body()), {
        status: uploadErrorStatus(err.status),
        headers: { 'Content-Type': 'application/json; charset=UTF-8', ...err.headers },
      });
    }
  });
  app.post(
    '/crm/:version{v[2-8]}/upload',
    bodyLimit({
      maxSize: UPLOAD_MAX_BYTES + 256 * 1024, // the ZIP plus multipart framing
      onError: () => {
        throw tooLarge();
      },
    }),
    async (c) => {
      const fail = emu.hooks.failUploads;
      if (fail.count > 0) {
        fail.count--;
        throw new ZohoError(
          fail.status as 500,
          'INTERNAL_ERROR',
          'The upload failed on the server (injected fault); nothing was stored. Retry the upload.',
          {},
        );
      }
      const feature = c.req.header('feature');
      if (feature !== 'bulk-write') {
        throw new ZohoError(400, 'NOT_SUPPORTED_FEATURE', 'The "feature" header must be "bulk-write" on Bulk Write uploads.', { header: 'feature' });
      }
      const org = c.req.header('x-crm-org');
      if (!org)
        throw new ZohoError(400, 'INVALID_REQUEST', 'The X-CRM-ORG header is missing; send the org zgid from GET /crm/v8/org.', { header: 'X-CRM-ORG' });
      if (org !== emu.org().zgid)
        throw new ZohoError(400, 'AUTHORIZATION_FAILED', 'X-CRM-ORG does not match this org; send the zgid from GET /crm/v8/org.', { header: 'X-CRM-ORG' });
      if (!(c.req.header('content-type') ?? '').toLowerCase().startsWith('multipart/form-data')) {
        throw new ZohoError(400, 'INVALID_FILE_FORMAT', 'Send the ZIP as multipart/form-data in a part named "file".', {});
      }
      let form: Record<string, unknown>;
      try {
        form = await c.req.parseBody({ all: true });
      } catch {
        throw new ZohoError(400, 'INVALID_FILE_FORMAT', 'The multipart body could not be read; send the ZIP in a part named "file".', {});
      }
      const part = form[UPLOAD_PART_NAME];
      if (Array.isArray(part)) throw new ZohoError(400, 'INVALID_FILE_FORMAT', 'Send exactly one file per upload (several "file" parts were sent).', {});
      if (!(part instanceof File)) throw new ZohoError(400, 'INVALID_FILE_FORMAT', 'No file found: send the ZIP in a multipart part named "file".', {});
      if (part.size > UPLOAD_MAX_BYTES) throw tooLarge();
      const zip = new Uint8Array(await part.arrayBuffer());
      const entry = extractSingleCsv(zip, emu.config.maxCsvBytes);
      const text = decodeUtf8(entry.bytes);
      const parsed = parseCsv(text);
      // Before anything stores or echoes the header: one absurd header cell is refused here, by column number.
      checkHeaderCells(parsed.header);

      const now = emu.now();
      let fileId = '';
      emu.records.transaction(() => {
        fileId = emu.ids.take();
        emu.ids.persist();
      });
      const path = join(emu.config.dataDir, 'uploads', `${fileId}.csv`);
      // The bytes as uploaded (minus a BOM, which decodeUtf8 dropped too): re-encoding `text` cost another copy.
      const bom = entry.bytes[0] === 0xef && entry.bytes[1] === 0xbb && entry.bytes[2] === 0xbf;
      writeFileDurable(path, bom ? entry.bytes.subarray(3) : entry.bytes);
      rememberUpload(path, parsed, entry.bytes.length);
      const created = isoWithOffset(now);
      emu.db
        .prepare(`INSERT INTO uploads(file_id, path, name, bytes, rows, columns, header, created_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
        .run(fileId, path, entry.displayName, entry.bytes.length, parsed.rows.length, parsed.header.length, JSON.stringify(parsed.header), created);
      const body: UploadResponseOut = {
        status: 'success',
        code: 'FILE_UPLOAD_SUCCESS',
        message: 'file uploaded.',
        details: { file_id: fileId, created_time: created },
      };
      if (emu.hooks.quirks) return jsonWithNumericIds(c, body, 200);
      return c.json(body, 200);
    },
  );
}
