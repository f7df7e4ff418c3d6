// The plan of a run that writes several sources (CSV files, later a workbook's sheets), each into its own module:
// which lookups link one source to another (read from field metadata), the order that writes parents before
// children, and a second pass for a module that looks up itself. Pure; decision 115.
import type { Operation } from '../fields/field-meta.ts';
import type { FieldModel } from '../fields/field-model.ts';
import { RECORD_ID, type Mapping } from '../mapping/mapping.ts';

/** One source of the run, already mapped. A workbook's sheet is a source like a CSV file is. */
export interface RunSource {
  /** Unique within the run; plain data (the caller's choice, e.g. `file-0`). */
  id: string;
  /** What the person recognises: the file name, or the sheet's name. */
  name: string;
  module: string;
  operation: Operation;
  mapping: Mapping;
  /** The module's fields (they carry `lookupModule`). */
  fields: readonly FieldModel[];
  /** Source column headers, for messages. */
  headers: readonly string[];
}

/**
 * A lookup column of one source whose cells name rows of another source of the same run (or of itself). The cells
 * hold the parent's `findBy` field; the parent source has that field mapped in `parentColumn`, so a child cell is
 * matched to a parent row in the file and sent as that row's record id (decision 115).
 */
export interface RunLink {
  childId: string;
  childModule: string;
  /** The child's source column holding the parent's key. */
  column: number;
  apiName: string;
  fieldLabel: string;
  parentId: string;
  parentModule: string;
  /** The parent's field the cells hold (the mapping's find_by), and its label. */
  findBy: string;
  findByLabel: string;
  /** The parent source's column mapped to `findBy`. */
  parentColumn: number;
  /** Whether keys compare case-sensitively: a unique field as its rule says (contract §8), any other exactly. */
  caseSensitive: boolean;
  /** A module that looks itself up: written in two passes (insert, then an update of the lookup by id). */
  self: boolean;
}

export type RunStep =
  /** Write the source's rows; links to sources written earlier are sent as record ids. */
  | { kind: 'write'; sourceId: string; module: string }
  /** The second pass of a self-lookup: update the lookup, by record id, of the rows written in the write step. */
  | { kind: 'self-link'; sourceId: string; module: string; link: RunLink };

export interface RunPlanProblem {
  code: 'DUPLICATE_MODULE' | 'CYCLE' | 'PARENT_KEY_NOT_MAPPED' | 'DUPLICATE_ID';
  message: string;
  /** The sources the problem is about, in the order the message names them. */
  sourceIds: string[];
}

export type RunPlan = { ok: true; steps: RunStep[]; links: RunLink[]; order: string[] } | { ok: false; problems: RunPlanProblem[] };

/** Lower-case singular of a module name for messages ("Accounts" → "account"). */
export function recordNoun(module: string): string {
  const spaced = module.replace(/_/g, ' ');
  const singular = /ies$/i.test(spaced) ? spaced.replace(/ies$/i, 'y') : /[^su]s$/i.test(spaced) ? spaced.slice(0, -1) : spaced;
  return singular.toLowerCase();
}

function readLinks(sources: readonly RunSource[], byModule: ReadonlyMap<string, RunSource>, problems: RunPlanProblem[]): RunLink[] {
  const links: RunLink[] = [];
  for (const child of sources) {
    const fieldByName = new Map(child.fields.map((f) => [f.apiName, f]));
    for (const c of child.mapping.columns) {
      if (c.apiName === null || c.apiName === RECORD_ID) continue;
      const field = fieldByName.get(c.apiName);
      if (field === undefined || field.dataType !== 'lookup' || field.lookupModule === null) continue;
      const parent = byModule.get(field.lookupModule);
      // A lookup to a module no source of this run writes is an ordinary lookup into the org.
      if (parent === undefined) continue;
      // Cells that hold record ids name records that already exist; nothing of this run can be meant.
      if (c.findBy === null || c.findBy === RECORD_ID) continue;
      const parentColumn = parent.mapping.columns.find((p) => p.apiName === c.findBy);
      if (parentColumn === undefined) {
        const keyField = parent.fields.find((f) => f.apiName === c.findBy);
        problems.push({
          code: 'PARENT_KEY_NOT_MAPPED',
          sourceIds: [child.id, parent.id],
          message: `${child.name}: ${field.label} (column ${c.column + 1}, "${child.headers[c.column] ?? ''}") finds ${parent.module} by ${keyField?.label ?? c.findBy}, but no column of ${parent.name} is mapped to ${keyField?.label ?? c.findBy}, so its rows cannot be linked to the ${parent.module} this run writes. Map that column in ${parent.name}, or match ${field.label} by another field.`,
        });
        continue;
      }
      const keyField = parent.fields.find((f) => f.apiName === c.findBy);
      links.push({
        childId: child.id,
        childModule: child.module,
        column: c.column,
        apiName: field.apiName,
        fieldLabel: field.label,
        parentId: parent.id,
        parentModule: parent.module,
        findBy: c.findBy,
        findByLabel: keyField?.label ?? c.findBy,
        parentColumn: parentColumn.column,
        // The emulator finds a unique field as its uniqueness rule compares, any other field by exact value.
        caseSensitive: keyField?.unique === null || keyField?.unique === undefined ? true : keyField.unique.caseSensitive,
        self: parent.id === child.id,
      });
    }
  }
  return links;
}

