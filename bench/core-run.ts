// The measured work, shared by the Node run and the browser bench: the pipeline (our code) and the floor
// (plain Papa.parse + one jszip of the same bytes) on the same input.

import Papa from 'papaparse';
import JSZip from 'jszip';
import { readTable } from '../src/domain/csv/read-table.ts';
import { splitIntoJobs } from '../src/domain/jobs/split.ts';
import type { ParsedTable } from '../src/domain/csv/types.ts';
import { validateTable } from '../src/domain/validation/preflight.ts';
import { benchMapping } from './core-mapping.ts';

export interface FloorTimes {
  parseMs: number;
  zipMs: number;
  zipBytes: number;
}

export async function floor(text: string, now: () => number): Promise<FloorTimes> {
  const t0 = now();
  const parsed = Papa.parse<string[]>(text, { skipEmptyLines: true });
  const t1 = now();
  if (parsed.data.length === 0) throw new Error('floor parse produced nothing');
  const bytes = new TextEncoder().encode(text);
  const zip = new JSZip();
  zip.file('Leads.csv', bytes, { binary: true, date: new Date(Date.UTC(2020, 0, 1)) });
  const out = await zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE', compressionOptions: { level: 6 } });
  const t2 = now();
  return { parseMs: t1 - t0, zipMs: t2 - t1, zipBytes: out.length };
}

export interface PipelineTimes {
  parseMs: number;
  validateMs: number;
  zipMs: number;
  jobs: number;
  zipBytes: number;
  rows: number;
  mappedColumns: number;
  predictedSkips: number;
}

export async function pipelineInProcess(bytes: Uint8Array, now: () => number): Promise<PipelineTimes & { table: ParsedTable }> {
  const t0 = now();
  const table = readTable(bytes);
  const t1 = now();
  const m = benchMapping(table.headers);
  const v = validateTable({
    headers: table.headers,
    rows: table.rows,
    mapping: m.mapping,
    fields: m.fields,
    operation: 'insert',
    findBy: null,
    ignoreEmpty: false,
  });
  const tv = now();
  const split = await splitIntoJobs({ header: m.header, columnSource: m.columnSource, rows: table.rows, module: 'Leads' });
  const t2 = now();
  return {
    parseMs: t1 - t0,
    validateMs: tv - t1,
    zipMs: t2 - tv,
    jobs: split.jobs.length,
    zipBytes: split.jobs.reduce((s, j) => s + j.zipBytes, 0),
    rows: table.rows.length,
    mappedColumns: m.header.length,
    predictedSkips: v.predictedSkips.length,
    table,
  };
}
