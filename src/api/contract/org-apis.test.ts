// The Bulk Read and users wire schemas: requests parse both documented forms (v2 and v2.1+) and reject bad types;
// responses accept every variant docs/org-apis.md lists as uncertain (state spelling, numeric ids, numbers as
// strings, relative download URL, missing `result`, 204 for users).
import { describe, expect, it } from 'vitest';
import { bulkReadColumn, bulkReadCreateResponse, bulkReadDetailsResponse, bulkReadRequest, countConditions } from './bulk-read.ts';
import { isActiveUser, usersQuery, usersResponse } from './users.ts';

describe('bulk read request', () => {
  it('flattens v2.1 `field:{api_name}` and v2 `api_name` conditions to the same tree', () => {
    const v8 = bulkReadRequest.parse({
      query: {
        module: { api_name: 'Contacts' },
        fields: ['Email', 'Owner'],
        criteria: {
          group_operator: 'and',
          group: [
            { field: { api_name: 'Email' }, comparator: 'in', value: ['a@x.com', 'b@x.com'] },
            { group_operator: 'or', group: [{ field: { api_name: 'Last_Name' }, comparator: 'equal', value: 'Boyle' }] },
          ],
        },
      },
    });
    const v2 = bulkReadRequest.parse({
      query: {
        module: 'Contacts',
        fields: ['Email', 'Owner'],
        criteria: {
          group_operator: 'and',
          group: [
            { api_name: 'Email', comparator: 'in', value: ['a@x.com', 'b@x.com'] },
            { group_operator: 'or', group: [{ api_name: 'Last_Name', comparator: 'equal', value: 'Boyle' }] },
          ],
        },
      },
    });
    expect(v2).toEqual(v8);
    expect(v8.query.module).toEqual({ api_name: 'Contacts' });
    expect(countConditions(v8.query.criteria!)).toBe(2);
  });

  it('accepts a next-page request that carries only page_token', () => {
    expect(bulkReadRequest.parse({ query: { page_token: 'abc' } }).query.page_token).toBe('abc');
  });

  it.each([
    ['unknown comparator', { query: { module: 'Leads', criteria: { api_name: 'Email', comparator: 'like', value: 'x' } } }],
    ['condition without a field', { query: { module: 'Leads', criteria: { comparator: 'equal', value: 'x' } } }],
    ['bad group operator', { query: { module: 'Leads', criteria: { group_operator: 'xor', group: [{ api_name: 'A', comparator: 'equal', value: 1 }] } } }],
    ['fields not a list', { query: { module: 'Leads', fields: 'Email' } }],
    ['no query', {}],
  ])('rejects %s', (_name, body) => {
    expect(bulkReadRequest.safeParse(body).success).toBe(false);
  });
});

