// Which one-click clean-ups to offer for a mapped column, from the field's type and the column's values
// (the proposals themselves come from src/domain/fields; nothing is applied without the user's confirmation).
// Computed in the worker next to validation, and sent packed: every change in typed arrays and two strings.
import type { FieldModel } from '../domain/fields/field-model.ts';
import { detectDatePattern, proposeDateConversion } from '../domain/fields/normalise-dates.ts';
import type { SourceRow } from '../domain/csv/types.ts';
import { cellAt } from '../domain/csv/packed-rows.ts';
import type { Mapping } from '../domain/mapping/mapping.ts';
import {
  proposeBooleanSynonyms,
  proposeNumberCleanup,
  proposePhoneCleanup,
  proposeTrim,
  type CellChange,
  type Proposal,
  type Unconvertible,
} from '../domain/fields/normalisers.ts';

export interface ColumnFix {
  /** Button text, e.g. "Dates dd/MM/yyyy → yyyy-MM-dd". */
  label: string;
  /** Extra context (ambiguity, detection evidence). */
  note: string | null;
  proposal: Proposal;
}

const NUMBER_TYPES = new Set(['integer', 'bigint', 'double', 'currency', 'percent']);

export function columnFixes(field: FieldModel, column: number, values: readonly string[]): ColumnFix[] {
  const out: ColumnFix[] = [];
  const add = (label: string, p: Proposal | null, note: string | null = null) => {
    if (p && p.changes.length > 0) out.push({ label, note, proposal: p });
  };
  if (field.dataType === 'date' || field.dataType === 'datetime') {
    const withTime = field.dataType === 'datetime';
    const d = detectDatePattern(column, values, { withTime });
    if (d && !d.alreadyIso) {
      if (d.decided) add(`Dates ${d.decided} → ISO`, proposeDateConversion(column, values, d.decided, { withTime }), d.explanation);
      else
        for (const o of d.options.slice(0, 2))
          add(`Dates as ${o.pattern} → ISO`, proposeDateConversion(column, values, o.pattern, { withTime }), d.explanation);
    }
  }
  if (field.dataType === 'phone') add('Phone numbers: digits and leading +', proposePhoneCleanup(column, values, field));
  if (field.dataType === 'boolean') add('Yes/No → true/false', proposeBooleanSynonyms(column, values));
  if (NUMBER_TYPES.has(field.dataType)) add('Numbers: remove separators', proposeNumberCleanup(column, values, field));
  add('Trim spaces', proposeTrim(column, values));
  return out;
}

/** A clean-up as it crosses the worker boundary: what Review shows, plus all changes packed for Apply. */
export interface PackedFix {
  label: string;
  note: string | null;
  column: number;
  summary: string;
  changeCount: number;
  /** The first changes, for the before/after preview. */
  preview: CellChange[];
  unconvertibleCount: number;
  /** The first values that cannot be converted. */
  unconvertible: Unconvertible[];
  /**
   * Change i: row rows[i], before = the befores text's characters [beforeEnds[i-1], beforeEnds[i]), after likewise.
   * The texts travel as UTF-8 bytes (transferred, not cloned: cloning the two strings of a million phone clean-ups
   * was ~100 ms on the main thread) and are decoded a piece at a time as the changes are read (forEachChange).
   */
  changes: { rows: Uint32Array; befores: Uint8Array; beforeEnds: Uint32Array; afters: Uint8Array; afterEnds: Uint32Array };
}

const utf8 = new TextEncoder();

export const FIX_PREVIEW = 50;
export const FIX_UNCONVERTIBLE_PREVIEW = 20;

/**
 * The texts one after another as UTF-8 bytes, and where each ends in the decoded text (UTF-16 units). ASCII is
 * written byte by byte and only the rest goes through the encoder: joining a million texts into one string to encode
 * it was most of the cost of packing a column's clean-up.
 */
