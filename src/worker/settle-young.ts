// Moving the garbage collector's work on the file side out of the prediction (decision 168).
//
// V8 collects young objects by copying the ones still alive (a scavenge), and moves an object to the old generation
// once it has survived two scavenges; a scavenge costs what it copies. The file side of the org check (decision
// 165: per row, the match key and the unique keys as strings, the values) is made while Zoho prepares the Bulk Read,
// and nothing else is allocated then, so it was still young when the prediction began: the prediction's first
// scavenge copied all of it — one pause of 60–100 ms inside the prediction in every traced run at 100,000 rows. The
// worker is idle during the wait, so it now allocates short-lived garbage right after building the file side,
// enough for at least two scavenges; the file side is then in the old generation before the first page arrives.
// It does so in slices, letting the worker's other messages in between, and stops as soon as one comes (the page's
// first bytes, a prediction): when the wait is shorter than the file side and the settling (a million rows), the
// page is read at once and the prediction pays its scavenge as before.

/** Rows below which the file side is small enough that its first scavenge costs little: not worth the garbage. */
export const SETTLE_MIN_ROWS = 10_000;

/**
 * Bytes of garbage: above twice the young generation's largest size in Chromium (semi-spaces of up to 16 MB on a
 * 64-bit machine), so two scavenges happen whatever the young generation's size at the time.
 */
const GARBAGE_BYTES = 64 * 1024 * 1024;
/** Bytes of garbage between two looks at the worker's messages. */
const SLICE_BYTES = 8 * 1024 * 1024;
/** Each piece of garbage: an array of 250 small integers, about 1 KB. */
const PIECE_LENGTH = 250;
const PIECE_BYTES = 1024;
export const SETTLE_SLICES = GARBAGE_BYTES / SLICE_BYTES;

/** Lets the worker's queued messages run before going on. */
const nextTask = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/** One slice of short-lived arrays (kept in a small ring while made, so no compiler can leave them out). */
function garbageSlice(): void {
  const ring: unknown[] = new Array<unknown>(64).fill(null);
  const pieces = SLICE_BYTES / PIECE_BYTES;
  for (let i = 0; i < pieces; i++) ring[i & 63] = new Array<number>(PIECE_LENGTH).fill(i);
}

/**
 * Allocates up to GARBAGE_BYTES of short-lived arrays, a slice at a time, so whatever is young and alive now is
 * promoted to the old generation; between slices the worker's messages run, and it stops once `stop()` says
 * something else came. The first slice is made at once. `onSlice` hears each slice's time as it is made. Returns how
 * many slices it made.
 */
export async function settleYoungGeneration(stop: () => boolean, onSlice?: (ms: number) => void): Promise<number> {
  let slices = 0;
  while (slices < SETTLE_SLICES) {
    const t0 = performance.now();
    garbageSlice();
    onSlice?.(performance.now() - t0);
    slices++;
    if (slices === SETTLE_SLICES) break;
    await nextTask();
    if (stop()) break;
  }
  return slices;
}