describe('bulk read responses', () => {
  it('reads the create answer with numeric ids (big ones arrive quoted: src/api/json-text.ts)', () => {
    const r = bulkReadCreateResponse.parse({
      data: [
        {
          status: 'success',
          code: 'ADDED_SUCCESSFULLY',
          message: 'Added successfully.',
          details: { id: 5725767, operation: 'read', state: 'ADDED', created_by: { id: 57, name: 'P' } },
        },
      ],
      info: {},
    });
    expect(r.data[0]!.details.id).toBe('5725767');
    expect(r.data[0]!.details.created_by?.id).toBe('57');
  });

  it.each([
    ['IN PROGRESS', 'INPROGRESS'],
    ['In Progress', 'INPROGRESS'],
    ['INPROGRESS', 'INPROGRESS'],
    ['IN_PROGRESS', 'INPROGRESS'],
    ['FAILED', 'FAILURE'],
    ['failure', 'FAILURE'],
    ['queued', 'QUEUED'],
    ['COMPLETED', 'COMPLETED'],
  ])('state %s reads as %s', (wire, state) => {
    expect(bulkReadDetailsResponse.parse({ data: [{ id: '1', state: wire }] }).data[0]!.state).toBe(state);
  });

  it('rejects an unknown state rather than guessing', () => {
    expect(bulkReadDetailsResponse.safeParse({ data: [{ id: '1', state: 'DONE' }] }).success).toBe(false);
  });

  it('reads a completed job with a relative URL, numbers as strings and a next page token; v2 string module', () => {
    const job = bulkReadDetailsResponse.parse({
      data: [
        {
          id: 41508680,
          operation: 'read',
          state: 'COMPLETED',
          query: { module: 'Contacts', page: '1' },
          result: {
            page: '1',
            per_page: '200000',
            count: 200000,
            download_url: '/crm/bulk/v2/read/4150868000004717006/result',
            more_records: 'true',
            next_page_token: 'tok',
          },
        },
      ],
    }).data[0]!;
    expect(job.id).toBe('41508680');
    expect(job.query?.module).toEqual({ api_name: 'Contacts', id: null });
    expect(job.result).toMatchObject({
      page: 1,
      per_page: 200000,
      count: 200000,
      more_records: true,
      next_page_token: 'tok',
      download_url: '/crm/bulk/v2/read/4150868000004717006/result',
    });
  });

  it('reads a failed job with error_message and a job without result', () => {
    const [failed, waiting] = [
      bulkReadDetailsResponse.parse({
        data: [{ id: '2', state: 'FAILURE', result: { error_message: { status: 'error', code: 'INTERNAL_ERROR', message: 'x' } } }],
      }).data[0]!,
      bulkReadDetailsResponse.parse({ data: [{ id: '3', state: 'ADDED' }] }).data[0]!,
    ];
    expect(failed.result?.error_message?.code).toBe('INTERNAL_ERROR');
    expect(failed.result?.more_records).toBe(false);
    expect(waiting.result).toBeUndefined();
  });

  it('finds CSV columns by name whatever their case, order or a BOM', () => {
    const header = ['\uFEFFID', 'owner', 'Email'];
    expect(bulkReadColumn(header, 'id')).toBe(0);
    expect(bulkReadColumn(header, 'Owner')).toBe(1);
    expect(bulkReadColumn(header, 'EMAIL')).toBe(2);
    expect(bulkReadColumn(header, 'Phone')).toBe(-1);
  });
});

describe('users', () => {
  it('validates the query: per_page ≤ 200, ids digits and ≤ 100, known type', () => {
    expect(usersQuery.parse({})).toEqual({ page: 1, per_page: 200 });
    expect(usersQuery.parse({ type: 'ActiveUsers', page: '2', per_page: '5', ids: '1, 2' })).toEqual({
      type: 'ActiveUsers',
      page: 2,
      per_page: 5,
      ids: ['1', '2'],
    });
    expect(usersQuery.safeParse({ per_page: '201' }).success).toBe(false);
    expect(usersQuery.safeParse({ type: 'Everyone' }).success).toBe(false);
    expect(usersQuery.safeParse({ ids: 'a1' }).success).toBe(false);
    expect(usersQuery.safeParse({ ids: Array.from({ length: 101 }, (_, i) => i + 1).join(',') }).success).toBe(false);
  });

  it('reads a 204 as an empty last page', () => {
    for (const empty of [null, undefined, '']) expect(usersResponse.parse(empty)).toEqual({ users: [], info: { more_records: false } });
  });

  it('reads users with numeric ids, status in any case, and info numbers as strings', () => {
    const r = usersResponse.parse({
      users: [{ id: 111, email: 'a@x.com', full_name: 'A B', status: 'Active' }, { id: '112', email: 'c@x.com', status: 'disabled' }, { id: '113' }],
      info: { per_page: '200', count: '3', page: '1', more_records: false },
    });
    expect(r.users.map((u) => [u.id, u.status, isActiveUser(u)])).toEqual([
      ['111', 'active', true],
      ['112', 'disabled', false],
      ['113', '', false],
    ]);
    expect(r.info).toMatchObject({ per_page: 200, count: 3, page: 1, more_records: false });
  });
});
