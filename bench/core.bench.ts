// `npm run bench`: the core pipeline (decode → parse → serialise → split → zip) against the floor (plain
// Papa.parse + one jszip of the same bytes), in Node and in headless Debian Chromium with the real Web Worker.
// Measures only — never asserts. The last line printed is a JSON summary. Also: a 100,000-row .xlsx opened through
// the import worker vs the spreadsheet parser alone (xlsx_vs_parser_100k). BENCH_ONLY=xlsx runs only that case.
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join, extname, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS, chromiumPath } from '../scripts/chromium-path.ts';
import { benchCsv } from './core-data.ts';
import { floor, pipelineInProcess } from './core-run.ts';

const SIZES = [25_000, 250_000] as const;
const here = fileURLToPath(new URL('.', import.meta.url));
const now = (): number => performance.now();
const round = (x: number, d = 1): number => Math.round(x * 10 ** d) / 10 ** d;
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[m] ?? NaN) : ((s[m - 1] ?? NaN) + (s[m] ?? NaN)) / 2;
};

async function nodeRun(rows: number, reps: number): Promise<Record<string, number>> {
  const text = benchCsv(rows);
  const bytes = new TextEncoder().encode(text);
  const p: number[][] = [];
  const f: number[][] = [];
  for (let i = 0; i < reps; i++) {
    const a = await pipelineInProcess(bytes, now);
    if (i === 0)
      console.log(JSON.stringify({ env: 'node', rows, mappedColumns: a.mappedColumns, predictedSkips: a.predictedSkips, validateMs: round(a.validateMs) }));
    p.push([a.parseMs + a.validateMs, a.zipMs]);
    const b = await floor(text, now);
    f.push([b.parseMs, b.zipMs]);
  }
  const pp = median(p.map((x) => x[0]!));
  const pz = median(p.map((x) => x[1]!));
  const fp = median(f.map((x) => x[0]!));
  const fz = median(f.map((x) => x[1]!));
  return {
    rows,
    mb: round(bytes.length / 1048576, 2),
    pipelineParseMs: round(pp),
    pipelineZipMs: round(pz),
    floorParseMs: round(fp),
    floorZipMs: round(fz),
    ratio: round((pp + pz) / (fp + fz), 2),
  };
}

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.map': 'application/json' };

function serve(dir: string): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent((req.url ?? '/').split('?')[0] ?? '/')).replace(/^(\.\.[/\\])+/, '');
    const file = join(dir, path === '/' ? 'index.html' : path);
    if (!file.startsWith(dir) || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const addr = server.address();
      resolve({ server, url: `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/` });
    }),
  );
}

function vmHwmMb(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

interface Rep {
  pipelineParseMs: number;
  pipelineZipMs: number;
  validateMs: number;
  floorParseMs: number;
  floorZipMs: number;
  longestTaskMs: number;
  longTasks: number;
  worstHeartbeatGapMs: number;
  rows: number;
  jobs: number;
  zipBytes: number;
}

async function browserRun(
  url: string,
  rows: number,
  reps: number,
): Promise<{ reps: Rep[]; mainHeapPeakMb: number; stages: Record<string, number>; rendererPeakRssMb: number }> {
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    args: [...CHROMIUM_ARGS, '--enable-precise-memory-info'],
  });
  try {
    const page = await browser.newPage();
    page.on('pageerror', (e) => console.error('page error:', e.message));
    page.on('console', (msg) => {
      if (msg.text().startsWith('long tasks:')) console.log(`  [${rows}] ${msg.text()}`);
    });
    await page.goto(url);
    await page.waitForFunction(() => 'runBench' in window);
    const result = await page.evaluate(
      async ([n, r]) => {
        const w = window as unknown as { runBench: (n: number, r: number) => Promise<{ reps: Rep[]; mainHeapPeakMb: number; stages: Record<string, number> }> };
        return w.runBench(n, r);
      },
      [rows, reps] as const,
    );
    // Peak resident memory of the renderer process (main thread + workers), from the kernel's high-water mark.
    const cdp = await browser.newBrowserCDPSession();
    const info = (await cdp.send('SystemInfo.getProcessInfo')) as { processInfo: Array<{ type: string; id: number }> };
    const renderers = info.processInfo.filter((p) => p.type === 'renderer').map((p) => vmHwmMb(p.id));
    return { ...result, rendererPeakRssMb: round(Math.max(...renderers, 0)) };
  } finally {
    await browser.close();
  }
}

const XLSX_ROWS = 100_000;
const ONLY_XLSX = process.env.BENCH_ONLY === 'xlsx';

/** The workbook case in the bench page: app path (worker) and parser alone, alternating; ms per rep. */
async function xlsxRun(url: string, rows: number, reps: number): Promise<{ reps: Array<{ appMs: number; parserMs: number; rows: number }>; bytes: number }> {
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: [...CHROMIUM_ARGS] });
  try {
    const page = await browser.newPage();
    page.on('pageerror', (e) => console.error('page error:', e.message));
    await page.goto(url);
    await page.waitForFunction(() => 'runXlsxBench' in window);
    return await page.evaluate(
      async ([n, r]) => {
        const w = window as unknown as {
          runXlsxBench: (n: number, r: number) => Promise<{ reps: Array<{ appMs: number; parserMs: number; rows: number }>; bytes: number }>;
        };
        return w.runXlsxBench(n, r);
      },
      [rows, reps] as const,
    );
  } finally {
    await browser.close();
  }
}