/**
 * Parents first (Kahn's algorithm; among sources that are ready, the one given first goes first, so the order is
 * deterministic). Returns null and the cycle when the links between modules go round.
 */
function topologicalOrder(sources: readonly RunSource[], links: readonly RunLink[]): { order: string[] } | { cycle: string[] } {
  const ids = sources.map((s) => s.id);
  const parentsOf = new Map<string, Set<string>>(ids.map((id) => [id, new Set<string>()]));
  for (const l of links) if (!l.self) parentsOf.get(l.childId)?.add(l.parentId);
  const order: string[] = [];
  const done = new Set<string>();
  while (order.length < ids.length) {
    const next = ids.find((id) => !done.has(id) && [...(parentsOf.get(id) ?? [])].every((p) => done.has(p)));
    if (next === undefined)
      return {
        cycle: findCycle(
          ids.filter((id) => !done.has(id)),
          parentsOf,
        ),
      };
    order.push(next);
    done.add(next);
  }
  return { order };
}

/** A cycle among the remaining sources (each has a parent among them, so walking parents must repeat). */
function findCycle(remaining: readonly string[], parentsOf: ReadonlyMap<string, ReadonlySet<string>>): string[] {
  const left = new Set(remaining);
  const path: string[] = [];
  let at = remaining[0] ?? '';
  while (!path.includes(at)) {
    path.push(at);
    const parent = [...(parentsOf.get(at) ?? [])].find((p) => left.has(p));
    if (parent === undefined) return path;
    at = parent;
  }
  // path[i] looks up path[i + 1], which is how the message reads it (Contacts → Accounts: contacts look up accounts).
  return path.slice(path.indexOf(at));
}

/** Plan the run: links, parents-first order, and the second pass of each self-lookup. */
export function planRun(sources: readonly RunSource[]): RunPlan {
  const problems: RunPlanProblem[] = [];
  const byModule = new Map<string, RunSource>();
  const seenIds = new Set<string>();
  for (const s of sources) {
    if (seenIds.has(s.id)) problems.push({ code: 'DUPLICATE_ID', sourceIds: [s.id], message: `Two sources share the id "${s.id}".` });
    seenIds.add(s.id);
    const before = byModule.get(s.module);
    if (before !== undefined) {
      problems.push({
        code: 'DUPLICATE_MODULE',
        sourceIds: [before.id, s.id],
        message: `${before.name} and ${s.name} both go into ${s.module}. A run takes one source per module, so a lookup knows which rows it means: put them in one file, or import one of them in another run.`,
      });
    } else byModule.set(s.module, s);
  }
  if (problems.length > 0) return { ok: false, problems };
  const links = readLinks(sources, byModule, problems);
  const sorted = topologicalOrder(sources, links);
  if ('cycle' in sorted) {
    const byId = new Map(sources.map((s) => [s.id, s]));
    const names = sorted.cycle.map((id) => byId.get(id)?.module ?? id);
    const loop = [...names, names[0] ?? ''].join(' → ');
    const fields = links
      .filter((l) => !l.self && sorted.cycle.includes(l.childId) && sorted.cycle.includes(l.parentId))
      .map((l) => `${l.childModule}.${l.apiName} → ${l.parentModule}`)
      .join(', ');
    problems.push({
      code: 'CYCLE',
      sourceIds: sorted.cycle,
      message: `The lookups between ${names.join(', ')} go round (${loop}: ${fields}), so no module can be written first. Unmap one of these lookup columns (or match it by record id) and link those records in Zoho CRM after the import.`,
    });
  }
  if (problems.length > 0) return { ok: false, problems };
  const order = 'order' in sorted ? sorted.order : [];
  const steps: RunStep[] = [];
  for (const id of order) {
    const module = sources.find((s) => s.id === id)?.module ?? '';
    steps.push({ kind: 'write', sourceId: id, module });
    for (const l of links) if (l.self && l.childId === id) steps.push({ kind: 'self-link', sourceId: id, module, link: l });
  }
  return { ok: true, steps, links, order };
}

/** Zoho's cost of a Bulk Write job (contract §11). */
export const CREDITS_PER_WRITE_JOB = 500;
