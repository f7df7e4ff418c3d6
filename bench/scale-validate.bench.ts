// The Review step's check alone, in Node, on bench:scale's file: (1) validateTable over the parsed table, mapped the
// way the Map step auto-maps it; (2) the import session's whole `validate` request as the worker runs it (the
// same check plus every mapped column's clean-up suggestions and the packing of the result), after an `open` of
// the same file. For profiling (node --cpu-prof) and same-process A/B timing.
// Usage: node --import tsx bench/scale-validate.bench.ts [rows=100000] [reps=3]. Prints figures; asserts nothing.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { SEED_MODULES } from '../emulator/store/seed-metadata.ts';
import { readTable } from '../src/domain/csv/read-table.ts';
import { fieldModelFromMeta } from '../src/domain/fields/field-model.ts';
import { validateTable } from '../src/domain/validation/preflight.ts';
import { initialMapping } from '../src/steps/map-step/mapping-setup.ts';
import { createImportSession } from '../src/worker/import-session.ts';
import type { WorkerEvent } from '../src/worker/protocol.ts';
import { csvFile, HEADERS } from './scale-data.ts';

const rows = Number(process.argv[2] ?? 100_000);
const reps = Number(process.argv[3] ?? 3);
const contacts = SEED_MODULES.find((m) => m.api_name === 'Contacts');
if (contacts === undefined) throw new Error('The seed has no Contacts module.');
const fields = contacts.fields.map(fieldModelFromMeta);
const { mapping } = initialMapping(HEADERS, fields);
const bytes = new Uint8Array(readFileSync(csvFile(rows)));
const table = readTable(bytes);
const load = () =>
  execFileSync('uptime')
    .toString()
    .trim()
    .replace(/.*load average: /, '');

// CPU time of this process (all its threads, GC helpers included) beside wall-clock time: on the shared machine the
// wall clock moves with other people's load, CPU time much less.
const cpuMs = (since: NodeJS.CpuUsage) => {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1000;
};
const checkTimes: number[] = [];
const checkCpu: number[] = [];
const sessionCpu: number[] = [];
let issues = 0;
let skips = 0;
for (let r = 0; r < reps; r++) {
  const t = performance.now();
  const c = process.cpuUsage();
  const v = validateTable({ headers: table.headers, rows: table.rows, mapping, fields, operation: 'insert', findBy: null, ignoreEmpty: false });
  checkTimes.push(performance.now() - t);
  checkCpu.push(cpuMs(c));
  issues = v.issues.length;
  skips = v.predictedSkips.length;
}

const failures: string[] = [];
const session = createImportSession((ev: WorkerEvent) => {
  if (ev.type === 'failed') failures.push(ev.message);
});
await session.handle({ type: 'open', id: 1, file: new Blob([bytes]), options: { batchSize: 1_000_000_000 } });
const sessionTimes: number[] = [];
for (let r = 0; r < reps; r++) {
  const t = performance.now();
  const c = process.cpuUsage();
  await session.handle({
    type: 'validate',
    id: 10 + r,
    input: { mapping, fields, operation: 'insert', findBy: null, ignoreEmpty: false, excluded: [], withFixes: true },
  });
  sessionTimes.push(performance.now() - t);
  sessionCpu.push(cpuMs(c));
}
if (failures.length > 0) throw new Error(`The session failed: ${failures.join('; ')}`);
const ms = (xs: number[]) => xs.map((t) => `${t.toFixed(0)} ms`).join(', ');
console.log(
  `${rows.toLocaleString('en-US')} rows × ${HEADERS.length} columns (${mapping.columns.filter((c) => c.apiName !== null).length} mapped), ` +
    `${issues.toLocaleString('en-US')} issues, ${skips.toLocaleString('en-US')} predicted skips: validateTable ${ms(checkTimes)} (CPU ${ms(checkCpu)}); worker validate request ${ms(sessionTimes)} (CPU ${ms(sessionCpu)}); load ${load()}`,
);
