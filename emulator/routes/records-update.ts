// PUT /crm/v8/{Module} — update up to 100 records by `id` synchronously (contract §10).
import type { Hono } from 'hono';
import type { Emulator } from '../context.ts';
import { handleRecordsWrite } from '../records-api.ts';

export function registerRecordsUpdate(app: Hono, emu: Emulator): void {
  app.put('/crm/:version{v[2-8]}/:module{[A-Za-z][A-Za-z0-9_]*}', (c) => handleRecordsWrite(c, emu, 'update'));
}
