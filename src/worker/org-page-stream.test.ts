// A Bulk Read page read as it downloads: whatever pieces the network hands over, in either ZIP layout (sizes in the
// local header, or after the data as the emulator's streaming writer and Zoho may write them), the snapshot is the
// one the whole file gives; a failed or replaced attempt leaves nothing of itself behind.
import fc from 'fast-check';
import { strToU8, Zip, ZipDeflate, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { serialiseRow } from '../domain/csv/serialise.ts';
import { addCsvPage, emptySnapshot } from '../domain/org-check/snapshot.ts';
import { createImportClient } from './import-client.ts';
import { concatBytes, LastBytes, OrgPageStream } from './org-page-stream.ts';

/** A ZIP written the streaming way: sizes in a data descriptor after the entry's data. */
function streamedZip(name: string, text: string): Uint8Array {
  const parts: Uint8Array[] = [];
  const zip = new Zip((err, data) => {
    if (err) throw err;
    parts.push(data);
  });
  const entry = new ZipDeflate(name, { level: 1 });
  zip.add(entry);
  entry.push(strToU8(text), true);
  zip.end();
  return concatBytes(parts);
}

const pageText = (records: readonly [string, string][]): string =>
  'id,Email,Last_Name\r\n' + records.map(([e, l], i) => serialiseRow([String(1000 + i), e, l])).join('');

function cutAt(bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let at = 0;
  for (const p of [...points, bytes.length]) {
    out.push(bytes.slice(at, p));
    at = p;
  }
  return out;
}

const timing = () => ({ unzipMs: 0, parseMs: 0 });

describe('OrgPageStream', () => {
  it('property: any cut of either ZIP layout reads as the whole page (fast-check seed 9141)', async () => {
    const cell = fc.oneof(fc.string({ maxLength: 10 }), fc.constantFrom('', 'Zoë', 'a,b', 'say "hi"', 'x\r\ny', '日本'));
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(cell, cell), { maxLength: 40 }),
        fc.constantFrom('descriptor', 'deflated', 'stored'),
        fc.array(fc.nat(), { maxLength: 15 }),
        async (records, layout, cuts) => {
          const text = pageText(records);
          // Sizes after the data (the emulator's writer), sizes in the header, or not compressed (read whole).
          const zip = layout === 'descriptor' ? streamedZip('job.csv', text) : zipSync({ 'job.csv': strToU8(text) }, { level: layout === 'stored' ? 0 : 6 });
          const whole = emptySnapshot('Contacts', ['Email', 'Last_Name']);
          const added = addCsvPage(whole, text);
          const s = emptySnapshot('Contacts', ['Email', 'Last_Name']);
          const page = new OrgPageStream(s, 1, timing());
          for (const piece of cutAt(zip, cuts)) page.push(piece);
          expect(await page.end()).toBe(added);
          expect(s.ids.toArray()).toEqual(whole.ids.toArray());
          expect(s.columns.get('Email')!.toArray()).toEqual(whole.columns.get('Email')!.toArray());
          expect(s.columns.get('Last_Name')!.toArray()).toEqual(whole.columns.get('Last_Name')!.toArray());
        },
      ),
      { seed: 9_141, numRuns: 200 },
    );
  });

  it('a download cut short, or not a ZIP, is refused with words and leaves the snapshot as it was', async () => {
    const s = emptySnapshot('Contacts', ['Email', 'Last_Name']);
    addCsvPage(s, pageText([['a@x.example', 'A']]));
    const zip = streamedZip('job.csv', pageText(Array.from({ length: 60_000 }, (_, i) => [`b${i}@x.example`, `B ${(i * 7919) % 10007}`])));
    // Cut inside the compressed data: some records could be read before the end, and are taken out again.
    const cut = new OrgPageStream(s, 1, timing());
    cut.push(zip.slice(0, Math.floor(zip.length * 0.8)));
    // The inflater runs between tasks: let it read what it has.
    for (let i = 0; i < 50 && s.ids.length === 1; i++) await new Promise((r) => setTimeout(r, 5));
    expect(s.ids.length).toBeGreaterThan(1);
    await expect(cut.end()).rejects.toThrow(/The Bulk Read result of Contacts (was cut short|is not a readable ZIP)/);
    expect(s.ids.toArray()).toEqual(['1000']);
    expect(s.columns.get('Email')!.toArray()).toEqual(['a@x.example']);

    const html = new OrgPageStream(s, 2, timing());
    html.push(strToU8('<html>Service unavailable</html>'));
    await expect(html.end()).rejects.toThrow(/The Bulk Read result of Contacts is not a readable ZIP/);
    expect(s.ids.toArray()).toEqual(['1000']);

    const two = new OrgPageStream(s, 3, timing());
    two.push(zipSync({ 'a.csv': strToU8(pageText([])), 'b.csv': strToU8(pageText([])) }));
    await expect(two.end()).rejects.toThrow(/holds 2 CSV files instead of one/);
  });
});

