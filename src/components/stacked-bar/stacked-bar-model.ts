// Pure maths for the result chart: segment shares that never hide a non-zero count, and the spoken summary.

export type OutcomeKey = 'added' | 'updated' | 'skipped' | 'unprocessed';

export interface OutcomeCounts {
  readonly added: number;
  readonly updated: number;
  readonly skipped: number;
  /** Rows the CRM never reached (e.g. a FAILED job); omitted or 0 hides the segment. */
  readonly unprocessed?: number;
}

export interface Segment {
  readonly key: OutcomeKey;
  readonly label: string;
  readonly count: number;
  /** Width in percent of the bar; sums to 100 when total > 0. */
  readonly percent: number;
}

export const OUTCOME_LABELS: Readonly<Record<OutcomeKey, string>> = {
  added: 'Added',
  updated: 'Updated',
  skipped: 'Skipped',
  unprocessed: 'Unprocessed',
};

const ORDER: readonly OutcomeKey[] = ['added', 'updated', 'skipped', 'unprocessed'];

/** Smallest visible share for a non-zero segment, so 1 skipped row out of 60,000 is still seen. */
export const MIN_VISIBLE_PERCENT = 1.5;

export function toSegments(counts: OutcomeCounts): Segment[] {
  const present = ORDER.map((key) => ({ key, count: Math.max(0, counts[key] ?? 0) })).filter((s) => s.key !== 'unprocessed' || s.count > 0);
  const total = present.reduce((sum, s) => sum + s.count, 0);
  if (total === 0) return present.map((s) => ({ ...s, label: OUTCOME_LABELS[s.key], percent: 0 }));
  const raw = present.map((s) => (s.count / total) * 100);
  // Lift tiny non-zero segments to the minimum and take the difference from the largest one.
  const lifted = raw.map((p, i) => ((present[i]?.count ?? 0) > 0 ? Math.max(p, MIN_VISIBLE_PERCENT) : 0));
  const excess = lifted.reduce((a, b) => a + b, 0) - 100;
  const largest = lifted.indexOf(Math.max(...lifted));
  const percent = lifted.map((p, i) => (i === largest ? p - excess : p));
  return present.map((s, i) => ({ ...s, label: OUTCOME_LABELS[s.key], percent: percent[i] ?? 0 }));
}

/** "Added 6, Updated 0, Skipped 1 of 7 rows" with locale-formatted numbers. */
export function describeOutcome(counts: OutcomeCounts, format: (n: number) => string): string {
  const segments = toSegments(counts);
  const total = segments.reduce((sum, s) => sum + s.count, 0);
  const parts = segments.map((s) => `${s.label} ${format(s.count)}`);
  return `${parts.join(', ')} of ${format(total)} ${total === 1 ? 'row' : 'rows'}`;
}
