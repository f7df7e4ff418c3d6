// Per-job callback secrets (decision 060, issue 12 D3). The emulator's own callback receiver must tell the
// callbacks this process sent from ones any web page or local script can post. Each job's secret is an HMAC of
// its id under a key that lives only in this process's memory: nothing to store, nothing in the database, the
// callback URL or the request log. The sender puts it in a header, which the request log never writes.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const CALLBACK_SECRET_HEADER = 'x-emulator-callback-secret';
export const CALLBACK_RECEIVER_PATH = '/__emulator/callback';

export class CallbackSecrets {
  private key = randomBytes(32);
  /** Jobs whose first COMPLETED/FAILED callback was already accepted. */
  private readonly settled = new Set<string>();

  forJob(jobId: string): string {
    return createHmac('sha256', this.key).update(`callback:${jobId}`).digest('base64url');
  }

  matches(jobId: string, given: string | undefined): boolean {
    if (given === undefined) return false;
    const a = Buffer.from(given);
    const b = Buffer.from(this.forJob(jobId));
    return a.length === b.length && timingSafeEqual(a, b);
  }

  /** True the first time a job's terminal callback arrives; every later one (a retry, a second status) is false. */
  settle(jobId: string): boolean {
    if (this.settled.has(jobId)) return false;
    this.settled.add(jobId);
    return true;
  }

  /** Admin reset reissues job ids from the start: a new key kills the old secrets, and the ids may settle again. */
  reset(): void {
    this.key = randomBytes(32);
    this.settled.clear();
  }
}