async function main(): Promise<void> {
  const summary: Record<string, number | string | null> = {};
  console.log('# Node (in-process, median of 3 for 25k, 1 run for 250k)');
  for (const rows of ONLY_XLSX ? [] : SIZES) {
    const r = await nodeRun(rows, rows > 100_000 ? 1 : 3);
    console.log(JSON.stringify({ env: 'node', ...r }));
    summary[`node_pipeline_vs_floor_${rows / 1000}k`] = r.ratio ?? null;
  }

  const outDir = mkdtempSync(join(tmpdir(), 'core-bench-'));
  await build({
    root: join(here, 'browser'),
    configFile: false,
    base: './',
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true, target: 'es2022' },
    worker: { format: 'es' },
  });
  const { server, url } = await serve(outDir);
  console.log(`# Browser (headless Debian Chromium, pipeline in the import worker; bench page ${url})`);
  try {
    let longest = 0;
    for (const rows of ONLY_XLSX ? [] : SIZES) {
      const reps = rows > 100_000 ? 3 : 5;
      const r = await browserRun(url, rows, reps);
      const ratios = r.reps.map((x) => (x.pipelineParseMs + x.pipelineZipMs) / (x.floorParseMs + x.floorZipMs));
      for (const x of r.reps)
        console.log(
          JSON.stringify({ env: 'chromium', ...Object.fromEntries(Object.entries(x as unknown as Record<string, number>).map(([key, v]) => [key, round(v)])) }),
        );
      console.log(JSON.stringify({ env: 'chromium', rows, stagesInWorker: Object.fromEntries(Object.entries(r.stages).map(([key, v]) => [key, round(v)])) }));
      const k = `${rows / 1000}k`;
      summary[`pipeline_vs_floor_${k}`] = round(median(ratios), 2);
      summary[`pipeline_ms_${k}`] = round(median(r.reps.map((x) => x.pipelineParseMs + x.pipelineZipMs)));
      summary[`floor_ms_${k}`] = round(median(r.reps.map((x) => x.floorParseMs + x.floorZipMs)));
      summary[`pipeline_decode_parse_validate_ms_${k}`] = round(median(r.reps.map((x) => x.pipelineParseMs)));
      summary[`pipeline_validate_ms_${k}`] = round(median(r.reps.map((x) => x.validateMs)));
      summary[`pipeline_vs_floor_without_validation_${k}`] = round(
        median(r.reps.map((x) => (x.pipelineParseMs - x.validateMs + x.pipelineZipMs) / (x.floorParseMs + x.floorZipMs))),
        2,
      );
      summary[`floor_parse_ms_${k}`] = round(median(r.reps.map((x) => x.floorParseMs)));
      const worstTask = Math.max(...r.reps.map((x) => x.longestTaskMs));
      summary[`longest_main_thread_task_ms_${k}`] = round(worstTask);
      summary[`worst_heartbeat_gap_ms_${k}`] = round(Math.max(...r.reps.map((x) => x.worstHeartbeatGapMs)));
      longest = Math.max(longest, worstTask);
      if (rows === 250_000) {
        summary.peak_heap_mb_250k = round(r.mainHeapPeakMb);
        summary.peak_renderer_rss_mb_250k = r.rendererPeakRssMb;
      }
    }
    if (!ONLY_XLSX) summary.longest_main_thread_task_ms = round(longest);

    console.log(
      `# Workbook: ${XLSX_ROWS} rows × 20 columns (.xlsx), app path in the import worker vs the parser alone (SheetJS read + sheet_to_json) in a worker of the same page`,
    );
    const x = await xlsxRun(url, XLSX_ROWS, 3);
    for (const rep of x.reps)
      console.log(JSON.stringify({ env: 'chromium', case: 'xlsx', appMs: round(rep.appMs), parserMs: round(rep.parserMs), rows: rep.rows }));
    summary[`xlsx_vs_parser_${XLSX_ROWS / 1000}k`] = round(median(x.reps.map((r) => r.appMs / r.parserMs)), 2);
    summary[`xlsx_app_ms_${XLSX_ROWS / 1000}k`] = round(median(x.reps.map((r) => r.appMs)));
    summary[`xlsx_parser_ms_${XLSX_ROWS / 1000}k`] = round(median(x.reps.map((r) => r.parserMs)));
    summary[`xlsx_mb_${XLSX_ROWS / 1000}k`] = round(x.bytes / 1048576, 2);
    summary[`xlsx_rows_read_${XLSX_ROWS / 1000}k`] = x.reps[0]?.rows ?? 0;
  } finally {
    server.close();
    rmSync(outDir, { recursive: true, force: true });
  }
  summary.load_average_1m = round(loadavg()[0] ?? 0, 2);
  summary.reps = '25k: median of 5 alternating floor/pipeline runs; 250k: median of 3; xlsx 100k: median of 3 alternating';
  console.log(JSON.stringify(summary));
}

await main();
