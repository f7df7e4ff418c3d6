// Date columns: detect how a column writes its dates (from the data itself, never from the user's locale), flag
// what the data cannot decide (day/month order, two-digit years), and offer either a conversion to Zoho's ISO
// form or setting the mapping's `format` instead. Offered, never applied silently.
import { compileDatePattern, matchesPattern, parseWithPattern, toIsoDate, toIsoDateTime, type CompiledPattern } from './date-format.ts';
import { plainEnds, sample, type CellChange, type Proposal, type Unconvertible } from './normalisers.ts';

export type DateAmbiguity = 'day-month' | 'two-digit-year';

export interface DateDetection {
  column: number;
  /** Non-empty cells looked at. */
  nonEmpty: number;
  /** Patterns that read every non-empty value, most specific first (or, if none does, the best partial ones). */
  options: { pattern: string; matches: number }[];
  /** The pattern to use when the data decides it; null when the user must choose (see `ambiguity`). */
  decided: string | null;
  ambiguity: DateAmbiguity | null;
  /** True when the values are already what Zoho reads without a format (nothing to do). */
  alreadyIso: boolean;
  explanation: string;
}

const DATE_SHAPES = [
  'yyyy-M-d',
  'yyyy/M/d',
  'd/M/yyyy',
  'M/d/yyyy',
  'd.M.yyyy',
  'd-M-yyyy',
  'M-d-yyyy',
  'd-MMM-yyyy',
  'd MMM yyyy',
  'MMM d, yyyy',
  'd/M/yy',
  'M/d/yy',
  'd.M.yy',
  'd-M-yy',
  'M-d-yy',
  'd-MMM-yy',
];
const TIME_SHAPES = [' H:mm', ' H:mm:ss', ' h:mm a', ' h:mm:ss a', "'T'H:mm", "'T'H:mm:ss", "'T'H:mm:ssXXX", ' H:mm:ss Z'];

