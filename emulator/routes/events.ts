// GET /__emulator/events[?job_id=…] — Server-Sent Events of job progress, status changes and received callbacks
// so the wizard can react instead of only polling. Format in emulator/README.md.
import type { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { DIGITS } from '../../src/api/contract/common.ts';
import type { JobEvent } from '../../src/api/contract/emulator.ts';
import type { Emulator } from '../context.ts';

export function registerEvents(app: Hono, emu: Emulator): void {
  app.get('/__emulator/events', (c) => {
    const filter = c.req.query('job_id');
    const only = filter && DIGITS.test(filter) ? filter : null;
    return streamSSE(c, async (stream) => {
      const queue: { e: JobEvent; seq: number }[] = [];
      let wake: (() => void) | null = null;
      const off = emu.events.subscribe((e, seq) => {
        if (only !== null && e.job_id !== only) return;
        queue.push({ e, seq });
        wake?.();
      });
      let open = true;
      stream.onAbort(() => {
        open = false;
        wake?.();
      });
      await stream.writeSSE({ event: 'ready', data: JSON.stringify({ job_id: only }) });
      try {
        while (open) {
          const next = queue.shift();
          if (next) {
            await stream.writeSSE({ event: next.e.type, id: String(next.seq), data: JSON.stringify(next.e) });
            continue;
          }
          await new Promise<void>((r) => {
            wake = r;
            setTimeout(r, 15_000);
          });
          wake = null;
          if (open && queue.length === 0) await stream.write(': ping\n\n');
        }
      } finally {
        off();
      }
    });
  });
}
