import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fieldModelFromMeta } from '../fields/field-model.ts';
import { leadFields } from '../fields/test-fields.ts';
import { autoMatch, normaliseHeader, similarity } from './auto-match.ts';
import { fromZohoFieldMappings, toZohoFieldMappings } from './field-mappings-json.ts';
import { headerFingerprint } from './fingerprint.ts';
import { assignColumn, emptyMapping, mappingSchema, resolveMapping, setDefaultOnly, updateColumn, type Mapping } from './mapping.ts';
import { buildCreateJobRequest, projectForUpload } from './project-for-upload.ts';

const fields = leadFields();
const SEED = 1337;

describe('normaliseHeader', () => {
  it('folds BOM, NBSP, case, underscores, punctuation and camelCase', () => {
    expect(normaliseHeader('\ufeffLast_Name')).toBe('last name');
    expect(normaliseHeader('  E-mail\u00a0Address ')).toBe('e mail address');
    expect(normaliseHeader('firstName')).toBe('first name');
    expect(normaliseHeader('No. of Employees')).toBe('no of employees');
    expect(normaliseHeader('ＦＵＬＬ')).toBe('full');
  });
  it('similarity is 1 for equal text and symmetric', () => {
    expect(similarity('mobile', 'mobile')).toBe(1);
    expect(similarity('mobile phone', 'phone mobile')).toBe(1);
    expect(similarity('mobil', 'mobile')).toBeCloseTo(similarity('mobile', 'mobil'));
  });
});

