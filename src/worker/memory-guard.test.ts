import { describe, expect, it } from 'vitest';
import { createImportSession } from './import-session.ts';
import { EXCEL_MAX_ROWS, MAX_FILE_BYTES, MAX_ROWS, estimatePeakBytes, fileSizeRefusal, rowCountRefusal, TAB_BUDGET_BYTES } from './memory-guard.ts';
import type { WorkerEvent } from './protocol.ts';

describe('the memory guard (decision 130)', () => {
  it('estimates the peak memory from the measured ratio, and allows the files the budget holds', () => {
    expect(estimatePeakBytes(320_600_000)).toBeCloseTo(2_853_340_000, -3);
    expect(estimatePeakBytes(MAX_FILE_BYTES)).toBeLessThanOrEqual(TAB_BUDGET_BYTES);
    expect(estimatePeakBytes(MAX_FILE_BYTES + 1)).toBeGreaterThan(TAB_BUDGET_BYTES - 10);
    // The 1,000,000-row bench:scale file (320.6 MB) is within the limit.
    expect(fileSizeRefusal('contacts.csv', 320_600_000)).toBeNull();
    expect(fileSizeRefusal('contacts.csv', MAX_FILE_BYTES)).toBeNull();
  });

  it('refuses a larger file by its size, saying what, why and how to split it', () => {
    const m = fileSizeRefusal('contacts.csv', 700_000_000);
    expect(m).toContain('contacts.csv is 700 MB, more than the 347 MB');
    expect(m).toContain('up to about 8.9 times its size in memory at its peak');
    expect(m).toContain('about 6.2 GB, past the 3.1 GB the wizard allows one tab');
    expect(m).toContain('Split the file into 3 or more parts of at most 347 MB');
  });

  it('refuses more than 1,000,000 rows, and names Excel’s maximum when the file reaches it', () => {
    expect(rowCountRefusal('big.csv', MAX_ROWS)).toBeNull();
    const over = rowCountRefusal('big.csv', MAX_ROWS + 1);
    expect(over).toContain('big.csv has 1,000,001 data rows; one browser tab checks at most 1,000,000.');
    expect(over).not.toContain('Excel');
    expect(over).toContain('Each row takes up to about 2.8 KB of memory at the peak of an import (measured)');
    expect(over).toContain('Split the file into 2 or more parts of at most 1,000,000 rows, each with the header row');
    const excel = rowCountRefusal('export.csv', EXCEL_MAX_ROWS - 1);
    expect(excel).toContain('export.csv has 1,048,575 data rows');
    expect(excel).toContain("1,048,576 lines, exactly Excel's maximum of 1,048,576");
  });

  it('the import session refuses a too-large file without reading it, and too many rows without sending one', async () => {
    const events: WorkerEvent[] = [];
    const session = createImportSession((e) => events.push(e));
    // A Blob that claims a size past the limit: the guard must answer from the size alone (its stream is never read).
    const huge = {
      size: MAX_FILE_BYTES + 1,
      name: 'huge.csv',
      stream: () => {
        throw new Error('read');
      },
    } as unknown as Blob;
    await session.handle({ type: 'open', id: 1, file: huge, options: {} });
    expect(events.map((e) => e.type)).toEqual(['failed']);
    expect(events[0]?.type === 'failed' ? events[0].message : '').toContain('huge.csv is');

    events.length = 0;
    const text = 'Last_Name\r\n' + 'x\r\n'.repeat(MAX_ROWS + 1);
    await session.handle({ type: 'open', id: 2, file: new File([text], 'tall.csv'), options: {} });
    expect(events.some((e) => e.type === 'rows' || e.type === 'opened')).toBe(false);
    const failed = events.find((e) => e.type === 'failed');
    expect(failed?.type === 'failed' ? failed.message : '').toContain('tall.csv has 1,000,001 data rows');
  });
});
