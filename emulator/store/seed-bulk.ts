// Bulk seeding for tests and benchmarks (admin hook `seed-records`): N deterministic records of a module in
// chunks of one transaction each, with unique values indexed like any other write. Numbering continues from the
// module's record count, so calling it twice never repeats an e-mail or account number.
import { fieldModelFromMeta } from '../../src/domain/fields/field-model.ts';
import { isoWithOffset, type Emulator } from '../context.ts';
import type { RecordData } from './records.ts';

const CHUNK = 20_000;
const tick = () => new Promise((r) => setImmediate(r));

export interface SeedRecordsOptions {
  module: string;
  count: number;
  /** Domain of the generated e-mails (Leads, Contacts): `org<n>@<domain>`. */
  emailDomain: string;
}

/** Insert the records; resolves with the first and last number used. */
export async function seedRecords(emu: Emulator, o: SeedRecordsOptions): Promise<{ first: number; last: number }> {
  const mod = emu.meta.module(o.module)!;
  const name = mod.info.api_name;
  const unique = mod.fields.map(fieldModelFromMeta).filter((f) => f.unique !== null);
  const owners = emu.users
    .all()
    .filter((u) => u.status === 'active')
    .map((u) => u.id);
  const accounts = (emu.db.prepare(`SELECT id FROM records WHERE module = 'Accounts' ORDER BY id LIMIT 50`).all() as { id: string }[]).map((r) => r.id);
  const first = emu.records.count(name) + 1;
  const stamp = isoWithOffset(emu.now());
  const make = (n: number): RecordData => {
    const owner = owners[n % owners.length]!;
    const base: RecordData = { Owner: owner, Created_Time: stamp, Modified_Time: stamp };
    switch (name) {
      case 'Contacts':
        return {
          ...base,
          First_Name: 'Org',
          Last_Name: `Contact ${n}`,
          Email: `org${n}@${o.emailDomain}`,
          Phone: `+1555${String(n).padStart(7, '0')}`,
          ...(accounts.length > 0 && n % 3 === 0 ? { Account_Name: accounts[n % accounts.length]! } : {}),
        };
      case 'Leads':
        return { ...base, First_Name: 'Org', Last_Name: `Lead ${n}`, Company: `Company ${n % 997}`, Email: `org${n}@${o.emailDomain}` };
      case 'Accounts':
        return { ...base, Account_Name: `Org Account ${n}`, Account_Number: `ORG-${n}` };
      case 'Deals':
        return { ...base, Deal_Name: `Deal ${n}`, Stage: 'Qualification', Amount: (n % 100) * 1000 };
      default:
        return { Created_Time: stamp, Modified_Time: stamp };
    }
  };
  for (let start = first; start < first + o.count; start += CHUNK) {
    const end = Math.min(first + o.count, start + CHUNK);
    emu.records.transaction(() => {
      for (let n = start; n < end; n++) emu.records.insert(name, make(n), null, unique);
      emu.records.persist();
    });
    await tick();
  }
  return { first, last: first + o.count - 1 };
}
