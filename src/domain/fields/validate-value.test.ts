import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fieldOf } from './test-fields.ts';
import { codePointLength, isNewPicklistValue, similarPicklistValue, validateValue, type ValueResult } from './validate-value.ts';

const ok = (r: ValueResult) => (r.ok ? r.value : `FAIL ${r.rule}`);
const rule = (r: ValueResult) => (r.ok ? 'ok' : r.rule);

describe('text', () => {
  const f = fieldOf('City', 'text', { length: 10 });
  it('accepts up to the field length, in code points', () => {
    expect(ok(validateValue(f, 'abcdefghij'))).toBe('abcdefghij');
    expect(rule(validateValue(f, 'abcdefghijk'))).toBe('text.max_length');
    // 10 emoji = 20 UTF-16 units but 10 characters a person counts.
    expect(ok(validateValue(f, '😀'.repeat(10)))).toBe('😀'.repeat(10));
    expect(rule(validateValue(f, '😀'.repeat(11)))).toBe('text.max_length');
  });
  it('caps at 255 even when the field claims more', () => {
    const big = fieldOf('X', 'text', { length: 1000 });
    expect(rule(validateValue(big, 'a'.repeat(255)))).toBe('ok');
    expect(rule(validateValue(big, 'a'.repeat(256)))).toBe('text.max_length');
    const none = fieldOf('Y', 'text');
    expect(rule(validateValue(none, 'a'.repeat(256)))).toBe('text.max_length');
  });
  it('keeps values byte-exact (formula leaders, NFD, spaces inside)', () => {
    for (const v of ['=1+1', '@x', '-3', 'e\u0301', ' padded ']) expect(ok(validateValue(f, v))).toBe(v);
  });
  it('messages name the field and what to do', () => {
    const r = validateValue(f, 'abcdefghijk');
    expect(!r.ok && r.message).toMatch(/City allows at most 10 characters.*Shorten/);
  });
});

describe('textarea', () => {
  it('small 2,000, large and rich text 32,000', () => {
    const small = fieldOf('S', 'textarea', { textarea: { type: 'small' } });
    const large = fieldOf('L', 'textarea', { textarea: { type: 'large' } });
    const rich = fieldOf('R', 'textarea', { textarea: { type: 'rich_text' } });
    const untyped = fieldOf('U', 'textarea');
    expect(rule(validateValue(small, 'a'.repeat(2000)))).toBe('ok');
    expect(rule(validateValue(small, 'a'.repeat(2001)))).toBe('textarea.max_length');
    expect(rule(validateValue(untyped, 'a'.repeat(2001)))).toBe('textarea.max_length');
    expect(rule(validateValue(large, 'a'.repeat(32000)))).toBe('ok');
    expect(rule(validateValue(large, 'a'.repeat(32001)))).toBe('textarea.max_length');
    expect(rule(validateValue(rich, 'a'.repeat(32000)))).toBe('ok');
    expect(rule(validateValue(rich, 'a'.repeat(32001)))).toBe('textarea.max_length');
  });
});

describe('email', () => {
  const f = fieldOf('Email', 'email');
  it.each(['a@b.co', 'first.last+tag@sub.example.org', "o'neil@example.ie", 'X_Y-1@EXAMPLE.COM'])('accepts %s', (v) => {
    expect(ok(validateValue(f, v))).toBe(v);
  });
  it.each([
    'plain',
    'a@b',
    'a@@b.com',
    'a b@c.com',
    '.a@b.com',
    'a.@b.com',
    'a..b@c.com',
    'a@-b.com',
    'a@b.c',
    ' a@b.com',
    'a@b.com ',
    'ü@b.com',
    `${'a'.repeat(65)}@b.com`,
  ])('rejects %j', (v) => {
    expect(rule(validateValue(f, v))).toBe('email.format');
  });
});

describe('phone', () => {
  const f = fieldOf('Phone', 'phone', { length: 30 });
  it('digits and one leading + only', () => {
    expect(ok(validateValue(f, '+14155550100'))).toBe('+14155550100');
    expect(ok(validateValue(f, '0123'))).toBe('0123');
    for (const v of ['+', '1+2', '++1', '415 555', '415-555', '(415)555', '415.555', 'ext1', '١٢٣']) {
      expect(rule(validateValue(f, v))).toBe('phone.characters');
    }
    const r = validateValue(f, '415-555');
    expect(!r.ok && r.message).toContain('Phone allows only digits and a leading +');
  });
  it('up to the field length (30 by default)', () => {
    expect(rule(validateValue(f, '1'.repeat(30)))).toBe('ok');
    expect(rule(validateValue(f, '+' + '1'.repeat(29)))).toBe('ok');
    expect(rule(validateValue(f, '1'.repeat(31)))).toBe('phone.max_length');
    expect(rule(validateValue(fieldOf('P', 'phone', { length: 5 }), '123456'))).toBe('phone.max_length');
    expect(rule(validateValue(fieldOf('P', 'phone'), '1'.repeat(31)))).toBe('phone.max_length');
  });
});

