// Contact validation that mirrors the server (ent/schema/contact.go): required fields, maximum
// lengths, email, phone (libphonenumber), country and language. The server checks again; this
// only spares a round trip.
import { COUNTRY_OPTIONS, LANGUAGE_OPTIONS, formatPhone, toE164, validatePhone } from './contactinfo';
import { CONTACT_FIELD_LABELS, type ContactErrors, type ContactField, type ContactFields } from './fields';

export { CONTACT_FIELD_LABELS, type ContactErrors, type ContactField, type ContactFields };

export const REQUIRED_FIELDS: readonly ContactField[] = [
  'email',
  'firstName',
  'lastName',
  'phone',
  'city',
  'stateProvince',
  'postalCode',
  'businessJustification',
];

export const OPTIONAL_FIELDS: readonly ContactField[] = ['street', 'country', 'jobTitle', 'language'];

export const MAX_LENGTHS: Record<ContactField, number> = {
  email: 254,
  firstName: 100,
  lastName: 100,
  phone: 40,
  city: 100,
  stateProvince: 100,
  postalCode: 20,
  street: 200,
  country: 2,
  jobTitle: 100,
  language: 35,
  businessJustification: 1000,
};

export const EMPTY_CONTACT: ContactFields = {
  email: '',
  firstName: '',
  lastName: '',
  phone: '',
  city: '',
  stateProvince: '',
  postalCode: '',
  street: '',
  country: '',
  jobTitle: '',
  language: '',
  businessJustification: '',
};

export function isRequired(field: ContactField): boolean {
  return REQUIRED_FIELDS.includes(field);
}

// One address, local@domain with a dot in the domain, no spaces or display names: what Go's
// net/mail accepts as a bare address and the server's extra dot check.
const emailPattern = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]+$/;
// eslint-disable-next-line no-control-regex
const controlChars = /[\u0000-\u001f\u007f]/;

export function validateEmail(value: string): string | null {
  if (!emailPattern.test(value) || value.includes('..') || value.startsWith('.') || value.includes('.@')) {
    return 'Enter an email address such as name@example.com';
  }
  return null;
}

/**
 * The error for one field, or null. values gives the other fields a field depends on (a phone
 * without its country code is read in the contact's country).
 */
export function validateContactField(field: ContactField, raw: string, values?: Partial<ContactFields>): string | null {
  const value = raw ?? '';
  if (value.trim() === '') {
    return isRequired(field) ? `${CONTACT_FIELD_LABELS[field]} is required` : null;
  }
  if (field !== 'country' && [...value].length > MAX_LENGTHS[field]) {
    return `${CONTACT_FIELD_LABELS[field]} must be at most ${MAX_LENGTHS[field]} characters`;
  }
  if (controlChars.test(value)) return `${CONTACT_FIELD_LABELS[field]} must not contain control characters`;
  switch (field) {
    case 'email':
      return validateEmail(value);
    case 'phone':
      return validatePhone(value, values?.country);
    case 'country':
      return COUNTRY_OPTIONS.some((o) => o.value === value) ? null : 'Choose a country from the list';
    case 'language':
      // A language the list lacks may be a contact's own from before; the server judges it.
      return LANGUAGE_OPTIONS.some((o) => o.value === value) || values?.language === value ? null : 'Choose a language from the list';
  }
  return null;
}

/** Every field's error; an empty object when the contact may be saved. */
export function validateContact(values: ContactFields, fields: readonly ContactField[] = Object.keys(CONTACT_FIELD_LABELS) as ContactField[]): ContactErrors {
  const errors: ContactErrors = {};
  for (const field of fields) {
    const err = validateContactField(field, values[field], values);
    if (err) errors[field] = err;
  }
  return errors;
}

/** The contact fields of values, trimmed, so "  Ann " saves as "Ann"; other form values are left out. */
export function normalizeContact(values: ContactFields): ContactFields {
  const out = { ...EMPTY_CONTACT };
  for (const key of Object.keys(EMPTY_CONTACT) as ContactField[]) out[key] = String(values[key] ?? '').trim();
  return out;
}

/**
 * The patch for updateContact: only the fields that changed; an emptied optional field becomes
 * its clearX flag, as UpdateContactInput expects.
 */
export function contactPatch(base: ContactFields, next: ContactFields): Record<string, string | boolean> {
  const a = normalizeContact(base);
  const b = normalizeContact(next);
  // A phone number is the same number however it is written: compare and send it in E.164.
  a.phone = toE164(a.phone, a.country) ?? a.phone;
  b.phone = toE164(b.phone, b.country) ?? b.phone;
  const patch: Record<string, string | boolean> = {};
  for (const field of Object.keys(CONTACT_FIELD_LABELS) as ContactField[]) {
    if (a[field] === b[field]) continue;
    if (b[field] === '' && OPTIONAL_FIELDS.includes(field)) {
      patch[`clear${field[0].toUpperCase()}${field.slice(1)}`] = true;
    } else {
      patch[field] = b[field];
    }
  }
  return patch;
}

/** An API contact as form values (nulls become empty strings, the phone formatted). */
export function toContactFields(c: Partial<Record<ContactField, string | null | undefined>>): ContactFields {
  const out = { ...EMPTY_CONTACT };
  for (const key of Object.keys(out) as ContactField[]) out[key] = c[key] ?? '';
  out.phone = formatPhone(out.phone);
  return out;
}

/** A contact's details as an API input: trimmed, the phone in E.164, empty optional fields left out. */
export function detailsInput(values: ContactFields) {
  const v = normalizeContact(values);
  const opt = (s: string) => (s === '' ? undefined : s);
  return {
    email: v.email,
    firstName: v.firstName,
    lastName: v.lastName,
    phone: toE164(v.phone, v.country) ?? v.phone,
    city: v.city,
    stateProvince: v.stateProvince,
    postalCode: v.postalCode,
    street: opt(v.street),
    country: opt(v.country),
    jobTitle: opt(v.jobTitle),
    language: opt(v.language),
  };
}

/**
 * Server field names (extensions.fields) to form field names: "details.city" and
 * "primaryContact.email" become "city" and "email".
 */
export function formFieldOf(serverField: string): string {
  const i = serverField.lastIndexOf('.');
  return i >= 0 ? serverField.slice(i + 1) : serverField;
}
