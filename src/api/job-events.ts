// The emulator's Server-Sent Events relay (`/__emulator/events`): job progress and callback arrivals, pushed so
// the wizard reacts before the next poll. Optional: when it's absent or drops, polling alone carries on.
import { jobEvent, type JobEvent } from './contract/emulator.ts';
import type { Connection } from './connection.ts';

export function subscribeJobEvents(conn: Connection, onEvent: (e: JobEvent) => void): () => void {
  if (conn.kind !== 'emulator' || typeof EventSource === 'undefined') return () => undefined;
  const url = new URL('/__emulator/events', conn.apiDomain);
  const src = new EventSource(url.toString());
  const handle = (m: MessageEvent<unknown>) => {
    if (typeof m.data !== 'string') return;
    let json: unknown;
    try {
      json = JSON.parse(m.data);
    } catch {
      return;
    }
    const parsed = jobEvent.safeParse(json);
    if (parsed.success) onEvent(parsed.data);
  };
  // The emulator names each event after its type (emulator/routes/events.ts).
  for (const name of ['message', 'progress', 'status', 'callback']) src.addEventListener(name, handle as EventListener);
  return () => src.close();
}
