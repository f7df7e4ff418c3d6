// Pre-flight issues as they cross the worker boundary: typed arrays plus the distinct message tails (a few large
// copies instead of one object or string per issue), and the diff of one re-checked row against the previous result.
import type { Issue, IssueCode } from '../domain/validation/issues.ts';

const CODES = [
  'MANDATORY_NOT_FOUND',
  'INVALID_DATA',
  'DUPLICATE_DATA',
  'MANDATORY_FIELDS_NOT_MAPPED',
  'FIND_BY_MISSING',
  'FIND_BY_NOT_UNIQUE',
  'FIND_BY_NOT_MAPPED',
  'HEADER_LIMIT_EXCEEDED',
  'FIELD_NOT_WRITABLE',
  'UNKNOWN_FIELD',
  'INVALID_FORMAT',
  'INVALID_DEFAULT',
  'LOOKUP_FIND_BY_NOT_LOOKUP',
  'NOTHING_MAPPED',
  'NEW_PICKLIST_VALUE',
  'MANDATORY_IF_NEW',
  'LEADING_ZEROS_LOST',
] as const satisfies readonly IssueCode[];
const CODE_INDEX: ReadonlyMap<IssueCode, number> = new Map(CODES.map((c, i) => [c, i]));

/**
 * Row issues, in row order. Issue i: row rows[i], column columns[i] (-1 = the row as a whole); its message is
 * `Line ${lines[i]}, ` + tails[tailOf[i]] (or the tail alone when lines[i] is -1). Messages differ mostly by their
 * line, so a million issues carry a handful of distinct tails instead of a million strings: one 150 MB string
 * cloned into the main thread in one message task was a 2.6 s main-thread task at a million rows (issue 13).
 */
export interface PackedIssues {
  rows: Int32Array;
  columns: Int32Array;
  /** 0 = error, 1 = warning. */
  severities: Uint8Array;
  codes: Uint8Array;
  lines: Int32Array;
  tailOf: Uint32Array;
  tails: string[];
}

export interface UnpackedIssue {
  row: number;
  column: number | null;
  code: IssueCode;
  severity: 'error' | 'warning';
  message: string;
}

export function packIssues(issues: readonly Issue[]): PackedIssues {
  const n = issues.length;
  const rows = new Int32Array(n);
  const columns = new Int32Array(n);
  const severities = new Uint8Array(n);
  const codes = new Uint8Array(n);
  const lines = new Int32Array(n);
  const tailOf = new Uint32Array(n);
  const tails: string[] = [];
  const tailIds = new Map<string, number>();
  const idOf = (tail: string): number => {
    let id = tailIds.get(tail);
    if (id === undefined) {
      id = tails.length;
      tails.push(tail);
      tailIds.set(tail, id);
    }
    return id;
  };
  // Consecutive issues of a column mostly share their tail: compare with that column's last one before cutting and
  // hashing a new string.
  const lastTail = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const issue = issues[i] as Issue;
    rows[i] = issue.row ?? -1;
    columns[i] = issue.column ?? -1;
    severities[i] = issue.severity === 'error' ? 0 : 1;
    codes[i] = CODE_INDEX.get(issue.code) ?? 0;
    if (issue.tail !== undefined && issue.line !== null && issue.line >= 0) {
      // The row check's shared text: the message itself is never read here (reading it would copy it whole).
      lines[i] = issue.line;
      tailOf[i] = idOf(issue.tail);
      continue;
    }
    const message = issue.message;
    let line = -1;
    let prefixLength = 0;
    if (issue.line !== null && issue.line >= 0) {
      const prefix = `Line ${issue.line}, `;
      if (message.startsWith(prefix)) {
        line = issue.line;
        prefixLength = prefix.length;
      }
    }
    lines[i] = line;
    const column = issue.column ?? -1;
    const previous = lastTail.get(column);
    const previousTail = previous === undefined ? undefined : tails[previous];
    if (previous !== undefined && previousTail !== undefined && message.length - prefixLength === previousTail.length && message.endsWith(previousTail)) {
      tailOf[i] = previous;
      continue;
    }
    const id = idOf(prefixLength === 0 ? message : message.slice(prefixLength));
    tailOf[i] = id;
    lastTail.set(column, id);
  }
  return { rows, columns, severities, codes, lines, tailOf, tails };
}

