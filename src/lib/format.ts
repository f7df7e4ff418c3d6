// Number, byte and time formatting for the UI, one Intl formatter each (created once, reused).

const integer = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });
const percent = new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 0 });
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function formatInt(n: number): string {
  return integer.format(n);
}

export function formatPercent(fraction: number): string {
  return percent.format(Number.isFinite(fraction) ? fraction : 0);
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${integer.format(bytes)} B`;
  if (bytes < 1024 * 1024) return `${oneDecimal.format(bytes / 1024)} KB`;
  return `${oneDecimal.format(bytes / (1024 * 1024))} MB`;
}

export function formatDateTime(iso: string | number): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? String(iso) : dateTime.format(d);
}

/** Shows a delimiter as a word, so a tab or a space is visible. */
export function delimiterName(ch: string): string {
  switch (ch) {
    case ',':
      return 'comma (,)';
    case ';':
      return 'semicolon (;)';
    case '\t':
      return 'tab';
    case '|':
      return 'pipe (|)';
    case ':':
      return 'colon (:)';
    default:
      return JSON.stringify(ch);
  }
}

/** "1 row" / "2 rows". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatInt(n)} ${n === 1 ? one : many}`;
}

/** "insert" → "Insert" (operations are shown as the user chose them in the Operation group). */
export function operationLabel(op: string): string {
  return op.charAt(0).toUpperCase() + op.slice(1);
}
