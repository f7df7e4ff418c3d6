// Sends the terminal job-details JSON to the job's callback URL (contract §6): allowlist re-checked at send time,
// redirects not followed, short timeout, bounded retries with backoff. A failure never changes the job's result.
// A callback to the emulator's own receiver carries the job's secret in a header (decision 060).
import { ownOrigins } from './auth.ts';
import type { Emulator } from './context.ts';
import { callbackUrlAllowed } from './callback-policy.ts';
import { CALLBACK_RECEIVER_PATH, CALLBACK_SECRET_HEADER } from './callback-secret.ts';
import { jobDetails } from './jobs/job-view.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function sendCallback(emu: Emulator, jobId: string, allowlist: readonly string[]): Promise<void> {
  const job = emu.jobs.get(jobId);
  if (!job || !job.callbackUrl || job.callbackState !== 'pending') return;
  const body = JSON.stringify(jobDetails(job, emu.origin, emu.user()));
  emu.jobs.setCallbackState(jobId, await deliverCallback(emu, job.callbackUrl, body, allowlist, emu.callbackSecrets.forJob(jobId)));
}

/**
 * POST a JSON body to a callback URL under the policy above (Bulk Write and Bulk Read share it); `secret` goes
 * only to this server's own receiver. Returns what became of it: sent (2xx), refused (not allowlisted), gave_up
 * (a redirect, or no 2xx after the retries).
 */
export async function deliverCallback(
  emu: Emulator,
  url: string,
  body: string,
  allowlist: readonly string[],
  secret: string | null,
): Promise<'sent' | 'refused' | 'gave_up'> {
  const ok = callbackUrlAllowed(url, allowlist);
  if (!ok.ok) return 'refused';
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (secret !== null && isOwnReceiver(emu, ok.url)) headers[CALLBACK_SECRET_HEADER] = secret;
  const attempts = 1 + emu.config.callbackRetries;
  for (let i = 0; i < attempts; i++) {
    try {
      const res = await fetch(ok.url, {
        method: 'POST',
        headers,
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(emu.config.callbackTimeoutMs),
      });
      // Drain without keeping the body (response cap: we never read more than we must).
      await res.body?.cancel();
      if (res.status >= 200 && res.status < 300) return 'sent';
      // A redirect is a refusal: never follow it, never retry into it.
      if (res.status >= 300 && res.status < 400) break;
    } catch {
      // network error or timeout: retry below
    }
    if (i < attempts - 1) await sleep(200 * 2 ** i);
  }
  return 'gave_up';
}

/** This server's receiver, reached directly or through a trusted app origin (the dev server) that forwards to it.
 * Any other allowlisted receiver never sees the secret, so it could not replay it here. */
function isOwnReceiver(emu: Emulator, url: URL): boolean {
  return url.pathname === CALLBACK_RECEIVER_PATH && [...ownOrigins(emu.origin), ...emu.config.corsOrigins].includes(url.origin);
}
