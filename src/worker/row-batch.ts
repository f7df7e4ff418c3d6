// Job parts cross the worker boundary as they are: provenance and the echo's digest in typed arrays
// (src/domain/jobs/types.ts), so cloning a job is a handful of objects, never one per row.

import type { JobPart } from '../domain/jobs/types.ts';

/** A job ready to post: its zip and typed arrays in buffers of their own, listed for transfer (moved, not copied). */
export function packJob(job: JobPart): { part: JobPart; transfer: ArrayBuffer[] } {
  const own = <T extends Uint8Array | Uint32Array>(a: T): T => (a.byteOffset === 0 && a.byteLength === a.buffer.byteLength ? a : (a.slice() as T));
  const zip = own(job.zip);
  const rowIndexes = own(job.rowIndexes);
  const lines = own(job.lines);
  const hashes = own(job.echo.hashes);
  return {
    part: { ...job, zip, rowIndexes, lines, echo: { ...job.echo, hashes } },
    transfer: [zip.buffer, rowIndexes.buffer, lines.buffer, hashes.buffer] as ArrayBuffer[],
  };
}
