// Makes the e2e server stand in for Zoho CRM's EU data centre, without any network:
// - accounts.zoho.eu's authorize page answers like Zoho's implicit flow (302 to the redirect URI with
//   `#access_token=…&state=…`), handing out the canary token the emulator accepts (EMULATOR_EXTRA_TOKENS);
// - optionally, direct calls to www.zohoapis.eu / content.zohoapis.eu / download-accl.zoho.eu are answered by
//   the emulator (as Zoho would, with CORS headers); without that they fail like a CORS refusal and the app must
//   fall back to its /zoho-proxy, which the server points back at itself (ZOHO_PROXY_UPSTREAM).
// It also records every request the browser makes, so the specs can prove where the token went.
import { expect, type BrowserContext, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { BASE, REQUEST_LOG, SERVER_OUT } from './e2e-env.ts';

export const ZOHO_EU_HOSTS = ['www.zohoapis.eu', 'content.zohoapis.eu', 'download-accl.zoho.eu'] as const;
export const CLIENT_ID = '1000.E2ECLIENTID0000';

export interface SeenRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: Buffer | null;
}

export interface Grant {
  token: string;
  expiresIn: number;
  /** Answer with another `state` than the one asked for (a forged or replayed redirect). */
  tamperState?: boolean;
}

/** Zoho's authorize endpoint: checks what the app asked for, then redirects back with the next grant. */
export async function fakeZohoAccounts(context: BrowserContext, grants: Grant[]): Promise<{ calls: URL[] }> {
  const calls: URL[] = [];
  await context.route(/^https:\/\/accounts\.zoho\.eu\/oauth\/v2\/auth/, async (route) => {
    const u = new URL(route.request().url());
    calls.push(u);
    const grant = grants.shift();
    if (!grant) throw new Error('the test handed out no grant for this sign-in');
    const fragment = new URLSearchParams({
      access_token: grant.token,
      token_type: 'Bearer',
      expires_in: String(grant.expiresIn),
      api_domain: 'https://www.zohoapis.eu',
      location: 'eu',
      // A tampered answer still looks like a popup answer (so the popup hands it over); only the opener can tell.
      state: grant.tamperState ? 'popup.00000000-0000-4000-8000-000000000000' : (u.searchParams.get('state') ?? ''),
    });
    await route.fulfill({ status: 302, headers: { location: `${u.searchParams.get('redirect_uri') ?? ''}#${fragment.toString()}` } });
  });
  return { calls };
}

/** Direct calls to the EU Zoho hosts are answered by the emulator, as that host (download links on Zoho's host). */
export async function answerZohoHostsDirectly(context: BrowserContext): Promise<void> {
  const hosts = ZOHO_EU_HOSTS.map((h) => h.replace(/\./g, '\\.')).join('|');
  await context.route(new RegExp(`^https://(${hosts})/`), async (route) => {
    const req = route.request();
    const u = new URL(req.url());
    let response;
    try {
      response = await route.fetch({
        url: `${BASE}${u.pathname}${u.search}`,
        headers: { ...req.headers(), 'x-forwarded-host': 'www.zohoapis.eu', 'x-forwarded-proto': 'https' },
      });
    } catch {
      // The stand-in dropped the connection (a fault hook): the browser sees the same network failure.
      await route.abort('failed');
      return;
    }
    await route.fulfill({
      response,
      headers: { ...response.headers(), 'access-control-allow-origin': BASE, 'access-control-expose-headers': 'Retry-After, Content-Disposition' },
    });
  });
}

/** Every request of every page in the context, with all headers and the body. */
export function recordRequests(context: BrowserContext): { settled: () => Promise<SeenRequest[]> } {
  const pending: Promise<SeenRequest>[] = [];
  context.on('request', (r) => {
    pending.push(r.allHeaders().then((headers) => ({ url: r.url(), method: r.method(), headers, body: r.postDataBuffer() })));
  });
  return { settled: () => Promise.all(pending) };
}

/** Console output of every page in the context. */
export function recordConsole(context: BrowserContext): string[] {
  const lines: string[] = [];
  context.on('console', (m) => lines.push(m.text()));
  context.on('weberror', (e) => lines.push(String(e.error())));
  return lines;
}

/**
 * S1–S4: the token travels only in Authorization headers, only to Zoho's hosts or this app's /zoho-proxy; never in
 * a URL that goes over the wire (fragments never do), a body, another header, storage, cookies, the console or the
 * server's logs.
 */
export async function expectTokenOnlyInAuthorization(p: {
  token: string;
  requests: SeenRequest[];
  consoleLines: string[];
  pages: Page[];
  context: BrowserContext;
  /** Cell values of the imported file: they travel in the upload, but must not show up in any log either. */
  cells?: readonly string[];
}): Promise<{ withToken: number }> {
  let withToken = 0;
  for (const r of p.requests) {
    const onWire = r.url.split('#')[0] ?? '';
    expect(onWire, `${r.method} ${onWire}`).not.toContain(p.token);
    for (const [name, value] of Object.entries(r.headers)) {
      if (name.toLowerCase() === 'authorization') continue;
      expect(value, `${name} header of ${r.method} ${onWire}`).not.toContain(p.token);
    }
    if (r.body) expect(r.body.includes(p.token), `body of ${r.method} ${onWire}`).toBe(false);
    const auth = r.headers['authorization'] ?? '';
    if (auth.includes(p.token)) {
      withToken++;
      expect(auth).toBe(`Zoho-oauthtoken ${p.token}`);
      const u = new URL(onWire);
      const toZoho = u.protocol === 'https:' && (ZOHO_EU_HOSTS as readonly string[]).includes(u.host);
      const toProxy = u.origin === BASE && ZOHO_EU_HOSTS.some((h) => u.pathname.startsWith(`/zoho-proxy/${h}/`));
      expect(toZoho || toProxy, `token sent to ${u.origin}${u.pathname}`).toBe(true);
    }
  }
  for (const page of p.pages) {
    if (page.isClosed()) continue;
    expect(page.url()).not.toContain(p.token);
    const stored = await page.evaluate(async () => {
      const all: string[] = [document.cookie];
      for (const s of [localStorage, sessionStorage]) for (let i = 0; i < s.length; i++) all.push(`${s.key(i)}=${s.getItem(s.key(i) ?? '')}`);
      const dbs = await indexedDB.databases();
      all.push(JSON.stringify(dbs));
      return all.join('\n');
    });
    expect(stored).not.toContain(p.token);
  }
  expect((await p.context.cookies()).map((c) => c.value).join('\n')).not.toContain(p.token);
  const logs: [string, string][] = [
    ['browser console', p.consoleLines.join('\n')],
    ['server output', readFileSync(SERVER_OUT, 'utf8')],
    ['server request log', readFileSync(REQUEST_LOG, 'utf8')],
  ];
  for (const [name, text] of logs) {
    expect(text, name).not.toContain(p.token);
    for (const cell of p.cells ?? []) expect(text, `${name} must not hold the cell value "${cell}"`).not.toContain(cell);
  }
  return { withToken };
}

export function requestLogLines(): string[] {
  return readFileSync(REQUEST_LOG, 'utf8').split('\n');
}
