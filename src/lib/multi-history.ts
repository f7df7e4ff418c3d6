// A run of several modules as History keeps it: the plan's steps (module, file, how far each got) under the run's id,
// stored beside the history entries each step writes (one per module and link group, tagged with the same id). Only
// names, counts and states — never row data (S1/S9). `groupHistory` turns both into History's items: single runs,
// and one group per multi-module run with a line per module in the order the run wrote them. Decision 120.
import { z } from 'zod';
import { isRunFinished, runCounts, type HistoryRun } from './history.ts';

export const MULTI_HISTORY_KEY = 'zoho-bulk-import.multi-runs.v1';
const MAX_GROUPS = 50;

const stepSchema = z.object({
  sourceId: z.string(),
  module: z.string(),
  /** The file (or sheet) the step sends. */
  name: z.string(),
  kind: z.enum(['write', 'self-link']),
  /** waiting: not started; started: its entries are being written; done: every entry it needed was written. */
  state: z.enum(['waiting', 'started', 'done']),
  /** How many history entries the step writes (one per link group), known once it starts; 0 = nothing to send. */
  entries: z.number().int().nonnegative().nullable(),
});
export type GroupStep = z.infer<typeof stepSchema>;

const groupSchema = z.object({
  id: z.string().min(1),
  createdAt: z.string(),
  connectionKind: z.enum(['emulator', 'zoho']),
  apiDomain: z.string(),
  steps: z.array(stepSchema),
});
export type RunGroupRecord = z.infer<typeof groupSchema>;

const fileSchema = z.object({ groups: z.array(groupSchema) });

export function readGroups(storage: Storage | null): RunGroupRecord[] {
  if (!storage) return [];
  const raw = storage.getItem(MULTI_HISTORY_KEY);
  if (!raw) return [];
  try {
    const parsed = fileSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data.groups : [];
  } catch {
    return [];
  }
}

export function writeGroups(storage: Storage | null, groups: readonly RunGroupRecord[]): void {
  if (!storage) return;
  // Parsing strips any key outside the schema: names and states only reach storage.
  const kept = [...groups]
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
    .slice(0, MAX_GROUPS)
    .map((g) => groupSchema.parse(g));
  try {
    storage.setItem(MULTI_HISTORY_KEY, JSON.stringify({ groups: kept }));
  } catch {
    // Storage full or disabled: History is a convenience, the run itself goes on.
  }
}

export function upsertGroup(groups: readonly RunGroupRecord[], g: RunGroupRecord): RunGroupRecord[] {
  const i = groups.findIndex((x) => x.id === g.id);
  if (i < 0) return [g, ...groups];
  const out = [...groups];
  out[i] = g;
  return out;
}

export function patchStep(g: RunGroupRecord, step: number, patch: Partial<GroupStep>): RunGroupRecord {
  return { ...g, steps: g.steps.map((s, i) => (i === step ? { ...s, ...patch } : s)) };
}

export type LineStatus = 'running' | 'finished' | 'failed' | 'not-fully-sent' | 'waiting' | 'not-sent';

/** One line of a group: a history entry the run wrote, or a planned step that wrote nothing (yet). */
export interface GroupLine {
  key: string;
  module: string;
  name: string;
  kind: 'write' | 'self-link';
  entry: HistoryRun | null;
  rows: number;
  added: number;
  updated: number;
  skipped: number;
  status: LineStatus;
}

export type GroupStatus = 'running' | 'finished' | 'failed' | 'stopped';

export const LINE_STATUS_WORDS: Record<LineStatus, string> = {
  running: 'Running',
  finished: 'Finished',
  failed: 'Failed',
  'not-fully-sent': 'Not fully sent',
  waiting: 'Waiting for its parents',
  'not-sent': 'Not sent',
};

export const GROUP_STATUS_WORDS: Record<GroupStatus, string> = {
  running: 'Running',
  finished: 'Finished',
  failed: 'Failed',
  stopped: 'Not fully sent',
};

export interface RunGroupItem {
  kind: 'group';
  id: string;
  createdAt: string;
  connectionKind: 'emulator' | 'zoho';
  apiDomain: string;
  lines: GroupLine[];
  /** The group's history entries in the order the run wrote them. */
  entries: HistoryRun[];
  /** Planned steps that sent nothing, or only part of their link groups, and never will (the tab that ran it is gone). */
  notSent: GroupStep[];
  status: GroupStatus;
  counts: { added: number; updated: number; skipped: number; total: number };
}

