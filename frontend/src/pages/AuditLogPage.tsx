// The Site's audit log as a history, newest first: who did what to whom, the fields that changed
// in the dashboard's words, local times (the exact time on hover), filters by person, action and
// dates; request ids and addresses behind "Show technical details".
import { Group, NativeSelect, SimpleGrid, Spoiler, Stack, Switch, Table, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useMemo, useState } from 'react';
import { useQuery } from 'urql';
import { CursorPager, useCursorPager } from '../components/CursorPager';
import { Denied } from '../components/Denied';
import { ErrorAlert } from '../components/ErrorAlert';
import { ListTable } from '../components/ListTable';
import { PageHeader } from '../components/PageHeader';
import { useSite } from '../components/SiteContext';
import { graphql } from '../gql';
import type { AuditEventWhereInput } from '../gql/graphql';
import { formatDateTime } from '../lib/format';
import { ACTION_LABELS, fieldChanges, whatHappened } from '../lib/history';

const AuditEvents = graphql(`
  query AuditEvents($number: String!, $first: Int!, $after: Cursor, $where: AuditEventWhereInput) {
    site(number: $number) {
      id
      auditEvents(first: $first, after: $after, where: $where, orderBy: { field: CREATED_AT, direction: DESC }) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        edges {
          node {
            id
            createdAt
            actorKind
            actor
            action
            targetType
            targetLabel
            before
            after
            reason
            requestID
            clientAddress
          }
        }
      }
    }
  }
`);

export interface AuditFilters {
  person: string;
  action: string;
  /** yyyy-mm-dd, local days, both included. */
  from: string;
  to: string;
}

/** The where input of the filters; a day range covers the whole of both days, in local time. */
export function auditWhere(f: AuditFilters): AuditEventWhereInput | undefined {
  const where: AuditEventWhereInput = {};
  if (f.person.trim()) where.person = f.person.trim();
  if (f.action) where.action = f.action;
  if (f.from) where.createdAtGTE = new Date(`${f.from}T00:00:00`).toISOString();
  if (f.to) {
    const end = new Date(`${f.to}T00:00:00`);
    end.setDate(end.getDate() + 1);
    where.createdAtLT = end.toISOString();
  }
  return Object.keys(where).length ? where : undefined;
}

export default function AuditLogPage() {
  const { site, abilities } = useSite();
  const [filters, setFilters] = useState<AuditFilters>({ person: '', action: '', from: '', to: '' });
  const [technical, setTechnical] = useState(false);
  const [debouncedPerson] = useDebouncedValue(filters.person, 300);
  const pager = useCursorPager(25);
  const where = useMemo(() => auditWhere({ ...filters, person: debouncedPerson }), [filters, debouncedPerson]);
  const [result, reexecute] = useQuery({
    query: AuditEvents,
    variables: { number: site.number, first: pager.pageSize, after: pager.after, where },
    pause: !abilities.canReadAudit,
  });

  if (!abilities.canReadAudit) {
    return (
      <>
        <PageHeader title="Audit log" />
        <Denied reason="Reading the audit log needs Manage access: View or more." />
      </>
    );
  }
  const conn = result.data?.site?.auditEvents;
  const rows = (conn?.edges ?? []).flatMap((e) => (e?.node ? [e.node] : []));
  const set = (key: keyof AuditFilters) => (value: string) => {
    setFilters((f) => ({ ...f, [key]: value }));
    pager.reset();
  };

  return (
    <>
      <PageHeader title="Audit log" subtitle={`Site ${site.number} · ${site.name}`} />
      <Stack>
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }}>
          <TextInput
            label="Person"
            description="Who did it, or whose record changed"
            placeholder="Name or email"
            type="search"
            value={filters.person}
            onChange={(e) => set('person')(e.currentTarget.value)}
          />
          <NativeSelect
            label="What happened"
            description="Any kind of change, or one"
            data={[{ value: '', label: 'Anything' }, ...Object.entries(ACTION_LABELS).map(([value, label]) => ({ value, label }))]}
            value={filters.action}
            onChange={(e) => set('action')(e.currentTarget.value)}
          />
          <TextInput label="From" description="First day" type="date" value={filters.from} onChange={(e) => set('from')(e.currentTarget.value)} />
          <TextInput label="To" description="Last day" type="date" value={filters.to} onChange={(e) => set('to')(e.currentTarget.value)} />
        </SimpleGrid>
        <Group justify="flex-end">
          <Switch label="Show technical details" checked={technical} onChange={(e) => setTechnical(e.currentTarget.checked)} />
        </Group>
        {result.error && <ErrorAlert error={result.error} onRetry={() => reexecute({ requestPolicy: 'network-only' })} />}
        <ListTable
          label="Audit events"
          columns={['When', 'What happened', 'Changes', ...(technical ? ['Details'] : [])]}
          minWidth={technical ? 900 : 720}
          busy={result.fetching}
          dense
          empty="Nothing matches."
        >
          {rows.map((e) => {
            const what = whatHappened(e);
            const changes = fieldChanges(e);
            return (
              <Table.Tr key={e.id}>
                <Table.Td>
                  <Text size="sm" title={e.createdAt}>
                    {formatDateTime(e.createdAt)}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">
                    <strong>{what.subject}</strong> {what.text}
                  </Text>
                  {e.reason && (
                    <Text size="sm">
                      Reason: <em>{e.reason}</em>
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  {changes.length === 0 ? (
                    <Text size="xs" c="dimmed">
                      —
                    </Text>
                  ) : (
                    <Spoiler maxHeight={96} showLabel="Show all changes" hideLabel="Show fewer">
                      <Stack gap={0}>
                        {changes.map((c) => (
                          <Text key={c.field} size="sm" style={{ overflowWrap: 'anywhere' }}>
                            {c.label}: {c.before === '—' ? <strong>{c.after}</strong> : <>{c.before} → <strong>{c.after}</strong></>}
                          </Text>
                        ))}
                      </Stack>
                    </Spoiler>
                  )}
                </Table.Td>
                {technical && (
                  <Table.Td>
                    <Text size="xs" ff="monospace">
                      {e.action} · {e.targetType}
                    </Text>
                    {e.requestID && (
                      <Text size="xs" c="dimmed">
                        request {e.requestID}
                      </Text>
                    )}
                    {e.clientAddress && (
                      <Text size="xs" c="dimmed">
                        from {e.clientAddress}
                      </Text>
                    )}
                  </Table.Td>
                )}
              </Table.Tr>
            );
          })}
        </ListTable>
        <CursorPager pager={pager} pageInfo={conn?.pageInfo} totalCount={conn?.totalCount} label="events" />
      </Stack>
    </>
  );
}
