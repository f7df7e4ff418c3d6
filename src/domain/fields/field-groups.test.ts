import { describe, expect, it } from 'vitest';
import { groupFields, isValidFindBy } from './field-groups.ts';
import { leadFields } from './test-fields.ts';

describe('groupFields', () => {
  const g = groupFields(leadFields());
  it('splits writable from not writable with reasons; mandatory first', () => {
    expect(g.writable.slice(0, 2).map((f) => f.apiName)).toEqual(['Company', 'Last_Name']);
    expect(g.notWritable.map((n) => n.field.apiName)).toEqual(['Created_Time', 'Lead_No']);
    expect(g.notWritable[0]?.reason).toMatch(/read-only/);
    expect(g.mandatory.map((f) => f.apiName)).toEqual(['Company', 'Last_Name']);
  });
  it('match candidates are id plus unique fields', () => {
    expect(g.matchCandidates.map((c) => c.apiName)).toEqual(['id', 'Account_Number', 'Email']);
    expect(isValidFindBy(leadFields(), 'Email')).toBe(true);
    expect(isValidFindBy(leadFields(), 'id')).toBe(true);
    expect(isValidFindBy(leadFields(), 'Phone')).toBe(false);
    expect(isValidFindBy(leadFields(), 'Nope')).toBe(false);
  });
});
