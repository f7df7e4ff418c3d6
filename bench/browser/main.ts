// Browser bench page: the real worker pipeline (import-client → import.worker) timed from the main thread,
// the floor in its own worker, and long main-thread tasks observed while the pipeline runs.
import { createImportClient, type ImportClient } from '../../src/worker/import-client.ts';
import { utils, write } from '@e965/xlsx';
import { benchCsv, benchSheetRows } from '../core-data.ts';
import type { FloorTimes } from '../core-run.ts';
import { benchMapping } from '../core-mapping.ts';

interface MemoryInfo {
  usedJSHeapSize: number;
}
const perf = performance as Performance & { memory?: MemoryInfo };

const longTasks: Array<{ start: number; duration: number }> = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) longTasks.push({ start: e.startTime, duration: e.duration });
}).observe({ type: 'longtask', buffered: true });

let heapPeak = 0;
const sampleHeap = (): void => {
  heapPeak = Math.max(heapPeak, perf.memory?.usedJSHeapSize ?? 0);
};

function runFloor(blob: Blob): Promise<FloorTimes> {
  const w = new Worker(new URL('./floor.worker.ts', import.meta.url), { type: 'module' });
  return new Promise((resolve, reject) => {
    w.addEventListener('message', (e: MessageEvent<FloorTimes>) => {
      w.terminate();
      resolve(e.data);
    });
    w.addEventListener('error', (e) => {
      w.terminate();
      reject(new Error(e.message));
    });
    w.postMessage(blob);
  });
}

interface Rep {
  pipelineParseMs: number;
  pipelineZipMs: number;
  validateMs: number;
  floorParseMs: number;
  floorZipMs: number;
  longestTaskMs: number;
  longTasks: number;
  worstHeartbeatGapMs: number;
  rows: number;
  jobs: number;
  zipBytes: number;
  mappedColumns: number;
  predictedSkips: number;
}

function runStages(blob: Blob): Promise<Record<string, number>> {
  const w = new Worker(new URL('./stages.worker.ts', import.meta.url), { type: 'module' });
  return new Promise((resolve, reject) => {
    w.addEventListener('message', (e: MessageEvent<Record<string, number>>) => {
      w.terminate();
      resolve(e.data);
    });
    w.addEventListener('error', (e) => {
      w.terminate();
      reject(new Error(e.message));
    });
    w.postMessage(blob);
  });
}

async function pipelineOnce(client: ImportClient, blob: Blob): Promise<Omit<Rep, 'floorParseMs' | 'floorZipMs'>> {
  await new Promise((r) => setTimeout(r, 50));
  const windowStart = performance.now();
  // A heartbeat on the main thread: its worst delay is what a user would feel as jank.
  let lastBeat = performance.now();
  let worstBeatGap = 0;
  const beat = setInterval(() => {
    const t = performance.now();
    worstBeatGap = Math.max(worstBeatGap, t - lastBeat);
    lastBeat = t;
  }, 10);
  const t0 = performance.now();
  let received = 0;
  const table = await client.openFile(
    blob,
    {},
    {
      onRows: (_o, batch) => {
        received += batch.length;
      },
    },
  );
  const tOpened = performance.now();
  const m = benchMapping(table.headers);
  const v = await client.validate({ mapping: m.mapping, fields: m.fields, operation: 'insert', findBy: null, ignoreEmpty: false });
  const t1 = performance.now();
  const built = await client.buildJobs({ header: m.header, columnSource: m.columnSource, module: 'Leads' });
  const t2 = performance.now();
  clearInterval(beat);
  // Long tasks are reported asynchronously: give the observer a moment.
  await new Promise((r) => setTimeout(r, 200));
  const inWindow = longTasks.filter((l) => l.start >= windowStart && l.start <= t2);
  const phaseOf = (t: number): string => (t < tOpened ? 'open' : t < t1 ? 'validate' : 'build');
  console.log(
    `long tasks: ${inWindow.map((l) => `${Math.round(l.duration)}ms@${phaseOf(l.start)}+${Math.round(l.start - t0)}`).join(' ')} (open ${Math.round(tOpened - t0)}, validate ${Math.round(t1 - tOpened)}, build ${Math.round(t2 - t1)})`,
  );
  return {
    rows: received,
    jobs: built.jobs.length,
    mappedColumns: m.header.length,
    predictedSkips: v.predictedSkips.length,
    zipBytes: built.jobs.reduce((s, j) => s + j.zipBytes, 0),
    pipelineParseMs: t1 - t0,
    pipelineZipMs: t2 - t1,
    validateMs: t1 - tOpened,
    longestTaskMs: inWindow.reduce((m, l) => Math.max(m, l.duration), 0),
    longTasks: inWindow.length,
    worstHeartbeatGapMs: worstBeatGap,
  };
}

