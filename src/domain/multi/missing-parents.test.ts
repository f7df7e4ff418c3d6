import { describe, expect, it } from 'vitest';
import { fieldOf } from '../fields/test-fields.ts';
import { findMissingParents, missingParentsSource } from './missing-parents.ts';
import { MODULE_FIELDS, rowsOf, sourceOf } from './multi-test-support.ts';

const contacts = sourceOf('con', 'Contacts', ['Last_Name', 'Email', 'Account_Name'], { Account_Name: 'Account_Name' });
const rows = rowsOf([
  ['A', 'a@x.test', 'Known'],
  ['B', 'b@x.test', ' Zeta '],
  ['C', 'c@x.test', 'Zeta'],
  ['D', 'd@x.test', 'zeta'],
  ['E', 'e@x.test', 'Omega'],
]);
const invalidAccount = { errors: [{ code: 'INVALID_DATA', apiName: 'Account_Name' }] };
const predicted = (i: number) => (i === 0 ? { errors: [] } : i === 4 ? { errors: [{ code: 'INVALID_DATA', apiName: 'Email' }] } : invalidAccount);

describe('findMissingParents / missingParentsSource', () => {
  it('collects the distinct names the org check cannot find, as find_by compares them (exactly, after trimming)', () => {
    const missing = findMissingParents(contacts, rows, predicted);
    expect(missing.map((m) => [m.parentModule, m.findBy, m.names, m.rowIndexes])).toEqual([['Accounts', 'Account_Name', ['Zeta', 'zeta'], [1, 2, 3]]]);
    const made = missingParentsSource(missing[0]!, MODULE_FIELDS.Accounts ?? [], 'new-acc', 'contacts.csv');
    expect(made.ok && [made.source.module, made.source.mapping.columns.map((c) => c.apiName), made.rows]).toEqual([
      'Accounts',
      ['Account_Name'],
      rowsOf([['Zeta'], ['zeta']]),
    ]);
  });

  it('offers no record for a name the org has under another spelling or more than once, nor for a row skipped for another reason too', () => {
    const more = rowsOf([
      ['F', 'f@x.test', 'Nope Corp'],
      ['G', 'g@x.test', 'acme ltd'],
      ['H', 'h@x.test', 'Shared Ltd'],
      ['I', 'i@x.test', 'Also Missing'],
    ]);
    const column = 2;
    const p = (i: number) =>
      i === 0
        ? invalidAccount
        : i === 1
          ? { ...invalidAccount, issues: [{ column, code: 'NEAR_MATCH' }] }
          : i === 2
            ? { ...invalidAccount, issues: [{ column, code: 'SHARED_LOOKUP' }] }
            : { errors: [...invalidAccount.errors, { code: 'DUPLICATE_DATA', apiName: 'Email' }] };
    const missing = findMissingParents(contacts, more, p);
    expect(missing.map((m) => [m.names, m.rowIndexes])).toEqual([[['Nope Corp'], [0]]]);
  });

  it('finds nothing for a lookup matched by record id, or without a prediction', () => {
    const byId = sourceOf('con', 'Contacts', ['Last_Name', 'Email', 'Account_Name'], { Account_Name: 'id' });
    expect(findMissingParents(byId, rows, predicted)).toEqual([]);
    expect(findMissingParents(contacts, rows, () => null)).toEqual([]);
  });

  it('refuses to create parents whose module requires another field the child file does not give', () => {
    const missing = findMissingParents(contacts, rows, predicted)[0]!;
    const made = missingParentsSource(missing, [fieldOf('Account_Name', 'text'), fieldOf('Region', 'text', { system_mandatory: true })], 'x', 'contacts.csv');
    expect(made).toEqual({
      ok: false,
      message:
        'Accounts also requires Region, which contacts.csv does not give, so the missing Accounts cannot be created from their names alone. Import them from a file of their own first.',
    });
  });
});
