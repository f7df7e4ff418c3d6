// Query-key factory for every cached API read, so invalidation and polling never use hand-written keys.

export const bulkWriteKeys = {
  all: ['bulk-write'] as const,
  session: () => [...bulkWriteKeys.all, 'emulator-session'] as const,
  org: (conn: string) => [...bulkWriteKeys.all, conn, 'org'] as const,
  modules: (conn: string) => [...bulkWriteKeys.all, conn, 'modules'] as const,
  fields: (conn: string, module: string) => [...bulkWriteKeys.all, conn, 'fields', module] as const,
  jobs: () => [...bulkWriteKeys.all, 'job'] as const,
  job: (id: string) => [...bulkWriteKeys.jobs(), id] as const,
  result: (id: string) => [...bulkWriteKeys.all, 'result', id] as const,
};
