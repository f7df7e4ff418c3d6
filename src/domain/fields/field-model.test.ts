import { describe, expect, it } from 'vitest';
import { fieldModelFromMeta } from './field-model.ts';
import { meta } from './test-fields.ts';

describe('fieldModelFromMeta', () => {
  it('reads labels, lengths, mandatory, unique, pick lists, lookups and textarea types', () => {
    const f = fieldModelFromMeta({
      api_name: 'Email',
      field_label: 'Email',
      display_label: 'E-mail',
      data_type: 'email',
      length: 100,
      system_mandatory: true,
      unique: { case_sensitive: false },
    });
    expect(f).toMatchObject({ apiName: 'Email', label: 'E-mail', length: 100, mandatory: true, unique: { caseSensitive: false }, writable: { ok: true } });
    expect(fieldModelFromMeta(meta('A', 'text', { unique: {} })).unique).toBeNull();
    expect(fieldModelFromMeta(meta('A', 'text', { unique: null })).unique).toBeNull();
    expect(fieldModelFromMeta(meta('A', 'text', { unique: { case_sensitive: true } })).unique).toEqual({ caseSensitive: true });
    expect(fieldModelFromMeta(meta('A', 'text', { unique: { case_sensitive: null } })).unique).toEqual({ caseSensitive: false });
    expect(fieldModelFromMeta(meta('P', 'picklist', { pick_list_values: [{ display_value: 'One', actual_value: '1' }] })).picklistValues).toEqual(['1']);
    expect(fieldModelFromMeta(meta('L', 'lookup', { lookup: { module: { api_name: 'Accounts', id: '9' } } })).lookupModule).toBe('Accounts');
    expect(fieldModelFromMeta(meta('L', 'lookup', { lookup: {} })).lookupModule).toBeNull();
    expect(fieldModelFromMeta(meta('T', 'textarea', { textarea: { type: 'rich_text' } })).textareaType).toBe('rich_text');
    expect(fieldModelFromMeta(meta('T', 'textarea', { textarea: { type: 'weird' } })).textareaType).toBe('small');
    expect(fieldModelFromMeta(meta('T', 'text')).textareaType).toBeNull();
    expect(fieldModelFromMeta({ api_name: 'X_Y', data_type: 'text', field_label: ' ' }).label).toBe('X_Y');
    expect(fieldModelFromMeta(meta('N', 'integer', { length: 0, decimal_place: -1 }))).toMatchObject({ length: null, decimalPlace: null });
  });

  it.each([
    ['subform', {}, /Subforms/],
    ['multiselectlookup', {}, /Multi-select lookups/],
    ['fileupload', {}, /File upload/],
    ['imageupload', {}, /Image upload/],
    ['profileimage', {}, /images/],
    ['formula', {}, /Formula/],
    ['autonumber', {}, /Auto-number/],
    ['text', { read_only: true }, /read-only/],
    ['datetime', { field_read_only: true }, /read-only/],
    ['double', { formula: { expression: 'x' } }, /Formula/],
    ['text', { auto_number: { prefix: 'A' } }, /Auto-number/],
    ['event_reminder', {}, /type "event_reminder"/],
  ] as const)('%s %j is not writable', (type, extra, reason) => {
    const w = fieldModelFromMeta(meta('F', type, extra)).writable;
    expect(w.ok).toBe(false);
    expect(!w.ok && w.reason).toMatch(reason);
  });

  it.each(['ownerlookup', 'userlookup'])('%s is writable (docs/org-apis.md A1: a user id or, with find_by email, an e-mail)', (type) => {
    expect(fieldModelFromMeta(meta('Owner', type)).writable).toEqual({ ok: true });
  });
});