export function packTexts(changes: readonly CellChange[], text: (c: CellChange) => string): { bytes: Uint8Array; ends: Uint32Array } {
  const ends = new Uint32Array(changes.length);
  let bytes = new Uint8Array(Math.max(64, changes.length * 16));
  let at = 0;
  let units = 0;
  for (let i = 0; i < changes.length; i++) {
    const s = text(changes[i] as CellChange);
    // At most three bytes per UTF-16 unit.
    if (at + s.length * 3 > bytes.length) {
      const grown = new Uint8Array(Math.max(bytes.length * 2, at + s.length * 3));
      grown.set(bytes.subarray(0, at));
      bytes = grown;
    }
    let k = 0;
    for (; k < s.length; k++) {
      const c = s.charCodeAt(k);
      if (c >= 0x80) break;
      bytes[at++] = c;
    }
    if (k < s.length) at += utf8.encodeInto(s.slice(k), bytes.subarray(at)).written;
    units += s.length;
    ends[i] = units;
  }
  return { bytes: bytes.slice(0, at), ends };
}

export function packFix(f: ColumnFix): PackedFix {
  const ch = f.proposal.changes;
  const rows = new Uint32Array(ch.length);
  for (let i = 0; i < ch.length; i++) rows[i] = (ch[i] as CellChange).row;
  const befores = packTexts(ch, (c) => c.before);
  const afters = packTexts(ch, (c) => c.after);
  return {
    label: f.label,
    note: f.note,
    column: f.proposal.column,
    summary: f.proposal.summary,
    changeCount: ch.length,
    preview: ch.slice(0, FIX_PREVIEW),
    unconvertibleCount: f.proposal.unconvertible.length,
    unconvertible: f.proposal.unconvertible.slice(0, FIX_UNCONVERTIBLE_PREVIEW),
    changes: { rows, befores: befores.bytes, beforeEnds: befores.ends, afters: afters.bytes, afterEnds: afters.ends },
  };
}

export function fixTransfer(f: PackedFix): ArrayBuffer[] {
  const c = f.changes;
  return [c.rows.buffer, c.beforeEnds.buffer, c.afterEnds.buffer, c.befores.buffer, c.afters.buffer] as ArrayBuffer[];
}

// The texts of a fix's changes, decoded as they are first read. A JS string encodes to UTF-8 and back with the same
// length in UTF-16 units (a lone surrogate, which only a workbook cell could hold, comes back as U+FFFD: one unit), so
// the character offsets stay valid; such a "before" then no longer matches its cell and the change is not applied.

/** Bytes decoded per piece: a million phone clean-ups decoded whole were ~80 ms of the Apply click at 1M. */
const DECODE_PIECE_BYTES = 256 * 1024;

/**
 * A UTF-8 text decoded a piece at a time as its characters are asked for (a streaming decoder, so a character cut
 * between two pieces is decoded whole): `text(from, to)` equals `decoded.slice(from, to)` of the whole text decoded
 * at once. Read in order, as a clean-up applies its changes, each slice of the work decodes only what it reads.
 */
export class DecodedText {
  readonly #bytes: Uint8Array;
  readonly #piece: number;
  readonly #decoder = new TextDecoder();
  #at = 0;
  readonly #pieces: string[] = [];
  readonly #starts: number[] = [];
  #units = 0;
  #hint = 0;

  /** `pieceBytes`: how many bytes each piece decodes (tests use a few, to cut characters between pieces). */
  constructor(bytes: Uint8Array, pieceBytes = DECODE_PIECE_BYTES) {
    this.#bytes = bytes;
    this.#piece = Math.max(1, pieceBytes);
  }

  #more(): void {
    const end = Math.min(this.#bytes.length, this.#at + this.#piece);
    const piece = this.#decoder.decode(this.#bytes.subarray(this.#at, end), { stream: end < this.#bytes.length });
    this.#at = end;
    if (piece.length === 0) return;
    this.#pieces.push(piece);
    this.#starts.push(this.#units);
    this.#units += piece.length;
  }

