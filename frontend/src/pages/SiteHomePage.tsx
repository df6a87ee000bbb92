// Site home: identity, what waits for the viewer (access requests, the review, invitations that
// run out), review status ("Mark reviewed" for managers, a calendar reminder), the Site's
// contacts to ask (every contact sees them), the contacts summary and quick links.
import { Alert, Anchor, Badge, Button, Group, List, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { ConfirmModal } from '../components/ConfirmModal';
import { ErrorAlert } from '../components/ErrorAlert';
import { PageHeader } from '../components/PageHeader';
import { Section } from '../components/Section';
import { usePendingRequests } from '../components/PendingRequests';
import { useSite } from '../components/SiteContext';
import { PastReviews } from '../components/review/PastReviews';
import { ReviewProgressBar } from '../components/review/ReviewProgressBar';
import { StartReviewModal } from '../components/review/StartReviewModal';
import { useOpenReview } from '../components/review/useOpenReview';
import { graphql } from '../gql';
import type { SiteSummaryQuery } from '../gql/graphql';
import { describeError, firstError } from '../lib/errors';
import { CONTACT_TYPE_LABELS, ROLE_LABELS, STATUS_LABELS, addDays, formatDate, formatDateTime, fullName, isOverdue } from '../lib/format';
import { reviewAction } from '../lib/review';

const MarkSiteReviewed = graphql(`
  mutation MarkSiteReviewed($siteId: ID!) {
    markSiteReviewed(siteId: $siteId) {
      id
      reviewDueAt
      lastReviewedAt
      lastReviewedBy
      version
    }
  }
`);

// PAO's "View all contacts summary": counts by role and status, who holds each contact type, the
// stale contacts and the invitations about to run out, in one request.
const SiteSummaryQueryDocument = graphql(`
  query SiteSummary($number: String!, $soon: Time!) {
    site(number: $number) {
      id
      primaryActive: contacts(first: 1, where: { accessRole: PRIMARY, status: ACTIVE }) {
        totalCount
      }
      secondaryActive: contacts(first: 1, where: { accessRole: SECONDARY, status: ACTIVE }) {
        totalCount
      }
      secondaryInvited: contacts(first: 1, where: { accessRole: SECONDARY, status: INVITED }) {
        totalCount
      }
      secondaryDeactivated: contacts(first: 1, where: { accessRole: SECONDARY, status: DEACTIVATED }) {
        totalCount
      }
      userActive: contacts(first: 1, where: { accessRole: USER, status: ACTIVE }) {
        totalCount
      }
      userInvited: contacts(first: 1, where: { accessRole: USER, status: INVITED }) {
        totalCount
      }
      userDeactivated: contacts(first: 1, where: { accessRole: USER, status: DEACTIVATED }) {
        totalCount
      }
      stale: contacts(first: 1, where: { stale: true }) {
        totalCount
      }
      expiring: contacts(first: 20, where: { status: INVITED, invitationExpiresAtLT: $soon }, orderBy: { field: LAST_NAME, direction: ASC }) {
        totalCount
        edges {
          node {
            id
            firstName
            lastName
            invitationExpiresAt
            invitationExpired
          }
        }
      }
      siteTechnical: contacts(first: 2, where: { hasContactType: SITE_TECHNICAL }) {
        edges {
          node {
            ...TypeHolder
          }
        }
      }
      administrative: contacts(first: 2, where: { hasContactType: ADMINISTRATIVE }) {
        edges {
          node {
            ...TypeHolder
          }
        }
      }
      renewal: contacts(first: 2, where: { hasContactType: RENEWAL }) {
        edges {
          node {
            ...TypeHolder
          }
        }
      }
      mediaShipping: contacts(first: 2, where: { hasContactType: MEDIA_SHIPPING }) {
        edges {
          node {
            ...TypeHolder
          }
        }
      }
      billing: contacts(first: 2, where: { hasContactType: BILLING }) {
        edges {
          node {
            ...TypeHolder
          }
        }
      }
    }
  }

  fragment TypeHolder on Contact {
    id
    firstName
    lastName
  }
`);

type Summary = NonNullable<SiteSummaryQuery['site']>;
type Holder = { id: string; firstName: string; lastName: string };

/** When a review is "due soon": within a week. */
const DUE_SOON_DAYS = 7;
/** Invitations that run out within this many days are flagged. */
const EXPIRING_DAYS = 3;

export default function SiteHomePage() {
  const { site, actor, abilities, refreshSite } = useSite();
  // The end of the hour 3 days from now, not the millisecond: one cached query per hour, and an
  // invitation that ends 3 days from now counts.
  const soon = new Date(Math.ceil(addDays(new Date(), EXPIRING_DAYS).getTime() / 3_600_000) * 3_600_000).toISOString();
  const [summary] = useQuery({
    query: SiteSummaryQueryDocument,
    variables: { number: site.number, soon },
    pause: !abilities.canListContacts,
  });
  const pending = usePendingRequests(site.number, abilities.canViewAdministration);
  const [marking, markReviewed] = useMutation(MarkSiteReviewed);
  const open = useOpenReview(site.number, abilities.canReadReviews);
  const action = reviewAction({
    canRead: abilities.canReadReviews,
    canRun: abilities.canRunReview.allowed,
    reviewDueAt: site.reviewDueAt,
    open: open.review,
  });
  const navigate = useNavigate();
  const [starting, setStarting] = useState(false);
  const [confirmMark, setConfirmMark] = useState(false);
  const overdue = isOverdue(site.reviewDueAt);
  const dueSoon = !overdue && isOverdue(site.reviewDueAt, addDays(new Date(), DUE_SOON_DAYS));
  const base = `/sites/${site.number}`;
  const s = summary.data?.site;

  const onMark = async () => {
    const r = await markReviewed({ siteId: site.id });
    setConfirmMark(false);
    const err = firstError(r.error);
    if (err) {
      notifications.show({ color: 'red', title: 'Not marked reviewed', message: describeError(err) });
      return;
    }
    notifications.show({ color: 'teal', title: 'Site reviewed', message: `The next review is due ${formatDate(r.data?.markSiteReviewed.reviewDueAt)}.` });
    refreshSite();
    open.refresh();
  };

  const expiring = (s?.expiring.edges ?? []).flatMap((e) => (e?.node ? [e.node] : []));
  const work: React.ReactNode[] = [];
  if (pending) {
    work.push(
      <List.Item key="requests">
        <Anchor component={Link} to={`${base}/requests`} inherit>
          {pending} access {pending === 1 ? 'request waits' : 'requests wait'} for a decision
        </Anchor>
      </List.Item>,
    );
  }
  if (action.kind === 'continue') {
    work.push(
      <List.Item key="review">
        <Anchor component={Link} to={`${base}/review`} inherit>
          The access review is open: {action.pending} {action.pending === 1 ? 'contact waits' : 'contacts wait'} for a decision
        </Anchor>
      </List.Item>,
    );
  } else if ((overdue || dueSoon) && abilities.isManager) {
    work.push(
      <List.Item key="review">
        The contacts review is {overdue ? 'overdue since' : 'due'} {formatDate(site.reviewDueAt)}
      </List.Item>,
    );
  }
  for (const c of expiring) {
    work.push(
      <List.Item key={c.id}>
        <Anchor component={Link} to={`${base}/contacts/${c.id}`} inherit>
          {fullName(c)}
        </Anchor>
        : invitation {c.invitationExpired ? 'expired' : 'expires'} {formatDateTime(c.invitationExpiresAt)}
      </List.Item>,
    );
  }

  return (
    <>
      <PageHeader
        title={site.name}
        subtitle={`Site ${site.number} · ${site.program === 'EXPRESS' ? 'Express' : 'Standard'} program · customer ${site.customerNumber}${site.status === 'INACTIVE' ? ' · inactive' : ''}`}
      />
      <Stack>
        {overdue && (
          <Alert color="red" title="Review overdue" role="alert">
            The review of this Site's contacts was due {formatDate(site.reviewDueAt)}.{' '}
            {abilities.isManager
              ? 'Check that every contact still needs access and that the details are right, then mark the Site reviewed.'
              : 'The Primary and Secondary contacts who manage access review it.'}
          </Alert>
        )}
        {work.length > 0 && (
          <Section title="Waiting for you">
            <List size="sm" spacing={4}>
              {work}
            </List>
          </Section>
        )}
        <SimpleGrid cols={{ base: 1, md: 2 }}>
          <Section title="Review status">
            <Stack gap="xs">
              <Text size="sm">
                Review due: <strong>{formatDate(site.reviewDueAt)}</strong> (every {site.reviewIntervalDays} days)
                {dueSoon && (
                  <Badge ml="xs" color="orange" variant="light" tt="none">
                    Due soon
                  </Badge>
                )}
              </Text>
              <Text size="sm">
                Last reviewed: {site.lastReviewedAt ? `${formatDateTime(site.lastReviewedAt)}${site.lastReviewedBy ? ` by ${site.lastReviewedBy}` : ''}` : 'never'}
              </Text>
              {open.review && (
                <Stack gap={4}>
                  <Text size="sm">
                    A review is open since {formatDate(open.review.startedAt)} (by {open.review.startedBy}), due {formatDate(open.review.dueAt)}
                    {open.review.escalatedAt ? `, escalated to the operators ${formatDate(open.review.escalatedAt)}` : ''}.
                  </Text>
                  <ReviewProgressBar progress={open.review.progress} />
                </Stack>
              )}
              <Group gap="sm">
                {action.kind === 'continue' && (
                  <Button component={Link} to={`${base}/review`}>
                    {action.label}
                  </Button>
                )}
                {action.kind === 'start' && (
                  <Button onClick={() => setStarting(true)} variant={action.due ? 'filled' : 'light'}>
                    {action.label}
                  </Button>
                )}
                {abilities.canMarkReviewed.allowed && (
                  <Button
                    onClick={() => (open.review ? setConfirmMark(true) : void onMark())}
                    loading={marking.fetching}
                    variant={action.kind === 'none' || (action.kind === 'start' && !action.due) ? 'filled' : 'default'}
                  >
                    Mark reviewed
                  </Button>
                )}
                <Button component="a" href={`${base}/review.ics`} download={`sitekeeper-review-${site.number}.ics`} variant="default">
                  Download reminder (.ics)
                </Button>
              </Group>
              {abilities.canMarkReviewed.allowed && open.review && (
                <Text size="xs" c="dimmed">
                  With a review open, Mark reviewed completes it: the {open.review.progress.pending} contacts still pending are kept by your attestation, and the decisions taken are
                  applied.
                </Text>
              )}
            </Stack>
          </Section>
          <Section title="Your Site's contacts">
            <Stack gap="xs">
              <Text size="sm" c="dimmed">
                Ask them about access to this Site and its contact information.
              </Text>
              <List size="sm" spacing={4} aria-label="The Site's Primary and Secondary contacts">
                {site.administrators.map((a) => (
                  <List.Item key={a.email}>
                    <Text span fw={500}>
                      {fullName(a)}
                    </Text>{' '}
                    <Badge variant="light" size="sm" tt="none" color={a.accessRole === 'PRIMARY' ? 'grape' : 'indigo'}>
                      {ROLE_LABELS[a.accessRole]}
                    </Badge>
                    <br />
                    <Anchor href={`mailto:${a.email}`} inherit>
                      {a.email}
                    </Anchor>
                  </List.Item>
                ))}
              </List>
            </Stack>
          </Section>
        </SimpleGrid>
        {abilities.canReadReviews && (
          <Section title="Past reviews">
            <PastReviews siteNumber={site.number} />
          </Section>
        )}
        {abilities.canListContacts && (
          <Section title="Contacts summary">
            {summary.error && <ErrorAlert error={summary.error} />}
            {s && <ContactsSummary s={s} base={base} />}
          </Section>
        )}
        <Section as="nav" title="Quick links">
          <Group gap="sm">
            {actor.membership && (
              <Button component={Link} to={`${base}/contacts/${actor.membership.contactId}`} variant="light">
                My contact details
              </Button>
            )}
            {abilities.canListContacts && (
              <Button component={Link} to={`${base}/contacts`} variant="light">
                View all contacts
              </Button>
            )}
            {abilities.canAddContact.allowed && (
              <Button component={Link} to={`${base}/contacts/new`} variant="light">
                Add contact
              </Button>
            )}
            {abilities.canViewAdministration && (
              <>
                <Button component={Link} to={`${base}/requests`} variant="light" rightSection={pending ? <Badge size="sm" circle color="orange">{pending}</Badge> : undefined}>
                  Access requests
                </Button>
                <Button component={Link} to={`${base}/partners`} variant="light">
                  Partner grants
                </Button>
              </>
            )}
            {abilities.canReadAudit && (
              <Button component={Link} to={`${base}/audit`} variant="light">
                Audit log
              </Button>
            )}
            {abilities.canTransferPrimary.allowed && (
              <Button component={Link} to={`${base}/transfer`} variant="light">
                Transfer primary
              </Button>
            )}
            {!abilities.canListContacts && abilities.canSeeSite && (
              <Text size="sm" c="dimmed">
                Your privileges do not include the contact list of this Site.
              </Text>
            )}
          </Group>
        </Section>
      </Stack>
      {starting && (
        <StartReviewModal
          siteId={site.id}
          reviewDueAt={site.reviewDueAt}
          onClose={() => setStarting(false)}
          onStarted={() => {
            setStarting(false);
            navigate(`${base}/review`);
          }}
        />
      )}
      <ConfirmModal
        opened={confirmMark}
        title="Complete the open review by attestation?"
        confirmLabel="Mark reviewed"
        loading={marking.fetching}
        onConfirm={() => void onMark()}
        onClose={() => setConfirmMark(false)}
      >
        {`A review is open. Marking the Site reviewed completes it now: the ${open.review?.progress.pending ?? 0} contacts still pending are kept by your attestation (recorded as such), and the Deactivate and Remove decisions already taken are applied.`}
      </ConfirmModal>
    </>
  );
}

const TYPES: { key: 'siteTechnical' | 'administrative' | 'renewal' | 'mediaShipping' | 'billing'; type: keyof typeof CONTACT_TYPE_LABELS }[] = [
  { key: 'siteTechnical', type: 'SITE_TECHNICAL' },
  { key: 'administrative', type: 'ADMINISTRATIVE' },
  { key: 'renewal', type: 'RENEWAL' },
  { key: 'mediaShipping', type: 'MEDIA_SHIPPING' },
  { key: 'billing', type: 'BILLING' },
];

function ContactsSummary({ s, base }: { s: Summary; base: string }) {
  const counts: { role: 'PRIMARY' | 'SECONDARY' | 'USER'; active: number; invited: number | null; deactivated: number | null }[] = [
    { role: 'PRIMARY', active: s.primaryActive.totalCount, invited: null, deactivated: null },
    { role: 'SECONDARY', active: s.secondaryActive.totalCount, invited: s.secondaryInvited.totalCount, deactivated: s.secondaryDeactivated.totalCount },
    { role: 'USER', active: s.userActive.totalCount, invited: s.userInvited.totalCount, deactivated: s.userDeactivated.totalCount },
  ];
  const link = (role: string, status: string, n: number | null) =>
    n === null ? (
      '—'
    ) : n === 0 ? (
      '0'
    ) : (
      <Anchor component={Link} to={`${base}/contacts?role=${role}&status=${status}`} aria-label={`${n} ${STATUS_LABELS[status]} ${ROLE_LABELS[role]}`}>
        {n}
      </Anchor>
    );
  return (
    <SimpleGrid cols={{ base: 1, md: 2 }}>
      <Table withTableBorder aria-label="Contacts by role and status">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Role</Table.Th>
            <Table.Th scope="col">{STATUS_LABELS.ACTIVE}</Table.Th>
            <Table.Th scope="col">{STATUS_LABELS.INVITED}</Table.Th>
            <Table.Th scope="col">{STATUS_LABELS.DEACTIVATED}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {counts.map((c) => (
            <Table.Tr key={c.role}>
              <Table.Th scope="row">{ROLE_LABELS[c.role]}</Table.Th>
              <Table.Td>{link(c.role, 'ACTIVE', c.active)}</Table.Td>
              <Table.Td>{link(c.role, 'INVITED', c.invited)}</Table.Td>
              <Table.Td>{link(c.role, 'DEACTIVATED', c.deactivated)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Stack gap="xs">
        <Table withTableBorder aria-label="Who holds each contact type">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Contact type</Table.Th>
              <Table.Th scope="col">Held by</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {TYPES.map(({ key, type }) => {
              const holders: Holder[] = (s[key].edges ?? []).flatMap((e) => (e?.node ? [e.node as Holder] : []));
              return (
                <Table.Tr key={key}>
                  <Table.Th scope="row">{CONTACT_TYPE_LABELS[type]}</Table.Th>
                  <Table.Td>
                    {holders.length === 0 ? (
                      <Text size="sm" c="orange.9">
                        Nobody
                      </Text>
                    ) : (
                      holders.map((h, i) => (
                        <span key={h.id}>
                          {i > 0 && ', '}
                          <Anchor component={Link} to={`${base}/contacts/${h.id}`} inherit>
                            {fullName(h)}
                          </Anchor>
                        </span>
                      ))
                    )}
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
        <Text size="sm">
          {s.stale.totalCount === 0 ? (
            'Every contact signed in within the last 90 days.'
          ) : (
            <Anchor component={Link} to={`${base}/contacts?stale=1`} inherit>
              {s.stale.totalCount} {s.stale.totalCount === 1 ? 'contact has' : 'contacts have'} not been seen for 90 days
            </Anchor>
          )}
        </Text>
      </Stack>
    </SimpleGrid>
  );
}
