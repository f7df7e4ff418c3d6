// Scrolling Review's grid at the bench's size (issue 13: "every grid interaction at 1M", "no blank frames while
// scrolling"): frame intervals while the grid's scroll area moves 100 px per animation frame (200 frames) and 2,000 px
// per frame (a fling, 100 frames), then jumps to far positions (the middle, the last row, back to the top) with every
// line between the sticky header and the bottom edge checked in the very next frame, as e2e/review-grid.spec.ts does
// at 250,000 rows. Long main-thread tasks over the whole span are read after it. Prints figures; asserts nothing.
import type { Page } from '@playwright/test';
import { chromeTrace, cpuProfile, frameWhen, longTasksSince } from './page-timing.ts';

export interface FrameFigures {
  medianMs: number;
  p95Ms: number;
  maxMs: number;
}

export interface ScrollFigures {
  steady: FrameFigures;
  fling: FrameFigures;
  /** Positions jumped to (scrollTop) and the lines found blank in the frame after each jump, over all of them. */
  jumps: number;
  blankLines: string[];
  /** The scroll area's height (px): how far a million rows reach. */
  scrollHeight: number;
  longestTaskMs: number;
  longTasks: Array<{ at: number; ms: number }>;
}

// Page code as a string (see page-timing.ts: helpers of this file cannot be sent into the page).
const SCROLL_IN_PAGE = `(async () => {
  const el = document.querySelector('[role="grid"]')?.parentElement;
  if (!el) return null;
  el.scrollIntoView({ block: 'nearest' });
  const frame = () => new Promise((r) => requestAnimationFrame(() => r(null)));
  const figures = (times) => {
    const s = [...times].sort((a, b) => a - b);
    const at = (q) => Math.round(s[Math.min(s.length - 1, Math.floor(q * (s.length - 1)))] * 10) / 10;
    return { medianMs: at(0.5), p95Ms: at(0.95), maxMs: at(1) };
  };
  const moving = async (step, frames) => {
    const times = [];
    await frame();
    let last = performance.now();
    for (let i = 0; i < frames; i++) {
      el.scrollTop += step;
      await frame();
      const now = performance.now();
      times.push(now - last);
      last = now;
    }
    return figures(times);
  };
  el.scrollTop = 0;
  const steady = await moving(100, 200);
  const fling = await moving(2000, 100);
  const blankLines = [];
  const h = el.scrollHeight;
  const tops = [Math.round(h / 2), Math.round(h / 3), h, Math.round(h * 0.9), 12345, 0];
  for (const top of tops) {
    el.scrollTop = top;
    await frame();
    const s = el.getBoundingClientRect();
    for (let y = s.top + 62; y < s.bottom - 20; y += 12) {
      if (!document.elementFromPoint(s.left + 200, y)?.closest('[role="row"]')) blankLines.push('scrollTop ' + top + ', y ' + Math.round(y - s.top));
    }
  }
  el.scrollTop = 0;
  await frame();
  return { steady, fling, jumps: tops.length, blankLines, scrollHeight: h };
})()`;

/** Scrolls the grid (ending at its top again, where the bench's next steps expect it) and reads the figures. */
export async function measureScroll(page: Page): Promise<ScrollFigures | null> {
  // BENCH_SCROLL_PROFILE=file.cpuprofile / BENCH_SCROLL_TRACE=file.json: the page's CPU profile or a Chrome trace
  // over the scrolling (to place its long tasks).
  const stopProfile = await cpuProfile(page.context(), page, process.env.BENCH_SCROLL_PROFILE);
  const stopTrace = await chromeTrace(page, process.env.BENCH_SCROLL_TRACE);
  const t0 = await page.evaluate<number>('performance.now()');
  const inPage = await page.evaluate<Omit<ScrollFigures, 'longestTaskMs' | 'longTasks'> | null>(SCROLL_IN_PAGE);
  await stopProfile();
  await stopTrace();
  if (inPage === null) return null;
  // Long tasks are reported after they end.
  await page.waitForTimeout(500);
  const tasks = await longTasksSince(page, t0);
  return { ...inPage, longestTaskMs: tasks.reduce((m, t) => Math.max(m, t.ms), 0), longTasks: tasks };
}

