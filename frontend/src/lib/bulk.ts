// The preview of a bulk update: for each contact, which values the one patch would change.
import { toE164 } from './contactinfo';
import { CONTACT_FIELD_LABELS, type ContactField } from './validation';
import { LEVEL_LABELS, PRIVILEGE_LABELS, PRIVILEGE_NAMES, type Privileges, type PrivilegesPatch } from './privileges';

/** Detail fields a bulk update may set (an email belongs to one person: never in bulk). */
export const BULK_DETAIL_FIELDS = [
  'phone',
  'street',
  'city',
  'stateProvince',
  'postalCode',
  'country',
  'jobTitle',
  'language',
  'businessJustification',
] as const satisfies readonly ContactField[];

export type BulkDetailField = (typeof BULK_DETAIL_FIELDS)[number];
export type BulkDetails = Partial<Record<BulkDetailField, string>>;

export interface BulkContact {
  id: string;
  firstName: string;
  lastName: string;
  email: string;
  privileges: Privileges;
  [field: string]: unknown;
}

export interface FieldChange {
  field: string;
  label: string;
  from: string;
  to: string;
}

export interface PreviewRow {
  contact: BulkContact;
  changes: FieldChange[];
}

function text(v: unknown): string {
  return v === null || v === undefined ? '' : String(v);
}

/** The changes per contact; contacts the patch leaves as they are get an empty list. */
export function bulkPreview(contacts: readonly BulkContact[], details: BulkDetails, privileges: PrivilegesPatch): PreviewRow[] {
  return contacts.map((contact) => {
    const changes: FieldChange[] = [];
    for (const field of BULK_DETAIL_FIELDS) {
      const to = details[field];
      if (to === undefined) continue;
      const from = text(contact[field]);
      if (from !== to) changes.push({ field, label: CONTACT_FIELD_LABELS[field], from, to });
    }
    for (const p of PRIVILEGE_NAMES) {
      const to = privileges[p];
      if (!to) continue;
      const from = contact.privileges[p];
      if (from !== to) {
        changes.push({ field: p, label: PRIVILEGE_LABELS[p], from: LEVEL_LABELS[from] ?? from, to: LEVEL_LABELS[to] ?? to });
      }
    }
    return { contact, changes };
  });
}

/** The UpdateContactInput for a bulk patch: an emptied optional field becomes its clear flag. */
export function bulkDetailsInput(details: BulkDetails): Record<string, string | boolean> {
  const out: Record<string, string | boolean> = {};
  for (const field of BULK_DETAIL_FIELDS) {
    const v = details[field];
    if (v === undefined) continue;
    const value = field === 'phone' ? (toE164(v) ?? v.trim()) : v.trim();
    if (value === '' && ['street', 'country', 'jobTitle', 'language'].includes(field)) {
      out[`clear${field[0].toUpperCase()}${field.slice(1)}`] = true;
    } else {
      out[field] = value;
    }
  }
  return out;
}
