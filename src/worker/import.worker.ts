/// <reference lib="webworker" />
// Thin Web Worker shell: every request goes to the same import session the in-thread fallback uses.

import type { WorkerRequest } from './protocol.ts';
import { createImportSession } from './import-session.ts';

declare const self: DedicatedWorkerGlobalScope;

const session = createImportSession((event, transfer) => self.postMessage(event, transfer ?? []));

self.addEventListener('message', (e: MessageEvent<WorkerRequest>) => {
  void session.handle(e.data);
});
