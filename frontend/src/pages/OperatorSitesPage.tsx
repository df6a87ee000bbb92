// Operators: every Site, searchable by number or name, and creating a Site with its Primary contact.
import { Anchor, Button, Card, Divider, Group, Modal, NativeSelect, NumberInput, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { useMutation, useQuery, type CombinedError } from 'urql';
import { ContactFields } from '../components/ContactFields';
import { CursorPager, useCursorPager } from '../components/CursorPager';
import { Denied } from '../components/Denied';
import { ErrorAlert } from '../components/ErrorAlert';
import { ListTable } from '../components/ListTable';
import { PageHeader } from '../components/PageHeader';
import { siteSearchWhere } from '../components/SitePicker';
import { useViewer } from '../components/ViewerContext';
import { graphql } from '../gql';
import type { CreateSiteInput, Program } from '../gql/graphql';
import { apiErrors } from '../lib/errors';
import { formatDate, isOverdue } from '../lib/format';
import { EMPTY_CONTACT, detailsInput, validateContact, type ContactFields as Fields } from '../lib/validation';
import { validateSiteNumber } from './RequestAccessPage';
import { focusFirstError } from '../lib/focus';

const OperatorSites = graphql(`
  query OperatorSites($first: Int!, $after: Cursor, $where: SiteWhereInput) {
    sites(first: $first, after: $after, where: $where, orderBy: { field: NUMBER, direction: ASC }) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          number
          name
          customerNumber
          program
          status
          reviewDueAt
        }
      }
    }
  }
`);

const CreateSite = graphql(`
  mutation CreateSite($input: CreateSiteInput!) {
    createSite(input: $input) {
      id
      number
      name
    }
  }
`);

interface SiteValues {
  number: string;
  name: string;
  customerNumber: string;
  program: Program;
  reviewIntervalDays: number;
  primaryContact: Fields;
}

const initialValues: SiteValues = {
  number: '',
  name: '',
  customerNumber: '',
  program: 'STANDARD',
  reviewIntervalDays: 30,
  primaryContact: EMPTY_CONTACT,
};

export default function OperatorSitesPage() {
  const { viewer } = useViewer();
  const navigate = useNavigate();
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search, 300);
  const pager = useCursorPager(25);
  const [result] = useQuery({
    query: OperatorSites,
    variables: { first: pager.pageSize, after: pager.after, where: siteSearchWhere(debounced) },
    pause: !viewer.isOperator,
  });
  const [creating, setCreating] = useState(false);
  const [error, setError] = useState<CombinedError | null>(null);
  const [{ fetching }, createSite] = useMutation(CreateSite);
  const form = useForm<SiteValues>({
    mode: 'controlled',
    initialValues,
    validate: (v) => {
      const errors: Record<string, string | null> = {
        number: validateSiteNumber(v.number),
        name: v.name.trim() ? null : 'Name is required',
        customerNumber: v.customerNumber.trim() ? null : 'Customer number is required',
      };
      for (const [k, msg] of Object.entries(validateContact(v.primaryContact))) {
        if (k !== 'businessJustification') errors[`primaryContact.${k}`] = msg;
      }
      return errors;
    },
    validateInputOnBlur: true,
  });

  if (!viewer.isOperator) {
    return (
      <>
        <PageHeader title="Sites" />
        <Denied reason="Only operators manage Sites." />
      </>
    );
  }

  const conn = result.data?.sites;
  const rows = (conn?.edges ?? []).flatMap((e) => (e?.node ? [e.node] : []));

  const onCreate = async (v: SiteValues) => {
    setError(null);
    const input: CreateSiteInput = {
      number: v.number.trim(),
      name: v.name.trim(),
      customerNumber: v.customerNumber.trim(),
      program: v.program,
      reviewIntervalDays: v.reviewIntervalDays,
      primaryContact: detailsInput(v.primaryContact),
    };
    const r = await createSite({ input });
    if (r.error || !r.data) {
      for (const e of apiErrors(r.error)) for (const f of e.fields) form.setFieldError(f, e.message);
      setError(r.error ?? null);
      return;
    }
    notifications.show({ color: 'teal', title: 'Site created', message: `Site ${r.data.createSite.number} is ready.` });
    setCreating(false);
    form.reset();
    navigate(`/sites/${r.data.createSite.number}`);
  };

  return (
    <>
      <PageHeader title="Sites" actions={<Button onClick={() => setCreating(true)}>Create Site</Button>} />
      <Stack>
        <TextInput
          label="Search Sites"
          placeholder="Number or name"
          type="search"
          maw={360}
          value={search}
          onChange={(e) => {
            setSearch(e.currentTarget.value);
            pager.reset();
          }}
        />
        {result.error && <ErrorAlert error={result.error} />}
        <ListTable
          label="Sites"
          columns={['Number', 'Name', 'Customer', 'Program', 'Review due']}
          minWidth={640}
          busy={result.fetching}
          empty="No Sites match."
        >
          {rows.map((s) => (
            <Table.Tr key={s.id}>
              <Table.Td>
                <Anchor component={Link} to={`/sites/${s.number}`}>
                  {s.number}
                </Anchor>
              </Table.Td>
              <Table.Th scope="row" fw={500}>
                {s.name}
                {s.status === 'INACTIVE' ? ' (inactive)' : ''}
              </Table.Th>
              <Table.Td>{s.customerNumber}</Table.Td>
              <Table.Td>{s.program}</Table.Td>
              <Table.Td c={isOverdue(s.reviewDueAt) ? 'red' : undefined}>{formatDate(s.reviewDueAt)}</Table.Td>
            </Table.Tr>
          ))}
        </ListTable>
        <CursorPager pager={pager} pageInfo={conn?.pageInfo} totalCount={conn?.totalCount} label="Sites" />
      </Stack>
      <Modal opened={creating} onClose={() => setCreating(false)} title="Create a Site" size="xl" closeButtonProps={{ 'aria-label': 'Close' }}>
        <form onSubmit={form.onSubmit((v) => void onCreate(v), focusFirstError)} noValidate aria-label="Create a Site">
          <Stack>
            {error && <ErrorAlert error={error} title="Not created" />}
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <TextInput label="Site number" withAsterisk aria-required inputMode="numeric" maxLength={7} description="7 digits" data-autofocus {...form.getInputProps('number')} />
              <TextInput label="Site name" withAsterisk aria-required {...form.getInputProps('name')} />
              <TextInput label="Customer number" withAsterisk aria-required {...form.getInputProps('customerNumber')} />
              <NativeSelect
                label="Program"
                data={[
                  { value: 'STANDARD', label: 'Standard' },
                  { value: 'EXPRESS', label: 'Express' },
                ]}
                {...form.getInputProps('program')}
              />
              <NumberInput label="Review every (days)" min={1} max={365} allowDecimal={false} {...form.getInputProps('reviewIntervalDays')} />
            </SimpleGrid>
            <Divider />
            <Title order={2} size="h5">
              Primary contact
            </Title>
            <Text size="sm" c="dimmed">
              Becomes the Site's active Primary contact; the creation of the Site is recorded as the justification.
            </Text>
            <Card withBorder>
              <ContactFields form={form} prefix="primaryContact." withJustification={false} />
            </Card>
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setCreating(false)}>
                Cancel
              </Button>
              <Button type="submit" loading={fetching}>
                Create Site
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </>
  );
}
