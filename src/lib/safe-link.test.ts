import { describe, expect, it } from 'vitest';
import { safeHref } from './safe-link.ts';

describe('safeHref (S6)', () => {
  it.each(['javascript:alert(1)', 'JaVaScRiPt:alert(1)', 'data:text/html,<script>alert(1)</script>', 'vbscript:x', 'file:///etc/passwd'])('refuses %s', (u) => {
    expect(safeHref(u)).toBeNull();
  });
  it.each(['https://www.zohoapis.com/x', 'http://127.0.0.1:4173/crm/bulk/v8/write/1/result', 'mailto:a@b.example'])('keeps %s', (u) => {
    expect(safeHref(u)).toBe(new URL(u).toString());
  });
  it('resolves a relative link against a base', () => {
    expect(safeHref('/crm/bulk/v8/write/1/result', 'https://www.zohoapis.eu')).toBe('https://www.zohoapis.eu/crm/bulk/v8/write/1/result');
  });
});