describe('autoMatch', () => {
  it('matches by API name, label, folded words and fuzzily, with reasons', () => {
    const m = autoMatch(['Last_Name', 'company', '\ufeffE-Mail', 'first name', 'Mobil', 'Account_Name.id', 'Favourite colour', 'Created_Time', ''], fields);
    const by = (i: number) => m[i];
    expect(by(0)).toMatchObject({ apiName: 'Last_Name', kind: 'api_name', reason: 'matched by API name' });
    expect(by(1)).toMatchObject({ apiName: 'Company', kind: 'label', reason: 'matched by label' });
    expect(by(2)).toMatchObject({ apiName: 'Email', kind: 'fuzzy' });
    expect(by(3)).toMatchObject({ apiName: 'First_Name', kind: 'label' });
    expect(by(4)).toMatchObject({ apiName: 'Mobile', kind: 'fuzzy' });
    expect(by(4)?.reason).toMatch(/^similar to label 'Mobile' \(\d+%\)$/);
    expect(by(5)).toMatchObject({ apiName: 'Account_Name', findBy: 'id', kind: 'lookup_api_name' });
    expect(by(6)).toMatchObject({ apiName: null, reason: 'no similar field found' });
    expect(by(7)?.apiName).toBeNull();
    expect(by(7)?.reason).toMatch(/cannot be imported/);
    expect(by(8)).toMatchObject({ apiName: null, reason: 'no header text to match' });
  });

  it('the record id column is matched for update/upsert by id', () => {
    expect(autoMatch(['id', 'Email'], fields)[0]).toMatchObject({ apiName: 'id', kind: 'api_name' });
    expect(autoMatch(['Record Id'], fields)[0]).toMatchObject({ apiName: 'id', reason: 'matched the record id' });
  });

  it('two columns never take one field; the loser says why', () => {
    const m = autoMatch(['Email', 'email'], fields);
    expect(m.map((x) => x.apiName)).toEqual(['Email', null]);
    expect(m[1]?.reason).toMatch(/already matched/);
  });

  it(`properties (fast-check seed ${SEED}): one column per field; an exact API name always wins its field`, () => {
    console.log(`fast-check seed ${SEED}`);
    const names = fields.map((f) => f.apiName);
    const header = fc.oneof(
      fc.constantFrom(...names),
      fc.constantFrom(...fields.map((f) => f.label)),
      fc.constantFrom(...names).map((n) => n.toLowerCase().replace(/_/g, ' ')),
      fc.constantFrom(...names).map((n) => `${n.slice(0, -1)}`),
      fc.string({ maxLength: 12 }),
    );
    fc.assert(
      fc.property(fc.array(header, { maxLength: 30 }), (headers) => {
        const m = autoMatch(headers, fields);
        const mapped = m.filter((x) => x.apiName !== null).map((x) => x.apiName);
        expect(new Set(mapped).size).toBe(mapped.length);
        for (const f of fields.filter((x) => x.writable.ok)) {
          const exact = headers.findIndex((h) => h.trim() === f.apiName);
          if (exact >= 0) expect(m[exact]?.apiName).toBe(f.apiName);
        }
        for (const x of m) if (x.apiName !== null && x.apiName !== 'id') expect(fields.find((f) => f.apiName === x.apiName)?.writable.ok).toBe(true);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });
});

describe('mapping model', () => {
  it('assigning a field already used moves it and reports the displaced column', () => {
    let m = emptyMapping(3);
    m = assignColumn(m, 0, 'Email').mapping;
    const r = assignColumn(m, 2, 'Email');
    expect(r.displaced).toBe(0);
    expect(r.mapping.columns.map((c) => c.apiName)).toEqual([null, null, 'Email']);
    const d = setDefaultOnly(emptyMapping(1), 'Lead_Source', 'Partner');
    const r2 = assignColumn(d, 0, 'Lead_Source');
    expect(r2.displaced).toBe('default');
    expect(r2.mapping.defaults).toEqual([]);
    expect(setDefaultOnly(r2.mapping, 'Lead_Source', 'x')).toBe(r2.mapping);
  });
  it('zod schema validates stored profiles (order, duplicates)', () => {
    const good = updateColumn(assignColumn(emptyMapping(2), 1, 'Follow_Up_Date').mapping, 1, { format: 'dd/MM/yyyy' });
    expect(mappingSchema.parse(good)).toEqual(good);
    expect(mappingSchema.safeParse({ columns: [{ column: 1, apiName: null }] }).success).toBe(false);
    const dup = {
      columns: [
        { column: 0, apiName: 'Email' },
        { column: 1, apiName: 'Email' },
      ],
    };
    const r = mappingSchema.safeParse(dup);
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toMatch(/mapped twice/);
    expect(mappingSchema.parse({ columns: [{ column: 0, apiName: 'Email' }] }).defaults).toEqual([]);
  });
  it('resolveMapping reports unknown and non-writable fields', () => {
    const m: Mapping = {
      columns: [
        { column: 0, apiName: 'Nope', defaultValue: null, ignoreEmpty: null, format: null, findBy: null },
        { column: 1, apiName: 'Lead_No', defaultValue: null, ignoreEmpty: null, format: null, findBy: null },
        { column: 2, apiName: 'Email', defaultValue: null, ignoreEmpty: null, format: null, findBy: null },
      ],
      defaults: [{ apiName: 'Company', defaultValue: 'X' }],
    };
    const r = resolveMapping(m, fields);
    expect(r.resolved.map((x) => [x.field.apiName, x.index])).toEqual([
      ['Email', 2],
      ['Company', null],
    ]);
    expect(r.problems.map((p) => p.kind)).toEqual(['unknown_field', 'not_writable']);
  });
});

describe('Zoho field_mappings JSON', () => {
  it('round-trips a mapping', () => {
    let m = emptyMapping(4);
    m = assignColumn(m, 0, 'Last_Name').mapping;
    m = assignColumn(m, 2, 'Follow_Up_Date').mapping;
    m = updateColumn(m, 2, { format: 'dd/MM/yyyy', ignoreEmpty: true });
    m = assignColumn(m, 3, 'Account_Name').mapping;
    m = updateColumn(m, 3, { findBy: 'Account_Name', defaultValue: 'Zylker Inc' });
    m = setDefaultOnly(m, 'Company', 'Unknown');
    const json = toZohoFieldMappings(m);
    expect(json).toEqual([
      { api_name: 'Last_Name', index: 0 },
      { api_name: 'Follow_Up_Date', index: 2, format: 'dd/MM/yyyy', ignore_empty: true },
      { api_name: 'Account_Name', index: 3, find_by: 'Account_Name', default_value: { value: 'Zylker Inc' } },
      { api_name: 'Company', default_value: { value: 'Unknown' } },
    ]);
    expect(fromZohoFieldMappings(JSON.parse(JSON.stringify(json)), 4, fields)).toEqual({ mapping: m, problems: [] });
  });
  it('keeps the record-id column', () => {
    const r = fromZohoFieldMappings(
      [
        { api_name: 'id', index: 1 },
        { api_name: 'Phone', index: 0 },
      ],
      2,
      fields,
    );
    expect(r.problems).toEqual([]);
    expect(r.mapping.columns.map((c) => c.apiName)).toEqual(['Phone', 'id']);
    expect(toZohoFieldMappings(r.mapping)).toEqual([
      { api_name: 'Phone', index: 0 },
      { api_name: 'id', index: 1 },
    ]);
  });
  it('reports unknown fields, bad indexes and other problems, loading the rest', () => {
    const r = fromZohoFieldMappings(
      [
        { api_name: 'Last_Name', index: 0 },
        { api_name: 'Ghost', index: 1 },
        { api_name: 'Email', index: 9 },
        { api_name: 'Phone', index: 0 },
        { api_name: 'Last_Name', index: 2 },
        { api_name: 'Mobile' },
        { api_name: 'Lead_No', index: 1 },
        { index: 1 },
        { api_name: 'Follow_Up_Date', index: 1, format: 'bogus' },
        { api_name: 'Website', default_value: { value: 5 } },
      ],
      3,
      fields,
    );
    expect(r.problems.map((p) => [p.kind, p.position])).toEqual([
      ['unknown_field', 1],
      ['bad_index', 2],
      ['duplicate_index', 3],
      ['duplicate_field', 4],
      ['no_index_no_default', 5],
      ['not_writable', 6],
      ['bad_shape', 7],
      ['invalid_format', 8],
    ]);
    expect(r.mapping.columns.map((c) => c.apiName)).toEqual(['Last_Name', 'Follow_Up_Date', null]);
    expect(r.mapping.columns[1]?.format).toBeNull();
    expect(r.mapping.defaults).toEqual([{ apiName: 'Website', defaultValue: '5' }]);
    expect(fromZohoFieldMappings({ not: 'a list' }, 3, fields).problems[0]?.kind).toBe('bad_shape');
  });
});

describe('headerFingerprint', () => {
  it('is stable under BOM/NBSP/case, sensitive to order and names', () => {
    const a = headerFingerprint(['Last Name', 'Email']);
    expect(headerFingerprint(['\ufeffLAST_NAME', 'e-mail'])).not.toBe(a); // e-mail ≠ email after folding
    expect(headerFingerprint(['\ufefflast\u00a0name ', 'EMAIL'])).toBe(a);
    expect(headerFingerprint(['Email', 'Last Name'])).not.toBe(a);
    expect(a).toMatch(/^h2-[0-9a-z]+$/);
  });
});

describe('projectForUpload and buildCreateJobRequest', () => {
  it('sends only mapped columns, renumbering indexes to the sent file', () => {
    let m = emptyMapping(5);
    m = assignColumn(m, 4, 'Email').mapping;
    m = assignColumn(m, 1, 'Last_Name').mapping;
    m = assignColumn(m, 3, 'Follow_Up_Date').mapping;
    m = updateColumn(m, 3, { format: 'dd/MM/yyyy' });
    m = setDefaultOnly(m, 'Company', 'Acme');
    const plan = projectForUpload(['a', 'b', 'c', 'd', 'e'], [], m, fields);
    expect(plan.header).toEqual(['Last_Name', 'Follow_Up_Date', 'Email']);
    expect(plan.columnSource).toEqual([1, 3, 4]);
    expect(plan.fieldMappings).toEqual([
      { api_name: 'Last_Name', index: 0 },
      { api_name: 'Follow_Up_Date', index: 1, format: 'dd/MM/yyyy' },
      { api_name: 'Email', index: 2 },
      { api_name: 'Company', default_value: { value: 'Acme' } },
    ]);
    const withBad = assignColumn(m, 0, 'Lead_No').mapping;
    expect(projectForUpload(['a', 'b', 'c', 'd', 'e'], [], withBad, fields).columnSource).toEqual([1, 3, 4]);
    expect(projectForUpload(['a'], [], m, [fieldModelFromMeta({ api_name: 'Email', data_type: 'email' })]).header).toEqual([]);
  });
  it('builds the v8 create-job body', () => {
    const body = buildCreateJobRequest({
      operation: 'upsert',
      module: 'Leads',
      fileId: '111',
      fieldMappings: [{ api_name: 'Email', index: 0 }],
      findBy: 'Email',
      ignoreEmpty: true,
      callbackUrl: 'https://x.test/cb',
    });
    expect(body).toEqual({
      operation: 'upsert',
      ignore_empty: true,
      character_encoding: 'UTF-8',
      callback: { url: 'https://x.test/cb', method: 'post' },
      resource: [{ type: 'data', module: { api_name: 'Leads' }, file_id: '111', find_by: 'Email', field_mappings: [{ api_name: 'Email', index: 0 }] }],
    });
    const insert = buildCreateJobRequest({ operation: 'insert', module: 'Leads', fileId: '1', fieldMappings: [], findBy: null, ignoreEmpty: false });
    expect('callback' in insert).toBe(false);
    expect('find_by' in insert.resource[0]).toBe(false);
  });
});
