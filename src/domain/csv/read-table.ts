// One call from file bytes to a ParsedTable: decode (encoding rules) then parse (structure rules).

import { decode } from './decode.ts';
import { parseTable } from './parse.ts';
import type { DecodeOptions, ParseOptions, ParsedTable } from './types.ts';

export function readTable(bytes: Uint8Array, opts: { decode?: DecodeOptions; parse?: ParseOptions } = {}): ParsedTable {
  return parseTable(decode(bytes, opts.decode), opts.parse);
}
