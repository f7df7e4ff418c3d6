// The rows of bench:scale: a 20-column contacts file (18 columns Contacts maps by name, 2 it has no field for, left
// unmapped as in a real export), deterministic, every phone written with spaces so every row carries an issue.
// Shared by the browser bench and the validation bench (scale-validate.bench.ts).
import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';

const DATA_DIR = 'bench/out';

export const HEADERS = [
  'First_Name',
  'Last_Name',
  'Email',
  'Secondary_Email',
  'Phone',
  'Mobile',
  'Title',
  'Department',
  'Lead_Source',
  'Hobbies',
  'Date_of_Birth',
  'Last_Contacted',
  'Email_Opt_Out',
  'Loyalty_Points',
  'Mailing_Street',
  'Mailing_City',
  'Description',
  'Twitter',
  'Customer_Ref',
  'Region',
];
const SOURCES = ['Advertisement', 'Cold Call', 'Web', 'Trade Show'];
const HOBBIES = ['Cycling', 'Music;Reading', 'Travel', 'Reading'];

/** Row i (1-based): every phone is written with spaces (so every row carries an issue); the rest is valid. */
export function rowText(i: number): string {
  const d = String(i % 10_000).padStart(4, '0');
  const day = String((i % 28) + 1).padStart(2, '0');
  return [
    `First${i}`,
    `Last ${i}`,
    `person.${i}@scale.example`,
    `other.${i}@scale.example`,
    `+1 415 555 ${d}`,
    `+1415666${d}`,
    'Engineer',
    'Sales',
    SOURCES[i % SOURCES.length],
    HOBBIES[i % HOBBIES.length],
    `1980-01-${day}`,
    `2024-03-${day}T10:15:00+01:00`,
    i % 3 === 0 ? 'true' : 'false',
    String(i * 7),
    `"${i} Market Street, Suite ${i % 900}"`,
    `City ${i % 97}`,
    `Imported contact number ${i} from the scale bench`,
    `@person${i}`,
    `REF-${i}`,
    `Region ${i % 12}`,
  ].join(',');
}

/** Rows 1..n as the parser gives them (cells of rowText, the quoted street unquoted). */
export function sourceRows(n: number): { line: number; cells: string[] }[] {
  const out = new Array<{ line: number; cells: string[] }>(n);
  for (let i = 1; i <= n; i++) {
    const cells = rowText(i).split(',');
    // The street is the one quoted cell and holds one comma: join its two halves back.
    const street = `${(cells[14] as string).slice(1)},${(cells[15] as string).slice(0, -1)}`;
    cells.splice(14, 2, street);
    out[i - 1] = { line: i + 1, cells };
  }
  return out;
}

/** The CSV for `rows` rows, written once under bench/out/ and reused (deterministic content). */
export function csvFile(rows: number): string {
  mkdirSync(DATA_DIR, { recursive: true });
  const path = join(DATA_DIR, `scale-${rows}.csv`);
  if (existsSync(path)) return path;
  const fd = openSync(`${path}.part`, 'w');
  let chunk = HEADERS.join(',') + '\r\n';
  for (let i = 1; i <= rows; i++) {
    chunk += rowText(i) + '\r\n';
    if (chunk.length > 1 << 20) {
      writeSync(fd, chunk);
      chunk = '';
    }
  }
  writeSync(fd, chunk);
  closeSync(fd);
  execFileSync('mv', [`${path}.part`, path]);
  return path;
}
