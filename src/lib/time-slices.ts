// Main-thread work too large for one task (a million-row export, a plan over a million results) done in slices of a
// few tens of milliseconds, yielding to the event loop between them, so input and rendering keep running and no
// task holds the thread for seconds (issue 13: no main-thread task over 100 ms).

/**
 * Work per slice: under the 50 ms of a "long task", leaving room for a frame and input in each 100 ms. 20 ms, not
 * 30: a full collection's final pause at a million rows (45–70 ms) can land inside a slice, and 30 ms + such a pause
 * made the merged save's longest task 82–102 ms (decision 157).
 */
export const SLICE_MS = 20;

interface SchedulerWithYield {
  yield: () => Promise<void>;
}

/**
 * Lets the event loop run, then resumes. `scheduler.yield()` where the browser has it (the continuation keeps its
 * place ahead of other queued work); else a MessageChannel message, which unlike setTimeout(0) is not clamped to
 * 4 ms once nested — a 20 s job in 30 ms slices would lose ~2.6 s to that clamp.
 */
export function yieldToEventLoop(): Promise<void> {
  const scheduler = (globalThis as { scheduler?: Partial<SchedulerWithYield> }).scheduler;
  if (scheduler && typeof scheduler.yield === 'function') return scheduler.yield();
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

export class Cancelled extends Error {
  constructor() {
    super('Cancelled.');
    this.name = 'Cancelled';
  }
}

/**
 * Calls `step` until it returns true (done), in slices of about `sliceMs`, yielding between slices. Each step must
 * be short (a piece of a few milliseconds). Rejects with `Cancelled` as soon as `signal` is aborted (checked before
 * every slice), so a caller that is left (unmounted) stops at the next slice and keeps nothing half made.
 */
export async function runInSlices(step: () => boolean, opts: { signal?: AbortSignal | undefined; sliceMs?: number | undefined } = {}): Promise<void> {
  const sliceMs = opts.sliceMs ?? SLICE_MS;
  for (;;) {
    if (opts.signal?.aborted) throw new Cancelled();
    const end = performance.now() + sliceMs;
    do {
      if (step()) return;
    } while (performance.now() < end);
    await yieldToEventLoop();
  }
}

/** Encoded bytes gathered into one Blob at a time: copying them into the browser's blob storage is a few ms then. */
const BLOB_PART_BYTES = 8 << 20;

/**
 * Text given in pieces made into a UTF-8 Blob in slices: each piece is made (by the iterator) and encoded in turn, so
 * the whole text never exists as one string; every ~8 MB of bytes become a Blob in the slice that made them, and the
 * file is a Blob of those Blobs (referenced, not copied) — built from all the pieces at the end, the copy of a
 * 90 MB file was one ~350 ms task. `onPiece` is told after each piece of text (for progress; an empty piece, a step
 * that made no text yet, is not counted). The bytes are exactly those of `new TextEncoder().encode(pieces.join(''))`
 * (property-tested).
 */
export async function textBlobInSlices(
  pieces: Iterator<string>,
  type: string,
  opts: { signal?: AbortSignal | undefined; sliceMs?: number | undefined; onPiece?: ((index: number) => void) | undefined } = {},
): Promise<Blob> {
  const encoder = new TextEncoder();
  const blobs: Blob[] = [];
  let parts: Uint8Array<ArrayBuffer>[] = [];
  let bytes = 0;
  let made = 0;
  const flush = () => {
    blobs.push(new Blob(parts));
    parts = [];
    bytes = 0;
  };
  await runInSlices(() => {
    const next = pieces.next();
    if (next.done) return true;
    // An empty piece is a step of work that made no text yet: not counted as a piece.
    if (next.value.length === 0) return false;
    const encoded = encoder.encode(next.value);
    parts.push(encoded);
    bytes += encoded.length;
    if (bytes >= BLOB_PART_BYTES) flush();
    opts.onPiece?.(++made);
    return false;
  }, opts);
  if (parts.length > 0) flush();
  return new Blob(blobs, { type });
}
