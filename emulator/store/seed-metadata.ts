// Seed metadata: modules Leads, Contacts, Accounts, Deals with Zoho-style field metadata covering every data type
// the seed's table lists, the system-mandatory and unique fields of contract §8, lookups between modules, and the
// field kinds Bulk Write must refuse (formula, auto-number, multi-select lookup, file upload, read-only system).
import type { ZohoFieldMeta } from '../../src/domain/fields/field-meta.ts';

export interface SeedModule {
  api_name: string;
  module_name: string;
  singular_label: string;
  plural_label: string;
  api_supported: boolean;
  creatable: boolean;
  generated_type: 'default' | 'custom';
  /** False for modules Bulk Write refuses (MODULE_NOT_AVAILABLE). */
  bulk_write: boolean;
  fields: ZohoFieldMeta[];
}

type Extra = Partial<ZohoFieldMeta>;
const JSON_TYPES: Record<string, string> = {
  text: 'string',
  textarea: 'string',
  email: 'string',
  phone: 'string',
  picklist: 'string',
  website: 'string',
  multiselectpicklist: 'jsonarray',
  date: 'string',
  datetime: 'string',
  integer: 'integer',
  bigint: 'string',
  currency: 'double',
  double: 'double',
  percent: 'double',
  boolean: 'boolean',
  lookup: 'jsonobject',
  formula: 'double',
  autonumber: 'string',
  multiselectlookup: 'jsonarray',
  fileupload: 'jsonarray',
  ownerlookup: 'jsonobject',
  userlookup: 'jsonobject',
};
const DEFAULT_LENGTH: Record<string, number> = {
  text: 255,
  textarea: 2000,
  email: 100,
  phone: 30,
  picklist: 120,
  website: 255,
  multiselectpicklist: 2000,
  date: 20,
  datetime: 120,
  integer: 9,
  bigint: 18,
  currency: 16,
  double: 16,
  percent: 5,
  boolean: 5,
  lookup: 120,
  formula: 16,
  autonumber: 50,
  multiselectlookup: 2000,
  fileupload: 255,
  ownerlookup: 120,
  userlookup: 120,
};

function field(api: string, label: string, type: string, extra: Extra = {}): ZohoFieldMeta {
  return {
    api_name: api,
    field_label: label,
    display_label: label,
    data_type: type,
    json_type: JSON_TYPES[type] ?? 'string',
    length: DEFAULT_LENGTH[type] ?? 255,
    decimal_place: type === 'currency' || type === 'double' ? 2 : type === 'percent' ? 2 : null,
    system_mandatory: false,
    read_only: false,
    field_read_only: false,
    unique: {},
    pick_list_values: [],
    lookup: {},
    textarea: type === 'textarea' ? { type: 'small' } : null,
    custom_field: false,
    ...extra,
  };
}
const picks = (...values: string[]) => values.map((v) => ({ display_value: v, actual_value: v }));
const mandatory: Extra = { system_mandatory: true };
const uniqueCi: Extra = { unique: { case_sensitive: false } };
const lookupTo = (module: string): Extra => ({ lookup: { module: { api_name: module, id: null } } });
const readOnlySystem = (api: string, label: string, type: string): ZohoFieldMeta => field(api, label, type, { read_only: true, field_read_only: true });

const LEAD_SOURCES = picks(
  '-None-',
  'Advertisement',
  'Cold Call',
  'Employee Referral',
  'External Referral',
  'Online Store',
  'Partner',
  'Public Relations',
  'Web Download',
  'Web Research',
  'Chat',
);
const INDUSTRIES = picks(
  '-None-',
  'ASP (Application Service Provider)',
  'Data/Telecom OEM',
  'ERP (Enterprise Resource Planning)',
  'Government/Military',
  'Large Enterprise',
  'Management ISV',
  'Non-management ISV',
  'Service Provider',
  'Small/Medium Enterprise',
  'Storage Equipment',
  'Systems Integrator',
  'Wireless Industry',
);
const RATINGS = picks('-None-', 'Acquired', 'Active', 'Market Failed', 'Project Cancelled', 'Shut Down');

