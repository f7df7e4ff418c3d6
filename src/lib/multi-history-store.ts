// The stored plans of multi-module runs as an external store (like history-store.ts), plus which runs this tab is
// still sending (memory only: after a reload none is, so their unsent steps are named as never to be sent).
import { useMemo, useSyncExternalStore } from 'react';
import { useHistory } from './history-store.ts';
import { groupHistory, patchStep, readGroups, upsertGroup, writeGroups, type GroupStep, type HistoryItem, type RunGroupRecord } from './multi-history.ts';

function storage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

type Snapshot = { groups: readonly RunGroupRecord[]; active: ReadonlySet<string> };
let snapshot: Snapshot = { groups: readGroups(storage()), active: new Set() };
const listeners = new Set<() => void>();

function set(next: Partial<Snapshot>, persist: boolean) {
  snapshot = { ...snapshot, ...next };
  if (persist) writeGroups(storage(), snapshot.groups);
  for (const l of listeners) l();
}

if (typeof window !== 'undefined') {
  window.addEventListener('storage', () => set({ groups: readGroups(storage()) }, false));
}

export const multiHistoryStore = {
  get: (): Snapshot => snapshot,
  find: (id: string): RunGroupRecord | undefined => snapshot.groups.find((g) => g.id === id),
  put: (g: RunGroupRecord) => set({ groups: upsertGroup(snapshot.groups, g) }, true),
  patchStep: (id: string, step: number, patch: Partial<GroupStep>) => {
    const g = snapshot.groups.find((x) => x.id === id);
    if (g) set({ groups: upsertGroup(snapshot.groups, patchStep(g, step, patch)) }, true);
  },
  setActive: (id: string, on: boolean) => {
    const active = new Set(snapshot.active);
    if (on) active.add(id);
    else active.delete(id);
    set({ active }, false);
  },
  subscribe: (l: () => void) => {
    listeners.add(l);
    return () => {
      listeners.delete(l);
    };
  },
};

/** History's items (single runs and multi-module groups), newest first, kept current. */
export function useHistoryItems(): HistoryItem[] {
  const runs = useHistory();
  const s = useSyncExternalStore(multiHistoryStore.subscribe, multiHistoryStore.get, multiHistoryStore.get);
  return useMemo(() => groupHistory(runs, s.groups, s.active), [runs, s]);
}
