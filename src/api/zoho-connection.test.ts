// connectZoho against the real emulator standing in for Zoho behind the server's /zoho-proxy (which forwards the
// contract's Zoho hosts back to the emulator): hosts from Zoho's own answer win over the table, the zgid comes
// from GET /crm/v8/org, and a refused token is the error of that first call.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../emulator/test-helpers.ts';
import { createTokenHolder } from './connection.ts';
import { AuthError } from './errors.ts';
import { fetchModules } from './get-modules.ts';
import { createTransport } from './transport.ts';
import { connectZoho, zohoHosts } from './zoho-connection.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ zohoProxyUpstream: 'self' });
});
afterAll(async () => {
  await server.stop();
});

const viaProxy = () => createTransport({ proxyOrigin: server.url, mode: 'proxy' });

describe('zohoHosts', () => {
  it('uses the table for the data centre, with Zoho’s api_domain first when given', () => {
    expect(zohoHosts('CA', null)).toEqual({
      apiDomain: 'https://www.zohoapis.ca',
      uploadHost: 'https://upload.zohocloud.ca',
      extraOrigins: ['https://www.zohoapis.ca', 'https://download-accl.zohocloud.ca'],
    });
    expect(zohoHosts('US', 'https://www.zohoapis.com').extraOrigins).toContain('https://upload.zoho.com');
  });
});

describe('connectZoho (emulator as Zoho, through /zoho-proxy)', () => {
  it('reads the org and its zgid; Zoho’s location and api_domain override the data centre picked', async () => {
    const zc = await connectZoho({
      dc: 'US',
      location: 'eu',
      apiDomain: 'https://www.zohoapis.eu',
      token: createTokenHolder(server.token, null),
      transport: viaProxy(),
    });
    expect(zc.dc).toBe('EU');
    expect(zc.org).toEqual({ zgid: server.emulator.org().zgid, id: server.emulator.org().id, companyName: 'Zylker Emulated' });
    expect(zc.connection).toMatchObject({
      kind: 'zoho',
      apiDomain: 'https://www.zohoapis.eu',
      uploadHost: 'https://content.zohoapis.eu',
      zgid: server.emulator.org().zgid,
    });
    expect(zc.connection.getToken()).toBe(server.token);
  });

  it('a token the org refuses is an AuthError, reported as the connect error and not to onAuthError', async () => {
    const reported: (string | null)[] = [];
    const err = await connectZoho({
      dc: 'EU',
      apiDomain: null,
      token: createTokenHolder('1000.refused', null),
      transport: viaProxy(),
      onAuthError: (c) => reported.push(c),
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthError);
    expect(err instanceof AuthError && err.code).toBe('INVALID_TOKEN');
    expect(reported).toEqual([]);
  });

  it('once connected, later auth failures reach onAuthError (which drives the re-sign-in prompt)', async () => {
    const reported: (string | null)[] = [];
    const token = createTokenHolder(server.token, null);
    const zc = await connectZoho({ dc: 'EU', apiDomain: null, token, transport: viaProxy(), onAuthError: (c) => reported.push(c) });
    token.replace('1000.revoked', null);
    await expect(fetchModules(zc.connection)).rejects.toBeInstanceOf(AuthError);
    token.clear();
    await expect(fetchModules(zc.connection)).rejects.toBeInstanceOf(AuthError);
    expect(reported).toEqual(['INVALID_TOKEN', 'NO_TOKEN']);
  });
});
