// The undo of a run of several modules: each entry's own undo plan (buildUndoPlan, as for a single import), run in
// the reverse of the order the run wrote them — children before the parents they point at, a self-link pass before
// the insert it updated. A record the run both added and later updated (the self-link pass) is deleted by its
// insert's plan: the update's "put back" of it is dropped rather than reported as impossible. Decision 120.
import type { UndoPlan } from './plan.ts';

export interface GroupUndoEntry {
  /** The history entry's id (also the id its undo progress is stored under). */
  id: string;
  /** The order the run wrote the entry in (0 = first). */
  order: number;
  module: string;
  plan: UndoPlan;
}

export interface GroupUndo {
  /** Entries to undo, last written first; entries with nothing to do are left out. */
  entries: GroupUndoEntry[];
  deletes: number;
  restores: number;
  /** Per module, in undo order: how many records the undo deletes there. */
  perModule: { module: string; deletes: number; restores: number }[];
}

export function groupUndoPlan(entries: readonly GroupUndoEntry[]): GroupUndo {
  const deleted = new Map<string, Set<string>>();
  for (const e of entries) {
    const ids = deleted.get(e.module) ?? new Set<string>();
    for (const id of e.plan.deletes) ids.add(id);
    deleted.set(e.module, ids);
  }
  const ordered = [...entries]
    .sort((a, b) => b.order - a.order)
    .map((e) => {
      const gone = deleted.get(e.module) ?? new Set<string>();
      // Records of this module another entry deletes need no old values back.
      const othersDelete = (id: string) => gone.has(id) && !e.plan.deletes.includes(id);
      return {
        ...e,
        plan: {
          ...e.plan,
          restores: e.plan.restores.filter((r) => !othersDelete(r.id)),
          cannot: e.plan.cannot.filter((c) => !(c.action === 'restore' && othersDelete(c.id))),
        },
      };
    })
    .filter((e) => e.plan.deleteCount + e.plan.restores.length + e.plan.cannot.length > 0);
  const perModule: GroupUndo['perModule'] = [];
  for (const e of ordered) {
    const last = perModule[perModule.length - 1];
    if (last && last.module === e.module) {
      last.deletes += e.plan.deleteCount;
      last.restores += e.plan.restores.length;
    } else perModule.push({ module: e.module, deletes: e.plan.deleteCount, restores: e.plan.restores.length });
  }
  return {
    entries: ordered,
    deletes: ordered.reduce((n, e) => n + e.plan.deleteCount, 0),
    restores: ordered.reduce((n, e) => n + e.plan.restores.length, 0),
    perModule,
  };
}

/** "Delete the 45 records this run added: Contacts 30, then Accounts 15." */
export function groupConfirmationText(g: GroupUndo): string {
  const parts = g.perModule.filter((m) => m.deletes > 0).map((m) => `${m.module} ${m.deletes}`);
  const del = `Delete the ${g.deletes} record${g.deletes === 1 ? '' : 's'} this run added${parts.length > 0 ? `, children first: ${parts.join(', then ')}` : ''}`;
  if (g.restores === 0) return `${del}.`;
  return `${del}; put back the old values of the ${g.restores} record${g.restores === 1 ? '' : 's'} it updated.`;
}
