// The Site's audit log, newest first, filtered by action and actor, with each change shown as a
// compact before → after diff.
import { Autocomplete, Badge, Code, Group, NativeSelect, SimpleGrid, Spoiler, Stack, Table, Text, TextInput } from '@mantine/core';
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
import type { ActorKind, AuditEventWhereInput } from '../gql/graphql';
import { diffValues, showValue } from '../lib/diff';
import { formatDateTime } from '../lib/format';

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

/** The operations that write audit events: the API's mutations. */
export const AUDIT_ACTIONS = [
  'createSite',
  'addContact',
  'updateContact',
  'updateContacts',
  'setPrivileges',
  'setAccessRole',
  'assignContactType',
  'deactivateContact',
  'reactivateContact',
  'removeContact',
  'transferPrimary',
  'reassignPrimary',
  'markSiteReviewed',
  'requestAccess',
  'decideAccessRequest',
  'grantPartnerAccess',
  'revokePartnerAccess',
] as const;

const ACTOR_KINDS: ActorKind[] = ['USER', 'OPERATOR', 'PARTNER', 'SYSTEM'];

/** A known operation filters exactly; other text (such as "update Contact") matches a part. */
export function auditWhere(action: string, actorKind: string, actor: string): AuditEventWhereInput | undefined {
  const where: AuditEventWhereInput = {};
  const a = action.trim();
  if ((AUDIT_ACTIONS as readonly string[]).includes(a)) where.action = a;
  else if (a) where.actionContainsFold = a;
  if (actorKind) where.actorKind = actorKind as ActorKind;
  if (actor.trim()) where.actorContainsFold = actor.trim();
  return Object.keys(where).length ? where : undefined;
}

export default function AuditLogPage() {
  const { site, abilities } = useSite();
  const [action, setAction] = useState('');
  const [actorKind, setActorKind] = useState('');
  const [actor, setActor] = useState('');
  const [debouncedActor] = useDebouncedValue(actor, 300);
  const [debouncedAction] = useDebouncedValue(action, 300);
  const pager = useCursorPager(25);
  const where = useMemo(() => auditWhere(debouncedAction, actorKind, debouncedActor), [debouncedAction, actorKind, debouncedActor]);
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
  const filter = (set: (v: string) => void) => (v: string) => {
    set(v);
    pager.reset();
  };

  return (
    <>
      <PageHeader title="Audit log" subtitle={`Site ${site.number} · ${site.name}`} />
      <Stack>
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <Autocomplete
            label="Action"
            placeholder="Any action, e.g. updateContact"
            data={[...AUDIT_ACTIONS]}
            value={action}
            onChange={filter(setAction)}
            clearable
          />
          <NativeSelect
            label="Actor kind"
            data={[{ value: '', label: 'Any actor' }, ...ACTOR_KINDS.map((k) => ({ value: k, label: k[0] + k.slice(1).toLowerCase() }))]}
            value={actorKind}
            onChange={(e) => filter(setActorKind)(e.currentTarget.value)}
          />
          <TextInput
            label="Actor"
            placeholder="Email or partner name"
            value={actor}
            onChange={(e) => filter(setActor)(e.currentTarget.value)}
          />
        </SimpleGrid>
        {result.error && <ErrorAlert error={result.error} onRetry={() => reexecute({ requestPolicy: 'network-only' })} />}
        <ListTable
          label="Audit events"
          columns={['When', 'Who', 'Action', 'Changes (before → after)']}
          minWidth={760}
          busy={result.fetching}
          dense
          empty="No events match."
        >
          {rows.map((e) => {
            const changes = diffValues(e.before ?? null, e.after ?? null);
            return (
              <Table.Tr key={e.id}>
                <Table.Td>
                  <Text size="sm">{formatDateTime(e.createdAt)}</Text>
                  {e.requestID && (
                    <Text size="xs" c="dimmed">
                      request {e.requestID}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{e.actor}</Text>
                  <Group gap={4}>
                    <Badge size="xs" variant="outline">
                      {e.actorKind}
                    </Badge>
                    {e.clientAddress && (
                      <Text size="xs" c="dimmed">
                        {e.clientAddress}
                      </Text>
                    )}
                  </Group>
                </Table.Td>
                <Table.Td>
                  <Code>{e.action}</Code>
                  <Text size="xs" c="dimmed">
                    {e.targetType}
                  </Text>
                </Table.Td>
                <Table.Td>
                  {e.reason && (
                    <Text size="sm">
                      Reason: <em>{e.reason}</em>
                    </Text>
                  )}
                  <Spoiler maxHeight={96} showLabel="Show all changes" hideLabel="Show fewer">
                    <Stack gap={0}>
                      {changes.map((c) => (
                        <Text key={c.path} size="xs" ff="monospace" style={{ overflowWrap: 'anywhere' }}>
                          {c.path}: {showValue(c.before)} → {showValue(c.after)}
                        </Text>
                      ))}
                      {changes.length === 0 && (
                        <Text size="xs" c="dimmed">
                          No field changes recorded
                        </Text>
                      )}
                    </Stack>
                  </Spoiler>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </ListTable>
        <CursorPager pager={pager} pageInfo={conn?.pageInfo} totalCount={conn?.totalCount} label="events" />
      </Stack>
    </>
  );
}
