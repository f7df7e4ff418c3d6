// A live connection to a Zoho CRM org: the hosts of its data centre (api_domain and location from Zoho's own
// answer preferred over the table, contract §2), a memory-only token that can be replaced by a re-sign-in, the
// transport (direct, falling back to the same-origin proxy), and the org's zgid read from `GET /crm/v8/org`.
import { DATA_CENTRES, type DataCentreId } from '../domain/connection/data-centres.ts';
import { dataCentreFromLocation } from '../domain/connection/oauth.ts';
import type { Connection, TokenHolder } from './connection.ts';
import { fetchOrg } from './get-org.ts';
import type { Transport } from './transport.ts';

export interface ZohoOrgInfo {
  zgid: string;
  id: string;
  companyName: string | null;
}

export interface ZohoConnection {
  connection: Connection;
  org: ZohoOrgInfo;
  dc: DataCentreId;
}

/** Hosts for a data centre, with Zoho's `api_domain` (already checked to be a Zoho API host) taking precedence. */
export function zohoHosts(dc: DataCentreId, apiDomain: string | null): { apiDomain: string; uploadHost: string; extraOrigins: string[] } {
  const d = DATA_CENTRES[dc];
  return { apiDomain: apiDomain ?? d.apiDomain, uploadHost: d.uploadHost, extraOrigins: [d.apiDomain, ...d.otherHosts] };
}

/**
 * Builds the connection and proves it works by reading the org (which also gives the zgid needed on upload).
 * Throws the API error of that first call (a bad token is an AuthError; an unreachable host a network error
 * after the proxy was tried too).
 */
export async function connectZoho(p: {
  /** The data centre the admin chose; Zoho's `location` (when given) wins. */
  dc: DataCentreId;
  location?: string | null;
  apiDomain: string | null;
  token: TokenHolder;
  transport: Transport;
  onAuthError?: (code: string | null) => void;
  signal?: AbortSignal;
}): Promise<ZohoConnection> {
  const dc = dataCentreFromLocation(p.location ?? null) ?? p.dc;
  const hosts = zohoHosts(dc, p.apiDomain);
  const base: Connection = {
    kind: 'zoho',
    ...hosts,
    zgid: '',
    getToken: p.token.get,
    transport: p.transport,
  };
  const org = await fetchOrg(base, p.signal);
  if (!org) throw new Error('Zoho answered the organisation request without an organisation.');
  const info: ZohoOrgInfo = { zgid: org.zgid, id: org.id, companyName: org.company_name ?? null };
  // Auth failures are reported to the app only once connected: a refused first call is this function's error.
  return { connection: { ...base, zgid: info.zgid, ...(p.onAuthError ? { onAuthError: p.onAuthError } : {}) }, org: info, dc };
}