describe('picklist', () => {
  const f = fieldOf('Lead_Source', 'picklist', { pick_list_values: [{ actual_value: 'Cold Call' }] });
  it('accepts any value; a new one is flagged for a warning', () => {
    expect(ok(validateValue(f, 'Cold Call'))).toBe('Cold Call');
    expect(ok(validateValue(f, 'Trade Show'))).toBe('Trade Show');
    expect(isNewPicklistValue(f, 'Cold Call')).toBe(false);
    expect(isNewPicklistValue(f, 'Trade Show')).toBe(true);
    expect(isNewPicklistValue(f, 'cold call')).toBe(true);
    expect(similarPicklistValue(f, 'cold call')).toBe('Cold Call');
    expect(similarPicklistValue(f, 'Cold Call')).toBeNull();
  });
});

describe('multiselectpicklist', () => {
  const f = fieldOf('Interests', 'multiselectpicklist');
  it('splits on ; and trims each value', () => {
    expect(ok(validateValue(f, 'A; B ;C'))).toEqual(['A', 'B', 'C']);
    expect(ok(validateValue(f, 'Only'))).toEqual(['Only']);
  });
  it('refuses empty items rather than dropping them', () => {
    for (const v of ['A;;B', 'A;', ';A', 'A; ;B']) expect(rule(validateValue(f, v))).toBe('multiselect.empty_item');
  });
});

describe('date', () => {
  const f = fieldOf('Closing_Date', 'date');
  it('yyyy-MM-dd, real calendar dates only', () => {
    expect(ok(validateValue(f, '2025-04-03'))).toBe('2025-04-03');
    expect(ok(validateValue(f, '2024-02-29'))).toBe('2024-02-29');
    for (const v of ['2025-02-29', '2025-13-01', '2025-04-31', '2025-4-3', '03/04/2025', '2025-04-03T00:00:00+00:00', '20250403', '0000-01-01']) {
      expect(rule(validateValue(f, v))).toBe('date.format');
    }
  });
  it("uses the mapping's format and normalises to yyyy-MM-dd", () => {
    expect(ok(validateValue(f, '03/04/2025', { format: 'dd/MM/yyyy' }))).toBe('2025-04-03');
    expect(ok(validateValue(f, '04/03/2025', { format: 'MM/dd/yyyy' }))).toBe('2025-04-03');
    expect(ok(validateValue(f, '03-Apr-2025', { format: 'dd-MMM-yyyy' }))).toBe('2025-04-03');
    expect(rule(validateValue(f, '2025-04-03', { format: 'dd/MM/yyyy' }))).toBe('date.format');
    expect(rule(validateValue(f, '31/02/2025', { format: 'dd/MM/yyyy' }))).toBe('date.format');
    const r = validateValue(f, 'x', { format: 'dd/MM/yyyy' });
    expect(!r.ok && r.message).toContain('dd/MM/yyyy');
  });
  it('an invalid format pattern is reported as such', () => {
    expect(rule(validateValue(f, '2025-04-03', { format: 'qq/yyyy' }))).toBe('date.invalid_format');
  });
});

describe('datetime', () => {
  const f = fieldOf('Last_Visited', 'datetime');
  it('ISO 8601 with a numeric offset', () => {
    expect(ok(validateValue(f, '2025-04-03T14:30:00+05:30'))).toBe('2025-04-03T14:30:00+05:30');
    expect(ok(validateValue(f, '2025-04-03T14:30:00-08:00'))).toBe('2025-04-03T14:30:00-08:00');
    expect(ok(validateValue(f, '2025-04-03T14:30:00+00:00'))).toBe('2025-04-03T14:30:00+00:00');
    for (const v of [
      '2025-04-03T14:30:00Z',
      '2025-04-03T14:30:00',
      '2025-04-03 14:30:00+05:30',
      '2025-04-03T24:00:00+00:00',
      '2025-04-03T14:60:00+00:00',
      '2025-04-03',
      '2025-02-30T00:00:00+00:00',
    ]) {
      expect(rule(validateValue(f, v))).toBe('datetime.format');
    }
  });
  it('with a format; no zone in the format means the org offset (UTC by default)', () => {
    expect(ok(validateValue(f, '03/04/2025 02:30 PM', { format: 'dd/MM/yyyy hh:mm a' }))).toBe('2025-04-03T14:30:00+00:00');
    expect(ok(validateValue(f, '03/04/2025 12:05 AM', { format: 'dd/MM/yyyy hh:mm a', defaultOffsetMinutes: 60 }))).toBe('2025-04-03T00:05:00+01:00');
    expect(ok(validateValue(f, '2025-04-03 14:30:00 +0530', { format: 'yyyy-MM-dd HH:mm:ss Z' }))).toBe('2025-04-03T14:30:00+05:30');
  });
});

