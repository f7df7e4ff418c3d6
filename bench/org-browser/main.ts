// Bench page for the org check, served by the emulator (same origin, like the app): the app's real entry points —
// the emulator session, the fields fetcher, the import worker (createImportClient) and runOrgCheck — on a generated
// 100,000-row Contacts file against the emulator's org. Times the file-only validation and the org check of the
// same rows, and records every long main-thread task while each runs. Review's UI is not driven (see org.bench.ts).
import { fetchEmulatorConnection } from '../../src/api/get-emulator-session.ts';
import { fetchFields } from '../../src/api/get-fields.ts';
import { fieldModelFromMeta } from '../../src/domain/fields/field-model.ts';
import { assignColumn, emptyMapping } from '../../src/domain/mapping/mapping.ts';
import { runOrgCheck } from '../../src/lib/org-check-run.ts';
import { createImportClient } from '../../src/worker/import-client.ts';
import type { OrgWorkerTiming } from '../../src/worker/org-protocol.ts';
import { ORG_FILE_HEADERS as HEADERS, orgFileCsv as fileCsv } from '../org-file.ts';

interface MemoryInfo {
  usedJSHeapSize: number;
}
const perf = performance as Performance & { memory?: MemoryInfo };

const longTasks: { start: number; duration: number }[] = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) longTasks.push({ start: e.startTime, duration: e.duration });
}).observe({ type: 'longtask', buffered: true });

let heapPeak = 0;
const sampleHeap = (): void => {
  heapPeak = Math.max(heapPeak, perf.memory?.usedJSHeapSize ?? 0);
};

const longestBetween = (a: number, b: number): { longest: number; count: number; tasks: string[] } => {
  const inside = longTasks.filter((t) => t.start + t.duration >= a && t.start <= b);
  return {
    longest: inside.reduce((m, t) => Math.max(m, t.duration), 0),
    count: inside.length,
    // Each task: its length and when it started, from the start of the measured step (to place it in a profile).
    tasks: inside.map((t) => `${Math.round(t.duration)} ms at +${Math.round(t.start - a)} ms`),
  };
};

const roundAll = (t: OrgWorkerTiming): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const k of Object.keys(t) as (keyof OrgWorkerTiming)[]) out[k] = Math.round(t[k]);
  return out;
};

async function runOrgBench(rows: number, orgRecords: number, domain: string) {
  const timer = setInterval(sampleHeap, 50);
  try {
    const conn = await fetchEmulatorConnection(location.origin);
    const fields = (await fetchFields(conn, 'Contacts')).map(fieldModelFromMeta);
    const client = createImportClient();
    const table = await client.openFile(new Blob([fileCsv(rows, orgRecords, domain)], { type: 'text/csv' }));
    let mapping = emptyMapping(HEADERS.length);
    HEADERS.forEach((h, i) => {
      mapping = assignColumn(mapping, i, h).mapping;
    });
    const common = { mapping, fields, operation: 'upsert' as const, findBy: 'Email', ignoreEmpty: false };

    await new Promise((r) => setTimeout(r, 300));
    const v0 = performance.now();
    const validation = await client.validate({ ...common, excluded: [], withFixes: true }, {}, table);
    const v1 = performance.now();
    await new Promise((r) => setTimeout(r, 1200)); // long tasks are reported after they end
    const vTasks = longestBetween(v0, v1 + 1000);

    const c0 = performance.now();
    // When each phase of the check began (ms from its start): where the time between the pages goes.
    const phases: string[] = [];
    const out = await runOrgCheck(
      { connection: conn, client, module: 'Contacts', ...common, excluded: [], table, pollDelay: () => 200 },
      { onProgress: (p) => phases.push(`${p.phase}@${Math.round(performance.now() - c0)}`) },
    );
    const c1 = performance.now();
    await new Promise((r) => setTimeout(r, 1200));
    const cTasks = longestBetween(c0, c1 + 1000);
    if (out.kind !== 'done') throw new Error(out.kind === 'failed' ? out.message : 'cancelled');
    // What Review reads first: the counts, the first 200 rows' reasons and their changes (the visible page).
    const r0 = performance.now();
    const counts = out.result.counts;
    for (let i = 0; i < 200; i++) {
      out.result.row(i);
      out.result.changesOf(i);
    }
    const readMs = performance.now() - r0;
    client.dispose();
    return {
      rows: table.rows.length,
      orgRecords: out.result.orgRecords.Contacts ?? 0,
      validationMs: v1 - v0,
      validationIssues: validation.issues.rows.length,
      checkTotalMs: out.stats.totalMs,
      waitMs: out.stats.waitMs,
      downloadMs: out.stats.downloadMs,
      indexMs: out.stats.indexMs,
      predictMs: out.stats.predictMs,
      // The worker's own clock: unzip, decode and parse of the pages; file side, prediction and packing.
      worker: roundAll(out.result.timing),
      phases: phases.join(' '),
      jobs: out.stats.jobs,
      credits: out.stats.credits,
      counts,
      changeCounts: out.result.changeCounts,
      firstPageReadMs: readMs,
      longestTaskValidationMs: vTasks.longest,
      longTasksValidation: vTasks.count,
      longestTaskCheckMs: cTasks.longest,
      longTasksCheck: cTasks.count,
      checkTasks: cTasks.tasks,
      validationTasks: vTasks.tasks,
      mainHeapPeakMb: heapPeak / 1e6,
    };
  } finally {
    clearInterval(timer);
  }
}

(window as unknown as { runOrgBench: typeof runOrgBench }).runOrgBench = runOrgBench;
document.getElementById('status')!.textContent = 'loaded';
