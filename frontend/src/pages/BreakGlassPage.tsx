// Operators: make another contact PRIMARY when the Primary contact has left (the old one is
// deactivated), with a recorded reason of at least 10 characters.
import { Alert, Button, Card, NativeSelect, Select, Stack, Text, Textarea } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { ConfirmModal } from '../components/ConfirmModal';
import { Denied } from '../components/Denied';
import { ErrorAlert } from '../components/ErrorAlert';
import { PageHeader } from '../components/PageHeader';
import { siteSearchWhere } from '../components/SitePicker';
import { useViewer } from '../components/ViewerContext';
import { graphql } from '../gql';
import { describeError, firstError } from '../lib/errors';
import { ROLE_LABELS, STATUS_LABELS, formatDate, fullName } from '../lib/format';

const BreakGlassSites = graphql(`
  query BreakGlassSites($where: SiteWhereInput) {
    sites(first: 20, where: $where, orderBy: { field: NUMBER, direction: ASC }) {
      edges {
        node {
          id
          number
          name
        }
      }
    }
  }
`);

const BreakGlassContacts = graphql(`
  query BreakGlassContacts($number: String!) {
    site(number: $number) {
      id
      primaryContact {
        id
        firstName
        lastName
        email
        status
      }
      contacts(first: 100, where: { accessRoleNEQ: PRIMARY, status: ACTIVE, lastSignInAtNotNil: true }, orderBy: { field: LAST_NAME, direction: ASC }) {
        edges {
          node {
            id
            firstName
            lastName
            email
            accessRole
            status
            lastSignInAt
          }
        }
      }
    }
  }
`);

const ReassignPrimary = graphql(`
  mutation ReassignPrimary($siteId: ID!, $toContactId: ID!, $reason: String!) {
    reassignPrimary(siteId: $siteId, toContactId: $toContactId, reason: $reason) {
      id
      number
      primaryContact {
        id
        firstName
        lastName
        email
      }
    }
  }
`);

export const MIN_REASON = 10;

export default function BreakGlassPage() {
  const { viewer } = useViewer();
  const navigate = useNavigate();
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search, 250);
  const [siteNumber, setSiteNumber] = useState<string | null>(null);
  const [to, setTo] = useState('');
  const [reason, setReason] = useState('');
  const [touched, setTouched] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [sites] = useQuery({ query: BreakGlassSites, variables: { where: siteSearchWhere(debounced) }, pause: !viewer.isOperator });
  const [contacts] = useQuery({
    query: BreakGlassContacts,
    variables: { number: siteNumber ?? '' },
    pause: !viewer.isOperator || !siteNumber,
  });
  const [{ fetching, error }, reassign] = useMutation(ReassignPrimary);

  if (!viewer.isOperator) {
    return (
      <>
        <PageHeader title="Break-glass reassignment" />
        <Denied reason="Only operators may reassign a Primary contact." />
      </>
    );
  }

  const siteData = (sites.data?.sites.edges ?? []).flatMap((e) => (e?.node ? [{ value: e.node.number, label: `${e.node.number} · ${e.node.name}` }] : []));
  const site = contacts.data?.site;
  const candidates = (site?.contacts.edges ?? []).flatMap((e) => (e?.node ? [e.node] : []));
  const chosen = candidates.find((c) => c.id === to);
  const reasonError = touched && reason.trim().length < MIN_REASON ? `Give a reason of at least ${MIN_REASON} characters` : null;
  const ready = Boolean(site && chosen && reason.trim().length >= MIN_REASON);

  const onConfirm = async () => {
    if (!site || !chosen) return;
    const r = await reassign({ siteId: site.id, toContactId: chosen.id, reason: reason.trim() });
    setConfirming(false);
    const err = firstError(r.error);
    if (err) {
      notifications.show({ color: 'red', title: 'Not reassigned', message: describeError(err) });
      return;
    }
    notifications.show({ color: 'teal', title: 'Primary reassigned', message: `${fullName(chosen)} is now the Primary contact.` });
    navigate(`/sites/${r.data?.reassignPrimary.number ?? siteNumber}`);
  };

  return (
    <>
      <PageHeader title="Break-glass reassignment" />
      <Card withBorder maw={720}>
        <Stack>
          <Alert color="orange" role="note" title="For a Primary contact who has left">
            The chosen contact becomes the Primary contact and the current Primary contact is deactivated. The reason is recorded in the
            Site's audit log.
          </Alert>
          {error && <ErrorAlert error={error} title="Not reassigned" />}
          <Select
            label="Site"
            placeholder="Search by number or name"
            searchable
            searchValue={search}
            onSearchChange={setSearch}
            data={siteData}
            value={siteNumber}
            onChange={(v) => {
              setSiteNumber(v);
              setTo('');
            }}
            nothingFoundMessage="No Site found"
          />
          {contacts.error && <ErrorAlert error={contacts.error} />}
          {site && (
            <Text size="sm">
              Current Primary contact:{' '}
              {site.primaryContact ? `${fullName(site.primaryContact)} (${site.primaryContact.email}, ${STATUS_LABELS[site.primaryContact.status]})` : 'none'}
            </Text>
          )}
          <NativeSelect
            label="New Primary contact"
            disabled={!site}
            data={[
              { value: '', label: site ? 'Choose a contact' : 'Choose a Site first' },
              ...candidates.map((c) => ({
                value: c.id,
                label: `${fullName(c)} · ${c.email} · ${ROLE_LABELS[c.accessRole]} · ${STATUS_LABELS[c.status]}${c.lastSignInAt ? ` · signed in ${formatDate(c.lastSignInAt)}` : ' · never signed in'}`,
              })),
            ]}
            value={to}
            onChange={(e) => setTo(e.currentTarget.value)}
          />
          <Textarea
            label="Reason"
            withAsterisk
            aria-required
            description={`At least ${MIN_REASON} characters; recorded in the audit log`}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            onBlur={() => setTouched(true)}
            error={reasonError}
            autosize
            minRows={3}
          />
          <Button color="red" w="fit-content" disabled={!ready} onClick={() => setConfirming(true)}>
            Reassign primary…
          </Button>
        </Stack>
      </Card>
      <ConfirmModal
        opened={confirming}
        title="Reassign the Primary contact?"
        confirmLabel="Reassign"
        color="red"
        loading={fetching}
        onClose={() => setConfirming(false)}
        onConfirm={() => void onConfirm()}
      >
        {chosen && site
          ? `${fullName(chosen)} (${chosen.email}) becomes the Primary contact of Site ${siteNumber}; ${site.primaryContact ? fullName(site.primaryContact) : 'the current one'} is deactivated.`
          : ''}
      </ConfirmModal>
    </>
  );
}
