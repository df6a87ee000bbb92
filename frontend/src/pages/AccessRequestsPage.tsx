// Access requests to this Site: managers grant (with privileges, inviting the person as a USER) or
// deny (with a reason) each pending request.
import { Badge, Button, Group, Modal, NativeSelect, Stack, Table, Text, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { CursorPager, useCursorPager } from '../components/CursorPager';
import { Denied } from '../components/Denied';
import { ErrorAlert } from '../components/ErrorAlert';
import { ListTable } from '../components/ListTable';
import { PageHeader } from '../components/PageHeader';
import { PrivilegesEditor } from '../components/PrivilegesEditor';
import { useSite } from '../components/SiteContext';
import { graphql } from '../gql';
import type { AccessRequestStatus } from '../gql/graphql';
import { describeError, firstError } from '../lib/errors';
import { formatDate, formatDateTime } from '../lib/format';
import { offeredLevels } from '../lib/permissions';
import { NO_PRIVILEGES, changedPrivileges, type Privileges } from '../lib/privileges';

const AccessRequests = graphql(`
  query AccessRequests($number: String!, $first: Int!, $after: Cursor, $where: AccessRequestWhereInput) {
    site(number: $number) {
      id
      accessRequests(first: $first, after: $after, where: $where, orderBy: { field: CREATED_AT, direction: DESC }) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        edges {
          node {
            id
            createdAt
            email
            name
            justification
            status
            expiresAt
            decidedAt
            decidedBy
            reason
          }
        }
      }
    }
  }
`);

const DecideAccessRequest = graphql(`
  mutation DecideAccessRequest($id: ID!, $grant: Boolean!, $reason: String, $privileges: PrivilegesInput) {
    decideAccessRequest(id: $id, grant: $grant, reason: $reason, privileges: $privileges) {
      id
      status
      decidedAt
      decidedBy
      reason
    }
  }
`);

interface Decision {
  id: string;
  who: string;
  grant: boolean;
}

const STATUS_COLORS: Record<AccessRequestStatus, string> = { PENDING: 'yellow', GRANTED: 'teal', DENIED: 'gray' };

const REQUEST_STATUS_LABELS: Record<string, string> = { PENDING: 'Pending', GRANTED: 'Granted', DENIED: 'Denied' };

export default function AccessRequestsPage() {
  const { site, actor, abilities } = useSite();
  const [status, setStatus] = useState<AccessRequestStatus | ''>('PENDING');
  const pager = useCursorPager(25);
  const [result, reexecute] = useQuery({
    query: AccessRequests,
    variables: { number: site.number, first: pager.pageSize, after: pager.after, where: status ? { status } : undefined },
    pause: !abilities.canViewAdministration,
  });
  const [deciding, decide] = useMutation(DecideAccessRequest);
  const [decision, setDecision] = useState<Decision | null>(null);
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string | null>(null);
  const [privs, setPrivs] = useState<Privileges>(NO_PRIVILEGES);

  if (!abilities.canViewAdministration) {
    return (
      <>
        <PageHeader title="Access requests" />
        <Denied reason="Only managers (the Primary contact and contacts with Manage access: Update) see access requests." />
      </>
    );
  }

  const conn = result.data?.site?.accessRequests;
  const rows = (conn?.edges ?? []).flatMap((e) => (e?.node ? [e.node] : []));
  const offered = offeredLevels(actor, { id: null, accessRole: 'USER' });
  const canDecide = abilities.isManager;

  const open = (d: Decision) => {
    setDecision(d);
    setReason('');
    setReasonError(null);
    setPrivs(NO_PRIVILEGES);
  };

  const onDecide = async () => {
    if (!decision) return;
    if (!decision.grant && reason.trim() === '') {
      setReasonError('Say why the request is denied');
      return;
    }
    const r = await decide({
      id: decision.id,
      grant: decision.grant,
      reason: reason.trim() || undefined,
      privileges: decision.grant ? changedPrivileges(NO_PRIVILEGES, privs) : undefined,
    });
    const err = firstError(r.error);
    if (err) {
      if (err.fields.includes('reason')) setReasonError(err.message);
      else notifications.show({ color: 'red', title: 'Not decided', message: describeError(err) });
      return;
    }
    notifications.show({
      color: 'teal',
      title: decision.grant ? 'Access granted' : 'Request denied',
      message: decision.grant ? `${decision.who} is invited as a User.` : `${decision.who} was told why.`,
    });
    setDecision(null);
    reexecute({ requestPolicy: 'network-only' });
  };

  return (
    <>
      <PageHeader title="Access requests" subtitle={`Site ${site.number} · ${site.name}`} />
      <Stack>
        <NativeSelect
          label="Status"
          w={220}
          data={[
            { value: 'PENDING', label: 'Pending' },
            { value: 'GRANTED', label: 'Granted' },
            { value: 'DENIED', label: 'Denied' },
            { value: '', label: 'All' },
          ]}
          value={status}
          onChange={(e) => {
            setStatus(e.currentTarget.value as AccessRequestStatus | '');
            pager.reset();
          }}
        />
        {result.error && <ErrorAlert error={result.error} />}
        <ListTable
          label="Access requests"
          columns={['Requested', 'Person', 'Justification', 'Status', 'Actions']}
          minWidth={720}
          busy={result.fetching}
          empty="No requests."
        >
          {rows.map((r) => {
            const who = r.name ? `${r.name} (${r.email})` : r.email;
            return (
              <Table.Tr key={r.id}>
                <Table.Td>{formatDateTime(r.createdAt)}</Table.Td>
                <Table.Th scope="row" fw={500}>
                  {who}
                </Table.Th>
                <Table.Td style={{ whiteSpace: 'pre-wrap' }}>{r.justification}</Table.Td>
                <Table.Td>
                  <Badge color={STATUS_COLORS[r.status]} variant="light">
                    {REQUEST_STATUS_LABELS[r.status]}
                  </Badge>
                  {r.status === 'PENDING' && (
                    <Text size="xs" c="dimmed">
                      Expires {formatDate(r.expiresAt)}
                    </Text>
                  )}
                  {r.decidedAt && (
                    <Text size="xs" c="dimmed">
                      {formatDate(r.decidedAt)} by {r.decidedBy}
                      {r.reason ? `: ${r.reason}` : ''}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  {r.status === 'PENDING' && canDecide ? (
                    <Group gap="xs" wrap="nowrap">
                      <Button size="xs" onClick={() => open({ id: r.id, who, grant: true })} aria-label={`Grant access to ${who}`}>
                        Grant
                      </Button>
                      <Button
                        size="xs"
                        color="red"
                        variant="light"
                        onClick={() => open({ id: r.id, who, grant: false })}
                        aria-label={`Deny access to ${who}`}
                      >
                        Deny
                      </Button>
                    </Group>
                  ) : (
                    '—'
                  )}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </ListTable>
        <CursorPager pager={pager} pageInfo={conn?.pageInfo} totalCount={conn?.totalCount} label="requests" />
      </Stack>
      <Modal
        opened={decision !== null}
        onClose={() => setDecision(null)}
        title={decision?.grant ? `Grant access to ${decision.who}` : `Deny access to ${decision?.who ?? ''}`}
        size="lg"
        centered
        closeButtonProps={{ 'aria-label': 'Close' }}
      >
        <Stack>
          {decision?.grant ? (
            <>
              <Text size="sm">The person is invited as a User with these privileges.</Text>
              <PrivilegesEditor value={privs} onChange={setPrivs} offered={offered.levels} decision={offered.decision} />
              <Textarea label="Note (optional)" value={reason} onChange={(e) => setReason(e.currentTarget.value)} autosize minRows={2} />
            </>
          ) : (
            <Textarea
              label="Reason"
              withAsterisk
              aria-required
              description="The requester sees why the request was denied."
              value={reason}
              onChange={(e) => {
                setReason(e.currentTarget.value);
                setReasonError(null);
              }}
              error={reasonError}
              autosize
              minRows={3}
              data-autofocus
            />
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setDecision(null)}>
              Cancel
            </Button>
            <Button color={decision?.grant ? undefined : 'red'} onClick={() => void onDecide()} loading={deciding.fetching}>
              {decision?.grant ? 'Grant access' : 'Deny request'}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
