// 32-bit FNV-1a over a string's UTF-16 code units: the one string hash the domain uses (the org check's unique keys,
// the result echo's digest, the undo plan's id set). Callers that hash text in place, without cutting it out first,
// run the same loop with these constants.

export const FNV_OFFSET = 0x811c9dc5 | 0;
export const FNV_PRIME = 0x01000193;

/** FNV-1a of `text`, as a signed 32-bit integer (callers take `>>> 0` or `>>> 1` for the unsigned forms they store). */
export function fnv1a(text: string): number {
  let h = FNV_OFFSET;
  for (let j = 0; j < text.length; j++) h = Math.imul(h ^ text.charCodeAt(j), FNV_PRIME);
  return h;
}
