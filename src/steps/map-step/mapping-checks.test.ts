import { describe, expect, it } from 'vitest';
import { fieldOf } from '../../domain/fields/test-fields.ts';
import { assignColumn, emptyMapping, setDefaultOnly } from '../../domain/mapping/mapping.ts';
import { RECORD_ID_FIELD } from '../../domain/mapping/field-mappings-json.ts';
import { columnSamples, mappingBlocks } from './mapping-checks.ts';

const fields = [
  fieldOf('Last_Name', 'text', { system_mandatory: true }),
  fieldOf('Email', 'email', { unique: { case_sensitive: false } }),
  fieldOf('Score', 'formula'),
];

describe('mappingBlocks', () => {
  it('an unmapped mandatory field blocks insert and upsert, not update; a default lifts it', () => {
    const m = assignColumn(emptyMapping(2), 1, 'Email').mapping;
    expect(mappingBlocks(m, fields, 'insert', null).map((b) => b.apiName)).toEqual(['Last_Name']);
    expect(mappingBlocks(m, fields, 'upsert', 'Email').map((b) => b.apiName)).toEqual(['Last_Name']);
    expect(mappingBlocks(m, fields, 'update', 'Email')).toEqual([]);
    expect(mappingBlocks(setDefaultOnly(m, 'Last_Name', 'Unknown'), fields, 'insert', null)).toEqual([]);
  });

  it('the match field must be mapped, the record id included', () => {
    const m = assignColumn(emptyMapping(2), 0, 'Last_Name').mapping;
    expect(mappingBlocks(m, fields, 'update', 'Email')[0]?.message).toContain('matched by Email');
    expect(mappingBlocks(m, [...fields, RECORD_ID_FIELD], 'update', 'id')[0]?.message).toContain('matched by id');
    const withId = assignColumn(m, 1, 'id').mapping;
    expect(mappingBlocks(withId, [...fields, RECORD_ID_FIELD], 'update', 'id')).toEqual([]);
  });

  it('a column mapped to a field Bulk Write cannot write is named with the reason', () => {
    let m = assignColumn(emptyMapping(3), 0, 'Last_Name').mapping;
    m = assignColumn(m, 2, 'Score').mapping;
    const b = mappingBlocks(m, fields, 'insert', null);
    expect(b).toHaveLength(1);
    expect(b[0]?.message).toMatch(/Column 3/);
  });
});

describe('columnSamples', () => {
  it('takes distinct non-empty values in file order', () => {
    const rows = [{ cells: ['a', ''] }, { cells: ['a', ' '] }, { cells: ['b', 'x'] }, { cells: ['c'] }, { cells: ['d'] }];
    expect(columnSamples(rows, 0)).toEqual(['a', 'b', 'c']);
    expect(columnSamples(rows, 1)).toEqual(['x']);
  });
  it('reads only the first rows of a column that never shows a third value (a yes/no column of a million rows)', () => {
    let reads = 0;
    const row = (v: string) => ({
      get cells() {
        reads++;
        return [v];
      },
    });
    const rows = Array.from({ length: 50_000 }, (_, i) => row(i % 2 === 0 ? 'true' : 'false'));
    expect(columnSamples(rows, 0)).toEqual(['true', 'false']);
    expect(reads).toBe(1_000);
  });
});
