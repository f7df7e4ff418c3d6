// GET /__emulator/session — how the same-origin SPA learns the emulator's token. Loopback Host only (the global
// Host check already refuses others; this re-checks because it hands out a credential).
import type { Hono } from 'hono';
import type { Emulator } from '../context.ts';
import { isLoopbackHost } from '../host-check.ts';
import type { EmulatorSession } from '../../src/api/contract/emulator.ts';

export function registerSession(app: Hono, emu: Emulator): void {
  app.get('/__emulator/session', (c) => {
    if (!isLoopbackHost(c.req.header('host'))) {
      return c.json({ status: 'error', code: 'FORBIDDEN', message: 'The session is only given to loopback hosts.', details: {} }, 403);
    }
    const origin = new URL(c.req.url).origin;
    const body: EmulatorSession = { token: emu.config.token, apiDomain: origin, uploadHost: origin, zgid: emu.org().zgid };
    c.header('Cache-Control', 'no-store');
    return c.json(body);
  });
}
