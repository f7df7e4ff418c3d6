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
let answer: WorkerEvent | null = null;
const session = createImportSession((ev: WorkerEvent) => {
  if (ev.type === 'failed') failures.push(ev.message);
  if (ev.type === 'validated' || ev.type === 'fixes') answer = ev;
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
// One phone cell edited, three times, as Review sends an edit: the row's re-check (what the grid waits for to show
// the row's issues) and then the refresh of that column's clean-ups (read over the whole column).
const phone = HEADERS.indexOf('Phone');
let base = 10 + reps - 1;
const recheck: number[] = [];
const refresh: number[] = [];
for (let k = 0; k < 3; k++) {
  const row = 5 + k;
  const cells = [...(table.rows[row]?.cells ?? [])];
  cells[phone] = '+14155550101';
  let t = performance.now();
  await session.handle({ type: 'revalidate', id: 100 + 2 * k, input: { base, rowIndex: row, cells } });
  recheck.push(performance.now() - t);
  const checked = answer as WorkerEvent | null;
  if (checked?.type !== 'validated' || checked.result === null) throw new Error('The re-check was not answered.');
  base = checked.result.base;
  t = performance.now();
  await session.handle({ type: 'refreshFixes', id: 101 + 2 * k, input: { base } });
  refresh.push(performance.now() - t);
  const fixed = answer as WorkerEvent | null;
  if (fixed?.type !== 'fixes' || fixed.result === null) throw new Error('The clean-ups were not refreshed.');
}
// One row excluded, then included again, as Review's checkbox sends them (the row's re-check, no clean-ups).
const toggles: number[] = [];
for (const [k, excluded] of [true, false].entries()) {
  const t = performance.now();
  await session.handle({ type: 'revalidate', id: 200 + k, input: { base, rowIndex: 9, cells: [...(table.rows[9]?.cells ?? [])], excluded } });
  toggles.push(performance.now() - t);
  const checked = answer as WorkerEvent | null;
  if (checked?.type !== 'validated' || checked.result === null) throw new Error('The exclusion was not re-checked.');
  base = checked.result.base;
}
if (failures.length > 0) throw new Error(`The session failed: ${failures.join('; ')}`);
const ms = (xs: number[]) => xs.map((t) => `${t.toFixed(0)} ms`).join(', ');
console.log(
  `${rows.toLocaleString('en-US')} rows × ${HEADERS.length} columns (${mapping.columns.filter((c) => c.apiName !== null).length} mapped), ` +
    `${issues.toLocaleString('en-US')} issues, ${skips.toLocaleString('en-US')} predicted skips: validateTable ${ms(checkTimes)} (CPU ${ms(checkCpu)}); worker validate request ${ms(sessionTimes)} (CPU ${ms(sessionCpu)}); load ${load()}`,
);
console.log(
  `one phone cell edited (3 times): the row's re-check ${ms(recheck)}; ` +
    `then that column's clean-ups ${ms(refresh)}; one row excluded, then included again: ${ms(toggles)}`,
);
