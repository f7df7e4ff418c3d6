// POST /crm/v8/{Module}/upsert — insert or update by `duplicate_check_fields` (default: the unique fields).
import type { Hono } from 'hono';
import type { Emulator } from '../context.ts';
import { handleRecordsWrite } from '../records-api.ts';

export function registerRecordsUpsert(app: Hono, emu: Emulator): void {
  app.post('/crm/:version{v[2-8]}/:module{[A-Za-z][A-Za-z0-9_]*}/upsert', (c) => handleRecordsWrite(c, emu, 'upsert'));
}
