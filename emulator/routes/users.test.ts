// Users API and Owner / user lookups over real HTTP (docs/org-apis.md A1, §2): seeded users with one inactive,
// paging and types, 204 when empty, v2 paths; Bulk Write resolving Owner by id or e-mail and refusing unknown or
// inactive users with INVALID_DATA on that field; the records API returning owners as {id, name, email}.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { usersResponse, type ZohoUserRecord } from '../../src/api/contract/users.ts';
import { startTestServer, type TestServer } from '../test-helpers.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(async () => {
  await s.stop();
});
beforeEach(async () => {
  await s.api('POST', '/__emulator/admin/reset', {});
});

const users = async (query: string, version = 'v8'): Promise<{ status: number; users: ZohoUserRecord[]; info: Record<string, unknown> }> => {
  const r = await s.api('GET', `/crm/${version}/users${query}`);
  const parsed = usersResponse.parse(r.status === 204 ? null : r.json);
  return { status: r.status, users: parsed.users, info: parsed.info };
};
const byEmail = async (email: string): Promise<ZohoUserRecord> => (await users('?type=AllUsers')).users.find((u) => u.email === email)!;

describe('users API', () => {
  it('AllUsers: the current user first, then the seeded users, one inactive; ActiveUsers leaves the inactive one out', async () => {
    const all = await users('?type=AllUsers');
    expect(all.status).toBe(200);
    expect(all.users[0]).toMatchObject({
      id: s.emulator.user().id,
      email: s.emulator.user().email,
      full_name: s.emulator.user().name,
      status: 'active',
      profile: { name: 'Administrator' },
    });
    expect(all.users.filter((u) => u.status === 'inactive').map((u) => u.email)).toEqual(['tom.baker@zylker.example']);
    expect(all.info).toMatchObject({ per_page: 200, count: all.users.length, page: 1, more_records: false });
    const active = await users('?type=ActiveUsers');
    expect(active.users.map((u) => u.email)).toEqual(all.users.filter((u) => u.status === 'active').map((u) => u.email));
    expect((await users('?type=DeactiveUsers')).users.map((u) => u.email)).toEqual(['tom.baker@zylker.example']);
    expect((await users('?type=CurrentUser')).users.map((u) => u.id)).toEqual([s.emulator.user().id]);
    // Two active users share a full name: resolving by name must be refused as ambiguous by the client.
    expect(active.users.filter((u) => u.full_name === 'Alex Morgan')).toHaveLength(2);
    // No type: every user.
    expect((await users('')).users).toHaveLength(all.users.length);
  });

  it('pages with per_page and more_records; a page past the end and a type with no members are 204', async () => {
    const all = (await users('?type=AllUsers')).users;
    const p1 = await users('?type=AllUsers&per_page=3&page=1');
    const p3 = await users('?type=AllUsers&per_page=3&page=3');
    expect(p1.info).toMatchObject({ per_page: 3, count: 3, page: 1, more_records: true });
    expect(p1.users.map((u) => u.id)).toEqual(all.slice(0, 3).map((u) => u.id));
    expect(p3.users.map((u) => u.id)).toEqual(all.slice(6, 9).map((u) => u.id));
    expect(p3.info.more_records).toBe(false);
    const past = await s.api('GET', '/crm/v8/users?type=AllUsers&per_page=3&page=9');
    expect(past.status).toBe(204);
    expect(past.json).toEqual({});
    expect((await users('?type=DeletedUsers')).status).toBe(204);
  });

  it('ids filter, one user by id, v2 path', async () => {
    const all = (await users('?type=AllUsers', 'v2')).users;
    const pick = [all[1]!.id, all[3]!.id];
    expect((await users(`?ids=${pick.join(',')}`)).users.map((u) => u.id)).toEqual(pick);
    const one = await s.api('GET', `/crm/v2/users/${all[2]!.id}`);
    expect(one.status).toBe(200);
    expect((one.json.users as { email: string }[])[0]!.email).toBe(all[2]!.email);
    expect((await s.api('GET', '/crm/v8/users/5725767999999999999')).status).toBe(204);
  });

  it('bad parameters are Zoho-shaped 400s; no token is 401', async () => {
    for (const q of [
      '?per_page=201',
      '?per_page=0',
      '?page=0',
      '?type=Everyone',
      '?ids=abc',
      `?ids=${Array.from({ length: 101 }, (_, i) => i + 1).join(',')}`,
    ]) {
      const r = await s.api('GET', `/crm/v8/users${q}`);
      expect(r, q).toMatchObject({ status: 400, json: { status: 'error', code: 'INVALID_DATA' } });
      expect(Object.keys(r.json.details as object), q).toEqual(['param_name']);
    }
    expect((await s.api('GET', '/crm/v8/users/abc')).status).toBe(400);
    const noAuth = await fetch(`${s.url}/crm/v8/users`);
    expect(noAuth.status).toBe(401);
  });
});

