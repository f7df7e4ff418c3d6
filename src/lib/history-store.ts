// A tiny external store over the localStorage history, so every component sees the same runs (useSyncExternalStore),
// and other tabs' changes arrive through the `storage` event.
import { useSyncExternalStore } from 'react';
import { readHistory, upsertRun, writeHistory, type HistoryRun } from './history.ts';

function storage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

let cache: HistoryRun[] = readHistory(storage());
const listeners = new Set<() => void>();

function emit() {
  for (const l of listeners) l();
}

if (typeof window !== 'undefined') {
  window.addEventListener('storage', () => {
    cache = readHistory(storage());
    emit();
  });
}

export const historyStore = {
  get: (): readonly HistoryRun[] => cache,
  find: (runId: string): HistoryRun | undefined => cache.find((r) => r.runId === runId),
  put: (run: HistoryRun) => {
    cache = upsertRun(cache, run);
    writeHistory(storage(), cache);
    emit();
  },
  update: (runId: string, fn: (r: HistoryRun) => HistoryRun) => {
    const r = cache.find((x) => x.runId === runId);
    if (r) historyStore.put(fn(r));
  },
  remove: (runId: string) => {
    cache = cache.filter((r) => r.runId !== runId);
    writeHistory(storage(), cache);
    emit();
  },
  subscribe: (l: () => void) => {
    listeners.add(l);
    return () => {
      listeners.delete(l);
    };
  },
};

export function useHistory(): readonly HistoryRun[] {
  return useSyncExternalStore(historyStore.subscribe, historyStore.get, historyStore.get);
}

export function useRun(runId: string | undefined): HistoryRun | undefined {
  const runs = useHistory();
  return runId === undefined ? undefined : runs.find((r) => r.runId === runId);
}