/** Calls `each` for the packed issues [from, to) (default: all), in order. */
export function forEachIssue(p: PackedIssues, each: (issue: UnpackedIssue) => void, from = 0, to = p.rows.length): void {
  for (let i = from; i < Math.min(to, p.rows.length); i++) {
    const column = p.columns[i] as number;
    const line = p.lines[i] as number;
    const tail = p.tails[p.tailOf[i] as number] as string;
    each({
      row: p.rows[i] as number,
      column: column < 0 ? null : column,
      code: CODES[p.codes[i] as number] ?? 'INVALID_DATA',
      severity: p.severities[i] === 0 ? 'error' : 'warning',
      message: line < 0 ? tail : `Line ${line}, ${tail}`,
    });
  }
}

export function packedTransfer(p: PackedIssues): ArrayBuffer[] {
  return [p.rows.buffer, p.columns.buffer, p.severities.buffer, p.codes.buffer, p.lines.buffer, p.tailOf.buffer] as ArrayBuffer[];
}

/** Whether two issues read the same; the row check's issues compare by line and shared tail, never joining a message. */
function sameIssue(x: Issue, y: Issue): boolean {
  if (x === y) return true;
  if (x.column !== y.column || x.code !== y.code || x.severity !== y.severity) return false;
  if (x.tail !== undefined && y.tail !== undefined && x.line === y.line) return x.tail === y.tail;
  return x.message === y.message;
}

/** The end of the run of issues of `list[from]`'s row (issues without a row are their own run). */
function runEnd(list: readonly Issue[], from: number): number {
  const row = (list[from] as Issue).row;
  let to = from + 1;
  if (row === null) return to;
  while (to < list.length && (list[to] as Issue).row === row) to++;
  return to;
}

/**
 * Rows whose issues differ between two results (ascending), and the new issues of exactly those rows. Both lists are
 * in row order, as a validation makes them, so one walk over both finds the rows: at a million rows with an issue
 * each, indexing both by row in Maps and joining every message took ~1.5 s of each one-cell re-check. Issues without
 * a row are not rows' issues and are left out.
 */
export function diffIssues(before: readonly Issue[], after: readonly Issue[]): { changedRows: number[]; issues: Issue[] } {
  const changedRows: number[] = [];
  const issues: Issue[] = [];
  let i = 0;
  let j = 0;
  while (i < before.length || j < after.length) {
    const a = i < before.length ? (before[i] as Issue).row : null;
    const b = j < after.length ? (after[j] as Issue).row : null;
    if (i < before.length && a === null) {
      i++;
      continue;
    }
    if (j < after.length && b === null) {
      j++;
      continue;
    }
    const iEnd = a === null ? i : runEnd(before, i);
    const jEnd = b === null ? j : runEnd(after, j);
    if (b === null || (a !== null && a < b)) {
      // Only before: the row's issues are gone.
      changedRows.push(a as number);
      i = iEnd;
      continue;
    }
    if (a === null || b < a) {
      changedRows.push(b);
      for (let k = j; k < jEnd; k++) issues.push(after[k] as Issue);
      j = jEnd;
      continue;
    }
    let same = iEnd - i === jEnd - j;
    for (let k = 0; same && k < iEnd - i; k++) same = sameIssue(before[i + k] as Issue, after[j + k] as Issue);
    if (!same) {
      changedRows.push(b);
      for (let k = j; k < jEnd; k++) issues.push(after[k] as Issue);
    }
    i = iEnd;
    j = jEnd;
  }
  return { changedRows, issues };
}
