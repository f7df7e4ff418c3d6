// Row batches cross the worker boundary packed: one string of all cells plus typed arrays of lengths. Cloning a
// handful of objects instead of one string per cell keeps both threads' share of a 250k-row file small.

import type { SourceRow } from '../domain/csv/types.ts';
import type { JobPart } from '../domain/jobs/types.ts';

export interface PackedRows {
  text: string;
  cellLengths: Uint32Array;
  widths: Uint32Array;
  lines: Uint32Array;
}

export function packRows(rows: readonly SourceRow[]): PackedRows {
  let cells = 0;
  for (const r of rows) cells += r.cells.length;
  const cellLengths = new Uint32Array(cells);
  const widths = new Uint32Array(rows.length);
  const lines = new Uint32Array(rows.length);
  // One join per row, then one per batch: measured ~2× faster than one array of every cell.
  const parts = new Array<string>(rows.length);
  let c = 0;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i] as SourceRow;
    const cs = r.cells;
    widths[i] = cs.length;
    lines[i] = r.line;
    for (let k = 0; k < cs.length; k++) cellLengths[c++] = (cs[k] as string).length;
    parts[i] = cs.join('');
  }
  return { text: parts.join(''), cellLengths, widths, lines };
}

export function unpackRows(p: PackedRows): SourceRow[] {
  const out = new Array<SourceRow>(p.widths.length);
  let pos = 0;
  let c = 0;
  const { text, cellLengths } = p;
  for (let i = 0; i < p.widths.length; i++) {
    const w = p.widths[i] as number;
    const cells = new Array<string>(w);
    for (let k = 0; k < w; k++) {
      const len = cellLengths[c++] as number;
      cells[k] = text.slice(pos, pos + len);
      pos += len;
    }
    out[i] = { line: p.lines[i] as number, cells };
  }
  return out;
}

interface LazyBatch {
  text: string;
  cellLengths: Uint32Array;
  firstCell: Uint32Array;
  firstChar: Float64Array;
}

/**
 * A row whose `cells` are cut from its packed batch on each read. The batch and position live in private fields
 * (invisible to spreads, JSON, structured clone and deep equality); `cells` is an own, enumerable getter, so
 * spreads, JSON and postMessage still see the cells. Every row has one hidden class; creating one is a constructor
 * call and a defineProperty (three defineProperty calls per row took ~2.3 µs a row on the main thread at 100k).
 */
class LazyRow implements SourceRow {
  readonly line: number;
  declare readonly cells: string[];
  readonly #batch: LazyBatch;
  readonly #index: number;

  constructor(batch: LazyBatch, index: number, line: number) {
    this.line = line;
    this.#batch = batch;
    this.#index = index;
    Object.defineProperty(this, 'cells', CELLS);
  }

  static cellsOf(row: LazyRow): string[] {
    const b = row.#batch;
    const i = row.#index;
    const from = b.firstCell[i] as number;
    const w = (b.firstCell[i + 1] as number) - from;
    const cells = new Array<string>(w);
    let at = b.firstChar[i] as number;
    for (let k = 0; k < w; k++) {
      const len = b.cellLengths[from + k] as number;
      cells[k] = b.text.slice(at, at + len);
      at += len;
    }
    return cells;
  }
}

// One descriptor (and one getter) shared by every row.
const CELLS: PropertyDescriptor = {
  get(this: LazyRow): string[] {
    return LazyRow.cellsOf(this);
  },
  enumerable: true,
};

/** Rows over one packed batch: the main thread holds one packed string per batch instead of one string per cell. */
export function lazyRows(p: PackedRows): SourceRow[] {
  const n = p.widths.length;
  const firstCell = new Uint32Array(n + 1);
  const firstChar = new Float64Array(n + 1);
  let c = 0;
  let pos = 0;
  for (let i = 0; i < n; i++) {
    firstCell[i] = c;
    firstChar[i] = pos;
    const w = p.widths[i] as number;
    for (let k = 0; k < w; k++) pos += p.cellLengths[c++] as number;
  }
  firstCell[n] = c;
  firstChar[n] = pos;
  const batch: LazyBatch = { text: p.text, cellLengths: p.cellLengths, firstCell, firstChar };
  const out = new Array<SourceRow>(n);
  for (let i = 0; i < n; i++) out[i] = new LazyRow(batch, i, p.lines[i] as number);
  return out;
}

/** The packed shape of a job part (see protocol.ts PackedJobPart). */
export interface PackedJob extends Omit<JobPart, 'provenance' | 'echo'> {
  rowIndex: Uint32Array;
  lines: Uint32Array;
  echo: PackedRows;
}

/** Provenance and echo of a job as typed arrays and one string: 25k objects cloned on the main thread took ~0.5 s. */
export function packJob(job: JobPart): { part: PackedJob; transfer: ArrayBuffer[] } {
  const n = job.provenance.length;
  const rowIndex = new Uint32Array(n);
  const lines = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const p = job.provenance[i] as JobPart['provenance'][number];
    rowIndex[i] = p.rowIndex;
    lines[i] = p.line;
  }
  const echo = packRows(job.echo.map((cells, i) => ({ line: i, cells })));
  // Each zip gets its own buffer so it can be transferred, not copied.
  const zip = job.zip.byteOffset === 0 && job.zip.byteLength === job.zip.buffer.byteLength ? job.zip : job.zip.slice();
  const { provenance: _p, echo: _e, ...rest } = job;
  return {
    part: { ...rest, zip, rowIndex, lines, echo },
    transfer: [
      zip.buffer as ArrayBuffer,
      rowIndex.buffer,
      lines.buffer,
      echo.cellLengths.buffer as ArrayBuffer,
      echo.widths.buffer as ArrayBuffer,
      echo.lines.buffer as ArrayBuffer,
    ],
  };
}

export function unpackJob(part: PackedJob): JobPart {
  const { rowIndex, lines, echo, ...rest } = part;
  const provenance = new Array<JobPart['provenance'][number]>(rowIndex.length);
  for (let i = 0; i < rowIndex.length; i++) provenance[i] = { rowIndex: rowIndex[i] as number, line: lines[i] as number };
  return { ...rest, provenance, echo: unpackRows(echo).map((r) => r.cells) };
}
