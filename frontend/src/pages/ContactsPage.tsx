// "View all contacts": search, filters (role, privilege, contact type, status), sortable columns,
// cursor paging, row selection for bulk updates, a privilege matrix view and CSV export.
import 'mantine-datatable/styles.css';
import { Anchor, Badge, Button, Card, Checkbox, Group, NativeSelect, SegmentedControl, SimpleGrid, Stack, Table, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { DataTable, type DataTableSortStatus } from 'mantine-datatable';
import { useEffect, useMemo, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useMediaQuery } from '@mantine/hooks';
import { useClient, useQuery, type Client } from 'urql';
import { CursorPager, useCursorPager } from '../components/CursorPager';
import { Denied } from '../components/Denied';
import { ErrorAlert } from '../components/ErrorAlert';
import { LevelBadge } from '../components/LevelBadge';
import { PageHeader } from '../components/PageHeader';
import { ScrollRegion } from '../components/ScrollRegion';
import { useSite } from '../components/SiteContext';
import { graphql } from '../gql';
import type {
  AccessRole,
  ContactOrder,
  ContactOrderField,
  ContactStatus,
  ContactType,
  ContactWhereInput,
  SiteContactsQuery,
  SiteContactsQueryVariables,
} from '../gql/graphql';
import { contactsCsv, downloadText } from '../lib/csv';
import { describeError, firstError } from '../lib/errors';
import { CONTACT_TYPE_LABELS, ROLE_LABELS, STATUS_LABELS, formatDateTime, fullName } from '../lib/format';
import { LEVEL_LABELS, LEVELS, PRIVILEGE_LABELS, PRIVILEGE_NAMES, type Level, type PrivilegeName } from '../lib/privileges';
import { NO_FILTERS, contactWhere, filtersFromParams, filtersToParams, hasFilters, type ContactFilters } from '../lib/contactFilters';

const SiteContactsQueryDocument = graphql(`
  query SiteContacts($number: String!, $first: Int, $after: Cursor, $where: ContactWhereInput, $orderBy: ContactOrder) {
    site(number: $number) {
      id
      contacts(first: $first, after: $after, where: $where, orderBy: $orderBy) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        edges {
          node {
            id
            firstName
            lastName
            email
            phone
            jobTitle
            accessRole
            status
            contactTypes
            lastSignInAt
            privileges {
              softwareAccess
              reporting
              entitlements
              manageAccess
              contactUpdates
              accountDocuments
            }
          }
        }
      }
    }
  }
`);

type ContactEdge = NonNullable<NonNullable<NonNullable<SiteContactsQuery['site']>['contacts']['edges']>[number]>;
type ContactRow = NonNullable<ContactEdge['node']>;

const SORT_FIELDS: Record<string, ContactOrderField> = {
  lastName: 'LAST_NAME',
  firstName: 'FIRST_NAME',
  email: 'EMAIL',
  accessRole: 'ACCESS_ROLE',
  status: 'STATUS',
  lastSignInAt: 'LAST_SIGN_IN_AT',
};

/** Every contact matching the filters, page by page (100 at a time, the API's limit). */
async function fetchAllContacts(client: Client, number: string, where: ContactWhereInput | undefined, orderBy: ContactOrder) {
  const all: ContactRow[] = [];
  let after: string | null | undefined = null;
  for (;;) {
    const variables: SiteContactsQueryVariables = { number, first: 100, after, where, orderBy };
    const r = await client.query(SiteContactsQueryDocument, variables, { requestPolicy: 'network-only' }).toPromise();
    if (r.error) throw r.error;
    const conn = r.data?.site?.contacts;
    if (!conn) break;
    for (const e of conn.edges ?? []) if (e?.node) all.push(e.node);
    if (!conn.pageInfo.hasNextPage || !conn.pageInfo.endCursor) break;
    after = conn.pageInfo.endCursor;
  }
  return all;
}

const selectData = <T extends string>(labels: Record<string, string>, values: readonly T[], any: string) => [
  { value: '', label: any },
  ...values.map((v) => ({ value: v, label: labels[v] ?? v })),
];

export default function ContactsPage() {
  const { site, abilities } = useSite();
  const client = useClient();
  const navigate = useNavigate();
  const base = `/sites/${site.number}`;
  // The filters live in the URL: a filtered view can be linked to, and Back returns to it.
  const [params, setParams] = useSearchParams();
  const [filters, setFiltersState] = useState<ContactFilters>(() => filtersFromParams(params));
  const setFilters = (next: ContactFilters | ((f: ContactFilters) => ContactFilters)) =>
    setFiltersState((prev) => {
      const f = typeof next === 'function' ? next(prev) : next;
      setParams(filtersToParams(f), { replace: true });
      return f;
    });
  const phone = useMediaQuery('(max-width: 48em)');
  const [debouncedSearch] = useDebouncedValue(filters.search, 300);
  const [view, setView] = useState<'table' | 'matrix'>('table');
  const [sortStatus, setSortStatus] = useState<DataTableSortStatus<ContactRow>>({ columnAccessor: 'lastName', direction: 'asc' });
  const [selected, setSelected] = useState<Map<string, ContactRow>>(new Map());
  const [exporting, setExporting] = useState(false);
  const pager = useCursorPager(25);

  const where = useMemo(() => contactWhere({ ...filters, search: debouncedSearch }), [filters, debouncedSearch]);
  const orderBy: ContactOrder = {
    field: SORT_FIELDS[String(sortStatus.columnAccessor)] ?? 'LAST_NAME',
    direction: sortStatus.direction === 'desc' ? 'DESC' : 'ASC',
  };
  const { reset } = pager;
  // A new filter or sort starts again at the first page.
  useEffect(() => reset(), [where, sortStatus, reset]);

  const [result, reexecute] = useQuery({
    query: SiteContactsQueryDocument,
    variables: { number: site.number, first: pager.pageSize, after: pager.after, where, orderBy },
    pause: !abilities.canListContacts,
  });
  const conn = result.data?.site?.contacts;
  const records = useMemo(() => (conn?.edges ?? []).flatMap((e) => (e?.node ? [e.node] : [])), [conn]);

  if (!abilities.canListContacts) {
    return (
      <>
        <PageHeader title="Contacts" />
        <Denied reason="Listing the Site's contacts needs Manage access or Contact updates at View or more." />
      </>
    );
  }

  const setFilter = <K extends keyof ContactFilters>(key: K, value: ContactFilters[K]) =>
    setFilters((f) => ({ ...f, [key]: value, ...(key === 'privilege' ? { level: '' } : {}) }));

  const onExport = async () => {
    setExporting(true);
    try {
      const all = await fetchAllContacts(client, site.number, where, orderBy);
      downloadText(`contacts-${site.number}.csv`, contactsCsv(all));
      notifications.show({ color: 'teal', title: 'Export ready', message: `${all.length} contacts exported.` });
    } catch (e) {
      const err = firstError(e as never);
      notifications.show({ color: 'red', title: 'Export failed', message: err ? describeError(err) : String(e) });
    } finally {
      setExporting(false);
    }
  };

  const selectedOnPage = records.filter((r) => selected.has(r.id));
  const onSelectionChange = (pageSelection: ContactRow[]) => {
    setSelected((prev) => {
      const next = new Map(prev);
      for (const r of records) next.delete(r.id);
      for (const r of pageSelection) next.set(r.id, r);
      return next;
    });
  };

  const nameLink = (r: ContactRow, text: string) => (
    <Anchor component={Link} to={`${base}/contacts/${r.id}`} aria-label={`Edit ${fullName(r)}`}>
      {text || '—'}
    </Anchor>
  );

  return (
    <>
      <PageHeader
        title="Contacts"
        subtitle={`Site ${site.number} · ${site.name}`}
        actions={
          <>
            {abilities.canAddContact.allowed && (
              <Button component={Link} to={`${base}/contacts/new`}>
                Add contact
              </Button>
            )}
            <Button variant="default" onClick={() => void onExport()} loading={exporting}>
              Export CSV
            </Button>
          </>
        }
      />
      <Stack gap="sm">
        <SimpleGrid cols={{ base: 2, lg: 3 }} spacing="sm">
          <TextInput
            label="Search"
            placeholder="Name or email"
            type="search"
            value={filters.search}
            onChange={(e) => setFilter('search', e.currentTarget.value)}
          />
          <NativeSelect
            label="Role"
            data={selectData(ROLE_LABELS, ['PRIMARY', 'SECONDARY', 'USER'] as const, 'Any role')}
            value={filters.role}
            onChange={(e) => setFilter('role', e.currentTarget.value as AccessRole | '')}
          />
          <NativeSelect
            label="Status"
            data={selectData(STATUS_LABELS, ['INVITED', 'ACTIVE', 'DEACTIVATED'] as const, 'Any status')}
            value={filters.status}
            onChange={(e) => setFilter('status', e.currentTarget.value as ContactStatus | '')}
          />
          <NativeSelect
            label="Contact type"
            data={selectData(CONTACT_TYPE_LABELS, Object.keys(CONTACT_TYPE_LABELS) as ContactType[], 'Any type')}
            value={filters.contactType}
            onChange={(e) => setFilter('contactType', e.currentTarget.value as ContactType | '')}
          />
          <NativeSelect
            label="Privilege"
            data={selectData(PRIVILEGE_LABELS, PRIVILEGE_NAMES, 'Any privilege')}
            value={filters.privilege}
            onChange={(e) => setFilter('privilege', e.currentTarget.value as PrivilegeName | '')}
          />
          <NativeSelect
            label="At least level"
            disabled={!filters.privilege}
            data={
              filters.privilege
                ? [
                    { value: '', label: 'Choose a level' },
                    ...(LEVELS[filters.privilege] as readonly Level[])
                      .filter((l) => l !== 'NONE')
                      .map((l) => ({ value: l, label: LEVEL_LABELS[l] })),
                  ]
                : [{ value: '', label: 'Pick a privilege' }]
            }
            value={filters.level}
            onChange={(e) => setFilter('level', e.currentTarget.value as Level | '')}
          />
          <NativeSelect
            label="Activity"
            data={[
              { value: '', label: 'Any activity' },
              { value: 'stale', label: 'Not seen for 90 days' },
            ]}
            value={filters.stale ? 'stale' : ''}
            onChange={(e) => setFilter('stale', e.currentTarget.value === 'stale')}
          />
        </SimpleGrid>
        <Group justify="space-between" gap="sm">
          <SegmentedControl
            aria-label="View"
            value={view}
            onChange={(v) => setView(v as 'table' | 'matrix')}
            data={[
              { value: 'table', label: 'Table' },
              { value: 'matrix', label: 'Privilege matrix' },
            ]}
          />
          <Group gap="xs">
            {hasFilters(filters) && (
              <Button variant="subtle" size="xs" onClick={() => setFilters(NO_FILTERS)}>
                Clear filters
              </Button>
            )}
            {abilities.canBulkEdit.allowed && (
              <>
                {selected.size > 0 && (
                  <Button variant="subtle" size="xs" onClick={() => setSelected(new Map())}>
                    Clear selection
                  </Button>
                )}
                <Button
                  size="xs"
                  disabled={selected.size === 0}
                  onClick={() => navigate(`${base}/contacts/bulk?ids=${[...selected.keys()].join(',')}`)}
                >
                  Bulk update selected ({selected.size})
                </Button>
                <Button
                  size="xs"
                  variant="light"
                  disabled={!conn?.totalCount}
                  onClick={() => navigate(`${base}/contacts/bulk?${filtersToParams(filters, new URLSearchParams({ all: '1' }))}`)}
                >
                  {hasFilters(filters) ? `Bulk update the ${conn?.totalCount ?? 0} shown` : `Bulk update all ${conn?.totalCount ?? ''}`.trim()}
                </Button>
              </>
            )}
          </Group>
        </Group>
        {result.error && <ErrorAlert error={result.error} onRetry={() => reexecute({ requestPolicy: 'network-only' })} />}
        {view === 'table' && phone ? (
          <ContactCards
            records={records}
            fetching={result.fetching}
            base={base}
            selectable={abilities.canBulkEdit.allowed}
            selected={selected}
            onToggle={(r, on) =>
              setSelected((prev) => {
                const next = new Map(prev);
                if (on) next.set(r.id, r);
                else next.delete(r.id);
                return next;
              })
            }
          />
        ) : view === 'table' ? (
          <DataTable<ContactRow>
            aria-label="Contacts"
            withTableBorder
            horizontalSpacing={8}
            borderRadius="sm"
            striped
            highlightOnHover
            minHeight={records.length ? undefined : 160}
            fetching={result.fetching}
            records={records}
            idAccessor="id"
            noRecordsText="No contacts match"
            sortStatus={sortStatus}
            onSortStatusChange={setSortStatus}
            {...(abilities.canBulkEdit.allowed
              ? {
                  selectedRecords: selectedOnPage,
                  onSelectedRecordsChange: onSelectionChange,
                  allRecordsSelectionCheckboxProps: { 'aria-label': 'Select all contacts on this page' },
                  getRecordSelectionCheckboxProps: (r: ContactRow) => ({ 'aria-label': `Select ${fullName(r)}` }),
                }
              : {})}
            columns={[
              { accessor: 'lastName', title: 'Last name', sortable: true, render: (r) => nameLink(r, r.lastName) },
              { accessor: 'firstName', title: 'First name', sortable: true },
              { accessor: 'email', title: 'Email', sortable: true },
              {
                accessor: 'accessRole',
                title: 'Role',
                sortable: true,
                render: (r) => <RoleBadge role={r.accessRole} />,
              },
              {
                accessor: 'status',
                title: 'Status',
                sortable: true,
                render: (r) => <StatusBadge status={r.status} />,
              },
              {
                accessor: 'contactTypes',
                title: 'Contact types',
                render: (r) => r.contactTypes.map((t) => CONTACT_TYPE_LABELS[t] ?? t).join(', ') || '—',
              },
              { accessor: 'lastSignInAt', title: 'Last sign-in', sortable: true, render: (r) => formatDateTime(r.lastSignInAt) },
            ]}
          />
        ) : (
          <ScrollRegion label="Privilege matrix" minWidth={720}>
            <Table striped withTableBorder aria-label="Privilege matrix" aria-busy={result.fetching}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">Contact</Table.Th>
                  {PRIVILEGE_NAMES.map((p) => (
                    <Table.Th key={p} scope="col">
                      {PRIVILEGE_LABELS[p]}
                    </Table.Th>
                  ))}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {records.map((r) => (
                  <Table.Tr key={r.id}>
                    <Table.Th scope="row" fw={500}>
                      {nameLink(r, fullName(r))}
                      <Text size="xs" c="dimmed">
                        {ROLE_LABELS[r.accessRole]}
                      </Text>
                    </Table.Th>
                    {PRIVILEGE_NAMES.map((p) => (
                      <Table.Td key={p}>
                        <LevelBadge privilege={p} level={r.privileges[p]} />
                      </Table.Td>
                    ))}
                  </Table.Tr>
                ))}
                {records.length === 0 && !result.fetching && (
                  <Table.Tr>
                    <Table.Td colSpan={7}>No contacts match</Table.Td>
                  </Table.Tr>
                )}
              </Table.Tbody>
            </Table>
          </ScrollRegion>
        )}
        <CursorPager pager={pager} pageInfo={conn?.pageInfo} totalCount={conn?.totalCount} label="contacts" />
      </Stack>
    </>
  );
}

/**
 * The contacts on a phone: a card per person with what matters there (name, role, status, email),
 * the name linking to the record, and a checkbox for bulk updates.
 */
function ContactCards({
  records,
  fetching,
  base,
  selectable,
  selected,
  onToggle,
}: {
  records: ContactRow[];
  fetching: boolean;
  base: string;
  selectable: boolean;
  selected: Map<string, ContactRow>;
  onToggle: (r: ContactRow, on: boolean) => void;
}) {
  if (records.length === 0) {
    return <Text c="dimmed">{fetching ? 'Loading the contacts…' : 'No contacts match'}</Text>;
  }
  return (
    <Stack gap="xs" component="ul" aria-label="Contacts" aria-busy={fetching} style={{ listStyle: 'none', padding: 0, margin: 0 }}>
      {records.map((r) => (
        <Card key={r.id} withBorder padding="sm" component="li">
          <Group justify="space-between" wrap="nowrap" align="flex-start" gap="xs">
            <Stack gap={2} style={{ minWidth: 0 }}>
              <Anchor component={Link} to={`${base}/contacts/${r.id}`} aria-label={`Edit ${fullName(r)}`} fw={600}>
                {fullName(r)}
              </Anchor>
              <Text size="xs" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
                {r.email}
              </Text>
              <Group gap={6}>
                <RoleBadge role={r.accessRole} />
                <StatusBadge status={r.status} />
              </Group>
            </Stack>
            {selectable && (
              <Checkbox aria-label={`Select ${fullName(r)}`} checked={selected.has(r.id)} onChange={(e) => onToggle(r, e.currentTarget.checked)} />
            )}
          </Group>
        </Card>
      ))}
    </Stack>
  );
}

function RoleBadge({ role }: { role: AccessRole }) {
  return (
    <Badge tt="none" variant={role === 'USER' ? 'outline' : 'light'} color={role === 'PRIMARY' ? 'grape' : 'indigo'}>
      {ROLE_LABELS[role]}
    </Badge>
  );
}

function StatusBadge({ status }: { status: ContactStatus }) {
  return (
    <Badge tt="none" variant="dot" color={status === 'ACTIVE' ? 'teal' : status === 'INVITED' ? 'yellow' : 'gray'}>
      {STATUS_LABELS[status]}
    </Badge>
  );
}
