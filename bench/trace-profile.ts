// Where a thread's time went, from a Chrome trace taken with BENCH_TRACE=file.json BENCH_TRACE_CPU=1 (V8's sampling
// profiler in the trace): the samples of one thread — by default the import worker, which a page CPU profile
// (BENCH_PROFILE) never sees — counted by function, optionally only between two trace timestamps (µs, as the
// trace's own events give them). Build with BENCH_NOMINIFY=1 so the functions have their names.
// Usage: node --import tsx bench/trace-profile.ts trace.json [--thread=DedicatedWorker] [--from=µs] [--to=µs] [--top=40]
// Also prints the thread's tasks over 15 ms (start µs, length ms), to choose a window.
import { readFileSync } from 'node:fs';

interface TraceEvent {
  ph?: string;
  name: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  id?: string;
  args?: { name?: string; data?: ProfileData & { startTime?: number } };
}
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url?: string; lineNumber?: number };
}
interface ProfileData {
  cpuProfile?: { nodes?: ProfileNode[]; samples?: number[] };
  timeDeltas?: number[];
}

const file = process.argv[2];
if (!file) throw new Error('usage: bench/trace-profile.ts trace.json [--thread=…] [--from=µs] [--to=µs] [--top=N]');
const opt = (name: string): string | undefined =>
  process.argv
    .slice(3)
    .find((a) => a.startsWith(`--${name}=`))
    ?.split('=')[1];
const threadPattern = new RegExp(opt('thread') ?? 'DedicatedWorker');
const from = Number(opt('from') ?? 0);
const to = Number(opt('to') ?? Number.MAX_SAFE_INTEGER);
const top = Number(opt('top') ?? 40);

const raw = JSON.parse(readFileSync(file, 'utf8')) as { traceEvents?: TraceEvent[] } | TraceEvent[];
const events = Array.isArray(raw) ? raw : (raw.traceEvents ?? []);
const threadName = new Map<string, string>();
for (const e of events) if (e.ph === 'M' && e.name === 'thread_name') threadName.set(`${e.pid}:${e.tid}`, e.args?.name ?? '');
const matches = (e: TraceEvent): boolean => threadPattern.test(threadName.get(`${e.pid}:${e.tid}`) ?? '');

console.log('tasks over 15 ms (start µs, ms):');
for (const e of events)
  if (e.ph === 'X' && e.name === 'RunTask' && (e.dur ?? 0) > 15_000 && matches(e)) console.log(`  ${e.ts}  ${((e.dur ?? 0) / 1000).toFixed(0)}`);

// A profile is announced by a 'Profile' event and arrives in 'ProfileChunk' events with the same id.
const profiles = new Map<string, { start: number; nodes: Map<number, ProfileNode>; samples: number[]; deltas: number[] }>();
for (const e of events)
  if (e.name === 'Profile' && e.id !== undefined && matches(e))
    profiles.set(e.id, { start: e.args?.data?.startTime ?? e.ts, nodes: new Map(), samples: [], deltas: [] });
for (const e of events) {
  if (e.name !== 'ProfileChunk' || e.id === undefined) continue;
  const p = profiles.get(e.id);
  const d = e.args?.data;
  if (!p || !d) continue;
  for (const n of d.cpuProfile?.nodes ?? []) p.nodes.set(n.id, n);
  for (const s of d.cpuProfile?.samples ?? []) p.samples.push(s);
  for (const t of d.timeDeltas ?? []) p.deltas.push(t);
}
if (profiles.size === 0) console.log('no CPU samples for that thread: was the trace taken with BENCH_TRACE_CPU=1?');
for (const p of profiles.values()) {
  const self = new Map<string, number>();
  let ts = p.start;
  let total = 0;
  p.samples.forEach((id, i) => {
    ts += p.deltas[i] ?? 0;
    if (ts < from || ts > to) return;
    const n = p.nodes.get(id);
    if (!n) return;
    const where = n.callFrame.url ? ` ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber ?? ''}` : '';
    const key = `${n.callFrame.functionName || '(anonymous)'}${where}`;
    self.set(key, (self.get(key) ?? 0) + 1);
    total++;
  });
  console.log(`samples in the window: ${total} (share of each function's own time)`);
  for (const [key, n] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top))
    console.log(`${((100 * n) / Math.max(1, total)).toFixed(1).padStart(6)} %  ${key}`);
}
