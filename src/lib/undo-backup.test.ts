// The backup read before an update by id, against the real emulator: the current values of the written fields for
// every id in the prepared files (each once), ids the org does not hold left out, values as Bulk Write reads them.
import { strToU8, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../emulator/test-helpers.ts';
import { emulatorConnection } from '../api/emulator-test-support.ts';
import { backupCsv, readBackupCsv } from '../domain/undo/backup-csv.ts';
import { backupCell, readBackupById, readBackupByMatch } from './undo-backup.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(async () => {
  await s.stop();
});

describe('readBackupById', () => {
  it('reads the old values of the written fields for every id in the files, once each; unknown ids are left out', async () => {
    const r = await s.api('POST', '/crm/v8/Contacts', {
      data: [
        { Last_Name: 'B1', First_Name: '=Ann', Title: 'CTO' },
        { Last_Name: 'B2', Hobbies: ['Chess', 'Golf'] },
      ],
    });
    const [a, b] = (r.json.data as { details: { id: string } }[]).map((d) => d.details.id);
    const zip1 = zipSync({ 'Contacts.csv': strToU8(`id,First_Name,Title,Hobbies\r\n${a},X,Y,\r\n5725767999999999999,X,Y,\r\n`) });
    const zip2 = zipSync({ 'Contacts.csv': strToU8(`id,First_Name,Title,Hobbies\r\n${b},X,Y,\r\n${a},Z,Z,\r\n`) });
    const progress: number[] = [];
    const backup = await readBackupById(emulatorConnection(s), 'Contacts', [zip1, zip2], { onProgress: (d) => progress.push(d) });
    expect(backup).toEqual({
      module: 'Contacts',
      fields: ['First_Name', 'Title', 'Hobbies'],
      rows: [
        { id: a, values: ['=Ann', 'CTO', ''] },
        { id: b, values: ['', '', 'Chess;Golf'] },
      ],
    });
    expect(progress).toEqual([3]);
    // Through the file and back: exactly the same, formula leader included.
    expect(readBackupCsv(backupCsv(backup), 'Contacts')).toEqual({ ok: true, backup });
  });

  it('refuses prepared files without an id column or with different fields', async () => {
    const noId = zipSync({ 'Contacts.csv': strToU8('Email,Title\r\na@b.example,X\r\n') });
    await expect(readBackupById(emulatorConnection(s), 'Contacts', [noId])).rejects.toThrow(/no "id" column/);
    const z1 = zipSync({ 'Contacts.csv': strToU8('id,Title\r\n1,X\r\n') });
    const z2 = zipSync({ 'Contacts.csv': strToU8('id,Phone\r\n2,X\r\n') });
    await expect(readBackupById(emulatorConnection(s), 'Contacts', [z1, z2])).rejects.toThrow(/same fields/);
  });

  it('writes values the way Bulk Write reads them back', () => {
    expect([
      backupCell(null),
      backupCell(undefined),
      backupCell(12.5),
      backupCell(false),
      backupCell({ id: '77', name: 'Acme' }),
      backupCell(['a', 'b']),
    ]).toEqual(['', '', '12.5', 'false', '77', 'a;b']);
  });
});

describe('readBackupByMatch', () => {
  it('finds the records an update by Email will touch with Bulk Read, matching as Bulk Write does (case-folded), and keeps their old values', async () => {
    const r = await s.api('POST', '/crm/v8/Contacts', {
      data: [
        { Last_Name: 'M1', Email: 'match.one@backup.example', Title: 'Chemist' },
        { Last_Name: 'M2', Email: 'match.two@backup.example' },
        { Last_Name: 'M3', Email: 'other@backup.example', Title: 'Keep' },
      ],
    });
    const [a, b] = (r.json.data as { details: { id: string } }[]).map((d) => d.details.id);
    const zip = zipSync({
      'Contacts.csv': strToU8('Email,Title\r\nMATCH.ONE@backup.example,Nobel\r\nmatch.two@backup.example,New\r\nnobody@backup.example,X\r\n'),
    });
    const backup = await readBackupByMatch(emulatorConnection(s), 'Contacts', 'Email', [zip], { pollDelay: () => 20 });
    expect(backup.fields).toEqual(['Email', 'Title']);
    expect([...backup.rows].sort((x, y) => x.id.localeCompare(y.id))).toEqual([
      { id: a, values: ['match.one@backup.example', 'Chemist'] },
      { id: b, values: ['match.two@backup.example', ''] },
    ]);
  });

  it('refuses prepared files without the match column', async () => {
    const zip = zipSync({ 'Contacts.csv': strToU8('Title\r\nX\r\n') });
    await expect(readBackupByMatch(emulatorConnection(s), 'Contacts', 'Email', [zip])).rejects.toThrow(/no "Email" column/);
  });
});
