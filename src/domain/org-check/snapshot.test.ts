// The Bulk Read CSV reader: RFC 4180 round trip (property, fixed seed), columns found by name in any case and
// order (never by position), and a page that cannot be trusted is refused with a sentence naming the problem.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { keyValue } from './key-values-test-support.ts';
import { serialiseRow } from '../csv/serialise.ts';
import {
  addCsvPage,
  CsvPageReader,
  emptySnapshot,
  forEachCsvRecord,
  KeyIndex,
  NO_RECORD,
  PAGE_RECORDS_MAX,
  prefaultRecords,
  reserveRecords,
  SEVERAL_RECORDS,
  trimSnapshot,
} from './snapshot.ts';

const SEED = 8_085;

describe('forEachCsvRecord', () => {
  it('reads back any table serialised with RFC 4180 quoting (commas, quotes, CR/LF inside cells, empty cells)', () => {
    const cell = fc.oneof(fc.string(), fc.constantFrom('', ',', '"', '\r\n', 'a"b', ' lead', 'x\ny'));
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }).chain((w) => fc.array(fc.array(cell, { minLength: w, maxLength: w }), { minLength: 1, maxLength: 20 })),
        (rows) => {
          // A record that is one empty cell is a blank line in CSV: not a record (as Zoho's files never hold one).
          const kept = rows.filter((r) => !(r.length === 1 && r[0] === ''));
          const text = kept.map(serialiseRow).join('\r\n') + '\r\n';
          const back: string[][] = [];
          expect(forEachCsvRecord(text, (c) => back.push(c))).toBe(true);
          expect(back).toEqual(kept);
        },
      ),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('says false for a quote left open (a cut-off download)', () => {
    expect(forEachCsvRecord('id,Email\r\n1,"open', () => undefined)).toBe(false);
  });
});

describe('addCsvPage', () => {
  it('reads columns by name, whatever their case and order, and ignores columns it did not ask for', () => {
    const s = emptySnapshot('Contacts', ['Email', 'Last_Name']);
    const n = addCsvPage(s, '\uFEFFLAST_NAME,Extra,ID,email\r\nAda,x,11,ada@x.example\r\n"Bea, Jr",y,12,\r\n');
    expect(n).toBe(2);
    expect(s.ids.toArray()).toEqual(['11', '12']);
    expect(s.columns.get('Email')?.toArray()).toEqual(['ada@x.example', '']);
    expect(s.columns.get('Last_Name')?.toArray()).toEqual(['Ada', 'Bea, Jr']);
    // A second page appends.
    addCsvPage(s, 'id,Email,Last_Name\r\n13,cy@x.example,Cy\r\n');
    expect(s.ids.toArray()).toEqual(['11', '12', '13']);
    expect(s.pages).toBe(2);
  });

  it('reads quoted cells with doubled quotes, commas and line breaks, and skips blank lines', () => {
    const s = emptySnapshot('Contacts', ['Last_Name', 'Email']);
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.string(), fc.string()), { maxLength: 15 }), (rows) => {
        const before = s.ids.length;
        const text =
          serialiseRow(['id', 'Last_Name', 'Email']) + '\r\n' + rows.map(([a, b], k) => serialiseRow([String(k + 1), a, b])).join('\r\n\r\n') + '\r\n';
        expect(addCsvPage(s, text)).toBe(rows.length);
        rows.forEach(([a, b], k) => {
          expect(s.columns.get('Last_Name')!.get(before + k)).toBe(a);
          expect(s.columns.get('Email')!.get(before + k)).toBe(b);
          expect(s.ids.get(before + k)).toBe(String(k + 1));
        });
      }),
      { seed: SEED, numRuns: 200 },
    );
  });

  it('an empty module (header only) adds nothing', () => {
    const s = emptySnapshot('Deals', ['Deal_Name']);
    expect(addCsvPage(s, 'id,Deal_Name\r\n')).toBe(0);
    expect(s.ids.toArray()).toEqual([]);
  });

  it('refuses a page without a requested column, without id, with a ragged record, or cut off', () => {
    expect(() => addCsvPage(emptySnapshot('Contacts', ['Email']), 'id,Last_Name\r\n1,A\r\n')).toThrow(/no Email column, which the check asked for/);
    expect(() => addCsvPage(emptySnapshot('Contacts', ['Email']), 'Email\r\na@x.example\r\n')).toThrow(/has no id column/);
    expect(() => addCsvPage(emptySnapshot('Contacts', ['Email']), 'id,Email\r\n1,a@x.example,extra\r\n')).toThrow(/3 cells under a header of 2/);
    expect(() => addCsvPage(emptySnapshot('Contacts', ['Email']), 'id,Email\r\n1,"a@x')).toThrow(/cut short/);
  });
});

