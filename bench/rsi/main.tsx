// The react-spreadsheet-import (RSI) side of bench:scale (issue 13): RSI's own modal, open from the start, with the
// 20 columns of bench/scale-data.ts as its fields. RSI validates with three declarative rules (required, unique,
// regex) and field types (input, select, checkbox); each field here is given the rule closest to what the wizard
// checks for the same Contacts field (the seed metadata's lengths, formats and the unique Email), so both sides
// check every cell of every row. Where they cannot be the same (a real calendar date, a pick list's new values),
// docs/benchmarks.md §6 says so. Built and served by bench/scale.bench.ts only; not part of the product (decision 135).
import { createRoot } from 'react-dom/client';
import { ReactSpreadsheetImport } from 'react-spreadsheet-import';
import type { Fields, Validation } from 'react-spreadsheet-import/types/types';

/** At most `max` characters (code points, as the wizard counts them), blank allowed. */
const maxLength = (label: string, max: number): Validation => ({
  rule: 'regex',
  value: `^[\\s\\S]{0,${max}}$`,
  flags: 'u',
  errorMessage: `${label} allows at most ${max} characters`,
});

// The wizard's e-mail pattern (src/domain/fields/validate-value.ts EMAIL_RE) with its 254-character limit, blank allowed.
const EMAIL_BODY =
  "(?=[\\s\\S]{0,254}$)[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z]{2,63}";
const email = (label: string): Validation => ({ rule: 'regex', value: `^(?:${EMAIL_BODY})?$`, errorMessage: `${label} needs a valid e-mail address` });

// Digits with an optional leading +, at most 30 characters (Zoho's phone), blank allowed.
const phone = (label: string): Validation => ({
  rule: 'regex',
  value: '^(?:(?=.{1,30}$)\\+?[0-9]+)?$',
  errorMessage: `${label} allows only digits and a leading +`,
});

// Contacts' Lead Source pick list, as the emulator's seed holds it: bench/scale-rsi.ts puts it on the page before it
// loads (this page is its own package and does not import the emulator's code).
const LEAD_SOURCES: string[] = (() => {
  const values = (window as unknown as { __leadSources?: unknown }).__leadSources;
  if (!Array.isArray(values) || values.length === 0) throw new Error('The bench did not give this page the Lead Source pick list (window.__leadSources).');
  return values.map(String);
})();
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const fields: Fields<string> = [
  { key: 'First_Name', label: 'First Name', fieldType: { type: 'input' }, validations: [maxLength('First Name', 40)] },
  {
    key: 'Last_Name',
    label: 'Last Name',
    fieldType: { type: 'input' },
    validations: [{ rule: 'required', errorMessage: 'Last Name is required' }, maxLength('Last Name', 80)],
  },
  {
    key: 'Email',
    label: 'Email',
    fieldType: { type: 'input' },
    // Email is unique in Contacts; RSI's unique rule compares exactly (the wizard ignores case).
    validations: [email('Email'), { rule: 'unique', allowEmpty: true, errorMessage: 'Email must be unique' }],
  },
  { key: 'Secondary_Email', label: 'Secondary Email', fieldType: { type: 'input' }, validations: [email('Secondary Email')] },
  { key: 'Phone', label: 'Phone', fieldType: { type: 'input' }, validations: [phone('Phone')] },
  { key: 'Mobile', label: 'Mobile', fieldType: { type: 'input' }, validations: [phone('Mobile')] },
  { key: 'Title', label: 'Title', fieldType: { type: 'input' }, validations: [maxLength('Title', 100)] },
  { key: 'Department', label: 'Department', fieldType: { type: 'input' }, validations: [maxLength('Department', 30)] },
  {
    key: 'Lead_Source',
    label: 'Lead Source',
    // An input, not RSI's select: a select turns every value the user has not matched by hand into a blank, while the
    // wizard keeps a new pick-list value and reports it. A warning per cell is RSI's nearest way to report it.
    fieldType: { type: 'input' },
    validations: [
      {
        rule: 'regex',
        value: `^(?:${LEAD_SOURCES.map(escapeRe).join('|')})?$`,
        errorMessage: 'Not a Lead Source value yet: it will be added to the pick list',
        level: 'warning',
      },
    ],
  },
  {
    key: 'Hobbies',
    label: 'Hobbies',
    fieldType: { type: 'input' },
    // A multi-select: values separated by ; and none of them blank (the wizard's multiselect.empty_item).
    validations: [{ rule: 'regex', value: '^(?:[^;]*\\S[^;]*(?:;[^;]*\\S[^;]*)*)?$', errorMessage: 'Hobbies holds an empty value between ;' }],
  },
  {
    key: 'Date_of_Birth',
    label: 'Date of Birth',
    fieldType: { type: 'input' },
    // yyyy-MM-dd by shape only: a regex cannot refuse 2023-02-30, the wizard's date check does.
    validations: [{ rule: 'regex', value: '^(?:\\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\\d|3[01]))?$', errorMessage: 'Date of Birth needs yyyy-MM-dd' }],
  },
  {
    key: 'Last_Contacted',
    label: 'Last Contacted',
    fieldType: { type: 'input' },
    validations: [
      {
        rule: 'regex',
        value: '^(?:\\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\\d|3[01])T(?:[01]\\d|2[0-3]):[0-5]\\d:[0-5]\\d[+-](?:[01]\\d|2[0-3]):[0-5]\\d)?$',
        errorMessage: 'Last Contacted needs yyyy-MM-ddTHH:mm:ss±HH:mm',
      },
    ],
  },
  {
    key: 'Email_Opt_Out',
    label: 'Email Opt Out',
    // An input with a true/false rule rather than RSI's checkbox, which turns any other value into false unchecked.
    fieldType: { type: 'input' },
    validations: [{ rule: 'regex', value: '^(?:true|false)?$', flags: 'i', errorMessage: 'Email Opt Out is a checkbox: write true or false' }],
  },
  {
    key: 'Loyalty_Points',
    label: 'Loyalty Points',
    fieldType: { type: 'input' },
    validations: [{ rule: 'regex', value: '^(?:-?\\d{1,18})?$', errorMessage: 'Loyalty Points needs a whole number of at most 18 digits' }],
  },
  { key: 'Mailing_Street', label: 'Mailing Street', fieldType: { type: 'input' }, validations: [maxLength('Mailing Street', 2000)] },
  { key: 'Mailing_City', label: 'Mailing City', fieldType: { type: 'input' }, validations: [maxLength('Mailing City', 100)] },
  { key: 'Description', label: 'Description', fieldType: { type: 'input' }, validations: [maxLength('Description', 32000)] },
  { key: 'Twitter', label: 'Twitter', fieldType: { type: 'input' }, validations: [maxLength('Twitter', 50)] },
  // Contacts has no field for these two; the wizard leaves them unmapped, RSI carries them as plain text.
  { key: 'Customer_Ref', label: 'Customer Ref', fieldType: { type: 'input' } },
  { key: 'Region', label: 'Region', fieldType: { type: 'input' } },
];

const root = document.getElementById('root');
if (root === null) throw new Error('index.html has no #root');
createRoot(root).render(
  <ReactSpreadsheetImport
    isOpen
    fields={fields}
    // The bench stops at the validation step; closing or submitting would end the page's only purpose.
    onClose={() => undefined}
    onSubmit={() => undefined}
  />,
);
