// What the org check reads, decided before anything is spent: per module the fields it needs (never more), one
// Bulk Read job per module page, 50 credits a job (docs/org-apis.md A2). Pure, so the Review step can show the
// cost synchronously before the user presses "Run the check".
import type { Operation } from '../fields/field-meta.ts';
import { isUserLookup, type FieldModel } from '../fields/field-model.ts';
import { RECORD_ID, resolveMapping, type Mapping } from '../mapping/mapping.ts';
import { BULK_READ_JOB_CREDITS, BULK_READ_PAGE_ROWS, type OrgReadModule, type OrgReadPlan } from './types.ts';

export interface PlanInput {
  module: string;
  operation: Operation;
  findBy: string | null;
  mapping: Mapping;
  fields: readonly FieldModel[];
  /** Records per module when known (the emulator's admin view, or a previous check), for the page estimate. */
  knownRecords?: Readonly<Record<string, number>>;
}

/** A lookup the check must resolve: field → target module and the target field the cells hold (`id` = ids). */
export interface LookupNeed {
  apiName: string;
  targetModule: string;
  findBy: string;
}

export function lookupNeeds(mapping: Mapping, fields: readonly FieldModel[]): LookupNeed[] {
  const out: LookupNeed[] = [];
  for (const r of resolveMapping(mapping, fields).resolved) {
    if (r.field.dataType !== 'lookup' || r.field.lookupModule === null) continue;
    out.push({ apiName: r.field.apiName, targetModule: r.field.lookupModule, findBy: r.findBy === null || r.findBy === RECORD_ID ? RECORD_ID : r.findBy });
  }
  return out;
}

/** Fields of the imported module the check reads, each with why (request order = this order). */
export function targetFields(input: Omit<PlanInput, 'knownRecords'>): { fields: string[]; reasons: string[] } {
  const fields: string[] = [];
  const reasons: string[] = [];
  const add = (apiName: string, why: string) => {
    if (apiName === RECORD_ID || fields.includes(apiName)) return;
    fields.push(apiName);
    reasons.push(`${apiName} — ${why}`);
  };
  if (input.findBy !== null) add(input.findBy, 'the match field');
  // Only unique fields the file writes can collide with the org; an unmapped unique field is never read.
  const mapped = new Set(resolveMapping(input.mapping, input.fields).resolved.map((r) => r.field.apiName));
  for (const f of input.fields) if (f.unique !== null && mapped.has(f.apiName)) add(f.apiName, 'a unique field (duplicates are skipped)');
  // The diff needs the current values of what an update writes; an insert changes no existing record.
  if (input.operation !== 'insert') {
    for (const r of resolveMapping(input.mapping, input.fields).resolved) add(r.field.apiName, 'mapped (to show what an update changes)');
  }
  return { fields, reasons };
}

export function planOrgRead(input: PlanInput): OrgReadPlan {
  const target = targetFields(input);
  const modules: OrgReadModule[] = [
    {
      module: input.module,
      fields: target.fields,
      reasons: ['id — always read', ...target.reasons],
      role: 'target',
      knownRecords: input.knownRecords?.[input.module] ?? null,
      // An insert matching on nothing and writing no unique field cannot collide with any existing record.
      read: input.operation !== 'insert' || target.fields.length > 0,
    },
  ];
  for (const need of lookupNeeds(input.mapping, input.fields)) {
    const why =
      need.findBy === RECORD_ID
        ? `ids of ${need.targetModule}, to check the ${need.apiName} lookup`
        : `${need.findBy} — ${need.apiName} finds ${need.targetModule} records by it`;
    let m = modules.find((x) => x.module === need.targetModule);
    if (m === undefined) {
      m = {
        module: need.targetModule,
        fields: [],
        reasons: ['id — always read'],
        role: 'lookup',
        knownRecords: input.knownRecords?.[need.targetModule] ?? null,
        read: true,
      };
      modules.push(m);
    }
    m.read = true;
    if (need.findBy !== RECORD_ID && !m.fields.includes(need.findBy)) m.fields.push(need.findBy);
    if (!m.reasons.includes(why)) m.reasons.push(why);
  }
  const readsUsers =
    resolveMapping(input.mapping, input.fields).resolved.some((r) => isUserLookup(r.field)) ||
    input.mapping.defaults.some((d) => input.fields.find((f) => f.apiName === d.apiName && isUserLookup(f)));
  const read = modules.filter((m) => m.read);
  const minJobs = read.reduce((n, m) => n + Math.max(1, Math.ceil((m.knownRecords ?? 0) / BULK_READ_PAGE_ROWS)), 0);
  const minCredits = minJobs * BULK_READ_JOB_CREDITS;
  const names = read.map((m) => m.module).join(' and ');
  const summary =
    read.length === 0
      ? `Nothing in the org can collide with these rows${readsUsers ? '; reads only the users list (1 API credit a page)' : ''}. Nothing is written.`
      : `Reads ${names} with ${minJobs} Bulk Read job${minJobs === 1 ? '' : 's'} (${minCredits} credits` +
        `${read.some((m) => m.knownRecords === null) ? `; ${BULK_READ_JOB_CREDITS} more for every further 200,000 records` : ''})` +
        `${readsUsers ? ' and the users list (1 API credit a page)' : ''}. Nothing is written.`;
  return { modules, readsUsers, minJobs, minCredits, perExtraPage: BULK_READ_JOB_CREDITS, summary };
}
