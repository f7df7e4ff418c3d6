// Query-key factory for every cached API read, so invalidation and polling never use hand-written keys.

export const bulkWriteKeys = {
  all: ['bulk-write'] as const,
  session: () => [...bulkWriteKeys.all, 'emulator-session'] as const,
  org: (conn: string) => [...bulkWriteKeys.all, conn, 'org'] as const,
  modules: (conn: string) => [...bulkWriteKeys.all, conn, 'modules'] as const,
  fields: (conn: string, module: string) => [...bulkWriteKeys.all, conn, 'fields', module] as const,
  users: (conn: string, type: string) => [...bulkWriteKeys.all, conn, 'users', type] as const,
  jobs: () => [...bulkWriteKeys.all, 'job'] as const,
  job: (id: string) => [...bulkWriteKeys.jobs(), id] as const,
  /** Keyed by run too: an emulator reset reuses job ids, and a result must never be taken from another run. */
  result: (runId: string, jobId: string) => [...bulkWriteKeys.all, 'result', runId, jobId] as const,
};