describe('integer', () => {
  const f = fieldOf('Employees', 'integer', { length: 9 });
  it('up to 9 digits, optional leading -', () => {
    expect(ok(validateValue(f, '123456789'))).toBe(123456789);
    expect(ok(validateValue(f, '-123456789'))).toBe(-123456789);
    expect(ok(validateValue(f, '0'))).toBe(0);
    expect(ok(validateValue(f, '-0'))).toBe(0);
    expect(ok(validateValue(f, '00123'))).toBe(123);
    expect(rule(validateValue(f, '1234567890'))).toBe('integer.max_digits');
    for (const v of ['1.5', '1,000', '+5', '1e3', '--1', '-', '12a', ' 1', '١']) expect(rule(validateValue(f, v))).toBe('integer.format');
  });
  it('the default is 9 digits when the field has no length', () => {
    expect(rule(validateValue(fieldOf('I', 'integer'), '1234567890'))).toBe('integer.max_digits');
  });
});

describe('bigint', () => {
  const f = fieldOf('Loyalty_Points', 'bigint');
  it('up to 18 digits, kept as a string', () => {
    expect(ok(validateValue(f, '123456789012345678'))).toBe('123456789012345678');
    expect(ok(validateValue(f, '-00042'))).toBe('-42');
    expect(ok(validateValue(f, '-0'))).toBe('0');
    expect(rule(validateValue(f, '1234567890123456789'))).toBe('bigint.max_digits');
    expect(rule(validateValue(f, '1.0'))).toBe('bigint.format');
  });
});

describe('currency and double', () => {
  const cur = fieldOf('Amount', 'currency', { length: 16, decimal_place: 2 });
  const dbl = fieldOf('Ratio', 'double');
  it('digits before and after the point within length / decimal_place', () => {
    expect(ok(validateValue(cur, '1234.56'))).toBe(1234.56);
    expect(ok(validateValue(cur, '-0.5'))).toBe(-0.5);
    expect(ok(validateValue(cur, '1.50'))).toBe(1.5);
    expect(ok(validateValue(cur, '1234567890123456'))).toBe(1234567890123456);
    expect(rule(validateValue(cur, '12345678901234567'))).toBe('decimal.max_digits');
    expect(rule(validateValue(cur, '1.234'))).toBe('decimal.max_decimals');
    for (const v of ['1,234.56', '1.234,56', '$5', '5.', '.5', '1 000', '1e5', 'NaN', 'Infinity']) expect(rule(validateValue(cur, v))).toBe('decimal.format');
  });
  it('16 before and 9 after by default', () => {
    expect(rule(validateValue(dbl, '1.123456789'))).toBe('ok');
    expect(rule(validateValue(dbl, '1.1234567891'))).toBe('decimal.max_decimals');
    expect(rule(validateValue(dbl, '1'.repeat(17)))).toBe('decimal.max_digits');
  });
});

describe('percent', () => {
  const f = fieldOf('Probability', 'percent');
  it('up to 5 digits before the point, decimals allowed', () => {
    expect(ok(validateValue(f, '99999.5'))).toBe(99999.5);
    expect(ok(validateValue(f, '12.5'))).toBe(12.5);
    expect(rule(validateValue(f, '100000'))).toBe('percent.max_digits');
    expect(rule(validateValue(f, '12%'))).toBe('percent.format');
  });
});

describe('boolean', () => {
  const f = fieldOf('Email_Opt_Out', 'boolean');
  it('true/false in any case', () => {
    expect(ok(validateValue(f, 'true'))).toBe(true);
    expect(ok(validateValue(f, 'FALSE'))).toBe(false);
    expect(ok(validateValue(f, 'True'))).toBe(true);
    for (const v of ['yes', '1', '0', 'no', 't', 'truee', ' true']) expect(rule(validateValue(f, v))).toBe('boolean.format');
  });
});

describe('website', () => {
  const f = fieldOf('Website', 'website');
  it('absolute http(s) URLs', () => {
    for (const v of ['https://www.zylker.com', 'http://example.com/path?q=1#x', 'HTTPS://EXAMPLE.COM', 'https://127.0.0.1:8080/']) {
      expect(ok(validateValue(f, v))).toBe(v);
    }
    for (const v of [
      'www.zylker.com',
      'javascript:alert(1)',
      'ftp://example.com',
      'https://',
      'https://exa mple.com',
      'https://localhost',
      'data:text/html,x',
      'http:example.com',
    ]) {
      expect(rule(validateValue(f, v))).toBe('website.format');
    }
  });
});

