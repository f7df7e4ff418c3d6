// Thin glue between the emulator and the shared domain rules (src/domain/fields, src/domain/validation):
// pattern and default-value checks for job creation. The emulator writes no type validators of its own.
import { isValidDatePattern } from '../../src/domain/fields/date-format.ts';
import type { FieldModel } from '../../src/domain/fields/field-model.ts';
import { validateValue } from '../../src/domain/fields/validate-value.ts';

/** null when the pattern is a valid date/date-time pattern, else a short reason. */
export function checkDatePattern(pattern: string): string | null {
  return isValidDatePattern(pattern) ? null : 'use Java SimpleDateFormat letters such as dd/MM/yyyy or yyyy-MM-dd HH:mm';
}

/** null when a default value passes its field's type rule, else the rule's message. */
export function checkDefaultValue(field: FieldModel, value: string, format: string | null, findBy: string | null = null): string | null {
  if (value.trim() === '') return null;
  // A lookup found by another field (e.g. the account's name) takes that field's value, not an id.
  const r = validateValue(field, value, { format, findBy });
  return r.ok ? null : r.message.replace(/\.+$/, '');
}
