// Zoho data centres and the hosts each one uses (contract §2). Pure data shared by the connection step (which
// host to call) and the server's same-origin proxy (which hosts it may forward to — an exact allowlist).

export const DATA_CENTRE_IDS = ['US', 'EU', 'IN', 'AU', 'JP', 'CN', 'CA', 'SA'] as const;
export type DataCentreId = (typeof DATA_CENTRE_IDS)[number];

export interface DataCentre {
  id: DataCentreId;
  label: string;
  /** `https://www.zohoapis.{tld}`: metadata, create job, job details. Prefer `api_domain` from OAuth when given. */
  apiDomain: string;
  /** OAuth server for the client-based (implicit) flow. */
  accounts: string;
  /** Where `POST /crm/v8/upload` goes. */
  uploadHost: string;
  /** Other hosts Zoho is known to use for uploads/downloads in this DC (result `download_url`s). */
  otherHosts: readonly string[];
}

export const DATA_CENTRES: Readonly<Record<DataCentreId, DataCentre>> = {
  US: dc('US', 'United States (zoho.com)', 'com', { extra: ['https://upload.zoho.com'] }),
  EU: dc('EU', 'Europe (zoho.eu)', 'eu'),
  IN: dc('IN', 'India (zoho.in)', 'in'),
  AU: dc('AU', 'Australia (zoho.com.au)', 'com.au'),
  JP: dc('JP', 'Japan (zoho.jp)', 'jp'),
  CN: dc('CN', 'China (zoho.com.cn)', 'com.cn'),
  CA: dc('CA', 'Canada (zohocloud.ca)', 'ca', {
    accounts: 'https://accounts.zohocloud.ca',
    upload: 'https://upload.zohocloud.ca',
    download: 'https://download-accl.zohocloud.ca',
  }),
  SA: dc('SA', 'Saudi Arabia (zoho.sa)', 'sa', { upload: 'https://files.zoho.sa' }),
};

function dc(id: DataCentreId, label: string, tld: string, o: { accounts?: string; upload?: string; download?: string; extra?: string[] } = {}): DataCentre {
  return {
    id,
    label,
    apiDomain: `https://www.zohoapis.${tld}`,
    accounts: o.accounts ?? `https://accounts.zoho.${tld}`,
    uploadHost: o.upload ?? `https://content.zohoapis.${tld}`,
    otherHosts: [o.download ?? `https://download-accl.zoho.${tld}`, ...(o.extra ?? [])],
  };
}

/** Every host name (no scheme) the proxy may forward to: API, upload and download hosts of every DC. */
export function zohoProxyHosts(): ReadonlySet<string> {
  const hosts = new Set<string>();
  for (const id of DATA_CENTRE_IDS) {
    const d = DATA_CENTRES[id];
    for (const origin of [d.apiDomain, d.uploadHost, ...d.otherHosts]) hosts.add(new URL(origin).host);
  }
  return hosts;
}
