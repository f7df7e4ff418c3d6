/// <reference lib="webworker" />
// The xlsx floor: the parser alone (SheetJS read with the app's options, then its own sheet → rows of text), in a
// worker like the app's, timed inside from the bytes in memory.
import { read, utils } from '@e965/xlsx';

declare const self: DedicatedWorkerGlobalScope;

self.addEventListener('message', (e: MessageEvent<Blob>) => {
  void (async () => {
    const bytes = new Uint8Array(await e.data.arrayBuffer());
    const t0 = performance.now();
    const book = read(bytes, { type: 'array', dense: true, cellNF: true, cellText: true, cellDates: false, cellFormula: true, cellStyles: false });
    const first = book.SheetNames[0] ?? '';
    const sheet = book.Sheets[first];
    const rows = sheet ? utils.sheet_to_json<string[]>(sheet, { header: 1, raw: false, defval: '' }).length : 0;
    self.postMessage({ parserMs: performance.now() - t0, rows });
  })();
});
