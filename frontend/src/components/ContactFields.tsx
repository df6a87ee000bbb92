// The inputs of a contact's details. Required fields carry an asterisk (SPEC section 2); errors
// show inline next to each field. Country and language are picked from lists by name; a phone
// number is shown formatted once it reads as one.
import { Select, SimpleGrid, Stack, Text, TextInput, Textarea } from '@mantine/core';
import type { GetInputPropsReturnType } from '@mantine/form';
import {
  COUNTRY_OPTIONS,
  LANGUAGE_OPTIONS,
  PHONE_HINT,
  countryLabel,
  formatPhone,
  languageLabel,
  toE164,
  withValue,
} from '../lib/contactinfo';
import { CONTACT_FIELD_LABELS, MAX_LENGTHS, isRequired, type ContactField } from '../lib/validation';

// The part of a Mantine form this component needs.
interface FormLike {
  getInputProps(path: string): GetInputPropsReturnType;
  getValues(): unknown;
  setFieldValue(path: string, value: never): void;
}

interface Props {
  form: FormLike;
  /** Path prefix for nested forms, e.g. "primaryContact.". */
  prefix?: string;
  withJustification?: boolean;
  readOnly?: boolean;
  /** Fields that cannot be changed here (bulk edits never change the email). */
  disabledFields?: readonly ContactField[];
  /** Fields shown but never edited here, with the reason (a signed-in person's email). */
  lockedFields?: Partial<Record<ContactField, string>>;
}

export function ContactFields({ form, prefix = '', withJustification = true, readOnly, disabledFields = [], lockedFields = {} }: Props) {
  const value = (field: ContactField) => {
    let v: unknown = form.getValues();
    for (const part of (prefix + field).split('.')) v = (v as Record<string, unknown> | undefined)?.[part];
    return String(v ?? '');
  };
  const fixed = (field: ContactField) => readOnly || lockedFields[field] !== undefined;
  const common = (field: ContactField) => {
    const locked = lockedFields[field];
    return {
      label: CONTACT_FIELD_LABELS[field],
      withAsterisk: isRequired(field) && !fixed(field),
      'aria-required': (isRequired(field) && !fixed(field)) || undefined,
      readOnly: fixed(field),
      // Read-only looks read-only: filled, without the edit border.
      variant: fixed(field) ? 'filled' : undefined,
      disabled: disabledFields.includes(field),
      ...(locked !== undefined ? { description: locked } : {}),
    };
  };
  const input = (field: ContactField, extra: Record<string, unknown> = {}) => ({
    ...form.getInputProps(prefix + field),
    maxLength: MAX_LENGTHS[field] + 50, // the inline message explains the limit; the hard stop is generous
    ...extra,
    ...common(field),
  });
  const picker = (field: 'country' | 'language', options: typeof COUNTRY_OPTIONS, label: (v: string) => string, extra: Record<string, unknown>) => {
    const props = form.getInputProps(prefix + field);
    const current = value(field);
    return {
      ...props,
      value: current || null,
      onChange: (v: string | null) => form.setFieldValue(prefix + field, (v ?? '') as never),
      data: withValue(options, current, label),
      searchable: !fixed(field),
      clearable: !fixed(field) && !isRequired(field),
      nothingFoundMessage: 'No match',
      comboboxProps: { withinPortal: true },
      ...extra,
      ...common(field),
    };
  };
  // A phone number that reads as one is shown the way it is written internationally.
  const phoneBlur = () => {
    const raw = value('phone');
    if (toE164(raw, value('country'))) form.setFieldValue(prefix + 'phone', formatPhone(toE164(raw, value('country'))) as never);
    form.getInputProps(prefix + 'phone').onBlur?.(undefined);
  };
  return (
    <Stack gap="sm">
      <Text size="sm" c="dimmed">
        Fields marked * are required.
      </Text>
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <TextInput {...input('email', { type: 'email', autoComplete: 'email' })} />
        <TextInput
          {...input('phone', { type: 'tel', autoComplete: 'tel', onBlur: phoneBlur })}
          {...(lockedFields.phone === undefined && !readOnly ? { description: PHONE_HINT } : {})}
        />
        <TextInput {...input('firstName', { autoComplete: 'given-name' })} />
        <TextInput {...input('lastName', { autoComplete: 'family-name' })} />
        <TextInput {...input('jobTitle', { autoComplete: 'organization-title' })} />
        <Select {...picker('language', LANGUAGE_OPTIONS, languageLabel, { placeholder: 'Choose a language' })} />
      </SimpleGrid>
      <TextInput {...input('street', { autoComplete: 'street-address' })} />
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <TextInput {...input('city', { autoComplete: 'address-level2' })} />
        <TextInput {...input('stateProvince', { autoComplete: 'address-level1' })} />
        <TextInput {...input('postalCode', { autoComplete: 'postal-code' })} />
        <Select {...picker('country', COUNTRY_OPTIONS, countryLabel, { placeholder: 'Choose a country' })} />
      </SimpleGrid>
      {withJustification && (
        <Textarea
          {...input('businessJustification', {
            autosize: true,
            minRows: 2,
            maxRows: 8,
            description: 'Why this person has access to the Site (at most 1000 characters)',
          })}
        />
      )}
    </Stack>
  );
}