export const SEED_MODULES: readonly SeedModule[] = [
  {
    api_name: 'Leads',
    module_name: 'Leads',
    singular_label: 'Lead',
    plural_label: 'Leads',
    api_supported: true,
    creatable: true,
    generated_type: 'default',
    bulk_write: true,
    fields: [
      field('First_Name', 'First Name', 'text', { length: 40 }),
      field('Last_Name', 'Last Name', 'text', { length: 80, ...mandatory }),
      field('Company', 'Company', 'text', { length: 200, ...mandatory }),
      field('Owner', 'Lead Owner', 'ownerlookup'),
      field('Email', 'Email', 'email', uniqueCi),
      field('Secondary_Email', 'Secondary Email', 'email'),
      field('Phone', 'Phone', 'phone'),
      field('Mobile', 'Mobile', 'phone'),
      field('Designation', 'Title', 'text', { length: 100 }),
      field('Website', 'Website', 'website'),
      field('Lead_Source', 'Lead Source', 'picklist', { pick_list_values: LEAD_SOURCES }),
      field('Lead_Status', 'Lead Status', 'picklist', {
        pick_list_values: picks(
          '-None-',
          'Attempted to Contact',
          'Contact in Future',
          'Contacted',
          'Junk Lead',
          'Lost Lead',
          'Not Contacted',
          'Pre-Qualified',
          'Not Qualified',
        ),
      }),
      field('Industry', 'Industry', 'picklist', { pick_list_values: INDUSTRIES }),
      field('Rating', 'Rating', 'picklist', { pick_list_values: RATINGS }),
      field('Interests', 'Interests', 'multiselectpicklist', {
        custom_field: true,
        pick_list_values: picks('Analytics', 'Automation', 'Integrations', 'Mobile', 'Support'),
      }),
      field('Annual_Revenue', 'Annual Revenue', 'currency', { length: 16, decimal_place: 2 }),
      field('No_of_Employees', 'No. of Employees', 'integer'),
      field('Email_Opt_Out', 'Email Opt Out', 'boolean'),
      field('Street', 'Street', 'text', { length: 250 }),
      field('City', 'City', 'text', { length: 100 }),
      field('Zip_Code', 'Zip Code', 'text', { length: 30 }),
      field('Description', 'Description', 'textarea', { length: 32000, textarea: { type: 'large' } }),
      field('Last_Visited', 'Last Visited', 'datetime', { custom_field: true }),
      field('Follow_Up_Date', 'Follow-up Date', 'date', { custom_field: true }),
      field('Lead_Score', 'Lead Score', 'percent', { custom_field: true }),
      field('Lead_No', 'Lead No', 'autonumber', { custom_field: true, read_only: true, auto_number: { prefix: 'L-', start_number: 1000 } }),
      readOnlySystem('Created_Time', 'Created Time', 'datetime'),
      readOnlySystem('Modified_Time', 'Modified Time', 'datetime'),
    ],
  },
  {
    api_name: 'Contacts',
    module_name: 'Contacts',
    singular_label: 'Contact',
    plural_label: 'Contacts',
    api_supported: true,
    creatable: true,
    generated_type: 'default',
    bulk_write: true,
    fields: [
      field('First_Name', 'First Name', 'text', { length: 40 }),
      field('Last_Name', 'Last Name', 'text', { length: 80, ...mandatory }),
      field('Email', 'Email', 'email', uniqueCi),
      field('Owner', 'Contact Owner', 'ownerlookup'),
      // A custom user lookup (docs/org-apis.md A1): find_by id or email, like Zoho's `User` sample.
      field('Relationship_Manager', 'Relationship Manager', 'userlookup', { custom_field: true }),
      field('Secondary_Email', 'Secondary Email', 'email'),
      field('Phone', 'Phone', 'phone'),
      field('Mobile', 'Mobile', 'phone'),
      field('Title', 'Title', 'text', { length: 100 }),
      field('Department', 'Department', 'text', { length: 30 }),
      field('Account_Name', 'Account Name', 'lookup', lookupTo('Accounts')),
      field('Lead_Source', 'Lead Source', 'picklist', { pick_list_values: LEAD_SOURCES }),
      field('Hobbies', 'Hobbies', 'multiselectpicklist', { custom_field: true, pick_list_values: picks('Cycling', 'Music', 'Reading', 'Travel') }),
      field('Date_of_Birth', 'Date of Birth', 'date'),
      field('Last_Contacted', 'Last Contacted', 'datetime', { custom_field: true }),
      field('Email_Opt_Out', 'Email Opt Out', 'boolean'),
      field('Loyalty_Points', 'Loyalty Points', 'bigint', { custom_field: true }),
      field('Mailing_Street', 'Mailing Street', 'textarea', { length: 2000, textarea: { type: 'small' } }),
      field('Mailing_City', 'Mailing City', 'text', { length: 100 }),
      field('Description', 'Description', 'textarea', { length: 32000, textarea: { type: 'large' } }),
      field('Twitter', 'Twitter', 'text', { length: 50 }),
      field('Contact_Score', 'Contact Score', 'formula', {
        custom_field: true,
        read_only: true,
        formula: { return_type: 'double', expression: 'Loyalty_Points / 100' },
      }),
      field('Contact_No', 'Contact No', 'autonumber', { custom_field: true, read_only: true, auto_number: { prefix: 'C-', start_number: 1 } }),
      field('Related_Contacts', 'Related Contacts', 'multiselectlookup', { custom_field: true }),
      field('Photo_File', 'Photo File', 'fileupload', { custom_field: true }),
      readOnlySystem('Full_Name', 'Full Name', 'text'),
      readOnlySystem('Created_Time', 'Created Time', 'datetime'),
      readOnlySystem('Modified_Time', 'Modified Time', 'datetime'),
    ],
  },
  {
    api_name: 'Accounts',
    module_name: 'Accounts',
    singular_label: 'Account',
    plural_label: 'Accounts',
    api_supported: true,
    creatable: true,
    generated_type: 'default',
    bulk_write: true,
    fields: [
      field('Account_Name', 'Account Name', 'text', { length: 200, ...mandatory }),
      field('Owner', 'Account Owner', 'ownerlookup'),
      field('Account_Number', 'Account Number', 'text', { length: 40, unique: { case_sensitive: true } }),
      field('Phone', 'Phone', 'phone'),
      field('Fax', 'Fax', 'phone'),
      field('Website', 'Website', 'website'),
      field('Parent_Account', 'Parent Account', 'lookup', lookupTo('Accounts')),
      field('Account_Type', 'Account Type', 'picklist', {
        pick_list_values: picks(
          '-None-',
          'Analyst',
          'Competitor',
          'Customer',
          'Distributor',
          'Integrator',
          'Investor',
          'Other',
          'Partner',
          'Press',
          'Prospect',
          'Reseller',
          'Supplier',
          'Vendor',
        ),
      }),
      field('Industry', 'Industry', 'picklist', { pick_list_values: INDUSTRIES }),
      field('Ownership', 'Ownership', 'picklist', {
        pick_list_values: picks('-None-', 'Other', 'Private', 'Public', 'Subsidiary', 'Partnership', 'Government', 'Privately Held', 'Public Company'),
      }),
      field('Rating', 'Rating', 'picklist', { pick_list_values: RATINGS }),
      field('Annual_Revenue', 'Annual Revenue', 'currency', { length: 16, decimal_place: 2 }),
      field('Employees', 'Employees', 'integer'),
      field('SIC_Code', 'SIC Code', 'integer'),
      field('Billing_Street', 'Billing Street', 'text', { length: 250 }),
      field('Billing_City', 'Billing City', 'text', { length: 100 }),
      field('Billing_Code', 'Billing Code', 'text', { length: 30 }),
      field('Founded', 'Founded', 'date', { custom_field: true }),
      field('Description', 'Description', 'textarea', { length: 32000, textarea: { type: 'large' } }),
      field('Account_Code', 'Account Code', 'autonumber', { custom_field: true, read_only: true, auto_number: { prefix: 'A-', start_number: 1 } }),
      field('Contract_File', 'Contract File', 'fileupload', { custom_field: true }),
      readOnlySystem('Created_Time', 'Created Time', 'datetime'),
      readOnlySystem('Modified_Time', 'Modified Time', 'datetime'),
    ],
  },
  {
    api_name: 'Deals',
    module_name: 'Deals',
    singular_label: 'Deal',
    plural_label: 'Deals',
    api_supported: true,
    creatable: true,
    generated_type: 'default',
    bulk_write: true,
    fields: [
      field('Deal_Name', 'Deal Name', 'text', { length: 120, ...mandatory }),
      field('Owner', 'Deal Owner', 'ownerlookup'),
      field('Stage', 'Stage', 'picklist', {
        ...mandatory,
        pick_list_values: picks(
          'Qualification',
          'Needs Analysis',
          'Value Proposition',
          'Identify Decision Makers',
          'Proposal/Price Quote',
          'Negotiation/Review',
          'Closed Won',
          'Closed Lost',
          'Closed-Lost to Competition',
        ),
      }),
      field('Amount', 'Amount', 'currency', { length: 16, decimal_place: 2 }),
      field('Closing_Date', 'Closing Date', 'date'),
      field('Probability', 'Probability (%)', 'percent'),
      field('Discount', 'Discount', 'double', { custom_field: true, length: 16, decimal_place: 2 }),
      field('Account_Name', 'Account Name', 'lookup', lookupTo('Accounts')),
      field('Contact_Name', 'Contact Name', 'lookup', lookupTo('Contacts')),
      field('Type', 'Type', 'picklist', { pick_list_values: picks('-None-', 'Existing Business', 'New Business') }),
      field('Lead_Source', 'Lead Source', 'picklist', { pick_list_values: LEAD_SOURCES }),
      field('Next_Step', 'Next Step', 'text', { length: 100 }),
      field('Description', 'Description', 'textarea', { length: 32000, textarea: { type: 'large' } }),
      field('Expected_Revenue', 'Expected Revenue', 'formula', {
        read_only: true,
        formula: { return_type: 'currency', expression: 'Amount * Probability / 100' },
      }),
      field('Related_Deals', 'Related Deals', 'multiselectlookup', { custom_field: true }),
      readOnlySystem('Created_Time', 'Created Time', 'datetime'),
      readOnlySystem('Modified_Time', 'Modified Time', 'datetime'),
    ],
  },
  {
    // Listed like Zoho lists it, but Bulk Write refuses it: the wizard must show MODULE_NOT_AVAILABLE cleanly.
    api_name: 'Activities',
    module_name: 'Activities',
    singular_label: 'Activity',
    plural_label: 'Activities',
    api_supported: true,
    creatable: false,
    generated_type: 'default',
    bulk_write: false,
    fields: [field('Subject', 'Subject', 'text', { length: 255, ...mandatory })],
  },
];

