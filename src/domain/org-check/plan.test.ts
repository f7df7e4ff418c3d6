// The read plan: only the fields the check needs, one job per module page, 50 credits a job, said in one sentence.
import { describe, expect, it } from 'vitest';
import { fieldOf, leadFields } from '../fields/test-fields.ts';
import { assignColumn, emptyMapping, updateColumn, type Mapping } from '../mapping/mapping.ts';
import { planOrgRead } from './plan.ts';

const fields = [...leadFields(), fieldOf('Owner', 'ownerlookup')];
function map(cols: string[], patch: (m: Mapping) => Mapping = (m) => m): Mapping {
  let m = emptyMapping(cols.length);
  cols.forEach((c, i) => {
    m = assignColumn(m, i, c).mapping;
  });
  return patch(m);
}

describe('planOrgRead', () => {
  it('insert reads only the match field and the unique fields; no users when no user field is mapped', () => {
    const p = planOrgRead({ module: 'Leads', operation: 'insert', findBy: null, mapping: map(['Last_Name', 'Email', 'Phone']), fields });
    expect(p.modules).toEqual([expect.objectContaining({ module: 'Leads', fields: ['Email'], role: 'target' })]);
    expect(p).toMatchObject({ readsUsers: false, minJobs: 1, minCredits: 50, perExtraPage: 50 });
    expect(p.summary).toBe('Reads Leads with 1 Bulk Read job (50 credits; 50 more for every further 200,000 records). Nothing is written.');
  });

  it('update also reads the mapped fields (for what will change), lookups read their target module, owners the users', () => {
    const mapping = map(['Email', 'Phone', 'Account_Name', 'Owner'], (m) => updateColumn(m, 2, { findBy: 'Account_Name' }));
    const p = planOrgRead({ module: 'Leads', operation: 'update', findBy: 'Email', mapping, fields, knownRecords: { Leads: 450_000, Accounts: 10 } });
    expect(p.modules.map((m) => [m.module, m.fields, m.role])).toEqual([
      ['Leads', ['Email', 'Phone', 'Account_Name', 'Owner'], 'target'],
      ['Accounts', ['Account_Name'], 'lookup'],
    ]);
    // 450,000 records = 3 pages of 200,000, plus one job for Accounts.
    expect(p).toMatchObject({ readsUsers: true, minJobs: 4, minCredits: 200 });
    expect(p.summary).toBe('Reads Leads and Accounts with 4 Bulk Read jobs (200 credits) and the users list (1 API credit a page). Nothing is written.');
  });

  it('a lookup by id reads only the ids of its target', () => {
    const p = planOrgRead({ module: 'Leads', operation: 'insert', findBy: null, mapping: map(['Last_Name', 'Account_Name']), fields });
    expect(p.modules[1]).toMatchObject({ module: 'Accounts', fields: [] });
  });
});
