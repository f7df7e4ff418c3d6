/// <reference lib="webworker" />
// The floor, off the main thread like the pipeline: plain Papa.parse + one jszip of the same text.
import { floor } from '../core-run.ts';

declare const self: DedicatedWorkerGlobalScope;

self.addEventListener('message', (e: MessageEvent<Blob>) => {
  void (async () => {
    const text = await e.data.text();
    self.postMessage(await floor(text, () => performance.now()));
  })();
});