describe('Owner and user lookups in Bulk Write', () => {
  it('Owner by user id (no find_by) and by e-mail (find_by email); unknown and inactive users skip the row naming Owner', async () => {
    const sam = await byEmail('sam.rivera@zylker.example');
    const tom = await byEmail('tom.baker@zylker.example');
    const byId = await s.runJob(
      ['Last_Name,Email,Owner', `A,a@o.example,${sam.id}`, `B,b@o.example,${tom.id}`, 'C,c@o.example,5725767999999999999', 'D,d@o.example,'].join('\r\n'),
      { operation: 'insert' },
      {
        field_mappings: [
          { api_name: 'Last_Name', index: 0 },
          { api_name: 'Email', index: 1 },
          { api_name: 'Owner', index: 2 },
        ],
      },
    );
    expect(byId.result.rows.map((r) => [r[byId.result.header.indexOf('STATUS')], r[byId.result.header.indexOf('ERRORS')]])).toEqual([
      ['ADDED', ''],
      ['SKIPPED', expect.stringMatching(/INVALID_DATA.*Owner/)],
      ['SKIPPED', expect.stringMatching(/INVALID_DATA.*Owner/)],
      ['ADDED', ''],
    ]);
    const byMail = await s.runJob(
      [
        'Last_Name,Email,Owner',
        'E,e@o.example,SAM.RIVERA@zylker.example',
        'F,f@o.example,tom.baker@zylker.example',
        'G,g@o.example,nobody@zylker.example',
      ].join('\r\n'),
      { operation: 'insert' },
      {
        field_mappings: [
          { api_name: 'Last_Name', index: 0 },
          { api_name: 'Email', index: 1 },
          { api_name: 'Owner', index: 2, find_by: 'email' },
        ],
      },
    );
    expect(byMail.result.rows.map((r) => r[byMail.result.header.indexOf('STATUS')])).toEqual(['ADDED', 'SKIPPED', 'SKIPPED']);
    // The records API shows the owner as {id, name, email}; an empty Owner cell made the importing user the owner.
    const list = await s.api('GET', '/crm/v8/Contacts?fields=Email,Owner');
    const owners = Object.fromEntries(
      (list.json.data as { Email: string; Owner: { id: string; name: string; email: string } }[]).map((r) => [r.Email, r.Owner]),
    );
    expect(owners['a@o.example']).toEqual({ id: sam.id, name: 'Sam Rivera', email: 'sam.rivera@zylker.example' });
    expect(owners['e@o.example']).toEqual({ id: sam.id, name: 'Sam Rivera', email: 'sam.rivera@zylker.example' });
    expect(owners['d@o.example']!.id).toBe(s.emulator.user().id);
    expect(owners['b@o.example']).toBeUndefined();
  });

  it('the SKIPPED row names the field in the job result details, and Bulk Read returns the owner id', async () => {
    const tom = await byEmail('tom.baker@zylker.example');
    const aisha = await byEmail('aisha.khan@zylker.example');
    const job = await s.runJob(
      ['Last_Name,Email,RM', `H,h@o.example,${tom.email}`, `I,i@o.example,${aisha.email}`].join('\r\n'),
      { operation: 'insert' },
      {
        field_mappings: [
          { api_name: 'Last_Name', index: 0 },
          { api_name: 'Email', index: 1 },
          { api_name: 'Relationship_Manager', index: 2, find_by: 'email' },
        ],
      },
    );
    const errors = job.result.rows.map((r) => r[job.result.header.indexOf('ERRORS')]);
    expect(errors[0]).toMatch(/INVALID_DATA/);
    expect(errors[0]).toMatch(/Relationship_Manager/);
    expect(errors[1]).toBe('');
    const created = await s.api('POST', '/crm/bulk/v8/read', {
      query: {
        module: { api_name: 'Contacts' },
        fields: ['Email', 'Relationship_Manager', 'Owner'],
        criteria: { field: { api_name: 'Email' }, comparator: 'equal', value: 'i@o.example' },
      },
    });
    const id = (created.json.data as { details: { id: string } }[])[0]!.details.id;
    await s.emulator.bulkReadRunner.settled(id);
    const res = await fetch(`${s.url}/crm/bulk/v8/read/${id}/result`, { headers: { Authorization: `Zoho-oauthtoken ${s.token}` } });
    const { unzipSync, strFromU8 } = await import('fflate');
    const csv = strFromU8(Object.values(unzipSync(new Uint8Array(await res.arrayBuffer())))[0]!);
    expect(csv.split('\r\n')[1]!.split(',').slice(1)).toEqual(['i@o.example', aisha.id, s.emulator.user().id]);
  });

  it('update: an Owner by e-mail changes the owner; an empty Owner cell never clears it', async () => {
    const luis = await byEmail('luis.ortega@zylker.example');
    const up = await s.runJob(
      ['Email,Owner', `seed.one@seed.example,${luis.email}`, 'seed.two@seed.example,'].join('\r\n'),
      { operation: 'update' },
      {
        find_by: 'Email',
        field_mappings: [
          { api_name: 'Email', index: 0 },
          { api_name: 'Owner', index: 1, find_by: 'email' },
        ],
      },
    );
    expect(up.result.rows.map((r) => r[up.result.header.indexOf('STATUS')])).toEqual(['UPDATED', 'UPDATED']);
    const list = await s.api('GET', '/crm/v8/Contacts?fields=Email,Owner');
    const owners = Object.fromEntries((list.json.data as { Email: string; Owner: { id: string } }[]).map((r) => [r.Email, r.Owner.id]));
    expect(owners).toEqual({ 'seed.one@seed.example': luis.id, 'seed.two@seed.example': s.emulator.user().id });
  });

  it('find_by other than id / email on a user field refuses the job; the records API resolves Owner {id} too', async () => {
    const fileId = await s.uploadCsv('Last_Name,Owner\r\nJ,Sam Rivera');
    const r = await s.createJob({
      operation: 'insert',
      resource: [
        {
          type: 'data',
          module: 'Contacts',
          file_id: fileId,
          field_mappings: [
            { api_name: 'Last_Name', index: 0 },
            { api_name: 'Owner', index: 1, find_by: 'full_name' },
          ],
        },
      ],
    });
    expect(r).toMatchObject({ status: 400, json: { code: 'INVALID_DATA', details: { api_name: 'find_by' } } });
    const tom = await byEmail('tom.baker@zylker.example');
    const sam = await byEmail('sam.rivera@zylker.example');
    const w = await s.api('POST', '/crm/v8/Contacts', {
      data: [
        { Last_Name: 'K', Owner: { id: sam.id } },
        { Last_Name: 'L', Owner: { id: tom.id } },
      ],
    });
    expect(
      (w.json.data as { status: string; code: string; details: { api_name?: string } }[]).map((x) => [x.status, x.code, x.details.api_name ?? null]),
    ).toEqual([
      ['success', 'SUCCESS', null],
      ['error', 'INVALID_DATA', 'Owner'],
    ]);
  });
});
