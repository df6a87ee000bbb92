// Partner grants: which resellers may read this Site's contact roles, until when. Managers grant
// (expiry at most 2 years ahead) and revoke.
import { Badge, Button, Group, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { ConfirmModal } from '../components/ConfirmModal';
import { CursorPager, useCursorPager } from '../components/CursorPager';
import { Denied } from '../components/Denied';
import { ErrorAlert } from '../components/ErrorAlert';
import { ListTable } from '../components/ListTable';
import { PageHeader } from '../components/PageHeader';
import { Section } from '../components/Section';
import { useSite } from '../components/SiteContext';
import { graphql } from '../gql';
import { describeError, firstError } from '../lib/errors';
import { addDays, addYears, formatDate, formatDateTime, isoDay } from '../lib/format';

const PartnerGrants = graphql(`
  query PartnerGrants($number: String!, $first: Int!, $after: Cursor) {
    site(number: $number) {
      id
      partnerGrants(first: $first, after: $after) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        edges {
          node {
            id
            createdAt
            grantedBy
            expiresAt
            revokedAt
            revokedBy
            partner {
              id
              name
            }
          }
        }
      }
    }
  }
`);

const PartnerChoices = graphql(`
  query PartnerChoices($where: PartnerWhereInput) {
    partners(first: 50, where: $where, orderBy: { field: NAME, direction: ASC }) {
      edges {
        node {
          id
          name
        }
      }
    }
  }
`);

const GrantPartnerAccess = graphql(`
  mutation GrantPartnerAccess($siteId: ID!, $partnerId: ID!, $expiresAt: Time!) {
    grantPartnerAccess(siteId: $siteId, partnerId: $partnerId, expiresAt: $expiresAt) {
      id
      expiresAt
    }
  }
`);

const RevokePartnerAccess = graphql(`
  mutation RevokePartnerAccess($id: ID!) {
    revokePartnerAccess(id: $id) {
      id
      revokedAt
      revokedBy
    }
  }
`);

/** The latest expiry a grant may have: two years from today. */
export function maxExpiry(today: Date = new Date()): string {
  return isoDay(addYears(today, 2));
}

/** Checks an expiry day (yyyy-mm-dd): after today, at most two years ahead. */
export function validateExpiry(day: string, today: Date = new Date()): string | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return 'Choose the day the access ends';
  if (day <= isoDay(today)) return 'The expiry must be in the future';
  if (day > maxExpiry(today)) return 'A grant lasts at most 2 years';
  return null;
}

/** The end of the chosen day in local time, as the Time the API expects. */
export function expiryInstant(day: string): string {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(y, m - 1, d, 23, 59, 59).toISOString();
}

