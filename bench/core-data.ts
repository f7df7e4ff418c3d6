// Deterministic benchmark CSVs: N rows × 20 columns of Zoho-like values (≈ 5 MB per 25,000 rows).

export const BENCH_HEADERS = [
  'Last_Name',
  'First_Name',
  'Email',
  'Company',
  'Phone',
  'Mobile',
  'City',
  'State',
  'Zip_Code',
  'Country',
  'Annual_Revenue',
  'No_of_Employees',
  'Lead_Source',
  'Industry',
  'Rating',
  'Website',
  'Date_of_Birth',
  'Title',
  'Description',
  'Email_Opt_Out',
] as const;

const WORDS = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india', 'juliet'];
const SOURCES = ['Web', 'Advertisement', 'Cold Call', 'Partner', 'Trade Show'];
const INDUSTRIES = ['ASP', 'Data/Telecom OEM', 'ERP', 'Government/Military', 'Large Enterprise'];

export function benchRow(i: number): string[] {
  const w = (k: number): string => WORDS[(i * 7 + k * 3) % WORDS.length] as string;
  const day = String((i % 28) + 1).padStart(2, '0');
  const month = String((i % 12) + 1).padStart(2, '0');
  return [
    `Last${i}`,
    w(1),
    `user${i}@example.com`,
    `${w(2)} ${w(3)} Ltd`,
    `+4420${String(i).padStart(8, '0')}`,
    `+4477${String(i * 3).padStart(8, '0')}`,
    w(4),
    w(5),
    String(10000 + (i % 89999)),
    'United Kingdom',
    (i * 13.37).toFixed(2),
    String(i % 5000),
    SOURCES[i % SOURCES.length] as string,
    INDUSTRIES[i % INDUSTRIES.length] as string,
    'Active',
    `https://www.${w(6)}.example.com`,
    `19${50 + (i % 50)}-${month}-${day}`,
    `Head of ${w(7)}`,
    i % 10 === 0 ? `"Note, with a comma and ""quotes"" #${i}"` : `Plain note number ${i}`,
    i % 2 === 0 ? 'true' : 'false',
  ];
}

export function benchCsv(rows: number): string {
  const parts: string[] = [BENCH_HEADERS.join(',') + '\r\n'];
  for (let i = 0; i < rows; i++) parts.push(benchRow(i).join(',') + '\r\n');
  return parts.join('');
}

/** The columns a workbook stores as numbers (Annual_Revenue, No_of_Employees) and as a date serial (Date_of_Birth). */
const NUMBER_COLUMNS = new Set(['Annual_Revenue', 'No_of_Employees']);
const DATE_COLUMN = BENCH_HEADERS.indexOf('Date_of_Birth');
const DAY_MS = 86_400_000;

/**
 * The bench rows as a worksheet's array of rows: the same values as benchCsv, with the number columns as numbers
 * and Date_of_Birth as a 1900-system date serial (the workbook writer gives it a date format), booleans as booleans.
 */
export function benchSheetRows(rows: number): Array<Array<string | number | boolean>> {
  const out: Array<Array<string | number | boolean>> = [[...BENCH_HEADERS]];
  for (let i = 0; i < rows; i++) {
    out.push(
      benchRow(i).map((v, c) => {
        const name = BENCH_HEADERS[c] as string;
        if (NUMBER_COLUMNS.has(name)) return Number(v);
        if (c === DATE_COLUMN) return (Date.parse(`${v}T00:00:00Z`) - Date.UTC(1899, 11, 30)) / DAY_MS;
        if (name === 'Email_Opt_Out') return v === 'true';
        if (name === 'Description') return v.replace(/^"|"$/g, '').replace(/""/g, '"');
        return v;
      }),
    );
  }
  return out;
}
