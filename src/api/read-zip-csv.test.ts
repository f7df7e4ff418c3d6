// The page's streamed read of a result ZIP (`readZipCsv`: the ZIP's directory, then the platform's DecompressionStream)
// against the in-one-go reader it replaces on the page (`extractResultCsv`, fflate): the same text for every ZIP both
// can read, the same refusal for the others. Real ZIPs from two writers (JSZip, fflate), real Blobs and streams.
import fc from 'fast-check';
import { zipSync, strToU8 } from 'fflate';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { extractResultCsv } from '../domain/jobs/reconcile.ts';
import { readZipCsv } from './download-result.ts';

const SEED = 157;

async function outcome(read: () => Promise<string> | string): Promise<{ text: string } | { error: string }> {
  try {
    return { text: await read() };
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
}

const cell = fc.constantFrom('a', 'Zoë', '💡', ',', '"', '\r\n', '\n', ' ', '7', 'ß', '\u0000', 'x'.repeat(300));
const csvText = fc
  .tuple(
    fc.boolean(),
    fc.array(
      fc.array(cell, { maxLength: 6 }).map((c) => c.join('')),
      { maxLength: 80 },
    ),
  )
  .map(([bom, lines]) => (bom ? '\ufeff' : '') + ['RECORD_ID,STATUS,ERRORS', ...lines].join('\r\n'));
const entryName = fc.constantFrom('Leads_1.csv', 'result.CSV', 'notes.txt', 'dir/', 'dir/inner.csv', 'données.csv', 'README');

describe('readZipCsv', () => {
  it(`property: gives what extractResultCsv gives, for ZIPs from JSZip and fflate (fast-check seed ${SEED})`, async () => {
    console.log(`fast-check seed ${SEED}`);
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.tuple(entryName, csvText), { minLength: 1, maxLength: 4, selector: ([n]) => n }),
        fc.constantFrom('jszip-deflate', 'jszip-store', 'fflate', 'fflate-store'),
        fc.constantFrom('', 'a comment', 'PK\u0005\u0006 in the comment'),
        async (entries, writer, comment) => {
          let bytes: Uint8Array;
          if (writer.startsWith('jszip')) {
            const z = new JSZip();
            for (const [name, text] of entries) {
              if (name.endsWith('/')) z.folder(name.slice(0, -1));
              else z.file(name, text);
            }
            bytes = await z.generateAsync({ type: 'uint8array', compression: writer === 'jszip-store' ? 'STORE' : 'DEFLATE', comment });
          } else {
            const files: Record<string, Uint8Array> = {};
            for (const [name, text] of entries) if (!name.endsWith('/')) files[name] = strToU8(text);
            bytes = zipSync(files, { level: writer === 'fflate-store' ? 0 : 6 });
          }
          const streamed = await outcome(() => readZipCsv(new Blob([new Uint8Array(bytes)])));
          const whole = await outcome(() => extractResultCsv(bytes));
          expect(streamed).toEqual(whole);
        },
      ),
      { seed: SEED, numRuns: 150 },
    );
  });

  it('reads only the CSV: a damaged other entry, which the in-one-go reader inflates too, does not stop it', async () => {
    const csv = 'RECORD_ID,STATUS\r\n1,ADDED\r\n';
    const bytes = zipSync({ 'Leads.csv': strToU8(csv), 'notes.txt': strToU8('n'.repeat(5000)) }, { level: 6 });
    // Overwrite the middle of notes.txt's deflated data (the second entry) with bytes no inflater accepts.
    const notes = bytes.length - 22 - 2 * 46 - 'Leads.csv'.length - 'notes.txt'.length - 10;
    bytes.fill(0xff, notes, notes + 6);
    expect(() => extractResultCsv(bytes)).toThrow();
    await expect(readZipCsv(new Blob([new Uint8Array(bytes)]))).resolves.toBe(csv);
  });

  it('refuses a CSV whose deflated bytes are damaged, saying which file and what to do', async () => {
    const bytes = zipSync({ 'Leads.csv': strToU8('RECORD_ID,STATUS\r\n'.repeat(2000)) }, { level: 6 });
    bytes.fill(0xff, 40, 60);
    await expect(readZipCsv(new Blob([new Uint8Array(bytes)]))).rejects.toThrow(/Leads\.csv could not be inflated .*download it again/);
  });

  it('refuses a file that is not a ZIP as extractResultCsv does', async () => {
    const bytes = strToU8('RECORD_ID,STATUS\r\n1,ADDED\r\n');
    const whole = await outcome(() => extractResultCsv(bytes));
    expect('error' in whole).toBe(true);
    expect(await outcome(() => readZipCsv(new Blob([new Uint8Array(bytes)])))).toEqual(whole);
  });
});
