// Site home: identity, review status (overdue banner, "Mark reviewed" for managers, calendar
// reminder), the primary contact and quick links.
import { Alert, Anchor, Button, Card, Group, SimpleGrid, Stack, Text, Title, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { Link } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { ErrorAlert } from '../components/ErrorAlert';
import { PageHeader } from '../components/PageHeader';
import { useSite } from '../components/SiteContext';
import { graphql } from '../gql';
import { firstError, describeError } from '../lib/errors';
import { formatDate, formatDateTime, fullName, isOverdue } from '../lib/format';

const SiteHomeQuery = graphql(`
  query SiteHome($number: String!) {
    site(number: $number) {
      id
      primaryContact {
        id
        firstName
        lastName
        email
        phone
        jobTitle
      }
    }
  }
`);

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

export default function SiteHomePage() {
  const { site, actor, abilities, refreshSite } = useSite();
  const [home] = useQuery({ query: SiteHomeQuery, variables: { number: site.number } });
  const [marking, markReviewed] = useMutation(MarkSiteReviewed);
  const overdue = isOverdue(site.reviewDueAt);
  const primary = home.data?.site?.primaryContact;
  const base = `/sites/${site.number}`;

  const onMark = async () => {
    const r = await markReviewed({ siteId: site.id });
    const err = firstError(r.error);
    if (err) {
      notifications.show({ color: 'red', title: 'Not marked reviewed', message: describeError(err) });
      return;
    }
    notifications.show({ color: 'teal', title: 'Site reviewed', message: `Next review due ${formatDate(r.data?.markSiteReviewed.reviewDueAt)}` });
    refreshSite();
  };

  return (
    <>
      <PageHeader
        title={site.name}
        subtitle={`Site ${site.number} · ${site.program === 'EXPRESS' ? 'Express' : 'Standard'} program · customer ${site.customerNumber}${site.status === 'INACTIVE' ? ' · inactive' : ''}`}
      />
      <Stack>
        {overdue && (
          <Alert color="red" title="Overdue" role="alert">
            The review of this Site's contacts was due {formatDate(site.reviewDueAt)}. Check that every contact still needs
            access and that the details are right, then mark the Site reviewed.
          </Alert>
        )}
        <SimpleGrid cols={{ base: 1, md: 2 }}>
          <Card withBorder component="section" aria-labelledby="review-heading">
            <Stack gap="xs">
              <Title order={2} size="h4" id="review-heading">
                Review status
              </Title>
              <Text size="sm">
                Review due: <strong>{formatDate(site.reviewDueAt)}</strong> (every {site.reviewIntervalDays} days)
              </Text>
              <Text size="sm">
                Last reviewed: {site.lastReviewedAt ? `${formatDateTime(site.lastReviewedAt)}${site.lastReviewedBy ? ` by ${site.lastReviewedBy}` : ''}` : 'never'}
              </Text>
              <Group gap="sm">
                {abilities.canMarkReviewed.allowed ? (
                  <Button onClick={() => void onMark()} loading={marking.fetching}>
                    Mark reviewed
                  </Button>
                ) : (
                  <Tooltip label={abilities.canMarkReviewed.reason}>
                    <Button disabled aria-describedby="mark-reviewed-reason">
                      Mark reviewed
                    </Button>
                  </Tooltip>
                )}
                <Button component="a" href={`${base}/review.ics`} download={`sitekeeper-review-${site.number}.ics`} variant="default">
                  Download reminder (.ics)
                </Button>
              </Group>
              {!abilities.canMarkReviewed.allowed && (
                <Text size="xs" c="dimmed" id="mark-reviewed-reason">
                  {abilities.canMarkReviewed.reason}
                </Text>
              )}
            </Stack>
          </Card>
          <Card withBorder component="section" aria-labelledby="primary-heading">
            <Stack gap="xs">
              <Title order={2} size="h4" id="primary-heading">
                Primary contact
              </Title>
              {home.error && <ErrorAlert error={home.error} />}
              {primary ? (
                <>
                  <Text size="sm" fw={600}>
                    {abilities.canListContacts ? (
                      <Anchor component={Link} to={`${base}/contacts/${primary.id}`}>
                        {fullName(primary)}
                      </Anchor>
                    ) : (
                      fullName(primary)
                    )}
                  </Text>
                  {primary.jobTitle && <Text size="sm">{primary.jobTitle}</Text>}
                  <Text size="sm">
                    <Anchor href={`mailto:${primary.email}`}>{primary.email}</Anchor>
                  </Text>
                  <Text size="sm">{primary.phone}</Text>
                </>
              ) : (
                !home.fetching && (
                  <Text size="sm" c="dimmed">
                    Not visible to you.
                  </Text>
                )
              )}
            </Stack>
          </Card>
        </SimpleGrid>
        <Card withBorder component="nav" aria-labelledby="links-heading">
          <Title order={2} size="h4" id="links-heading" mb="xs">
            Quick links
          </Title>
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
                <Button component={Link} to={`${base}/requests`} variant="light">
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
            {home.data?.site && !abilities.canListContacts && abilities.canSeeSite && (
              <Text size="sm" c="dimmed">
                Your privileges do not include the contact list of this Site.
              </Text>
            )}
          </Group>
        </Card>
      </Stack>
    </>
  );
}
