// Row batches cross the worker boundary packed: one string of all cells plus typed arrays of lengths. Cloning a
// handful of objects instead of one string per cell keeps both threads' share of a 250k-row file small.

import type { SourceRow } from '../domain/csv/types.ts';

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
