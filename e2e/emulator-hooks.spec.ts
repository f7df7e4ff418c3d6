// Sanity of the e2e harness itself: reset really wipes, the records API really reads what was written.
import { test, expect } from '@playwright/test';
import { insertRecords, listRecords, resetEmulator } from './support/emulator.ts';

test('reset restores the seed and the records API reads back inserted records', async ({ request }) => {
  await resetEmulator(request);
  const seeded = await listRecords(request, 'Contacts', ['Email', 'Last_Name']);
  expect(seeded.map((r) => r.Email).sort()).toEqual(['seed.one@seed.example', 'seed.two@seed.example']);
  await insertRecords(request, 'Contacts', [{ Last_Name: 'Probe', Email: 'probe@harness.example' }]);
  const after = await listRecords(request, 'Contacts', ['Email']);
  expect(after.map((r) => r.Email)).toContain('probe@harness.example');
  await resetEmulator(request);
  const again = await listRecords(request, 'Contacts', ['Email']);
  expect(again).toHaveLength(2);
});
