// RecordStore.insertEncoded (the runner's path: JSON built by the caller) stores exactly what insert(data) stores —
// same ids, record rows and unique values (later rows winning a shared value) — against real SQLite.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fieldModelFromMeta, type FieldModel } from '../../src/domain/fields/field-model.ts';
import { openDb, type OpenedDb } from './db.ts';
import { RecordStore, type RecordData } from './records.ts';
import { SEED_MODULES } from './seed-metadata.ts';

const opened: { dir: string; o: OpenedDb }[] = [];
afterEach(() => {
  for (const { dir, o } of opened.splice(0)) {
    o.db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

function fresh(): { o: OpenedDb; store: RecordStore; unique: FieldModel[] } {
  const dir = mkdtempSync(join(tmpdir(), 'emu-records-'));
  const o = openDb(dir);
  opened.push({ dir, o });
  const contacts = SEED_MODULES.find((m) => m.api_name === 'Contacts')!;
  const unique = contacts.fields.map(fieldModelFromMeta).filter((f) => f.unique !== null);
  return { o, store: new RecordStore(o.db, o.ids), unique };
}

/**
 * Every stored row of both tables, for comparing two stores. The two stores are seeded a moment apart, so the seeded
 * records' Created_Time/Modified_Time (the clock at seeding) are left out; the rows under test carry no times.
 */
function dump(o: OpenedDb): unknown {
  const records = o.db.prepare(`SELECT module, id, job_id, data FROM records ORDER BY module, id`).all() as { data: string }[];
  return {
    records: records.map((r) => {
      const { Created_Time: _c, Modified_Time: _m, ...data } = JSON.parse(r.data) as Record<string, unknown>;
      return { ...r, data };
    }),
    unique: o.db.prepare(`SELECT module, field, value, record_id FROM unique_values ORDER BY module, field, value`).all(),
  };
}

/** Records where some e-mails repeat in another case (so the unique index's "later row wins" shows) or are empty. */
function recordAt(i: number): RecordData {
  const email = i % 7 === 3 ? `SAME${i % 2}@x.example` : i % 11 === 5 ? '' : `user${i}@x.example`;
  return { Last_Name: `L${i}`, Email: email, Hobbies: ['Music', 'Travel'], Points: i };
}

describe('RecordStore.insertEncoded', () => {
  it('stores the same records and unique values as insert(data)', () => {
    const a = fresh();
    const b = fresh();
    const ids: string[][] = [[], []];
    a.store.transaction(() => {
      for (let i = 0; i < 250; i++) ids[0]!.push(a.store.insert('Contacts', recordAt(i), 'job-1', a.unique));
      a.store.persist();
    });
    b.store.transaction(() => {
      for (let i = 0; i < 250; i++) {
        const data = recordAt(i);
        ids[1]!.push(b.store.insertEncoded('Contacts', JSON.stringify(data), 'job-1', b.unique, (k) => data[k]));
      }
      b.store.persist();
    });
    expect(ids[1]).toEqual(ids[0]);
    expect(dump(b.o)).toEqual(dump(a.o));
    const email = b.unique.find((f) => f.apiName === 'Email')!;
    // The last row holding SAME1@… (i % 7 === 3, odd i) owns the value, whatever case it is looked up in.
    const lastSame1 = [...Array(250).keys()].filter((i) => i % 7 === 3 && i % 2 === 1).pop()!;
    expect(b.store.findByUnique('Contacts', email, 'same1@X.EXAMPLE')).toBe(ids[1]![lastSame1]);
  });
});