/** Zero-padded form of a loose pattern: d → dd, M → MM (not MMM), H → HH, h → hh. */
function tighten(p: string): string {
  return p.replace(/(^|[^dMHh'])([dMHh])(?![dMHh])/g, (_m, pre: string, ch: string) => `${pre}${ch}${ch}`);
}

function candidatePatterns(withTime: boolean): string[] {
  const loose = withTime ? DATE_SHAPES.flatMap((d) => TIME_SHAPES.map((t) => d + t)) : DATE_SHAPES;
  const out: string[] = [];
  for (const p of loose) {
    const tight = tighten(p);
    // Tight first: when both read every value, the padded form is the more specific description.
    if (tight !== p) out.push(tight);
    out.push(p);
  }
  return out;
}

const CANDIDATES = { date: candidatePatterns(false), datetime: candidatePatterns(true) };
const compiledCandidates = (withTime: boolean): CompiledPattern[] =>
  (withTime ? CANDIDATES.datetime : CANDIDATES.date).map((p) => compileDatePattern(p)).filter((c): c is CompiledPattern => c !== null);

const dayFirst = (p: string) => p.indexOf('d') < p.indexOf('M');
const twoDigitYear = (p: string) => !p.includes('yyyy');

/**
 * Detect a column's date pattern. Day/month order is decided by the data: a value with a part over 12 decides it;
 * if every value has both parts ≤ 12 the order is ambiguous and the user must choose. Two-digit years are always
 * flagged (Zoho and this project read them as 1950–2049).
 */
export function detectDatePattern(column: number, values: readonly string[], opts: { withTime?: boolean } = {}): DateDetection | null {
  const withTime = opts.withTime === true;
  const cells: string[] = [];
  for (const v of values) {
    // The usual cell needs no trim (see plainEnds): kept as it is, without calling trim.
    if (plainEnds(v)) {
      cells.push(v);
      continue;
    }
    const t = v.trim();
    if (t !== '') cells.push(t);
  }
  if (cells.length === 0) return null;
  const iso = compileDatePattern(withTime ? "yyyy-MM-dd'T'HH:mm:ssXXX" : 'yyyy-MM-dd');
  const alreadyIso = iso !== null && cells.every((c) => matchesPattern(c, iso) && !(withTime && c.endsWith('Z')));
  if (alreadyIso) {
    return {
      column,
      nonEmpty: cells.length,
      options: [],
      decided: null,
      ambiguity: null,
      alreadyIso: true,
      explanation: 'The dates are already written the way Zoho reads them; nothing to change.',
    };
  }
  const candidates = compiledCandidates(withTime);
  // Patterns still reading every value so far; each value only tests the survivors.
  let alive = candidates;
  for (const c of cells) {
    alive = alive.filter((p) => matchesPattern(c, p));
    if (alive.length === 0) break;
  }
  if (alive.length === 0) {
    const probe = cells.slice(0, 2000);
    const scored = candidates
      .map((p) => ({ pattern: p.pattern, matches: probe.filter((c) => matchesPattern(c, p)).length }))
      .filter((s) => s.matches > 0)
      .sort((a, b) => b.matches - a.matches)
      .slice(0, 3);
    return {
      column,
      nonEmpty: cells.length,
      options: scored,
      decided: null,
      ambiguity: null,
      alreadyIso: false,
      explanation:
        scored.length === 0
          ? 'No common date format reads these values; correct them in the file or set the format by hand.'
          : `No single format reads every value; the closest, ${scored[0]?.pattern ?? ''}, reads ${scored[0]?.matches ?? 0} of the first ${probe.length}. Choose it and fix the rest, or correct the file.`,
    };
  }
  // Drop a loose pattern when its padded twin also reads everything.
  const names = new Set(alive.map((p) => p.pattern));
  const survivors = alive.filter((p) => tighten(p.pattern) === p.pattern || !names.has(tighten(p.pattern))).map((p) => p.pattern);
  const options = survivors.map((pattern) => ({ pattern, matches: cells.length }));
  const orders = new Set(survivors.filter((p) => p.includes('d') && /M(?!MM)/.test(p) && !p.includes('MMM')).map(dayFirst));
  if (orders.size > 1) {
    return {
      column,
      nonEmpty: cells.length,
      options,
      decided: null,
      ambiguity: 'day-month',
      alreadyIso: false,
      explanation: `Every date in this column has day and month both 12 or less (e.g. ${sample(cells[0] ?? '')}), so it could be day/month or month/day. Choose which one the file uses.`,
    };
  }
  const best = survivors[0] ?? null;
  if (best !== null && twoDigitYear(best)) {
    return {
      column,
      nonEmpty: cells.length,
      options,
      decided: null,
      ambiguity: 'two-digit-year',
      alreadyIso: false,
      explanation: `The dates use two-digit years (e.g. ${sample(cells[0] ?? '')}); they would be read as 1950–2049. Confirm that is right, or fix the years in the file.`,
    };
  }
  return {
    column,
    nonEmpty: cells.length,
    options,
    decided: best,
    ambiguity: null,
    alreadyIso: false,
    explanation: `Every date in this column is written as ${best ?? ''}.`,
  };
}

/**
 * Convert a column's dates from `pattern` to Zoho's ISO form (`yyyy-MM-dd`, or `yyyy-MM-ddTHH:mm:ss±HH:mm` for
 * date-time fields, using `offsetMinutes` when the value has no zone). Values that do not match are listed.
 */
export function proposeDateConversion(
  column: number,
  values: readonly string[],
  pattern: string,
  opts: { withTime?: boolean; offsetMinutes?: number } = {},
): Proposal {
  const compiled = compileDatePattern(pattern);
  const changes: CellChange[] = [];
  const unconvertible: Unconvertible[] = [];
  values.forEach((v, row) => {
    const t = v.trim();
    if (t === '') return;
    const parts = compiled === null ? null : parseWithPattern(t, compiled);
    if (parts === null) {
      unconvertible.push({ row, value: v, reason: `not a real date written as ${pattern}` });
      return;
    }
    const after = opts.withTime === true ? toIsoDateTime(parts, opts.offsetMinutes ?? 0) : toIsoDate(parts);
    if (after !== v) changes.push({ row, before: v, after });
  });
  const target = opts.withTime === true ? 'yyyy-MM-ddTHH:mm:ss±HH:mm' : 'yyyy-MM-dd';
  const first = changes[0];
  const eg = first === undefined ? '' : ` (e.g. ${sample(first.before)} → ${sample(first.after)})`;
  const rest =
    unconvertible.length === 0
      ? ''
      : ` ${unconvertible.length.toLocaleString('en-US')} value${unconvertible.length === 1 ? '' : 's'} not written as ${pattern} will stay as ${unconvertible.length === 1 ? 'it is' : 'they are'}.`;
  return {
    kind: 'date',
    column,
    changes,
    unconvertible,
    summary: `Rewrite ${changes.length.toLocaleString('en-US')} date${changes.length === 1 ? '' : 's'} from ${pattern} to ${target}${eg}.${rest}`,
  };
}

/** The alternative to converting: keep the cells as written and send `format` with the mapping. */
export function describeFormatChoice(pattern: string): string {
  return `Keep the dates as written and tell Zoho they are in the format ${pattern} (sent with the column's mapping).`;
}