// A page of records with and without quotes, commas, lone CRs and line breaks inside cells, in any line ending.
const pageCell = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.constantFrom('', ',', '"', 'a\rb', 'x\r\ny', 'p\nq', 'say ""hi""', ' lead', 'Müller', '東京, "Ltd"', '😀', 'x'.repeat(150)),
);
const pageRecords = fc.array(fc.tuple(pageCell, pageCell), { minLength: 0, maxLength: 25 });
const lineEnding = fc.constantFrom('\r\n', '\n', '\r');
/** serialiseRow ends each row with CRLF; the line ending under test replaces it. */
const pageOf = (records: readonly [string, string][], eol: string, lastBreak: boolean): string =>
  ['id,Email,Last_Name', ...records.map(([a, b], i) => serialiseRow([`id${i}`, a, b]).slice(0, -2))].join(eol) + (lastBreak ? eol : '');

describe('addCsvPage (property)', () => {
  // Records with and without quotes, commas, lone CRs and line breaks inside cells, written with CRLF or LF, with or
  // without a last line break: the offsets reader (and its indexOf fast path for plain records) reads exactly what
  // the plain RFC 4180 reader reads.
  it('reads every column as forEachCsvRecord does, whatever the line endings, CR alone included (fast-check seed 8085)', () => {
    fc.assert(
      fc.property(pageRecords, lineEnding, fc.boolean(), (records, eol, lastBreak) => {
        const text = pageOf(records, eol, lastBreak);
        const want: string[][] = [];
        forEachCsvRecord(text, (c) => want.push(c));
        const s = emptySnapshot('Contacts', ['Email', 'Last_Name']);
        addCsvPage(s, text);
        const rows = want.slice(1);
        expect(s.ids.toArray()).toEqual(rows.map((r) => r[0]));
        expect(s.columns.get('Email')!.toArray()).toEqual(rows.map((r) => r[1]));
        expect(s.columns.get('Last_Name')!.toArray()).toEqual(rows.map((r) => r[2]));
      }),
      { seed: SEED, numRuns: 500 },
    );
  });
});

