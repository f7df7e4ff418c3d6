/// <reference lib="webworker" />
// Where the pipeline's time goes inside a worker: read, decode, parse, pack (diagnostic for the bench report).
import { decode } from '../../src/domain/csv/decode.ts';
import { parseTable } from '../../src/domain/csv/parse.ts';
import { packRows } from '../../src/domain/csv/packed-rows.ts';

declare const self: DedicatedWorkerGlobalScope;

self.addEventListener('message', (e: MessageEvent<Blob>) => {
  void (async () => {
    const t0 = performance.now();
    const reader = e.data.stream().getReader();
    let n = 0;
    for (;;) {
      const r = await reader.read();
      if (r.done) break;
      n += r.value.length;
    }
    const t1 = performance.now();
    const bytes = new Uint8Array(await e.data.arrayBuffer());
    const t2 = performance.now();
    const d = decode(bytes);
    const t3 = performance.now();
    const table = parseTable(d);
    const t4 = performance.now();
    for (let o = 0; o < table.rows.length; o += 5000) packRows(table.rows.slice(o, o + 5000));
    const t5 = performance.now();
    self.postMessage({ streamReadMs: t1 - t0, arrayBufferMs: t2 - t1, decodeMs: t3 - t2, parseMs: t4 - t3, packMs: t5 - t4, bytes: n });
  })();
});
