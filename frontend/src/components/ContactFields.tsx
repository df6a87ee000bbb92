// The inputs of a contact's details. Required fields carry an asterisk (SPEC section 2); errors
// show inline next to each field.
import { SimpleGrid, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { CONTACT_FIELD_LABELS, MAX_LENGTHS, isRequired, type ContactField } from '../lib/validation';

// The part of a Mantine form this component needs.
interface FormLike {
  getInputProps(path: string): object;
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
  const input = (field: ContactField, extra: Record<string, unknown> = {}) => {
    const locked = lockedFields[field];
    const fixed = readOnly || locked !== undefined;
    return {
      label: CONTACT_FIELD_LABELS[field],
      withAsterisk: isRequired(field) && !fixed,
      'aria-required': (isRequired(field) && !fixed) || undefined,
      maxLength: MAX_LENGTHS[field] + 50, // the inline message explains the limit; the hard stop is generous
      readOnly: fixed,
      // Read-only looks read-only: filled, without the edit border.
      variant: fixed ? 'filled' : undefined,
      disabled: disabledFields.includes(field),
      ...form.getInputProps(prefix + field),
      ...extra,
      ...(locked !== undefined ? { description: locked } : {}),
    };
  };
  return (
    <Stack gap="sm">
      <Text size="sm" c="dimmed">
        Fields marked * are required.
      </Text>
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <TextInput {...input('email', { type: 'email', autoComplete: 'email' })} />
        <TextInput {...input('phone', { type: 'tel', autoComplete: 'tel' })} />
        <TextInput {...input('firstName', { autoComplete: 'given-name' })} />
        <TextInput {...input('lastName', { autoComplete: 'family-name' })} />
        <TextInput {...input('jobTitle', { autoComplete: 'organization-title' })} />
        <TextInput {...input('language', { placeholder: 'en or de-CH', description: 'BCP 47 language tag' })} />
      </SimpleGrid>
      <TextInput {...input('street', { autoComplete: 'street-address' })} />
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <TextInput {...input('city', { autoComplete: 'address-level2' })} />
        <TextInput {...input('stateProvince', { autoComplete: 'address-level1' })} />
        <TextInput {...input('postalCode', { autoComplete: 'postal-code' })} />
        <TextInput
          {...input('country', {
            autoComplete: 'country',
            placeholder: 'US',
            description: 'Two capital letters (ISO 3166-1 alpha-2)',
            maxLength: 2,
          })}
        />
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
