// POST /crm/v8/{Module} — insert up to 100 records synchronously (contract §10).
import type { Hono } from 'hono';
import type { Emulator } from '../context.ts';
import { handleRecordsWrite } from '../records-api.ts';

export function registerRecordsInsert(app: Hono, emu: Emulator): void {
  app.post('/crm/:version{v[2-8]}/:module{[A-Za-z][A-Za-z0-9_]*}', (c) => handleRecordsWrite(c, emu, 'insert'));
}