/** Seeded records (created on first start and on admin reset) so lookups have stable targets. */
export const SEED_RECORDS: readonly { module: string; data: Record<string, string | number | boolean> }[] = [
  {
    module: 'Accounts',
    data: { Account_Name: 'Zylker Inc', Account_Number: 'ACC-1001', Industry: 'Large Enterprise', Phone: '+14155550100', Website: 'https://zylker.example' },
  },
  { module: 'Accounts', data: { Account_Name: 'Northwind Traders', Account_Number: 'ACC-1002', Industry: 'Service Provider', Phone: '+442079460000' } },
  { module: 'Accounts', data: { Account_Name: 'Acme Ltd', Account_Number: 'ACC-1003', Industry: 'Small/Medium Enterprise' } },
  { module: 'Accounts', data: { Account_Name: 'Globex Corporation', Account_Number: 'ACC-1004', Industry: 'Systems Integrator' } },
  { module: 'Accounts', data: { Account_Name: 'Initech', Account_Number: 'ACC-1005', Industry: 'Data/Telecom OEM' } },
  { module: 'Contacts', data: { First_Name: 'Seed', Last_Name: 'Contact One', Email: 'seed.one@seed.example' } },
  { module: 'Contacts', data: { First_Name: 'Seed', Last_Name: 'Contact Two', Email: 'seed.two@seed.example' } },
];

