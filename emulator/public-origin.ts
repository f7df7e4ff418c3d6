// The origin the emulator names in the job's result download_url. Normally its own; when a test harness or
// the server's own /zoho-proxy (pointed at this emulator by ZOHO_PROXY_UPSTREAM) reaches it in place of a Zoho
// API host, it answers as that host would: the result lives on the data centre's download host. Trusted only in
// admin (test) mode and only for the exact Zoho API hosts of the contract, so the header cannot steer links elsewhere.
import type { Context } from 'hono';
import { DATA_CENTRE_IDS, DATA_CENTRES } from '../src/domain/connection/data-centres.ts';
import type { Emulator } from './context.ts';

export function resultDownloadOrigin(c: Context, emu: Emulator): string {
  const own = new URL(c.req.url).origin;
  if (!emu.config.admin || c.req.header('x-forwarded-proto') !== 'https') return own;
  const host = c.req.header('x-forwarded-host')?.toLowerCase();
  const dc = DATA_CENTRE_IDS.map((id) => DATA_CENTRES[id]).find((d) => new URL(d.apiDomain).host === host);
  return dc ? (dc.otherHosts[0] ?? dc.apiDomain) : own;
}