export default function PartnerGrantsPage() {
  const { site, abilities } = useSite();
  const pager = useCursorPager(25);
  const [result, reexecute] = useQuery({
    query: PartnerGrants,
    variables: { number: site.number, first: pager.pageSize, after: pager.after },
    pause: !abilities.canViewAdministration,
  });
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search, 250);
  const [partners] = useQuery({
    query: PartnerChoices,
    variables: { where: debounced.trim() ? { nameContainsFold: debounced.trim() } : undefined },
    pause: !abilities.isManager,
  });
  const [partnerId, setPartnerId] = useState<string | null>(null);
  const [expiry, setExpiry] = useState(isoDay(addYears(new Date(), 1)));
  const [expiryError, setExpiryError] = useState<string | null>(null);
  const [granting, grant] = useMutation(GrantPartnerAccess);
  const [revoking, revoke] = useMutation(RevokePartnerAccess);
  const [toRevoke, setToRevoke] = useState<{ id: string; name: string } | null>(null);

  if (!abilities.canViewAdministration) {
    return (
      <>
        <PageHeader title="Partner grants" />
        <Denied reason="Only managers (the Primary contact and contacts with Manage access: Update) see partner grants." />
      </>
    );
  }

  const conn = result.data?.site?.partnerGrants;
  const rows = (conn?.edges ?? []).flatMap((e) => (e?.node ? [e.node] : []));
  const partnerData = (partners.data?.partners.edges ?? []).flatMap((e) => (e?.node ? [{ value: e.node.id, label: e.node.name }] : []));
  const now = Date.now();

  const onGrant = async () => {
    const err = validateExpiry(expiry);
    setExpiryError(err);
    if (err || !partnerId) return;
    const r = await grant({ siteId: site.id, partnerId, expiresAt: expiryInstant(expiry) });
    const e = firstError(r.error);
    if (e) {
      if (e.fields.includes('expiresAt')) setExpiryError(e.message);
      notifications.show({ color: 'red', title: 'Not granted', message: describeError(e) });
      return;
    }
    notifications.show({ color: 'teal', title: 'Access granted', message: `Until ${formatDate(r.data?.grantPartnerAccess.expiresAt)}.` });
    setPartnerId(null);
    reexecute({ requestPolicy: 'network-only' });
  };

  const onRevoke = async () => {
    if (!toRevoke) return;
    const r = await revoke({ id: toRevoke.id });
    setToRevoke(null);
    const e = firstError(r.error);
    if (e) {
      notifications.show({ color: 'red', title: 'Not revoked', message: describeError(e) });
      return;
    }
    notifications.show({ color: 'teal', title: 'Access revoked', message: `${toRevoke.name} can no longer read this Site.` });
    reexecute({ requestPolicy: 'network-only' });
  };

  return (
    <>
      <PageHeader title="Partner grants" subtitle={`Site ${site.number} · ${site.name}`} />
      <Stack>
        {abilities.isManager ? (
          <Section title="Grant a partner access">
            <Text size="sm" c="dimmed" mb="sm">
              The partner can read the contact roles of this Site (names, emails, roles, contact types and privileges; no
              phone, address or justification) until the expiry.
            </Text>
            <Group align="flex-end" gap="sm">
              <Select
                label="Partner"
                placeholder="Search partners"
                searchable
                searchValue={search}
                onSearchChange={setSearch}
                data={partnerData}
                value={partnerId}
                onChange={setPartnerId}
                nothingFoundMessage="No partner found"
                description="Registered by an operator"
                w={280}
              />
              <TextInput
                type="date"
                label="Access ends on"
                value={expiry}
                min={isoDay(addDays(new Date(), 1))}
                max={maxExpiry()}
                onChange={(e) => {
                  setExpiry(e.currentTarget.value);
                  setExpiryError(null);
                }}
                error={expiryError}
                description="At most 2 years ahead"
              />
              <Button onClick={() => void onGrant()} disabled={!partnerId} loading={granting.fetching}>
                Grant access
              </Button>
            </Group>
          </Section>
        ) : (
          <Denied reason="Only managers may grant or revoke partner access." title="Read only" />
        )}
        {result.error && <ErrorAlert error={result.error} />}
        <ListTable
          label="Partner grants"
          columns={['Partner', 'Granted', 'Expires', 'State', 'Actions']}
          minWidth={640}
          busy={result.fetching}
          empty="No partner has been granted access."
        >
          {rows.map((g) => {
            const expired = new Date(g.expiresAt).getTime() < now;
            const active = !g.revokedAt && !expired;
            return (
              <Table.Tr key={g.id}>
                <Table.Th scope="row" fw={500}>
                  {g.partner.name}
                </Table.Th>
                <Table.Td>
                  {formatDateTime(g.createdAt)}
                  <Text size="xs" c="dimmed">
                    by {g.grantedBy}
                  </Text>
                </Table.Td>
                <Table.Td>{formatDate(g.expiresAt)}</Table.Td>
                <Table.Td>
                  {g.revokedAt ? (
                    <>
                      <Badge color="gray">Revoked</Badge>
                      <Text size="xs" c="dimmed">
                        {formatDate(g.revokedAt)} by {g.revokedBy}
                      </Text>
                    </>
                  ) : expired ? (
                    <Badge color="gray">Expired</Badge>
                  ) : (
                    <Badge color="teal">Active</Badge>
                  )}
                </Table.Td>
                <Table.Td>
                  {active && abilities.isManager ? (
                    <Button
                      size="xs"
                      color="red"
                      variant="light"
                      onClick={() => setToRevoke({ id: g.id, name: g.partner.name })}
                      aria-label={`Revoke access of ${g.partner.name}`}
                    >
                      Revoke
                    </Button>
                  ) : (
                    '—'
                  )}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </ListTable>
        <CursorPager pager={pager} pageInfo={conn?.pageInfo} totalCount={conn?.totalCount} label="grants" />
      </Stack>
      <ConfirmModal
        opened={toRevoke !== null}
        title="Revoke partner access?"
        confirmLabel="Revoke"
        color="red"
        loading={revoking.fetching}
        onClose={() => setToRevoke(null)}
        onConfirm={() => void onRevoke()}
      >
        {`${toRevoke?.name ?? 'The partner'} can no longer read this Site's contact roles.`}
      </ConfirmModal>
    </>
  );
}
