// What the browser benches read inside the page: long main-thread tasks (PerformanceObserver 'longtask': tasks over
// 50 ms, from page start), the first animation frame where a condition holds, and the steps the benches share to drive
// the wizard (picking an option, Review ready). The page code is passed as strings:
// tsx's name-keeping helper does not exist inside the page, so functions from this file cannot be sent there.
import { closeSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from '@playwright/test';

/** An init script: collects every long task of the page into `window.__longTasks`. */
export const LONGTASK_OBSERVER = `
  window.__longTasks = [];
  new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__longTasks.push({ start: e.startTime, duration: e.duration }); })
    .observe({ type: 'longtask', buffered: true });
`;

/** Picks the first option of the select labelled `label` whose text matches `text` (waiting for the options to load). */
export async function chooseOption(page: Page, label: string, text: RegExp): Promise<void> {
  const select = page.getByLabel(label, { exact: true });
  const option = select.locator('option', { hasText: text }).first();
  await option.waitFor({ state: 'attached', timeout: 60_000 });
  const value = await option.getAttribute('value');
  await select.selectOption(value ?? { label: (await option.textContent()) ?? '' });
}

/** A frameWhen condition: Review shows its issues (the summary's "Rows with issues" holds a figure, no check running). */
export const REVIEW_ISSUES_SHOWN = `
  const dd = [...document.querySelectorAll('.fact')].find((f) => f.querySelector('dt')?.textContent === 'Rows with issues')?.querySelector('dd');
  const busy = document.querySelector('[data-review-checking]');
  return !!dd && /[1-9]/.test(dd.textContent ?? '') && !busy;
`;

/**
 * `performance.now()` in the page at the first animation frame where `condition` (a function body) returns true. With
 * `withinMs`, it fails after that long, naming the condition, instead of waiting for ever.
 */
export function frameWhen(page: Page, condition: string, withinMs?: number): Promise<number> {
  const limit = withinMs === undefined ? 'Infinity' : String(withinMs);
  return page.evaluate<number>(
    `new Promise((resolve, reject) => {
      const until = performance.now() + ${limit};
      const done = () => { ${condition} };
      const tick = () => {
        if (done()) resolve(performance.now());
        else if (performance.now() > until) reject(new Error(${JSON.stringify(`not within ${withinMs ?? 0} ms: ${condition}`)}));
        else requestAnimationFrame(tick);
      };
      tick();
    })`,
  );
}

/** The long tasks that ended after page time `t0`, each with its start relative to `t0`. */
export function longTasksSince(page: Page, t0: number): Promise<Array<{ at: number; ms: number }>> {
  return page.evaluate<Array<{ at: number; ms: number }>>(
    `window.__longTasks.filter((t) => t.start + t.duration >= ${t0}).map((t) => ({ at: Math.round(t.start - ${t0}), ms: Math.round(t.duration) }))`,
  );
}

/**
 * Starts the page's main-thread CPU profile (1 ms samples) when `file` is set; the returned function stops it and
 * writes it there (a no-op without a file).
 */
export async function cpuProfile(context: BrowserContext, page: Page, file: string | undefined): Promise<() => Promise<void>> {
  if (!file) return () => Promise.resolve();
  const profiler = await context.newCDPSession(page);
  await profiler.send('Profiler.enable');
  await profiler.send('Profiler.setSamplingInterval', { interval: 1000 });
  await profiler.send('Profiler.start');
  return async () => {
    const { profile } = await profiler.send('Profiler.stop');
    writeFileSync(file, JSON.stringify(profile));
  };
}

/**
 * A Chrome trace (`file`, when set) of every thread of the page, its workers included: each task with what ran in
 * it (script, style and layout, message deserialisation, garbage collection), for long tasks a CPU profile shows
 * only as "(program)". Returns the stop.
 */
export async function chromeTrace(page: Page, file: string | undefined): Promise<() => Promise<void>> {
  const browser = page.context().browser();
  if (!file || !browser) return () => Promise.resolve();
  await browser.startTracing(page, {
    path: file,
    categories: [
      'devtools.timeline',
      'disabled-by-default-devtools.timeline',
      'v8',
      'blink',
      'toplevel',
      'disabled-by-default-v8.gc',
      ...(process.env.BENCH_TRACE_CPU ? ['disabled-by-default-v8.cpu_profiler'] : []),
    ],
  });
  return async () => {
    await browser.stopTracing();
  };
}

/**
 * A heap snapshot of the page (`file`, when set; open it in Chrome DevTools' Memory panel): what the page's JS heap
 * holds at that moment, object by object.
 */
export async function heapSnapshot(context: BrowserContext, page: Page, file: string | undefined): Promise<void> {
  if (!file) return;
  const cdp = await context.newCDPSession(page);
  // Written as the chunks come: a million-row page's snapshot is over 1 GB, more than one string can hold.
  const fd = openSync(file, 'w');
  try {
    cdp.on('HeapProfiler.addHeapSnapshotChunk', (e: { chunk: string }) => writeSync(fd, e.chunk));
    await cdp.send('HeapProfiler.enable');
    await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
  } finally {
    closeSync(fd);
  }
  await cdp.detach();
}

/** A /proc status figure (kB → MB) of a process; 0 where it cannot be read. */
function procStatusMb(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  try {
    const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

async function rendererPids(browser: Browser): Promise<number[]> {
  const cdp = await browser.newBrowserCDPSession();
  const info = (await cdp.send('SystemInfo.getProcessInfo')) as { processInfo: { type: string; id: number }[] };
  await cdp.detach();
  return info.processInfo.filter((p) => p.type === 'renderer').map((p) => p.id);
}

/**
 * Samples the renderer processes' resident memory (VmRSS) every `everyMs` until stopped: the largest sample and when
 * it was taken (ms after the start), so a peak can be put in a step. `now()` reads the current figure.
 */
export async function sampleRendererRss(browser: Browser, everyMs = 200): Promise<{ now(): number; stop(): { maxMb: number; atMs: number } }> {
  const pids = await rendererPids(browser);
  const began = Date.now();
  let maxMb = 0;
  let atMs = 0;
  const read = (): number => Math.round(Math.max(0, ...pids.map((pid) => procStatusMb(pid, 'VmRSS'))));
  const timer = setInterval(() => {
    const mb = read();
    if (mb > maxMb) {
      maxMb = mb;
      atMs = Date.now() - began;
    }
  }, everyMs);
  return {
    now: read,
    stop: () => {
      clearInterval(timer);
      return { maxMb, atMs };
    },
  };
}

/**
 * The largest VmHWM (MB) of the browser's renderer processes. Not a true peak: Linux updates the high-water mark
 * only when pages are unmapped, and Chromium returns memory with madvise, so in the import bench it read 400–600 MB
 * below what `sampleRendererRss` saw (two runs, session 14). A lower bound at best. 0 where /proc cannot be read.
 */
export async function rendererPeakMb(browser: Browser): Promise<number> {
  return Math.round(Math.max(0, ...(await rendererPids(browser)).map((pid) => procStatusMb(pid, 'VmHWM'))));
}
