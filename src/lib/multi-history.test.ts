import { describe, expect, it } from 'vitest';
import type { HistoryRun } from './history.ts';
import { groupHistory, readGroups, writeGroups, MULTI_HISTORY_KEY, type RunGroupRecord } from './multi-history.ts';
import { MemoryStorage } from './memory-storage-test-support.ts';

const entry = (
  runId: string,
  module: string,
  multiRun: HistoryRun['multiRun'],
  status: HistoryRun['jobs'][number]['status'],
  createdAt: string,
  jobId: string | null = '1',
): HistoryRun => ({
  runId,
  createdAt,
  connectionKind: 'emulator',
  apiDomain: 'http://127.0.0.1:1',
  module,
  moduleLabel: module,
  operation: 'insert',
  findBy: null,
  fileName: `${module.toLowerCase()}.csv`,
  totalRows: 3,
  phase: status === 'COMPLETED' ? 'done' : 'tracking',
  jobs: [
    {
      index: 0,
      rows: 3,
      fileId: '1',
      jobId,
      status,
      added: status === 'COMPLETED' ? 2 : 0,
      updated: 0,
      skipped: status === 'COMPLETED' ? 1 : 0,
      total: 3,
      downloadUrl: null,
    },
  ],
  retryOf: null,
  multiRun,
});

const group = (id: string, states: ('waiting' | 'started' | 'done')[]): RunGroupRecord => ({
  id,
  createdAt: '2026-01-02T00:00:00Z',
  connectionKind: 'emulator',
  apiDomain: 'http://127.0.0.1:1',
  steps: ['Accounts', 'Contacts', 'Deals'].map((module, i) => ({
    sourceId: module.toLowerCase(),
    module,
    name: `${module.toLowerCase()}.csv`,
    kind: 'write' as const,
    state: states[i] ?? 'waiting',
    entries: states[i] === 'waiting' ? null : 1,
  })),
});

describe('groupHistory', () => {
  const single = entry('run-1', 'Leads', null, 'COMPLETED', '2026-01-01T00:00:00Z');
  // Written out of order on purpose: the group lists them in the order the run wrote them.
  const contacts = entry('multi-a.contacts.0', 'Contacts', { id: 'multi-a', order: 1, step: 1 }, 'COMPLETED', '2026-01-02T00:00:05Z');
  const accounts = entry('multi-a.accounts.0', 'Accounts', { id: 'multi-a', order: 0, step: 0 }, 'COMPLETED', '2026-01-02T00:00:01Z');

  it('makes one group of a multi-module run, a line per module in write order, beside single runs, newest first', () => {
    const items = groupHistory([contacts, single, accounts], [group('multi-a', ['done', 'done', 'done'])], new Set());
    expect(items.map((i) => (i.kind === 'single' ? i.run.runId : i.id))).toEqual(['multi-a', 'run-1']);
    const g = items[0];
    if (g?.kind !== 'group') throw new Error('expected a group');
    expect(g.lines.map((l) => [l.module, l.added, l.skipped, l.status])).toEqual([
      ['Accounts', 2, 1, 'finished'],
      ['Contacts', 2, 1, 'finished'],
    ]);
    expect(g.status).toBe('finished');
    expect(g.counts).toEqual({ added: 4, updated: 0, skipped: 2, total: 6 });
  });

  it('names the steps a reloaded run never sent, but only "waiting" while this tab still runs it', () => {
    const running = entry('multi-a.contacts.0', 'Contacts', { id: 'multi-a', order: 1, step: 1 }, 'INPROGRESS', '2026-01-02T00:00:05Z');
    const records = [group('multi-a', ['done', 'started', 'waiting'])];
    const after = groupHistory([running, accounts], records, new Set())[0];
    if (after?.kind !== 'group') throw new Error('expected a group');
    expect(after.lines.map((l) => [l.module, l.status])).toEqual([
      ['Accounts', 'finished'],
      ['Contacts', 'running'],
      ['Deals', 'not-sent'],
    ]);
    expect(after.notSent.map((s) => s.module)).toEqual(['Deals']);
    expect(after.status).toBe('running');

    const live = groupHistory([running, accounts], records, new Set(['multi-a']))[0];
    if (live?.kind !== 'group') throw new Error('expected a group');
    expect(live.lines.map((l) => l.status)).toEqual(['finished', 'running', 'waiting']);
    expect(live.notSent).toEqual([]);

    const finishedElsewhere = groupHistory([{ ...running, jobs: contacts.jobs, phase: 'done' }, accounts], records, new Set())[0];
    expect(finishedElsewhere?.kind === 'group' && finishedElsewhere.status).toBe('stopped');
  });

  it('counts an entry whose upload never finished in a tab that is gone as not fully sent', () => {
    const cut = {
      ...entry('multi-a.contacts.0', 'Contacts', { id: 'multi-a', order: 1, step: 1 }, 'NOT_CREATED', '2026-01-02T00:00:05Z', null),
      phase: 'uploading' as const,
    };
    const g = groupHistory([cut, accounts], [group('multi-a', ['done', 'started', 'done'])], new Set())[0];
    expect(g?.kind === 'group' && g.lines.map((l) => l.status)).toEqual(['finished', 'not-fully-sent']);
  });

  it('groups entries whose plan record is gone by their run id alone', () => {
    const g = groupHistory([contacts, accounts], [], new Set())[0];
    expect(g?.kind === 'group' && g.lines.map((l) => l.module)).toEqual(['Accounts', 'Contacts']);
  });

  it('round-trips the plan records through storage, names and states only', () => {
    const s = new MemoryStorage();
    const withExtra = { ...group('multi-a', ['done']), rows: [['alice@example.com']] } as unknown as RunGroupRecord;
    writeGroups(s, [withExtra]);
    expect(s.getItem(MULTI_HISTORY_KEY)).not.toContain('alice@example.com');
    expect(readGroups(s)).toEqual([group('multi-a', ['done'])]);
    s.setItem(MULTI_HISTORY_KEY, '{not json');
    expect(readGroups(s)).toEqual([]);
  });
});
