// Ask for access to a Site by its number, with a justification; the Site's managers decide.
import { Alert, Button, Card, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { useMutation, type CombinedError } from 'urql';
import { ErrorAlert } from '../components/ErrorAlert';
import { PageHeader } from '../components/PageHeader';
import { graphql } from '../gql';
import { apiErrors } from '../lib/errors';
import { formatDate } from '../lib/format';
import { focusFirstError } from '../lib/focus';

const RequestAccess = graphql(`
  mutation RequestAccess($siteNumber: String!, $justification: String!) {
    requestAccess(siteNumber: $siteNumber, justification: $justification) {
      id
      status
      expiresAt
    }
  }
`);

export function validateSiteNumber(v: string): string | null {
  return /^\d{7}$/.test(v.trim()) ? null : 'A Site number has 7 digits';
}

export default function RequestAccessPage() {
  const [params] = useSearchParams();
  const [{ fetching }, requestAccess] = useMutation(RequestAccess);
  const [error, setError] = useState<CombinedError | null>(null);
  const [sent, setSent] = useState<{ siteNumber: string; expiresAt: string } | null>(null);
  const form = useForm({
    mode: 'controlled',
    initialValues: { siteNumber: params.get('site') ?? '', justification: '' },
    validate: {
      siteNumber: validateSiteNumber,
      justification: (v: string) =>
        v.trim() === '' ? 'Say why you need access' : v.length > 1000 ? 'At most 1000 characters' : null,
    },
    validateInputOnBlur: true,
  });

  const onSubmit = async (values: { siteNumber: string; justification: string }) => {
    setError(null);
    const r = await requestAccess({ siteNumber: values.siteNumber.trim(), justification: values.justification.trim() });
    if (r.error || !r.data) {
      for (const e of apiErrors(r.error)) for (const f of e.fields) form.setFieldError(f, e.message);
      setError(r.error ?? null);
      return;
    }
    setSent({ siteNumber: values.siteNumber.trim(), expiresAt: r.data.requestAccess.expiresAt });
    form.reset();
  };

  return (
    <>
      <PageHeader title="Request access to a Site" />
      <Card withBorder maw={640}>
        <form onSubmit={form.onSubmit((v) => void onSubmit(v), focusFirstError)} noValidate aria-label="Request access">
          <Stack>
            <Text size="sm">
              The Site's Primary contact and account managers receive your request and grant or deny it. Fields marked * are
              required.
            </Text>
            {sent && (
              <Alert color="teal" title="Request recorded" role="status">
                If Site {sent.siteNumber} exists, its Primary contact and account managers see your request and may grant or
                deny it until {formatDate(sent.expiresAt)}. You find the decision on your home page. Check the number if nothing
                happens: a number no Site has gets no answer.
              </Alert>
            )}
            {error && <ErrorAlert error={error} title="Not sent" />}
            <TextInput label="Site number" withAsterisk aria-required inputMode="numeric" maxLength={7} {...form.getInputProps('siteNumber')} />
            <Textarea
              label="Justification"
              withAsterisk
              aria-required
              description="Why you need access (at most 1000 characters)"
              autosize
              minRows={3}
              {...form.getInputProps('justification')}
            />
            <Button type="submit" loading={fetching} w="fit-content">
              Request access
            </Button>
          </Stack>
        </form>
      </Card>
    </>
  );
}
