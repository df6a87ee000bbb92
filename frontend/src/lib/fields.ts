// A contact's fields and their labels, apart from validation (which brings libphonenumber), so
// that the initial chunk (error messages) can name fields without loading it.
export interface ContactFields {
  email: string;
  firstName: string;
  lastName: string;
  phone: string;
  city: string;
  stateProvince: string;
  postalCode: string;
  street: string;
  country: string;
  jobTitle: string;
  language: string;
  businessJustification: string;
}

export type ContactField = keyof ContactFields;
export type ContactErrors = Partial<Record<ContactField, string>>;

export const CONTACT_FIELD_LABELS: Record<ContactField, string> = {
  email: 'Email',
  firstName: 'First name',
  lastName: 'Last name',
  phone: 'Phone',
  city: 'City',
  stateProvince: 'State or province',
  postalCode: 'Postal code',
  street: 'Street',
  country: 'Country',
  jobTitle: 'Job title',
  language: 'Language',
  businessJustification: 'Business justification',
};
