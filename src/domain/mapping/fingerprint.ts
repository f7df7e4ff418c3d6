// A stable fingerprint of a file's headers (normalised, order-sensitive) so a saved mapping profile can be offered
// again when the same kind of file comes back — even with BOMs, NBSPs or different case in the header row.
import { normaliseHeader } from './auto-match.ts';

/** 53-bit string hash (cyrb53): deterministic across runs, platforms and the worker boundary. Not cryptographic. */
function cyrb53(text: string, seed = 0): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/** `h<count>-<hash>`: the column count is readable, the hash covers each normalised header in order. */
export function headerFingerprint(headers: readonly string[]): string {
  const joined = headers.map(normaliseHeader).join('\u001f');
  return `h${headers.length}-${cyrb53(joined).toString(36)}`;
}
