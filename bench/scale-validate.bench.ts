// The Review step's validation alone, in Node, on bench:scale's rows: validateTable over a generated contacts table
// mapped the way the Map step auto-maps it. For profiling (node --cpu-prof) and same-process A/B timing.
// Usage: node --import tsx bench/scale-validate.bench.ts [rows=100000] [reps=3]. Prints figures; asserts nothing.
import { execFileSync } from 'node:child_process';
import { SEED_MODULES } from '../emulator/store/seed-metadata.ts';
import { fieldModelFromMeta } from '../src/domain/fields/field-model.ts';
import { validateTable } from '../src/domain/validation/preflight.ts';
import { initialMapping } from '../src/steps/map-step/mapping-setup.ts';
import { HEADERS, sourceRows } from './scale-data.ts';

const rows = Number(process.argv[2] ?? 100_000);
const reps = Number(process.argv[3] ?? 3);
const contacts = SEED_MODULES.find((m) => m.api_name === 'Contacts');
if (contacts === undefined) throw new Error('The seed has no Contacts module.');
const fields = contacts.fields.map(fieldModelFromMeta);
const { mapping } = initialMapping(HEADERS, fields);
const table = sourceRows(rows);
const times: number[] = [];
let issues = 0;
let skips = 0;
for (let r = 0; r < reps; r++) {
  const t = performance.now();
  const v = validateTable({ headers: HEADERS, rows: table, mapping, fields, operation: 'insert', findBy: null, ignoreEmpty: false });
  times.push(performance.now() - t);
  issues = v.issues.length;
  skips = v.predictedSkips.length;
}
const mapped = mapping.columns.filter((c) => c.apiName !== null).length;
console.log(
  `validateTable: ${rows.toLocaleString('en-US')} rows × ${HEADERS.length} columns (${mapped} mapped): ${times.map((t) => `${t.toFixed(0)} ms`).join(', ')}; ` +
    `${issues.toLocaleString('en-US')} issues, ${skips.toLocaleString('en-US')} predicted skips; load ${execFileSync('uptime')
      .toString()
      .trim()
      .replace(/.*load average: /, '')}`,
);