describe('a page replaced while it is still being read', () => {
  it('adds nothing once abandoned, though its inflater still had data queued', async () => {
    const s = emptySnapshot('Contacts', ['Email', 'Last_Name']);
    const zip = streamedZip('job.csv', pageText(Array.from({ length: 60_000 }, (_, i) => [`r${i}@x.example`, `R ${(i * 7919) % 10007}`])));
    // A retry begins as soon as the first attempt is dropped: before the first attempt's inflater has run at all.
    const first = new OrgPageStream(s, 1, timing());
    first.push(zip.slice(0, Math.floor(zip.length * 0.8)));
    first.abandon();
    for (let i = 0; i < 20; i++) await new Promise((r) => setTimeout(r, 5));
    expect(s.ids.toArray()).toEqual([]);
    const retry = new OrgPageStream(s, 2, timing());
    retry.push(zip);
    expect(await retry.end()).toBe(60_000);
    expect(new Set(s.ids.toArray()).size).toBe(60_000);
  });
});

describe('orgPageStream through the import client', () => {
  it('a second attempt replaces a half-received first one: every record once', async () => {
    const client = createImportClient({ inThread: true });
    await client.orgStart({ target: { module: 'Contacts', fields: ['Email', 'Last_Name'] }, lookups: [], moduleFields: {}, users: [] });
    const records: [string, string][] = Array.from({ length: 3000 }, (_, i) => [`p${i}@x.example`, `Name ${i}`]);
    const zip = streamedZip('job.csv', pageText(records));
    const upload = client.orgPageStream('Contacts');
    upload.begin();
    upload.push(zip.slice(0, Math.floor(zip.length / 2)));
    // The connection dropped: the retry downloads the file again from its first byte.
    upload.begin();
    for (let at = 0; at < zip.length; at += 997) upload.push(zip.slice(at, at + 997));
    expect(await upload.end()).toBe(3000);
    // A second page of the same module adds to the first.
    const more = client.orgPageStream('Contacts');
    more.begin();
    more.push(zipSync({ 'page2.csv': strToU8(pageText([['q@x.example', 'Q']])) }));
    expect(await more.end()).toBe(3001);
    // A page that fails is taken out again, and says why.
    const bad = client.orgPageStream('Contacts');
    bad.begin();
    bad.push(zip.slice(0, 200));
    await expect(bad.end()).rejects.toThrow(/The Bulk Read result of Contacts/);
    const after = client.orgPageStream('Contacts');
    after.begin();
    after.push(zipSync({ 'page3.csv': strToU8(pageText([])) }));
    expect(await after.end()).toBe(3001);
    client.dispose();
  });
});

describe('LastBytes', () => {
  it('property: what it lets go of, then what it keeps, is every byte in order, and it keeps exactly the last `keep` (fast-check seed 9142)', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 40 }), { maxLength: 30 }), fc.integer({ min: 1, max: 64 }), (pieces, keep) => {
        const last = new LastBytes(keep);
        const out: Uint8Array[] = [];
        for (const p of pieces) out.push(...last.push(p));
        const all = concatBytes(pieces);
        const kept = last.bytes();
        expect(Array.from(concatBytes([...out, kept]))).toEqual(Array.from(all));
        expect(kept.length).toBe(Math.min(keep, all.length));
      }),
      { seed: 9_142, numRuns: 300 },
    );
  });
});

describe('pages one after another (org-session.ts)', () => {
  it('the next page sent while the last is still being read waits its turn: every record once, the count in page order', async () => {
    const client = createImportClient({ inThread: true });
    const start = () => client.orgStart({ target: { module: 'Contacts', fields: ['Email', 'Last_Name'] }, lookups: [], moduleFields: {}, users: [] });
    // One page's download handed over whole; its end asked for but not awaited — as the check does, downloading the
    // next page while the worker still reads this one (decision 172).
    const send = (zip: Uint8Array): Promise<number> => {
      const upload = client.orgPageStream('Contacts');
      upload.begin();
      upload.push(zip);
      const end = upload.end();
      end.catch(() => undefined);
      return end;
    };
    await start();
    const big = streamedZip('job.csv', pageText(Array.from({ length: 60_000 }, (_, i) => [`r${i}@x.example`, `R ${i}`])));
    const two: [string, string][] = [
      ['s1@x.example', 'S'],
      ['s2@x.example', 'S'],
    ];
    const firstEnd = send(big);
    const secondEnd = send(streamedZip('job2.csv', pageText(two)));
    expect(await firstEnd).toBe(60_000);
    expect(await secondEnd).toBe(60_002);

    // A reset and a new check while a page waits its turn: the waiting page is dropped, and its end says so.
    void send(big);
    const waitingEnd = send(streamedZip('job4.csv', pageText([['t@x.example', 'T']])));
    await client.orgReset();
    await start();
    await expect(waitingEnd).rejects.toThrow(/The org check was not started for Contacts/);
    expect(await send(zipSync({ 'p.csv': strToU8(pageText([['u@x.example', 'U']])) }))).toBe(1);
    client.dispose();
  });
});
