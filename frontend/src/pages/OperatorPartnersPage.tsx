// Operators: the registered partners (resellers) and registering a new one with its OIDC client id.
import { Button, Card, Group, Stack, Table, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useMutation, useQuery, type CombinedError } from 'urql';
import { CursorPager, useCursorPager } from '../components/CursorPager';
import { Denied } from '../components/Denied';
import { ErrorAlert } from '../components/ErrorAlert';
import { ListTable } from '../components/ListTable';
import { PageHeader } from '../components/PageHeader';
import { useViewer } from '../components/ViewerContext';
import { graphql } from '../gql';
import { apiErrors } from '../lib/errors';
import { formatDateTime } from '../lib/format';
import { focusFirstError } from '../lib/focus';

const OperatorPartners = graphql(`
  query OperatorPartners($first: Int!, $after: Cursor) {
    partners(first: $first, after: $after, orderBy: { field: NAME, direction: ASC }) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          name
          clientId
          createdAt
        }
      }
    }
  }
`);

const CreatePartner = graphql(`
  mutation CreatePartner($input: CreatePartnerInput!) {
    createPartner(input: $input) {
      id
      name
      clientId
    }
  }
`);

export default function OperatorPartnersPage() {
  const { viewer } = useViewer();
  const pager = useCursorPager(25);
  const [result, reexecute] = useQuery({
    query: OperatorPartners,
    variables: { first: pager.pageSize, after: pager.after },
    pause: !viewer.isOperator,
  });
  const [{ fetching }, createPartner] = useMutation(CreatePartner);
  const [error, setError] = useState<CombinedError | null>(null);
  const form = useForm({
    mode: 'controlled',
    initialValues: { name: '', clientId: '' },
    validate: {
      name: (v: string) => (v.trim() ? null : 'Name is required'),
      clientId: (v: string) => (v.trim() ? null : 'Client id is required'),
    },
    validateInputOnBlur: true,
  });

  if (!viewer.isOperator) {
    return (
      <>
        <PageHeader title="Partners" />
        <Denied reason="Only operators manage partners." />
      </>
    );
  }
  const conn = result.data?.partners;
  const rows = (conn?.edges ?? []).flatMap((e) => (e?.node ? [e.node] : []));

  const onCreate = async (v: { name: string; clientId: string }) => {
    setError(null);
    const r = await createPartner({ input: { name: v.name.trim(), clientId: v.clientId.trim() } });
    if (r.error || !r.data) {
      for (const e of apiErrors(r.error)) for (const f of e.fields) form.setFieldError(f, e.message);
      setError(r.error ?? null);
      return;
    }
    notifications.show({ color: 'teal', title: 'Partner registered', message: r.data.createPartner.name });
    form.reset();
    reexecute({ requestPolicy: 'network-only' });
  };

  return (
    <>
      <PageHeader title="Partners" />
      <Stack>
        <Card withBorder component="section" aria-labelledby="new-partner">
          <Text fw={600} id="new-partner" mb="xs">
            Register a partner
          </Text>
          <form onSubmit={form.onSubmit((v) => void onCreate(v), focusFirstError)} noValidate aria-label="Register a partner">
            <Stack gap="sm">
              {error && <ErrorAlert error={error} title="Not registered" />}
              <Group align="flex-start" gap="sm">
                <TextInput label="Name" withAsterisk aria-required {...form.getInputProps('name')} />
                <TextInput
                  label="Client ID"
                  withAsterisk
                  aria-required
                  description="The ID of the partner's API client at the identity provider"
                  {...form.getInputProps('clientId')}
                />
              </Group>
              <Button type="submit" loading={fetching} w="fit-content">
                Register partner
              </Button>
            </Stack>
          </form>
        </Card>
        {result.error && <ErrorAlert error={result.error} />}
        <ListTable
          label="Partners"
          columns={['Name', 'Client id', 'Registered']}
          minWidth={520}
          busy={result.fetching}
          empty="No partners yet."
        >
          {rows.map((p) => (
            <Table.Tr key={p.id}>
              <Table.Th scope="row" fw={500}>
                {p.name}
              </Table.Th>
              <Table.Td ff="monospace">{p.clientId}</Table.Td>
              <Table.Td>{formatDateTime(p.createdAt)}</Table.Td>
            </Table.Tr>
          ))}
        </ListTable>
        <CursorPager pager={pager} pageInfo={conn?.pageInfo} totalCount={conn?.totalCount} label="partners" />
      </Stack>
    </>
  );
}
