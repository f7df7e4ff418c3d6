import { describe, expect, it } from 'vitest';
import { HISTORY_KEY, readHistory, runCounts, unfinishedRuns, upsertRun, writeHistory, type HistoryRun } from './history.ts';
import { MemoryStorage } from './memory-storage-test-support.ts';

const run = (id: string, status: HistoryRun['jobs'][number]['status'], createdAt = '2026-01-01T00:00:00Z'): HistoryRun => ({
  runId: id,
  createdAt,
  connectionKind: 'emulator',
  apiDomain: 'http://127.0.0.1:1',
  module: 'Contacts',
  moduleLabel: 'Contacts',
  operation: 'insert',
  findBy: null,
  fileName: 'a.csv',
  totalRows: 7,
  phase: 'tracking',
  jobs: [{ index: 0, rows: 7, fileId: '1', jobId: '99', status, added: 6, updated: 0, skipped: 1, total: 7, downloadUrl: null }],
  retryOf: null,
  multiRun: null,
});

describe('history', () => {
  it('round-trips through storage and survives garbage', () => {
    const s = new MemoryStorage();
    writeHistory(s, [run('a', 'COMPLETED')]);
    expect(readHistory(s)).toEqual([run('a', 'COMPLETED')]);
    s.setItem(HISTORY_KEY, '{not json');
    expect(readHistory(s)).toEqual([]);
  });

  it('stores job metadata only: no token-like or row fields exist in the schema', () => {
    const s = new MemoryStorage();
    const withExtra = { ...run('a', 'COMPLETED'), token: 'secret-token', rows: [['alice@example.com']] } as unknown as HistoryRun;
    writeHistory(s, [withExtra]);
    expect(s.getItem(HISTORY_KEY)).not.toContain('secret-token');
    expect(s.getItem(HISTORY_KEY)).not.toContain('alice@example.com');
    expect(readHistory(s)[0]).not.toHaveProperty('token');
    expect(readHistory(s)[0]).not.toHaveProperty('rows');
  });

  it('finds runs whose jobs are still going, and sums counts', () => {
    const runs = upsertRun(upsertRun([], run('a', 'COMPLETED')), run('b', 'INPROGRESS'));
    expect(unfinishedRuns(runs).map((r) => r.runId)).toEqual(['b']);
    expect(runCounts(run('a', 'COMPLETED'))).toEqual({ added: 6, updated: 0, skipped: 1, total: 7 });
  });

  it('reads entries written before runs were grouped as single runs (multiRun null)', () => {
    const s = new MemoryStorage();
    const { multiRun: _m, ...old } = run('a', 'COMPLETED');
    s.setItem(HISTORY_KEY, JSON.stringify({ runs: [old] }));
    expect(readHistory(s)).toEqual([run('a', 'COMPLETED')]);
  });

  it('keeps the newest 50 runs', () => {
    const s = new MemoryStorage();
    const many = Array.from({ length: 60 }, (_, i) => run(`r${i}`, 'COMPLETED', `2026-01-01T00:00:${String(i).padStart(2, '0')}Z`));
    writeHistory(s, many);
    const back = readHistory(s);
    expect(back).toHaveLength(50);
    expect(back[0]?.runId).toBe('r59');
  });
});
