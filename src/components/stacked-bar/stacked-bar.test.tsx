import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { describeOutcome, MIN_VISIBLE_PERCENT, toSegments } from './stacked-bar-model.ts';
import { StackedBar } from './stacked-bar.tsx';

const en = (n: number) => new Intl.NumberFormat('en-US').format(n);

describe('toSegments', () => {
  it('splits the bar by share and sums to 100', () => {
    const segments = toSegments({ added: 6, updated: 0, skipped: 2 });
    expect(segments.map((s) => s.key)).toEqual(['added', 'updated', 'skipped']);
    expect(segments.map((s) => s.percent)).toEqual([75, 0, 25]);
  });

  it('keeps a single skipped row out of 60,000 visible', () => {
    const segments = toSegments({ added: 59_999, updated: 0, skipped: 1 });
    const skipped = segments.find((s) => s.key === 'skipped');
    expect(skipped?.percent).toBe(MIN_VISIBLE_PERCENT);
    expect(segments.reduce((sum, s) => sum + s.percent, 0)).toBeCloseTo(100, 9);
  });

  it('shows unprocessed only when there are some, and an empty bar for zero rows', () => {
    expect(toSegments({ added: 1, updated: 1, skipped: 1, unprocessed: 3 }).map((s) => s.key)).toContain('unprocessed');
    expect(toSegments({ added: 0, updated: 0, skipped: 0 }).every((s) => s.percent === 0)).toBe(true);
  });
});

describe('describeOutcome', () => {
  it('says the counts in words with formatted numbers', () => {
    expect(describeOutcome({ added: 6, updated: 0, skipped: 1 }, en)).toBe('Added 6, Updated 0, Skipped 1 of 7 rows');
    expect(describeOutcome({ added: 60_000, updated: 0, skipped: 0, unprocessed: 0 }, en)).toBe('Added 60,000, Updated 0, Skipped 0 of 60,000 rows');
  });
});

describe('StackedBar', () => {
  it('renders an image with a spoken summary and a text legend', () => {
    const html = renderToStaticMarkup(<StackedBar counts={{ added: 1234, updated: 5, skipped: 1 }} caption="All jobs" locale="en-US" />);
    expect(html).toContain('role="img"');
    expect(html).toContain('aria-label="Added 1,234, Updated 5, Skipped 1 of 1,240 rows"');
    expect(html).toContain('<figcaption class="sb-caption">All jobs</figcaption>');
    expect(html).toContain('Added 1,234');
    expect(html).toContain('Skipped 1');
  });
});
