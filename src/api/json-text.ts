// JSON.parse that keeps integers beyond 2^53 exact: Zoho's ids are 19 digits and may arrive as bare JSON
// numbers (the OpenAPI spec says int64), which plain JSON.parse would silently round to a different id.
// Such integers are turned into strings before parsing; safe numbers and everything inside strings are untouched.

/** Quotes every bare integer literal too large for a double to hold exactly. */
export function quoteUnsafeIntegers(text: string): string {
  let out = '';
  let i = 0;
  let last = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '"') {
      // skip a string literal, honouring escapes
      i++;
      while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
      i++;
      continue;
    }
    if (ch === '-' || (ch !== undefined && ch >= '0' && ch <= '9')) {
      const start = i;
      i++;
      while (i < text.length && /[0-9.eE+-]/.test(text[i] ?? '')) i++;
      const lit = text.slice(start, i);
      if (/^-?\d+$/.test(lit) && !Number.isSafeInteger(Number(lit))) {
        out += `${text.slice(last, start)}"${lit}"`;
        last = i;
      }
      continue;
    }
    i++;
  }
  return out + text.slice(last);
}

export function parseJsonKeepingIds(text: string): unknown {
  return JSON.parse(quoteUnsafeIntegers(text));
}
