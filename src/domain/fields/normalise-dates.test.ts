import { describe, expect, it } from 'vitest';
import { detectDatePattern, proposeDateConversion } from './normalise-dates.ts';

describe('date detection', () => {
  it('a part over 12 decides day/month order', () => {
    const d = detectDatePattern(0, ['03/04/2025', '25/12/2024', '', '01/01/2025']);
    expect(d).toMatchObject({ decided: 'dd/MM/yyyy', ambiguity: null });
    expect(detectDatePattern(0, ['12/25/2024', '1/2/2025'])).toMatchObject({ decided: 'M/d/yyyy', ambiguity: null });
  });
  it('all parts ≤ 12 → ambiguous, the user chooses', () => {
    const d = detectDatePattern(0, ['03/04/2025', '01/02/2025']);
    expect(d?.ambiguity).toBe('day-month');
    expect(d?.decided).toBeNull();
    expect(d?.options.map((o) => o.pattern).sort()).toEqual(['MM/dd/yyyy', 'dd/MM/yyyy']);
    expect(d?.explanation).toMatch(/Choose/);
  });
  it('other shapes: dots, month names, ISO, two-digit years', () => {
    expect(detectDatePattern(0, ['31.01.2025', '01.02.2025'])?.decided).toBe('dd.MM.yyyy');
    expect(detectDatePattern(0, ['03-Apr-2025', '3-May-2025'])?.decided).toBe('d-MMM-yyyy');
    expect(detectDatePattern(0, ['2025-04-03'])?.alreadyIso).toBe(true);
    expect(detectDatePattern(0, ['2025-4-3'])?.decided).toBe('yyyy-M-d');
    expect(detectDatePattern(0, ['25/12/24'])).toMatchObject({ ambiguity: 'two-digit-year', decided: null });
    expect(detectDatePattern(0, ['', ' '])).toBeNull();
    const none = detectDatePattern(0, ['03/04/2025', 'soon', '31/12/2025']);
    expect(none?.decided).toBeNull();
    expect(none?.options[0]).toEqual({ pattern: 'dd/MM/yyyy', matches: 2 });
  });
  it('date-time columns', () => {
    expect(detectDatePattern(0, ['25/12/2024 14:30', '01/02/2025 09:05'], { withTime: true })?.decided).toBe('dd/MM/yyyy HH:mm');
    expect(detectDatePattern(0, ['2025-04-03T10:00:00+02:00'], { withTime: true })?.alreadyIso).toBe(true);
  });
  it('conversion lists before/after and what it cannot convert', () => {
    const p = proposeDateConversion(3, ['03/04/2025', '', '31/02/2025', '2025-04-03'], 'dd/MM/yyyy');
    expect(p.changes).toEqual([{ row: 0, before: '03/04/2025', after: '2025-04-03' }]);
    expect(p.unconvertible.map((u) => u.row)).toEqual([2, 3]);
    expect(p.summary).toContain("'03/04/2025' → '2025-04-03'");
    const dt = proposeDateConversion(0, ['25/12/2024 14:30'], 'dd/MM/yyyy HH:mm', { withTime: true, offsetMinutes: 330 });
    expect(dt.changes[0]?.after).toBe('2024-12-25T14:30:00+05:30');
  });
});
