// The test hooks as a fresh emulator has them: what startServer begins with and what `POST /__emulator/admin/reset`
// puts back (one list, so a new hook cannot be set up in one place and forgotten in the other).
import { BULK_READ_DOWNLOADS_PER_MINUTE, BULK_READ_PER_PAGE } from '../src/api/contract/bulk-read.ts';
import type { TestHooks } from './context.ts';

/** `quirks`: the configured Zoho-quirks mode; `delayMsPerRow`: the start-up option (a reset puts back 0). */
export function freshTestHooks(quirks: boolean, delayMsPerRow: number): TestHooks {
  return {
    delayMsPerRow,
    failUploads: { count: 0, status: 500 },
    throttle: { count: 0, retryAfter: 1 },
    quirks,
    dropCreateResponses: 0,
    corruptResults: { count: 0, kind: 'drop-row' },
    bulkRead: {
      pageSize: BULK_READ_PER_PAGE,
      failNext: 0,
      downloadsPerMinute: BULK_READ_DOWNLOADS_PER_MINUTE,
      recentDownloads: [],
      cutNext: 0,
      holdAfter: -1,
      pageTokens: true,
    },
    failDeletes: { ids: new Map(), count: 0 },
  };
}