async function run(rows: number, reps: number): Promise<{ reps: Rep[]; mainHeapPeakMb: number; stages: Record<string, number> }> {
  const status = document.getElementById('status');
  if (status) status.textContent = `generating ${rows}`;
  const blob = new Blob([benchCsv(rows)], { type: 'text/csv' });
  heapPeak = 0;
  const timer = setInterval(sampleHeap, 20);
  const out: Rep[] = [];
  // One client for all runs, like the app; its worker is started before timing (the floor's start-up is not
  // timed either — the floor measures inside its worker).
  const client = createImportClient();
  await client.openFile(new Blob(['a,b\r\n1,2\r\n']));
  for (let i = 0; i < reps; i++) {
    // Floor and pipeline alternate so both see the same machine load.
    const f = await runFloor(blob);
    const p = await pipelineOnce(client, blob);
    out.push({ ...p, floorParseMs: f.parseMs, floorZipMs: f.zipMs });
  }
  clearInterval(timer);
  sampleHeap();
  client.dispose();
  const stages = await runStages(blob);
  if (status) status.textContent = `done ${rows}`;
  return { reps: out, mainHeapPeakMb: heapPeak / 1048576, stages };
}

(window as unknown as { runBench: typeof run }).runBench = run;

interface XlsxRep {
  appMs: number;
  parserMs: number;
  rows: number;
}

function runXlsxFloor(blob: Blob): Promise<{ parserMs: number; rows: number }> {
  const w = new Worker(new URL('./xlsx-floor.worker.ts', import.meta.url), { type: 'module' });
  return new Promise((resolve, reject) => {
    w.addEventListener('message', (e: MessageEvent<{ parserMs: number; rows: number }>) => {
      w.terminate();
      resolve(e.data);
    });
    w.addEventListener('error', (e) => {
      w.terminate();
      reject(new Error(e.message));
    });
    w.postMessage(blob);
  });
}

/** A workbook of the bench rows, opened through the app's worker (read, cell text, table, rows back) vs the parser alone. */
async function runXlsx(rows: number, reps: number): Promise<{ reps: XlsxRep[]; bytes: number }> {
  const status = document.getElementById('status');
  if (status) status.textContent = `generating workbook ${rows}`;
  const ws = utils.aoa_to_sheet(benchSheetRows(rows));
  const dateCol = 16;
  for (let r = 1; r <= rows; r++) {
    const cell = ws[utils.encode_cell({ r, c: dateCol })] as { z?: string } | undefined;
    if (cell) cell.z = 'yyyy-mm-dd';
  }
  const wb = utils.book_new();
  utils.book_append_sheet(wb, ws, 'Leads');
  const bytes = write(wb, { type: 'array', bookType: 'xlsx', compression: true }) as ArrayBuffer;
  const blob = new Blob([bytes], { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
  // The worker and its lazily loaded spreadsheet parser are started before timing, as for the CSV case.
  const client = createImportClient();
  const tiny = utils.book_new();
  utils.book_append_sheet(tiny, utils.aoa_to_sheet([['a'], ['1']]), 'S');
  await client.openFile(new File([write(tiny, { type: 'array', bookType: 'xlsx' }) as ArrayBuffer], 'warm-up.xlsx'));
  const out: XlsxRep[] = [];
  for (let i = 0; i < reps; i++) {
    // Parser alone and app path alternate so both see the same machine load.
    const f = await runXlsxFloor(blob);
    await new Promise((r) => setTimeout(r, 50));
    const t0 = performance.now();
    const table = await client.openFile(new File([blob], 'bench.xlsx'));
    out.push({ appMs: performance.now() - t0, parserMs: f.parserMs, rows: table.rows.length });
  }
  client.dispose();
  if (status) status.textContent = `done workbook ${rows}`;
  return { reps: out, bytes: bytes.byteLength };
}

(window as unknown as { runXlsxBench: typeof runXlsx }).runXlsxBench = runXlsx;
