// The record store's batched mode (multi-row INSERTs) against real SQLite: reads between inserts see rows not yet
// flushed, the stored rows are exactly what row-by-row inserts store, and a rolled-back batch leaves nothing.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fieldModelFromMeta, type FieldModel } from '../../src/domain/fields/field-model.ts';
import { openDb, type OpenedDb } from './db.ts';
import { INSERT_BATCH, RecordStore } from './records.ts';
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

/** Every stored row of both tables, for comparing two stores. */
function dump(o: OpenedDb): unknown {
  return {
    records: o.db.prepare(`SELECT module, id, job_id, data FROM records ORDER BY module, id`).all(),
    unique: o.db.prepare(`SELECT module, field, value, record_id FROM unique_values ORDER BY module, field, value`).all(),
  };
}

/** Insert n records (some sharing an e-mail in another case, so OR REPLACE ordering matters) in one transaction. */
function insertMany(store: RecordStore, unique: FieldModel[], n: number, batched: boolean, seen: (i: number, id: string) => void): void {
  store.transaction(() => {
    const body = () => {
      for (let i = 0; i < n; i++) {
        const email = i % 7 === 3 ? `SAME${i % 2}@x.example` : `user${i}@x.example`;
        const id = store.insert('Contacts', { Last_Name: `L${i}`, Email: email }, 'job-1', unique);
        seen(i, id);
      }
      store.persist();
    };
    if (batched) store.batched(body);
    else body();
  });
}

describe('RecordStore.batched', () => {
  const n = INSERT_BATCH * 2 + 37; // two full multi-row statements and a remainder written row by row

  it('stores exactly what row-by-row inserts store (same ids, data, unique values with later rows winning)', () => {
    const a = fresh();
    const b = fresh();
    insertMany(a.store, a.unique, n, false, () => undefined);
    insertMany(b.store, b.unique, n, true, () => undefined);
    expect(dump(b.o)).toEqual(dump(a.o));
    expect(b.store.count('Contacts')).toBe(n + 2); // plus the two seed contacts
  });

  it('reads inside the batch see records and unique values not yet flushed', () => {
    const { store, unique } = fresh();
    const email = unique.find((f) => f.apiName === 'Email')!;
    insertMany(store, unique, n, true, (i, id) => {
      expect(store.get('Contacts', id)).toEqual({ id, module: 'Contacts', jobId: 'job-1', data: { Last_Name: `L${i}`, Email: i % 7 === 3 ? `SAME${i % 2}@x.example` : `user${i}@x.example` } });
      expect(store.get('Accounts', id)).toBeNull();
      expect(store.findByUnique('Contacts', email, i % 7 === 3 ? `same${i % 2}@X.EXAMPLE` : `USER${i}@x.example`)).toBe(id);
      expect(store.findByField('Contacts', 'Last_Name', `L${i}`)).toEqual([id]);
    });
  });

  it('an update inside the batch applies to a record inserted earlier in the same batch', () => {
    const { store, unique } = fresh();
    const email = unique.find((f) => f.apiName === 'Email')!;
    let id = '';
    store.transaction(() =>
      store.batched(() => {
        id = store.insert('Contacts', { Last_Name: 'Before', Email: 'old@x.example' }, 'job-1', unique);
        const rec = store.get('Contacts', id)!;
        store.update(rec, { Last_Name: 'After', Email: 'new@x.example' }, unique);
        store.insert('Contacts', { Last_Name: 'Other' }, 'job-1', unique);
        store.persist();
      }),
    );
    expect(store.get('Contacts', id)?.data).toEqual({ Last_Name: 'After', Email: 'new@x.example' });
    expect(store.findByUnique('Contacts', email, 'old@x.example')).toBeNull();
    expect(store.findByUnique('Contacts', email, 'new@x.example')).toBe(id);
  });

  it('a batch whose transaction throws leaves no record, no unique value and no buffered row behind', () => {
    const { o, store, unique } = fresh();
    const before = dump(o);
    let lastId = '';
    expect(() =>
      store.transaction(() =>
        store.batched(() => {
          for (let i = 0; i < INSERT_BATCH + 5; i++) lastId = store.insert('Contacts', { Last_Name: `L${i}`, Email: `r${i}@x.example` }, 'job-1', unique);
          throw new Error('disk full');
        }),
      ),
    ).toThrow('disk full');
    expect(dump(o)).toEqual(before);
    expect(store.get('Contacts', lastId)).toBeNull();
    expect(store.findByUnique('Contacts', unique[0]!, `r${INSERT_BATCH + 4}@x.example`)).toBeNull();
  });
});
