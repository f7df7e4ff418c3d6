// The org bench's file, shared by the bench page (bench/org-browser) and the Review phase of org.bench.ts, so both
// check the same rows: a Contacts CSV of `rows` rows against an org of `orgRecords` contacts seeded as
// org{n}@{domain}. Half the rows carry an e-mail the org holds (an update), half a new one; every 50th has a bad
// phone (a skip); among the updates, every other one keeps the org's last name.
export const ORG_FILE_HEADERS = ['First_Name', 'Last_Name', 'Email', 'Phone', 'Title', 'Mailing_City'] as const;

export function orgFileCsv(rows: number, orgRecords: number, domain: string): string {
  const lines: string[] = [ORG_FILE_HEADERS.join(',')];
  for (let i = 1; i <= rows; i++) {
    const existing = i % 2 === 0;
    const n = existing ? ((i * 7919) % orgRecords) + 1 : i;
    const email = existing ? `org${n}@${domain}` : `file${i}@bench-new.example`;
    const phone = i % 50 === 0 ? 'call me' : `+1555${String(n).padStart(7, '0')}`;
    lines.push(`Org,${existing && i % 4 === 0 ? `Contact ${n}` : `Renamed ${i}`},${email},${phone},Title ${i % 13},City ${i % 97}`);
  }
  return lines.join('\r\n') + '\r\n';
}

/** The org's last name of the record row `i` (1-based, even) of the file matches: what an edit puts back. */
export function orgLastNameOfRow(i: number, orgRecords: number): string {
  return `Contact ${((i * 7919) % orgRecords) + 1}`;
}
