// Query-key factory for every cached API read, so invalidation and polling never use hand-written keys.

export const bulkWriteKeys = {
  all: ['bulk-write'] as const,
  session: (origin: string) => [...bulkWriteKeys.all, 'emulator-session', origin] as const,
  org: (conn: string) => [...bulkWriteKeys.all, conn, 'org'] as const,
  modules: (conn: string) => [...bulkWriteKeys.all, conn, 'modules'] as const,
  fields: (conn: string, module: string) => [...bulkWriteKeys.all, conn, 'fields', module] as const,
  users: (conn: string, type: string) => [...bulkWriteKeys.all, conn, 'users', type] as const,
  /** Job ids are per org: the same id on another connection (emulator vs Zoho, another org) is another job. */
  jobs: (conn: string) => [...bulkWriteKeys.all, conn, 'job'] as const,
  job: (conn: string, id: string) => [...bulkWriteKeys.jobs(conn), id] as const,
  /** Keyed by run too: an emulator reset reuses job ids, and a result must never be taken from another run. */
  result: (conn: string, runId: string, jobId: string, url: string | null) => [...bulkWriteKeys.all, conn, 'result', runId, jobId, url] as const,
};
