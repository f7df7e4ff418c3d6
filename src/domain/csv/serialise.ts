// Re-serialise only what is sent: UTF-8 (no BOM), comma, CRLF, RFC 4180 quoting where needed (contract §1, #29).

const NEEDS_QUOTES = /[",\r\n]/;

export function quoteField(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function serialiseRow(cells: readonly string[]): string {
  // Array join measured ~2× faster than `+=` for 20-cell rows.
  const n = cells.length;
  const parts = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    const v = cells[i] ?? '';
    parts[i] = NEEDS_QUOTES.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
  }
  return parts.join(',') + '\r\n';
}

/** serialiseRow(projectRow(cells, columnSource)) without the intermediate array. */
export function serialiseProjected(cells: readonly string[], columnSource: readonly number[]): string {
  const n = columnSource.length;
  const parts = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    const v = cells[columnSource[i] as number] ?? '';
    parts[i] = NEEDS_QUOTES.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
  }
  return parts.join(',') + '\r\n';
}

/** Cells of one source row in sent-column order; a missing cell (short ragged row) is sent empty. */
export function projectRow(cells: readonly string[], columnSource: readonly number[]): string[] {
  const out = new Array<string>(columnSource.length);
  for (let i = 0; i < columnSource.length; i++) out[i] = cells[columnSource[i] as number] ?? '';
  return out;
}

export function serialiseCsv(header: readonly string[], rows: Iterable<readonly string[]>): string {
  const parts = [serialiseRow(header)];
  for (const r of rows) parts.push(serialiseRow(r));
  return parts.join('');
}

/** UTF-8 byte length of a string without encoding it (lone surrogates count as U+FFFD, 3 bytes, like TextEncoder). */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n += 4;
        i++;
      } else n += 3;
    } else n += 3;
  }
  return n;
}