export type HistoryItem = { kind: 'single'; run: HistoryRun } | RunGroupItem;

/** A job whose ZIP never finished uploading is lost once the tab that held the ZIP is gone (or gave up: 'stopped'). */
export function entryStatus(r: HistoryRun, active: boolean): LineStatus {
  if (isRunFinished(r)) return r.jobs.some((j) => j.status === 'FAILED') ? 'failed' : 'finished';
  const lost = r.phase === 'stopped' || (!active && r.jobs.some((j) => j.jobId === null && j.pendingCreate === undefined));
  return lost ? 'not-fully-sent' : 'running';
}

/**
 * History's items, newest first: single runs as they are, and each multi-module run as one group. `active` holds the
 * ids of the runs this tab is still sending: their waiting steps are "waiting", anyone else's will never be sent.
 */
export function groupHistory(runs: readonly HistoryRun[], groups: readonly RunGroupRecord[], active: ReadonlySet<string>): HistoryItem[] {
  const byGroup = new Map<string, HistoryRun[]>();
  const items: HistoryItem[] = [];
  for (const r of runs) {
    if (r.multiRun === null) items.push({ kind: 'single', run: r });
    else byGroup.set(r.multiRun.id, [...(byGroup.get(r.multiRun.id) ?? []), r]);
  }
  const ids = new Set([...groups.map((g) => g.id), ...byGroup.keys()]);
  for (const id of ids) {
    const record = groups.find((g) => g.id === id) ?? null;
    const entries = [...(byGroup.get(id) ?? [])].sort((a, b) => (a.multiRun?.order ?? 0) - (b.multiRun?.order ?? 0));
    items.push(groupItem(id, record, entries, active.has(id)));
  }
  return items.sort((a, b) => createdOf(b).localeCompare(createdOf(a)));
}

const createdOf = (i: HistoryItem): string => (i.kind === 'single' ? i.run.createdAt : i.createdAt);

function lineOfEntry(r: HistoryRun, kind: 'write' | 'self-link', status: LineStatus): GroupLine {
  const c = runCounts(r);
  return { key: r.runId, module: r.moduleLabel, name: r.fileName, kind, entry: r, rows: r.totalRows, ...c, status };
}

function groupItem(id: string, record: RunGroupRecord | null, entries: HistoryRun[], active: boolean): RunGroupItem {
  const lines: GroupLine[] = [];
  const notSent: GroupStep[] = [];
  const first = entries[0];
  if (record === null) {
    // The plan's record is gone (storage cleared or pruned): the entries still tell what was written.
    for (const e of entries) lines.push(lineOfEntry(e, e.operation === 'update' ? 'self-link' : 'write', entryStatus(e, active)));
  } else {
    record.steps.forEach((step, i) => {
      const mine = entries.filter((e) => e.multiRun?.step === i);
      for (const e of mine) lines.push(lineOfEntry(e, step.kind, entryStatus(e, active)));
      const missing = step.state === 'done' ? false : step.state === 'waiting' || step.entries === null || mine.length < step.entries;
      if (!missing) return;
      if (!active) notSent.push(step);
      // A step that wrote none of its entries gets a line of its own; one cut short shows on its written entries.
      if (mine.length === 0)
        lines.push({
          key: `${id}#${i}`,
          module: step.module,
          name: step.name,
          kind: step.kind,
          entry: null,
          rows: 0,
          added: 0,
          updated: 0,
          skipped: 0,
          status: active ? 'waiting' : 'not-sent',
        });
    });
  }
  const counts = entries.reduce(
    (a, e) => {
      const c = runCounts(e);
      return { added: a.added + c.added, updated: a.updated + c.updated, skipped: a.skipped + c.skipped, total: a.total + c.total };
    },
    { added: 0, updated: 0, skipped: 0, total: 0 },
  );
  const statuses = lines.map((l) => l.status);
  const status: GroupStatus = statuses.some((s) => s === 'running' || s === 'waiting')
    ? 'running'
    : statuses.some((s) => s === 'not-sent' || s === 'not-fully-sent')
      ? 'stopped'
      : statuses.some((s) => s === 'failed')
        ? 'failed'
        : 'finished';
  return {
    kind: 'group',
    id,
    createdAt: record?.createdAt ?? first?.createdAt ?? '',
    connectionKind: record?.connectionKind ?? first?.connectionKind ?? 'emulator',
    apiDomain: record?.apiDomain ?? first?.apiDomain ?? '',
    lines,
    entries,
    notSent,
    status,
    counts,
  };
}