export const SEED_ORG = {
  zgid: '700123456',
  company_name: 'Zylker Emulated',
  domain_name: 'zylker-emulated',
  primary_email: 'admin@zylker.example',
  country_code: 'US',
  currency: 'USD',
  time_zone: 'UTC',
} as const;

export const SEED_USER = { name: 'Patricia Boyle', email: 'patricia.boyle@zylker.example' } as const;

export interface SeedUser {
  first_name: string | null;
  last_name: string;
  email: string;
  status: 'active' | 'inactive';
  role: string;
  profile: string;
}

/**
 * The org's users besides the current one (SEED_USER, who comes first and is the administrator): enough to
 * assign owners, one inactive user (an owner Bulk Write must refuse), and two active users who share a full
 * name (so "resolve by name only when unique" is testable).
 */
export const SEED_USERS: readonly SeedUser[] = [
  { first_name: 'Sam', last_name: 'Rivera', email: 'sam.rivera@zylker.example', status: 'active', role: 'Sales Manager', profile: 'Standard' },
  { first_name: 'Aisha', last_name: 'Khan', email: 'aisha.khan@zylker.example', status: 'active', role: 'Sales Rep', profile: 'Standard' },
  { first_name: 'Luis', last_name: 'Ortega', email: 'luis.ortega@zylker.example', status: 'active', role: 'Sales Rep', profile: 'Standard' },
  { first_name: 'Alex', last_name: 'Morgan', email: 'alex.morgan@zylker.example', status: 'active', role: 'Sales Rep', profile: 'Standard' },
  { first_name: 'Alex', last_name: 'Morgan', email: 'alex.morgan2@zylker.example', status: 'active', role: 'Sales Rep', profile: 'Standard' },
  { first_name: 'Tom', last_name: 'Baker', email: 'tom.baker@zylker.example', status: 'inactive', role: 'Sales Rep', profile: 'Standard' },
];
