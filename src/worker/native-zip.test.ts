// The natively deflated Bulk Write ZIP (decision 158) against every reader the project and Zoho's side use: JSZip
// with its CRC-32 check, fflate, the emulator's upload reader, and the result-ZIP directory reader; and the same
// bytes from run to run. Node's CompressionStream is the same zlib the browser's is.
import fc from 'fast-check';
import { unzipSync } from 'fflate';
import JSZip from 'jszip';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { extractSingleCsv } from '../../emulator/zip-reader.ts';
import { findDirectory, readDirectory } from '../domain/jobs/result-zip.ts';
import { splitIntoJobs, zipCsv } from '../domain/jobs/split.ts';
import { gzipParts, zipOneDeflated } from '../domain/jobs/zip-writer.ts';
import { nativeZipCsv } from './native-zip.ts';

const SEED = 158;
const enc = (s: string) => new TextEncoder().encode(s);

async function readAll(zip: Uint8Array): Promise<{ jszip: Uint8Array; fflate: Uint8Array; emulator: Uint8Array; names: string[] }> {
  const z = await JSZip.loadAsync(zip, { checkCRC32: true });
  const names = Object.keys(z.files);
  const jszip = await z.file(names[0] ?? '')!.async('uint8array');
  const ff = unzipSync(zip);
  const emulator = extractSingleCsv(zip, 30 * 1024 * 1024).bytes;
  return { jszip, fflate: ff[names[0] ?? ''] ?? new Uint8Array(), emulator, names };
}

describe('nativeZipCsv', () => {
  it(`property: every reader gets the CSV back whole, CRC checked (fast-check seed ${SEED})`, async () => {
    console.log(`fast-check seed ${SEED}`);
    const text = fc.array(fc.constantFrom('a', 'é', '😀', ',', '"', '\r\n', ' ', '1', 'Zoho', '\u0000'), { maxLength: 400 }).map((p) => p.join(''));
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(text.map(enc), fc.uint8Array({ maxLength: 3000 })),
        fc.constantFrom('Contacts.csv', 'Leads.csv', 'Deals_X.csv'),
        async (csv, name) => {
          const zip = await nativeZipCsv(name, csv);
          const got = await readAll(zip);
          expect(got.names).toEqual([name]);
          expect(got.jszip).toEqual(csv);
          expect(got.fflate).toEqual(csv);
          expect(got.emulator).toEqual(csv);
          // Sizes and CRC in the local header, as JSZip writes them (no data descriptor: flag bit 3 clear).
          const v = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
          expect(v.getUint16(6, true) & 0x8).toBe(0);
          expect(v.getUint32(22, true)).toBe(csv.length);
          const dir = findDirectory(zip, zip.length);
          expect(dir).not.toBeNull();
          const entries = readDirectory(zip.subarray(dir!.offset, dir!.offset + dir!.size), dir!.count);
          expect(entries?.map((e) => [e.name, e.method, e.localOffset])).toEqual([[name, 8, 0]]);
        },
      ),
      { seed: SEED, numRuns: 120 },
    );
  });

  it('same CSV → same bytes, with the fixed entry date JSZip writes', async () => {
    const csv = enc('Last_Name,Email\r\nSmith,s@x.example\r\n'.repeat(500));
    const a = await nativeZipCsv('Contacts.csv', csv);
    const b = await nativeZipCsv('Contacts.csv', csv);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    const viaJsZip = await zipCsv('Contacts.csv', csv);
    // Time and date fields (local header offsets 10 and 12) are the same as JSZip's for the fixed date.
    expect(Array.from(a.subarray(10, 14))).toEqual(Array.from(viaJsZip.subarray(10, 14)));
  });

  it('a gzip member with optional header fields, or of another size, is not wrapped (JSZip zips it instead)', () => {
    const csv = enc('a,b\r\n1,2\r\n');
    const plain = new Uint8Array(gzipSync(csv));
    expect(gzipParts(plain)).not.toBeNull();
    const named = plain.slice();
    named[3] = 0x08; // FNAME: the header is longer than 10 bytes
    expect(gzipParts(named)).toBeNull();
    expect(gzipParts(plain.subarray(0, 12))).toBeNull();
    expect(zipOneDeflated('x.csv', gzipParts(plain)!, csv.length + 1, new Date(0))).toBeNull();
  });

  it('a part too big once zipped is halved and zipped again, as with JSZip', async () => {
    let x = 12345;
    const noisy = Array.from({ length: 400 }, (_, i) => ({
      line: i + 2,
      cells: [Array.from({ length: 40 }, () => (((x = (x * 1103515245 + 12345) % 2147483648) >>> 16) % 16).toString(16)).join('')],
    }));
    const res = await splitIntoJobs({ header: ['A'], columnSource: [0], rows: noisy, module: 'Leads', maxZipBytes: 6000 }, undefined, undefined, nativeZipCsv);
    expect(res.jobs.length).toBeGreaterThan(1);
    let text = '';
    for (const j of res.jobs) {
      expect(j.zipBytes).toBeLessThanOrEqual(6000);
      text += new TextDecoder().decode((await readAll(j.zip)).jszip).slice('A\r\n'.length);
    }
    expect(text).toBe(noisy.map((r) => `${r.cells[0]}\r\n`).join(''));
  });

  it('parts share one buffer: each is its own rows whole, a lone surrogate sent as U+FFFD like any encoder', async () => {
    const rows = Array.from({ length: 9 }, (_, i) => ({
      line: i + 2,
      cells: [i === 4 ? `x\uD800y${'z'.repeat(40)}` : `row${i}${'w'.repeat(i % 3 === 0 ? 60 : 5)}`],
    }));
    const res = await splitIntoJobs({ header: ['A'], columnSource: [0], rows, module: 'Leads', maxRows: 2 }, undefined, undefined, nativeZipCsv);
    const texts = await Promise.all(res.jobs.map(async (j) => new TextDecoder().decode((await readAll(j.zip)).jszip)));
    expect(texts).toEqual(
      [0, 2, 4, 6, 8].map((a) => ['A', ...rows.slice(a, a + 2).map((r) => r.cells[0]!.replace('\uD800', '\uFFFD'))].map((l) => `${l}\r\n`).join('')),
    );
    expect(res.jobs.map((j) => j.csvBytes)).toEqual(texts.map((t) => new TextEncoder().encode(t).length));
  });
});
