// Transfer the primary role (PRIMARY only) to an active contact who has signed in; the old
// PRIMARY becomes a Secondary contact. Confirmed by typing the Site number.
import { Alert, Button, Card, NativeSelect, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { ConfirmModal } from '../components/ConfirmModal';
import { Denied } from '../components/Denied';
import { ErrorAlert } from '../components/ErrorAlert';
import { PageHeader } from '../components/PageHeader';
import { useSite } from '../components/SiteContext';
import { useViewer } from '../components/ViewerContext';
import { graphql } from '../gql';
import { describeError, firstError } from '../lib/errors';
import { ROLE_LABELS, formatDate, fullName } from '../lib/format';

const TransferCandidates = graphql(`
  query TransferCandidates($number: String!) {
    site(number: $number) {
      id
      contacts(
        first: 100
        where: { status: ACTIVE, lastSignInAtNotNil: true, accessRoleNEQ: PRIMARY }
        orderBy: { field: LAST_NAME, direction: ASC }
      ) {
        totalCount
        edges {
          node {
            id
            firstName
            lastName
            email
            accessRole
            lastSignInAt
          }
        }
      }
    }
  }
`);

const TransferPrimary = graphql(`
  mutation TransferPrimary($siteId: ID!, $toContactId: ID!) {
    transferPrimary(siteId: $siteId, toContactId: $toContactId) {
      id
      version
      primaryContact {
        id
        firstName
        lastName
        email
      }
    }
  }
`);

export default function TransferPrimaryPage() {
  const { site, abilities, refreshSite } = useSite();
  const { refresh } = useViewer();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [to, setTo] = useState(params.get('to') ?? '');
  const [confirming, setConfirming] = useState(false);
  const [typed, setTyped] = useState('');
  const [result] = useQuery({ query: TransferCandidates, variables: { number: site.number }, pause: !abilities.canTransferPrimary.allowed });
  const [{ fetching, error }, transfer] = useMutation(TransferPrimary);

  if (!abilities.canTransferPrimary.allowed) {
    return (
      <>
        <PageHeader title="Transfer primary" />
        <Denied reason={abilities.canTransferPrimary.reason} />
      </>
    );
  }

  const candidates = (result.data?.site?.contacts.edges ?? []).flatMap((e) => (e?.node ? [e.node] : []));
  const chosen = candidates.find((c) => c.id === to);

  const onTransfer = async () => {
    if (!chosen) return;
    const r = await transfer({ siteId: site.id, toContactId: chosen.id });
    setConfirming(false);
    setTyped('');
    const err = firstError(r.error);
    if (err) {
      notifications.show({ color: 'red', title: 'Not transferred', message: describeError(err) });
      return;
    }
    notifications.show({ color: 'teal', title: 'Primary role transferred', message: `${fullName(chosen)} is now the Primary contact.` });
    refresh();
    refreshSite();
    navigate(`/sites/${site.number}`);
  };

  return (
    <>
      <PageHeader title="Transfer primary" subtitle={`Site ${site.number} · ${site.name}`} />
      <Card withBorder maw={640}>
        <Stack>
          <Text size="sm">
            The new Primary contact owns the Site: they alone edit the Primary contact's record, create Secondary contacts and
            transfer the role again. You become a Secondary contact. Only active contacts who have signed in can receive
            the role.
          </Text>
          {result.error && <ErrorAlert error={result.error} />}
          {error && <ErrorAlert error={error} title="Not transferred" />}
          {!result.fetching && candidates.length === 0 && !result.error && (
            <Alert color="gray" role="note">
              No contact can receive the role yet: invite someone and wait until they have signed in.
            </Alert>
          )}
          <NativeSelect
            label="New Primary contact"
            data={[
              { value: '', label: result.fetching ? 'Loading…' : 'Choose a contact' },
              ...candidates.map((c) => ({
                value: c.id,
                label: `${fullName(c)} · ${c.email} · ${ROLE_LABELS[c.accessRole]} · signed in ${formatDate(c.lastSignInAt)}`,
              })),
            ]}
            value={to}
            onChange={(e) => setTo(e.currentTarget.value)}
          />
          <Button color="red" w="fit-content" disabled={!chosen} onClick={() => setConfirming(true)}>
            Transfer primary role…
          </Button>
        </Stack>
      </Card>
      <ConfirmModal
        opened={confirming}
        title="Transfer the primary role?"
        confirmLabel="Transfer"
        color="red"
        loading={fetching}
        confirmDisabled={typed.trim() !== site.number}
        onClose={() => {
          setConfirming(false);
          setTyped('');
        }}
        onConfirm={() => void onTransfer()}
      >
        <Stack gap="sm">
          <Text size="sm">
            {chosen ? `${fullName(chosen)} (${chosen.email})` : 'The chosen contact'} becomes the Primary contact of Site{' '}
            {site.number}. You cannot undo this yourself.
          </Text>
          <TextInput
            label={`Type the Site number (${site.number}) to confirm`}
            value={typed}
            onChange={(e) => setTyped(e.currentTarget.value)}
            autoComplete="off"
            inputMode="numeric"
            data-autofocus
          />
        </Stack>
      </ConfirmModal>
    </>
  );
}