describe('lookup', () => {
  const f = fieldOf('Account_Name', 'lookup', { lookup: { module: { api_name: 'Accounts' } } });
  it('an id shape unless find_by names another field', () => {
    expect(ok(validateValue(f, '4876876000000333001'))).toBe('4876876000000333001');
    expect(rule(validateValue(f, 'Zylker Inc'))).toBe('lookup.id_format');
    expect(rule(validateValue(f, 'Zylker Inc', { findBy: 'id' }))).toBe('lookup.id_format');
    expect(ok(validateValue(f, 'Zylker Inc', { findBy: 'Account_Name' }))).toBe('Zylker Inc');
    const r = validateValue(f, 'Zylker Inc');
    expect(!r.ok && r.message).toContain('Accounts');
  });
});

describe.each(['ownerlookup', 'userlookup'])('user lookup (%s)', (type) => {
  const f = fieldOf('Owner', type);
  it('a user id: digits only, without find_by or with find_by id', () => {
    expect(ok(validateValue(f, '5725767000001000002'))).toBe('5725767000001000002');
    expect(ok(validateValue(f, '5725767000001000002', { findBy: 'id' }))).toBe('5725767000001000002');
    for (const v of ['sam@zylker.example', '5725767 000001', 'Sam Rivera']) expect(rule(validateValue(f, v))).toBe('user.id_format');
    const r = validateValue(f, 'sam@zylker.example');
    expect(!r.ok && r.message).toMatch(/e-mail/);
  });
  it('with find_by email: an e-mail address', () => {
    expect(ok(validateValue(f, 'sam@zylker.example', { findBy: 'email' }))).toBe('sam@zylker.example');
    for (const v of ['5725767000001000002', 'sam at zylker', 'sam@zylker']) expect(rule(validateValue(f, v, { findBy: 'email' }))).toBe('user.email_format');
  });
  it('any other find_by is refused on every cell, naming what is allowed', () => {
    const r = validateValue(f, 'Sam Rivera', { findBy: 'full_name' });
    expect(rule(r)).toBe('user.find_by');
    expect(!r.ok && r.message).toMatch(/id or their e-mail/);
  });
});

describe('fields Bulk Write cannot write', () => {
  it('always INVALID_DATA with the reason', () => {
    const r = validateValue(fieldOf('Lead_No', 'autonumber', { read_only: true }), '5');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.code).toBe('INVALID_DATA');
    expect(!r.ok && r.message).toMatch(/Auto-number/);
  });
});

describe('codePointLength', () => {
  it('counts surrogate pairs once and lone surrogates once', () => {
    expect(codePointLength('a😀b')).toBe(3);
    expect(codePointLength('\ud800x')).toBe(2);
    expect(codePointLength('e\u0301')).toBe(2);
  });
});

describe('hand-written scanners agree with plain reference rules (fast-check seed 99)', () => {
  const chars = fc.constantFrom('0', '1', '9', '-', '.', '+', ',', ' ', 'a', ';', '\u00a0', '😀');
  const text = fc.array(chars, { maxLength: 14 }).map((a) => a.join(''));
  const opts = { seed: 99, numRuns: 1000 };
  it('numbers', () => {
    console.log('fast-check seed 99');
    const dec = fieldOf('D', 'double', { length: 4, decimal_place: 2 });
    const int = fieldOf('I', 'integer', { length: 4 });
    fc.assert(
      fc.property(text, (s) => {
        const m = /^-?(\d+)(?:\.(\d+))?$/.exec(s);
        const sig = (d: string) => Math.max(1, d.replace(/^0+/, '').length);
        const decOk = m !== null && sig(m[1] ?? '') <= 4 && (m[2] ?? '').replace(/0+$/, '').length <= 2;
        expect(validateValue(dec, s).ok).toBe(decOk);
        const intOk = m !== null && m[2] === undefined && sig(m[1] ?? '') <= 4;
        expect(validateValue(int, s).ok).toBe(intOk);
        if (intOk) expect(ok(validateValue(int, s))).toBe(Number(s) === 0 ? 0 : Number(s));
      }),
      opts,
    );
  });
  it('phones, multi-select items and code-point lengths', () => {
    const phone = fieldOf('P', 'phone', { length: 6 });
    const multi = fieldOf('M', 'multiselectpicklist');
    const short = fieldOf('T', 'text', { length: 5 });
    fc.assert(
      fc.property(text, (s) => {
        expect(validateValue(phone, s).ok).toBe(/^\+?\d+$/.test(s) && s.length <= 6);
        if (s.length > 0) expect(validateValue(multi, s).ok).toBe(s.split(';').every((x) => x.trim() !== ''));
        expect(validateValue(short, s).ok).toBe([...s].length <= 5);
      }),
      opts,
    );
  });
});
