// Field metadata builders for unit tests: Zoho-shaped metadata turned into FieldModels, like src/api would do.
import type { ZohoFieldMeta } from './field-meta.ts';
import { fieldModelFromMeta, type FieldModel } from './field-model.ts';

export function meta(api_name: string, data_type: string, extra: Partial<ZohoFieldMeta> = {}): ZohoFieldMeta {
  return { api_name, field_label: api_name.replace(/_/g, ' '), data_type, ...extra };
}

export function fieldOf(api_name: string, data_type: string, extra: Partial<ZohoFieldMeta> = {}): FieldModel {
  return fieldModelFromMeta(meta(api_name, data_type, extra));
}

/** A Leads-like module: mandatory Last_Name and Company, unique case-insensitive Email, one field per type. */
export function leadFields(): FieldModel[] {
  return [
    meta('First_Name', 'text', { length: 40 }),
    meta('Last_Name', 'text', { length: 80, system_mandatory: true }),
    meta('Company', 'text', { length: 200, system_mandatory: true }),
    meta('Email', 'email', { unique: { case_sensitive: false } }),
    meta('Phone', 'phone', { length: 30 }),
    meta('Mobile', 'phone', { length: 30 }),
    meta('Website', 'website'),
    meta('Lead_Source', 'picklist', { pick_list_values: [{ actual_value: 'Cold Call' }, { actual_value: 'Partner' }] }),
    meta('Interests', 'multiselectpicklist', { pick_list_values: [{ actual_value: 'Analytics' }, { actual_value: 'Support' }] }),
    meta('Annual_Revenue', 'currency', { length: 16, decimal_place: 2 }),
    meta('No_of_Employees', 'integer', { length: 9 }),
    meta('Email_Opt_Out', 'boolean'),
    meta('Description', 'textarea', { textarea: { type: 'large' } }),
    meta('Last_Visited', 'datetime'),
    meta('Follow_Up_Date', 'date'),
    meta('Lead_Score', 'percent', { length: 5, decimal_place: 2 }),
    meta('Loyalty_Points', 'bigint', { length: 18 }),
    meta('Account_Name', 'lookup', { lookup: { module: { api_name: 'Accounts' } } }),
    meta('Account_Number', 'text', { length: 40, unique: { case_sensitive: true } }),
    meta('Lead_No', 'autonumber', { read_only: true, auto_number: { prefix: 'L-' } }),
    meta('Created_Time', 'datetime', { read_only: true, field_read_only: true }),
  ].map(fieldModelFromMeta);
}
