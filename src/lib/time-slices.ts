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
 * 90 MB file was one ~350 ms task. The pieces are encoded into one buffer, reused: a Blob copies the bytes it is made
 * from, and a new array per piece was ~355 MB of ArrayBuffers made and dropped at a million rows, whose external
 * memory kept setting off full collections of the page (decision 157). `onPiece` is told after each piece of text
 * (for progress; an empty piece, a step that made no text yet, is not counted). The bytes are exactly those of
 * `new TextEncoder().encode(pieces.join(''))` when no piece ends inside a surrogate pair (property-tested; `partBytes`,
 * at least 4, only for those tests).
 */
export async function textBlobInSlices(
  pieces: Iterator<string>,
  type: string,
  opts: {
    signal?: AbortSignal | undefined;
    sliceMs?: number | undefined;
    onPiece?: ((index: number) => void) | undefined;
    partBytes?: number | undefined;
  } = {},
): Promise<Blob> {
  const encoder = new TextEncoder();
  const blobs: Blob[] = [];
  // At least 4 bytes: room for any one character's UTF-8.
  const buffer = new Uint8Array(Math.max(4, opts.partBytes ?? BLOB_PART_BYTES));
  let used = 0;
  let made = 0;
  const flush = () => {
    if (used > 0) blobs.push(new Blob([buffer.subarray(0, used)]));
    used = 0;
  };
  await runInSlices(() => {
    const next = pieces.next();
    if (next.done) return true;
    // An empty piece is a step of work that made no text yet: not counted as a piece.
    if (next.value.length === 0) return false;
    let text = next.value;
    for (;;) {
      // encodeInto stops before a character that does not fit (never inside one, never inside a surrogate pair).
      const { read, written } = encoder.encodeInto(text, buffer.subarray(used));
      used += written;
      if (read === text.length) break;
      flush();
      text = text.slice(read);
    }
    if (used >= buffer.length - 3) flush();
    opts.onPiece?.(++made);
    return false;
  }, opts);
  flush();
  return new Blob(blobs, { type });
}