  /** The piece holding character `at` (at < units decoded). */
  #pieceOf(at: number): number {
    const starts = this.#starts;
    let k = this.#hint;
    if (k >= starts.length || (starts[k] as number) > at) {
      let lo = 0;
      let hi = starts.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if ((starts[mid] as number) <= at) lo = mid;
        else hi = mid - 1;
      }
      k = lo;
    }
    while (k + 1 < starts.length && (starts[k + 1] as number) <= at) k++;
    this.#hint = k;
    return k;
  }

  text(from: number, to: number): string {
    if (to <= from) return '';
    while (this.#units < to && this.#at < this.#bytes.length) this.#more();
    let k = this.#pieceOf(from);
    let piece = this.#pieces[k] as string;
    let start = this.#starts[k] as number;
    if (to <= start + piece.length) return piece.slice(from - start, to - start);
    // Across pieces (a text longer than a piece spans several): the pieces' parts joined.
    let out = piece.slice(from - start);
    for (;;) {
      k++;
      piece = this.#pieces[k] ?? '';
      start = this.#starts[k] ?? this.#units;
      if (k >= this.#pieces.length || to <= start + piece.length) return out + piece.slice(0, to - start);
      out += piece;
    }
  }
}

const decoded = new WeakMap<PackedFix['changes'], { befores: DecodedText; afters: DecodedText }>();

function changeTexts(c: PackedFix['changes']): { befores: DecodedText; afters: DecodedText } {
  let t = decoded.get(c);
  if (t === undefined) {
    t = { befores: new DecodedText(c.befores), afters: new DecodedText(c.afters) };
    decoded.set(c, t);
  }
  return t;
}

/** Calls `each` for the packed changes [from, to) (default: all), in order. */
export function forEachChange(f: PackedFix, each: (c: CellChange) => void, from = 0, to = f.changes.rows.length): void {
  const { rows, beforeEnds, afterEnds } = f.changes;
  const { befores, afters } = changeTexts(f.changes);
  let b = from === 0 ? 0 : (beforeEnds[from - 1] as number);
  let a = from === 0 ? 0 : (afterEnds[from - 1] as number);
  for (let i = from; i < Math.min(to, rows.length); i++) {
    const be = beforeEnds[i] as number;
    const ae = afterEnds[i] as number;
    each({ row: rows[i] as number, before: befores.text(b, be), after: afters.text(a, ae) });
    b = be;
    a = ae;
  }
}

/** The mapped columns and their fields, as Review offers clean-ups for them. */
export function mappedFields(mapping: Mapping, fields: readonly FieldModel[], columns: number): Map<number, FieldModel> {
  const byApi = new Map(fields.map((f) => [f.apiName, f]));
  const out = new Map<number, FieldModel>();
  for (let col = 0; col < columns; col++) {
    const api = mapping.columns[col]?.apiName;
    const f = api ? byApi.get(api) : undefined;
    if (f) out.set(col, f);
  }
  return out;
}

/**
 * True when no clean-up of a column mapped to `field` can change a cell that is blank, or valid with a visible ASCII
 * character at both ends (a "plain" column, PreflightState.plainColumns): trim needs spaces around a value; the phone
 * and number clean-ups change only values their rule refuses; a date read as ISO (no format of its own) is already
 * ISO; a checkbox column is plain only when its values are exactly 'true' or 'false' (a valid 'TRUE' is offered as
 * 'true', so it makes the column not plain). Not so a date with its own format (valid dd/MM/yyyy cells are offered the
 * ISO conversion). The worker skips such columns after a full check: at a million rows each column's clean-ups are a
 * pass over a million cells.
 */
export function cleanUpsCannotChange(field: FieldModel, format: string | null): boolean {
  if (field.dataType === 'date' || field.dataType === 'datetime') return format === null || format === '';
  return true;
}

/** One column's clean-ups over the rows as they stand. */
export function fixesOfColumn(rows: readonly SourceRow[], column: number, field: FieldModel): PackedFix[] {
  const values = new Array<string>(rows.length);
  for (let i = 0; i < rows.length; i++) values[i] = cellAt(rows[i] as SourceRow, column);
  return columnFixes(field, column, values).map(packFix);
}
