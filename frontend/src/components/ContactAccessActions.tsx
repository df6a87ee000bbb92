// Role, status and contact types of one contact: each an immediate action with its own
// confirmation, offered per the rules of directives.graphqls and disabled with the reason.
import { Badge, Button, Fieldset, Group, NativeSelect, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../gql';
import type { AccessRole, ContactStatus, ContactType } from '../gql/graphql';
import { describeError, firstError } from '../lib/errors';
import { CONTACT_TYPE_LABELS, ROLE_LABELS, STATUS_LABELS, fullName } from '../lib/format';
import { canAssignContactType, canChangeStatus, canReceivePrimary, canSetAccessRole, type Actor, type SiteAbilities } from '../lib/permissions';
import { ConfirmModal } from './ConfirmModal';
import { useViewer } from './ViewerContext';

const SecondaryCount = graphql(`
  query SecondaryCount($number: String!) {
    site(number: $number) {
      id
      contacts(first: 1, where: { accessRole: SECONDARY }) {
        totalCount
      }
    }
  }
`);

const SetAccessRole = graphql(`
  mutation SetAccessRole($id: ID!, $accessRole: AccessRole!) {
    setAccessRole(id: $id, accessRole: $accessRole) {
      id
      accessRole
      version
    }
  }
`);

const DeactivateContact = graphql(`
  mutation DeactivateContact($id: ID!) {
    deactivateContact(id: $id) {
      id
      status
      version
    }
  }
`);

const ReactivateContact = graphql(`
  mutation ReactivateContact($id: ID!) {
    reactivateContact(id: $id) {
      id
      status
      invitationExpiresAt
      version
    }
  }
`);

const RemoveContact = graphql(`
  mutation RemoveContact($id: ID!) {
    removeContact(id: $id)
  }
`);

const ResendInvitation = graphql(`
  mutation ResendInvitation($id: ID!) {
    resendInvitation(id: $id) {
      id
      status
      invitationExpiresAt
      version
    }
  }
`);

const RevokeInvitation = graphql(`
  mutation RevokeInvitation($id: ID!) {
    revokeInvitation(id: $id)
  }
`);

const AssignContactType = graphql(`
  mutation AssignContactType($siteId: ID!, $type: ContactType!, $contactId: ID!) {
    assignContactType(siteId: $siteId, type: $type, contactId: $contactId) {
      id
      version
    }
  }
`);

export const ASSIGNABLE_TYPES: ContactType[] = ['SITE_TECHNICAL', 'ADMINISTRATIVE', 'RENEWAL', 'MEDIA_SHIPPING', 'BILLING'];

interface Props {
  site: { id: string; number: string };
  actor: Actor;
  abilities: SiteAbilities;
  contact: {
    id: string;
    firstName: string;
    lastName: string;
    email: string;
    accessRole: AccessRole;
    status: ContactStatus;
    contactTypes: ContactType[];
    lastSignInAt?: string | null;
  };
  /** Unsaved edits block these actions: they would change the version under the form. */
  blockedReason?: string;
  onChanged: () => void;
}

// Removal answers with an id alone, which names no type: the lists that showed the contact
// (contacts, summaries, counts) are told to refetch.
const gone = { additionalTypenames: ['Contact'] };

type Action = 'role' | 'deactivate' | 'reactivate' | 'remove' | 'resend' | 'revoke';
type Pending = null | Action;

interface Confirmation {
  title: string;
  confirm: string;
  color?: string;
  body: string;
  perform: () => Promise<{ error?: Parameters<typeof firstError>[0] }>;
  done: string;
  leaves?: boolean;
}

export function ContactAccessActions({ site, actor, abilities, contact, blockedReason, onChanged }: Props) {
  const { instance, refresh: refreshViewer } = useViewer();
  const navigate = useNavigate();
  const [pending, setPending] = useState<Pending>(null);
  const [busy, setBusy] = useState(false);
  const [type, setType] = useState<ContactType | ''>('');
  const [, setAccessRole] = useMutation(SetAccessRole);
  const [, deactivate] = useMutation(DeactivateContact);
  const [, reactivate] = useMutation(ReactivateContact);
  const [, remove] = useMutation(RemoveContact);
  const [, resend] = useMutation(ResendInvitation);
  const [, revoke] = useMutation(RevokeInvitation);
  const [assigning, assign] = useMutation(AssignContactType);
  const [secondaries] = useQuery({ query: SecondaryCount, variables: { number: site.number }, pause: !abilities.isPrimary });

  const target = { id: contact.id, accessRole: contact.accessRole, status: contact.status, lastSignInAt: contact.lastSignInAt };
  const name = fullName(contact);
  const roleDecision = canSetAccessRole(actor, target);
  const statusDecision = canChangeStatus(actor, target);
  const typeDecision = canAssignContactType(actor, target);
  const nextRole: AccessRole = contact.accessRole === 'SECONDARY' ? 'USER' : 'SECONDARY';
  const secondaryCount = secondaries.data?.site?.contacts.totalCount;
  const atMaxSecondary = nextRole === 'SECONDARY' && secondaryCount !== undefined && secondaryCount >= instance.maxSecondary;

  const run = async (action: () => Promise<{ error?: Parameters<typeof firstError>[0] }>, success: string, after?: () => void) => {
    setBusy(true);
    const r = await action();
    setBusy(false);
    setPending(null);
    const err = firstError(r.error);
    if (err) {
      notifications.show({ color: 'red', title: 'Not changed', message: describeError(err) });
      return;
    }
    notifications.show({ color: 'teal', title: 'Done', message: success });
    refreshViewer();
    (after ?? onChanged)();
  };

  const backToContacts = () => navigate(`/sites/${site.number}/contacts`, { replace: true });
  // What each action asks before it runs, does, and says after; removals leave the page.
  const confirmations: Record<Action, Confirmation> = {
    role: {
      title: nextRole === 'SECONDARY' ? 'Make Secondary contact?' : 'Make User?',
      confirm: nextRole === 'SECONDARY' ? 'Make Secondary' : 'Make User',
      body:
        nextRole === 'SECONDARY'
          ? `${name} will share account management of the Site as far as their privileges allow.`
          : `${name} will no longer be a Secondary contact.`,
      perform: () => setAccessRole({ id: contact.id, accessRole: nextRole }),
      done: `${name} is now ${ROLE_LABELS[nextRole]}.`,
    },
    deactivate: {
      title: 'Deactivate contact?',
      confirm: 'Deactivate',
      color: 'orange',
      body: `${name} loses access to the Site. The record is kept and can be reactivated.`,
      perform: () => deactivate({ id: contact.id }),
      done: `${name} is deactivated.`,
    },
    reactivate: {
      title: 'Reactivate contact?',
      confirm: 'Reactivate',
      body: `${name} gets access again (a new invitation if they never signed in).`,
      perform: () => reactivate({ id: contact.id }),
      done: `${name} is reactivated.`,
    },
    resend: {
      title: 'Send the invitation again?',
      confirm: 'Send again',
      body: `${name} gets a new email and 7 more days to sign in.`,
      perform: () => resend({ id: contact.id }),
      done: `A new invitation went to ${contact.email}; it lasts 7 days.`,
    },
    revoke: {
      title: 'Withdraw the invitation?',
      confirm: 'Withdraw',
      color: 'red',
      body: `${name} never signed in: the contact is removed and the invitation no longer works.`,
      perform: () => revoke({ id: contact.id }, gone),
      done: `The invitation of ${name} is withdrawn.`,
      leaves: true,
    },
    remove: {
      title: 'Remove contact?',
      confirm: 'Remove for good',
      color: 'red',
      body: `${name}'s record is deleted from the Site. The audit log keeps what happened.`,
      perform: () => remove({ id: contact.id }, gone),
      done: `${name} was removed.`,
      leaves: true,
    },
  };

  const reason = (d: { allowed: boolean; reason?: string }) => blockedReason ?? (d.allowed ? undefined : d.reason);
  const statusBlocked = Boolean(reason(statusDecision));
  const held = contact.contactTypes;
  // Someone who manages nothing on this Site is offered nothing: no buttons that never work.
  const manages = abilities.isManager || actor.isOperator;

  return (
    <Stack gap="md">
      <Fieldset legend="Role">
        <Stack gap="xs">
          <Text size="sm" component="div">
            Role: <Badge variant="light">{ROLE_LABELS[contact.accessRole]}</Badge>
          </Text>
          {manages && contact.accessRole !== 'PRIMARY' && (
            <Group gap="xs">
              <Button
                variant="default"
                disabled={Boolean(reason(roleDecision)) || atMaxSecondary}
                onClick={() => setPending('role')}
              >
                {nextRole === 'SECONDARY' ? 'Make Secondary' : 'Make User'}
              </Button>
            </Group>
          )}
          {manages && (reason(roleDecision) || atMaxSecondary) && (
            <Text size="xs" c="dimmed">
              {reason(roleDecision) ?? `This Site already has ${instance.maxSecondary} Secondary contacts, the most it may have.`}
            </Text>
          )}
          {abilities.canTransferPrimary.allowed && contact.accessRole !== 'PRIMARY' && canReceivePrimary(target).allowed && (
            <Button variant="subtle" w="fit-content" onClick={() => navigate(`/sites/${site.number}/transfer?to=${contact.id}`)}>
              Transfer the primary role to {name}
            </Button>
          )}
        </Stack>
      </Fieldset>

      <Fieldset legend="Status">
        <Stack gap="xs">
          <Text size="sm" component="div">
            Status: <Badge variant="dot">{STATUS_LABELS[contact.status]}</Badge>
          </Text>
          {manages && (
            <Group gap="xs">
              {contact.status === 'INVITED' && (
                <>
                  <Button variant="light" disabled={statusBlocked} onClick={() => setPending('resend')}>
                    Send the invitation again
                  </Button>
                  <Button color="red" variant="subtle" disabled={statusBlocked} onClick={() => setPending('revoke')}>
                    Withdraw the invitation
                  </Button>
                </>
              )}
              {contact.status !== 'DEACTIVATED' ? (
                <Button color="orange" variant="light" disabled={statusBlocked} onClick={() => setPending('deactivate')}>
                  Deactivate
                </Button>
              ) : (
                <>
                  <Button variant="light" disabled={statusBlocked} onClick={() => setPending('reactivate')}>
                    Reactivate
                  </Button>
                  <Button color="red" variant="light" disabled={statusBlocked} onClick={() => setPending('remove')}>
                    Remove
                  </Button>
                </>
              )}
            </Group>
          )}
          {manages && reason(statusDecision) && (
            <Text size="xs" c="dimmed">
              {reason(statusDecision)}
            </Text>
          )}
        </Stack>
      </Fieldset>

      <Fieldset legend="Contact types">
        <Stack gap="xs">
          <Group gap={4}>
            {held.length ? held.map((t) => <Badge key={t}>{CONTACT_TYPE_LABELS[t] ?? t}</Badge>) : <Text size="sm">None</Text>}
          </Group>
          {typeDecision.allowed ? (
            <Group align="flex-end" gap="xs">
              <NativeSelect
                label="Assign contact type"
                description="Each type has one holder per Site; assigning moves it from its current holder."
                data={[
                  { value: '', label: 'Choose a type' },
                  ...ASSIGNABLE_TYPES.map((t) => ({ value: t, label: CONTACT_TYPE_LABELS[t], disabled: held.includes(t) })),
                ]}
                value={type}
                onChange={(e) => setType(e.currentTarget.value as ContactType | '')}
                disabled={Boolean(blockedReason)}
              />
              <Button
                disabled={!type || Boolean(blockedReason)}
                loading={assigning.fetching}
                onClick={() =>
                  type &&
                  void run(
                    () => assign({ siteId: site.id, type, contactId: contact.id }),
                    `${name} now holds ${CONTACT_TYPE_LABELS[type]}.`,
                    () => {
                      setType('');
                      onChanged();
                    },
                  )
                }
              >
                Assign
              </Button>
            </Group>
          ) : (
            manages && (
              <Text size="xs" c="dimmed">
                {typeDecision.reason}
              </Text>
            )
          )}
        </Stack>
      </Fieldset>

      {(Object.keys(confirmations) as Action[]).map((action) => {
        const c = confirmations[action];
        return (
          <ConfirmModal
            key={action}
            opened={pending === action}
            title={c.title}
            confirmLabel={c.confirm}
            color={c.color}
            loading={busy}
            onClose={() => setPending(null)}
            onConfirm={() => void run(c.perform, c.done, c.leaves ? backToContacts : undefined)}
          >
            {c.body}
          </ConfirmModal>
        );
      })}
    </Stack>
  );
}
