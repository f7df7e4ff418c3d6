// The org as the check sees it: per module, the records Bulk Read returned (ids plus the requested columns), read
// from the result CSV by header NAME, case-insensitively, never by position (Zoho's header case and order are not
// documented). Built page by page in the worker; never stored, logged or sent anywhere.

/** One module's records: `ids[i]` and `columns.get(apiName)[i]` describe record i. */
export interface ModuleSnapshot {
  module: string;
  ids: string[];
  /** Requested field → values in record order ('' when empty). */
  columns: Map<string, string[]>;
  pages: number;
}

export function emptySnapshot(module: string, fields: readonly string[]): ModuleSnapshot {
  return { module, ids: [], columns: new Map(fields.map((f) => [f, []])), pages: 0 };
}

/**
 * RFC 4180 records of a CSV text (quotes doubled inside quoted cells, CRLF or LF). Calls `each` per record with a
 * reused-free fresh array. Returns false when a quote is left open (a truncated file).
 */
export function forEachCsvRecord(text: string, each: (cells: string[]) => void): boolean {
  const n = text.length;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let cells: string[] = [];
  while (i < n) {
    let cell: string;
    if (text.charCodeAt(i) === 34) {
      // quoted cell
      let out = '';
      let j = i + 1;
      for (;;) {
        const q = text.indexOf('"', j);
        if (q < 0) return false;
        out += text.slice(j, q);
        if (text.charCodeAt(q + 1) === 34) {
          out += '"';
          j = q + 2;
        } else {
          j = q + 1;
          break;
        }
      }
      cell = out;
      i = j;
    } else {
      let j = i;
      while (j < n) {
        const c = text.charCodeAt(j);
        if (c === 44 || c === 10 || c === 13) break;
        j++;
      }
      cell = text.slice(i, j);
      i = j;
    }
    cells.push(cell);
    const c = text.charCodeAt(i);
    if (c === 44) {
      i++;
      if (i === n) cells.push('');
      continue;
    }
    // end of record (CR, LF, CRLF or end of text)
    if (c === 13) i++;
    if (text.charCodeAt(i) === 10) i++;
    if (!(cells.length === 1 && cells[0] === '')) each(cells);
    cells = [];
  }
  if (cells.length > 0) each(cells);
  return true;
}

export class SnapshotPageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SnapshotPageError';
  }
}

/** Index of a header cell by API name, case-insensitively and ignoring a BOM and spaces. -1 when absent. */
export function headerIndex(header: readonly string[], apiName: string): number {
  const want = apiName.trim().toLowerCase();
  return header.findIndex((h) => h.replace(/^\uFEFF/, '').trim().toLowerCase() === want);
}

/**
 * Adds one result page (its CSV text) to the snapshot. The page must carry `id` and every field the snapshot was
 * planned with; a missing column is an error naming it rather than a snapshot of empty values.
 */
export function addCsvPage(s: ModuleSnapshot, csvText: string): number {
  let header: string[] | null = null;
  let idAt = -1;
  let targets: { at: number; into: string[] }[] = [];
  let added = 0;
  let width = 0;
  const ok = forEachCsvRecord(csvText, (cells) => {
    if (header === null) {
      header = cells;
      width = cells.length;
      idAt = headerIndex(cells, 'id');
      if (idAt < 0) throw new SnapshotPageError(`The Bulk Read result of ${s.module} has no id column (header: ${cells.slice(0, 8).join(', ')}).`);
      targets = [...s.columns].map(([apiName, into]) => {
        const at = headerIndex(cells, apiName);
        if (at < 0) throw new SnapshotPageError(`The Bulk Read result of ${s.module} has no ${apiName} column, which the check asked for (header: ${cells.slice(0, 8).join(', ')}).`);
        return { at, into };
      });
      return;
    }
    if (cells.length !== width) throw new SnapshotPageError(`The Bulk Read result of ${s.module} has a record with ${cells.length} cells under a header of ${width}.`);
    s.ids.push(cells[idAt]!);
    for (const t of targets) t.into.push(cells[t.at]!);
    added++;
  });
  if (!ok) throw new SnapshotPageError(`The Bulk Read result of ${s.module} ends inside a quoted cell: the download was cut short. Run the check again.`);
  s.pages += 1;
  return added;
}