describe('CsvPageReader (property)', () => {
  // The page arrives as the download does: in pieces cut anywhere — inside a quoted cell, between a CR and its LF,
  // inside the header. Read in pieces, the snapshot is the one the whole text gives.
  it('reads a page pushed in arbitrary pieces exactly as the whole text (fast-check seed 8086)', () => {
    fc.assert(
      fc.property(
        pageRecords,
        lineEnding,
        fc.boolean(),
        fc.boolean(),
        fc.array(fc.nat(), { maxLength: 12 }),
        fc.option(fc.integer({ min: -2, max: 40 })),
        fc.boolean(),
        (records, eol, lastBreak, bom, cuts, count, small) => {
          const text = (bom ? '\uFEFF' : '') + pageOf(records, eol, lastBreak);
          const whole = emptySnapshot('Contacts', ['Email', 'Last_Name']);
          const added = addCsvPage(whole, text);
          // Cut anywhere in the bytes: inside a character's UTF-8 too.
          const bytes = new TextEncoder().encode(text);
          const bits = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
          const pieced = emptySnapshot('Contacts', ['Email', 'Last_Name']);
          // The job's record count, when Zoho gives one, sizes the columns first; right or wrong, it changes nothing read.
          if (count !== null) reserveRecords(pieced, count);
          // Page memory in slabs of 64 bytes or of the usual size: records move to the next slab, whole.
          const reader = small ? new CsvPageReader(pieced, 64) : new CsvPageReader(pieced);
          let at = 0;
          for (const cut of [...bits, bytes.length]) {
            reader.push(bytes.subarray(at, cut));
            at = cut;
          }
          expect(reader.end()).toBe(added);
          expect(pieced.ids.toArray()).toEqual(whole.ids.toArray());
          expect(pieced.columns.get('Email')!.toArray()).toEqual(whole.columns.get('Email')!.toArray());
          expect(pieced.columns.get('Last_Name')!.toArray()).toEqual(whole.columns.get('Last_Name')!.toArray());
          expect(pieced.pages).toBe(1);
        },
      ),
      { seed: 8_086, numRuns: 500 },
    );
  });

  it('makes room from a page count before the page is read, never beyond a page of Bulk Read, and never copies what it holds', () => {
    const s = emptySnapshot('Contacts', ['Email']);
    reserveRecords(s, 5_000);
    const block = s.store.capacity;
    expect(block).toBeGreaterThanOrEqual(5_016);
    expect(s.columns.get('Email')!.capacity).toBe(block);
    const huge = emptySnapshot('Contacts', ['Email']);
    reserveRecords(huge, 2 ** 31);
    expect(huge.store.capacity).toBeGreaterThanOrEqual(PAGE_RECORDS_MAX + 16);
    expect(huge.store.capacity).toBeLessThan(PAGE_RECORDS_MAX + 16 + block);
    const odd = emptySnapshot('Contacts', ['Email']);
    for (const n of [0, -1, 2.5, Number.NaN]) reserveRecords(odd, n);
    expect(odd.store.capacity).toBe(0);
    // A page that fills the room, then a second page's count: a block is added, the records held stay where they are.
    const first = s.store.blocks[0];
    addCsvPage(s, 'id,Email\n' + Array.from({ length: block }, (_, i) => `${i},e${i}@x.example`).join('\n') + '\n');
    reserveRecords(s, 2);
    expect(s.store.capacity).toBe(2 * block);
    expect(s.store.blocks[0]).toBe(first);
    addCsvPage(s, 'id,Email\n1001,last@x.example\n');
    expect(s.ids.get(block - 1)).toBe(String(block - 1));
    expect(s.columns.get('Email')!.get(block)).toBe('last@x.example');
  });

  it('maps a first page of room up front, and lets go of what the page did not use', () => {
    const s = emptySnapshot('Contacts', ['Email']);
    prefaultRecords(s);
    expect(s.store.capacity).toBeGreaterThanOrEqual(PAGE_RECORDS_MAX);
    addCsvPage(s, 'id,Email\n1,a@x.example\n2,b@x.example\n');
    trimSnapshot(s);
    expect(s.store.capacity).toBeLessThan(PAGE_RECORDS_MAX);
    expect(s.store.capacity).toBeGreaterThanOrEqual(2);
    expect(s.columns.get('Email')!.toArray()).toEqual(['a@x.example', 'b@x.example']);
    // Another page after the trim still has room made for it.
    addCsvPage(s, 'id,Email\n3,c@x.example\n');
    expect(s.ids.toArray()).toEqual(['1', '2', '3']);
  });

  it('reads a page whose records span blocks, in pieces cut anywhere, as the whole page', () => {
    const block = (() => {
      const probe = emptySnapshot('Contacts', []);
      probe.store.reserve(1);
      return probe.store.capacity;
    })();
    const n = 2 * block + 7;
    const text = 'id,Email,Title\r\n' + Array.from({ length: n }, (_, i) => `${i},"e${i}@x.example",${i % 3 === 0 ? '"say ""hi"""' : `t${i}`}`).join('\r\n');
    const s = emptySnapshot('Contacts', ['Email', 'Title']);
    const reader = new CsvPageReader(s);
    const bytes = new TextEncoder().encode(text);
    for (let at = 0, k = 1; at < bytes.length; at += 4_093 * k, k++) reader.push(bytes.subarray(at, at + 4_093 * k));
    expect(reader.end()).toBe(n);
    for (const i of [0, block - 1, block, block + 1, 2 * block, n - 1]) {
      expect(s.ids.get(i)).toBe(String(i));
      expect(s.columns.get('Email')!.get(i)).toBe(`e${i}@x.example`);
      expect(s.columns.get('Title')!.get(i)).toBe(i % 3 === 0 ? 'say "hi"' : `t${i}`);
      expect(s.columns.get('Email')!.keyEquals(i, `E${i}@X.EXAMPLE`.toLowerCase(), true)).toBe(true);
    }
  });

  it('refuses a page cut off inside a quoted cell, however it arrived', () => {
    const reader = new CsvPageReader(emptySnapshot('Contacts', ['Email']));
    reader.push(new TextEncoder().encode('id,Email\r\n1,a@x.example\r\n2,"b@'));
    reader.push(new TextEncoder().encode('x.example\r\n'));
    expect(() => reader.end()).toThrow(/cut short/);
  });
});

describe('KeyIndex', () => {
  // The index must answer exactly what a Map of `fold ? v.toLowerCase() : v` answers (values: key-values-test-support).
  const value = keyValue;
  it('property: get and holders equal a Map of the folded values, both case rules (fast-check seed 8085)', () => {
    fc.assert(
      fc.property(fc.array(value, { minLength: 0, maxLength: 60 }), fc.boolean(), fc.array(value, { maxLength: 20 }), (values, fold, probes) => {
        const s = emptySnapshot('Contacts', ['Email']);
        const text = 'id,Email\r\n' + values.map((v, i) => serialiseRow([String(i), v])).join('');
        addCsvPage(s, text);
        const index = new KeyIndex(s.columns.get('Email')!, fold);
        const keyOf = (v: string) => (fold ? v.toLowerCase() : v);
        const reference = new Map<string, number[]>();
        values.forEach((v, i) => {
          if (v === '') return;
          reference.set(keyOf(v), [...(reference.get(keyOf(v)) ?? []), i]);
        });
        for (const probe of [...values, ...probes]) {
          const key = keyOf(probe);
          const holders = key === '' ? [] : (reference.get(key) ?? []);
          const want = holders.length === 0 ? NO_RECORD : holders.length === 1 ? holders[0] : SEVERAL_RECORDS;
          expect(index.get(key)).toBe(want);
          if (key !== '') expect(index.holders(key)).toEqual(holders);
        }
      }),
      { seed: SEED, numRuns: 400 },
    );
  });
});