export function scrollLine(rows: number, f: ScrollFigures): string {
  const fr = (x: FrameFigures) => `median ${x.medianMs} / p95 ${x.p95Ms} / max ${x.maxMs} ms`;
  return (
    `  grid scrolled at ${rows.toLocaleString('en-US')} rows (${(f.scrollHeight / 1e6).toFixed(1)} M px): 100 px a frame ${fr(f.steady)}; ` +
    `2,000 px a frame ${fr(f.fling)}; ${f.jumps} jumps, ${f.blankLines.length} blank lines in the frame after them` +
    `${f.blankLines.length > 0 ? ` (${f.blankLines.slice(0, 5).join('; ')})` : ''}; longest main-thread task ${f.longestTaskMs} ms` +
    ` (${f.longTasks.map((t) => `${t.ms} ms at +${t.at}`).join(', ') || 'none over 50 ms'})`
  );
}

export interface KeyFigures {
  /** Ctrl+End from the first cell until the last row's cell has the focus; Ctrl+Home back; five PageDowns. */
  toLastMs: number;
  toFirstMs: number;
  pageDownsMs: number;
  /** "Show only rows with issues" turned on, then off: until the box shows it and a frame has passed. */
  filterOnMs: number;
  filterOffMs: number;
  longestTaskMs: number;
  longTasks: Array<{ at: number; ms: number }>;
}

/** How long a keyboard step may take to show before the bench gives up on it. */
const WITHIN_MS = 60_000;

const FOCUSED_ROW = `Number(document.activeElement?.closest('[role="row"]')?.getAttribute('aria-rowindex') ?? 0)`;

/**
 * The grid by keyboard and its filter, as a user at a million rows would use them: focus the first data cell,
 * Ctrl+End to the last row, Ctrl+Home back, five PageDowns; then "Show only rows with issues" on and off. Leaves
 * the grid at its top with the filter off.
 */
export async function measureGridKeys(page: Page, rows: number): Promise<KeyFigures> {
  const now = () => page.evaluate<number>('performance.now()');
  const grid = page.getByRole('grid').first();
  // The first row's first data cell (the bench's rows start "First1,…"); the lead cell's checkbox would exclude it.
  await grid.getByRole('gridcell', { name: 'First1', exact: true }).click();
  const t0 = await now();
  await page.keyboard.press('Control+End');
  const tLast = await frameWhen(page, `return ${FOCUSED_ROW} === ${rows + 1};`, WITHIN_MS);
  const t1 = await now();
  await page.keyboard.press('Control+Home');
  const tFirst = await frameWhen(page, `return ${FOCUSED_ROW} === 2;`, WITHIN_MS);
  const t2 = await now();
  for (let i = 0; i < 5; i++) await page.keyboard.press('PageDown');
  const tDown = await frameWhen(page, `return ${FOCUSED_ROW} > 2;`, WITHIN_MS);
  const filter = page.getByLabel('Show only rows with issues');
  const t3 = await now();
  await filter.check();
  const tOn = await frameWhen(page, `return document.querySelector('.dg-filter input')?.checked === true;`, WITHIN_MS);
  const t4 = await now();
  await filter.uncheck();
  const tOff = await frameWhen(page, `return document.querySelector('.dg-filter input')?.checked === false;`, WITHIN_MS);
  // Back at the top left (the focus is on the filter now, so by the scroll area; Ctrl+End went to the last column and
  // Ctrl+Home to the sticky first one, which leaves the scroll at the right), where the bench's next steps expect it.
  await page.evaluate(`(() => { const el = document.querySelector('[role="grid"]')?.parentElement; if (el) { el.scrollTop = 0; el.scrollLeft = 0; } })()`);
  await frameWhen(page, 'return true;', WITHIN_MS);
  await page.waitForTimeout(500);
  const tasks = await longTasksSince(page, t0);
  return {
    toLastMs: Math.round(tLast - t0),
    toFirstMs: Math.round(tFirst - t1),
    pageDownsMs: Math.round(tDown - t2),
    filterOnMs: Math.round(tOn - t3),
    filterOffMs: Math.round(tOff - t4),
    longestTaskMs: tasks.reduce((m, t) => Math.max(m, t.ms), 0),
    longTasks: tasks,
  };
}

export function keysLine(rows: number, k: KeyFigures): string {
  return (
    `  grid by keyboard at ${rows.toLocaleString('en-US')} rows: Ctrl+End to the last row ${k.toLastMs} ms, Ctrl+Home ${k.toFirstMs} ms, ` +
    `five PageDowns ${k.pageDownsMs} ms; "Show only rows with issues" on ${k.filterOnMs} ms, off ${k.filterOffMs} ms; longest main-thread task ` +
    `${k.longestTaskMs} ms (${k.longTasks.map((t) => `${t.ms} ms at +${t.at}`).join(', ') || 'none over 50 ms'})`
  );
}
