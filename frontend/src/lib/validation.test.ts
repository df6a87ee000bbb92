import { describe, expect, it } from 'vitest';
import { EMPTY_CONTACT, contactPatch, formFieldOf, normalizeContact, validateContact, validateContactField, type ContactFields } from './validation';

const valid: ContactFields = {
  ...EMPTY_CONTACT,
  email: 'ann.lee@example.com',
  firstName: 'Ann',
  lastName: 'Lee',
  phone: '+1 937 555 0100',
  city: 'Springfield',
  stateProvince: 'IL',
  postalCode: '62701',
  businessJustification: 'Downloads the software for the data centre.',
};

describe('contact validation', () => {
  it('accepts a complete contact', () => {
    expect(validateContact(valid)).toEqual({});
  });

  it('requires email, names, phone, city, state, postal code and justification', () => {
    const errors = validateContact(EMPTY_CONTACT);
    expect(Object.keys(errors).sort()).toEqual(
      ['businessJustification', 'city', 'email', 'firstName', 'lastName', 'phone', 'postalCode', 'stateProvince'].sort(),
    );
    expect(errors.firstName).toBe('First name is required');
  });

  it('treats whitespace as empty and leaves optional fields optional', () => {
    expect(validateContactField('city', '   ')).toBe('City is required');
    expect(validateContactField('street', '')).toBeNull();
    expect(validateContactField('country', '')).toBeNull();
    expect(validateContactField('jobTitle', '')).toBeNull();
  });

  it.each([
    ['firstName', 100],
    ['lastName', 100],
    ['postalCode', 20],
    ['street', 200],
    ['businessJustification', 1000],
  ] as const)('limits %s to %i characters', (field, max) => {
    expect(validateContactField(field, 'x'.repeat(max))).toBeNull();
    expect(validateContactField(field, 'x'.repeat(max + 1))).toMatch(`at most ${max} characters`);
  });

  it('counts characters, not UTF-16 units', () => {
    expect(validateContactField('postalCode', '😀'.repeat(20))).toBeNull();
  });

  it.each(['ann@example.com', 'a.b+tag@sub.example.co.uk'])('accepts the email %s', (email) => {
    expect(validateContactField('email', email)).toBeNull();
  });

  it.each(['ann', 'ann@example', '@example.com', 'ann@@example.com', 'ann lee@example.com', 'Ann <ann@example.com>', 'ann..lee@example.com'])(
    'refuses the email %s',
    (email) => {
      expect(validateContactField('email', email)).toMatch(/email address/);
    },
  );

  it.each([
    ['US', null],
    ['DE', null],
    ['us', 'from the list'],
    ['USA', 'from the list'],
    ['XX', 'from the list'],
  ])('country %s', (country, problem) => {
    const err = validateContactField('country', country);
    if (problem) expect(err).toContain(problem);
    else expect(err).toBeNull();
  });

  it.each([
    ['+1 937 555 0142', undefined, null],
    ['(937) 555-0142', 'US', null],
    ['030 901820', 'DE', null],
    ['(937) 555-0142', undefined, 'country code'],
    ['call me', 'US', 'country code'],
    ['abc', undefined, 'country code'],
  ])('phone %s in %s', (phone, country, problem) => {
    const err = validateContactField('phone', phone, { country });
    if (problem) expect(err).toContain(problem);
    else expect(err).toBeNull();
  });

  it.each([
    ['en-US', null],
    ['de-CH', null],
    ['english', 'from the list'],
    ['EN-us', 'from the list'],
  ])('language %s', (language, problem) => {
    const err = validateContactField('language', language);
    if (problem) expect(err).toContain(problem);
    else expect(err).toBeNull();
  });

  it('keeps a language a contact already had, even one the list lacks', () => {
    expect(validateContactField('language', 'sw', { language: 'sw' })).toBeNull();
  });

  it('normalizes only the contact fields, whatever else the form holds', () => {
    const form = { ...valid, firstName: '  Ann ', invitationDays: 7 } as unknown as ContactFields;
    expect(normalizeContact(form)).toEqual({ ...valid, firstName: 'Ann' });
  });

  it('refuses control characters like the server', () => {
    expect(validateContactField('city', 'Spring\u0007field')).toMatch(/control characters/);
  });
});

describe('contactPatch', () => {
  it('sends only the changed fields, trimmed', () => {
    expect(contactPatch(valid, { ...valid, phone: ' +1 937 555 0199 ', city: valid.city })).toEqual({ phone: '+19375550199' });
  });

  it('clears an emptied optional field with its flag', () => {
    const base = { ...valid, street: '1 Main St', country: 'US' };
    expect(contactPatch(base, { ...base, street: '', country: '' })).toEqual({ clearStreet: true, clearCountry: true });
  });

  it('sends no phone written another way', () => {
    expect(contactPatch({ ...valid, phone: '+19375550100' }, { ...valid, phone: '+1 937-555-0100' })).toEqual({});
  });

  it('sends nothing when nothing changed', () => {
    expect(contactPatch(valid, { ...valid })).toEqual({});
  });
});

describe('formFieldOf', () => {
  it('maps server field paths to form fields', () => {
    expect(formFieldOf('details.city')).toBe('city');
    expect(formFieldOf('primaryContact.email')).toBe('email');
    expect(formFieldOf('phone')).toBe('phone');
  });
});
