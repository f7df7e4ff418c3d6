import { describe, expect, it } from 'vitest';
import { fieldModelFromMeta } from '../../domain/fields/field-model.ts';
import { emptyMapping, assignColumn } from '../../domain/mapping/mapping.ts';
import type { OrgUser } from '../../domain/org-check/types.ts';
import { activeUsers, defaultOwnerId, guessUserFindBy, namesToEmailsFix, userColumnView, withDefaultOwner, withUserFindBy } from './user-columns.ts';

const owner = fieldModelFromMeta({ api_name: 'Owner', field_label: 'Contact Owner', data_type: 'ownerlookup', json_type: 'jsonobject' });
const users: OrgUser[] = [
  { id: '101', email: 'ann@zylker.example', fullName: 'Ann Lee', status: 'active' },
  { id: '102', email: 'bo@zylker.example', fullName: 'Bo Chen', status: 'active' },
  { id: '103', email: 'cy@zylker.example', fullName: 'Cy Park', status: 'inactive' },
  { id: '104', email: 'dee@zylker.example', fullName: 'Bo Chen', status: 'active' },
];

describe('user columns on the Map step', () => {
  it('reads a column of digits as ids and anything else as e-mails', () => {
    expect(guessUserFindBy(['101', ' 102 ', ''])).toBeNull();
    expect(guessUserFindBy(['101', 'ann@zylker.example'])).toBe('email');
    expect(guessUserFindBy(['Ann Lee'])).toBe('email');
  });
  it('sets the find_by of a column assigned to the owner field, and leaves other fields alone', () => {
    const m = assignColumn(emptyMapping(2), 1, 'Owner').mapping;
    expect(withUserFindBy(m, 1, owner, ['ann@zylker.example']).columns[1]?.findBy).toBe('email');
    expect(withUserFindBy(m, 1, owner, ['101']).columns[1]?.findBy).toBeNull();
    const text = fieldModelFromMeta({ api_name: 'Title', field_label: 'Title', data_type: 'text', json_type: 'string' });
    expect(withUserFindBy(m, 1, text, ['x'])).toBe(m);
  });
  it('reads a column lazily, and only for a user field (the Map step must not read every column of a large file)', () => {
    const m = assignColumn(emptyMapping(2), 1, 'Owner').mapping;
    const text = fieldModelFromMeta({ api_name: 'Title', field_label: 'Title', data_type: 'text', json_type: 'string' });
    let reads = 0;
    const values = () => {
      reads++;
      return ['101'];
    };
    expect(withUserFindBy(m, 1, text, values)).toBe(m);
    expect(reads).toBe(0);
    expect(withUserFindBy(m, 1, owner, values).columns[1]?.findBy).toBeNull();
    expect(reads).toBe(1);
  });
  it('keeps the default owner as a default-only id, or in the owner column’s own terms', () => {
    const none = emptyMapping(1);
    const byDefault = withDefaultOwner(none, owner, users[1]!);
    expect(byDefault.defaults).toEqual([{ apiName: 'Owner', defaultValue: '102' }]);
    expect(defaultOwnerId(byDefault, owner, users)).toBe('102');
    const withColumn = withUserFindBy(assignColumn(emptyMapping(1), 0, 'Owner').mapping, 0, owner, ['ann@zylker.example']);
    const filled = withDefaultOwner(withColumn, owner, users[0]!);
    expect(filled.columns[0]?.defaultValue).toBe('ann@zylker.example');
    expect(defaultOwnerId(filled, owner, users)).toBe('101');
    expect(withDefaultOwner(filled, owner, null).columns[0]?.defaultValue).toBeNull();
  });
  it('counts distinct values that resolve and names those that do not', () => {
    const v = userColumnView(['ann@zylker.example', 'ANN@zylker.example', 'nobody@x.example', 'cy@zylker.example', 'Bo Chen', ''], users);
    expect(v.distinct).toBe(5);
    expect(v.resolved).toBe(2);
    expect(v.unresolved.map((u) => [u.value, u.kind])).toEqual([
      ['nobody@x.example', 'unknown'],
      ['cy@zylker.example', 'inactive'],
      ['Bo Chen', 'ambiguous'],
    ]);
  });
  it('offers only active users as default owner, by name', () => {
    expect(activeUsers(users).map((u) => u.id)).toEqual(['101', '102', '104']);
  });
});

describe('names → e-mails clean-up', () => {
  it('offers the e-mail for a name one active user has, and leaves shared, inactive and unknown names alone', () => {
    const fix = namesToEmailsFix(2, 'Owner', ['Ann Lee', 'Bo Chen', 'Cy Park', 'Nobody', 'ann@zylker.example', 'Ann Lee'], users);
    expect(fix?.column).toBe(2);
    expect(fix?.changeCount).toBe(2);
    expect(fix?.preview).toEqual([
      { row: 0, before: 'Ann Lee', after: 'ann@zylker.example' },
      { row: 5, before: 'Ann Lee', after: 'ann@zylker.example' },
    ]);
    expect(namesToEmailsFix(2, 'Owner', ['ann@zylker.example'], users)).toBeNull();
  });
});
