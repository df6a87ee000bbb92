// My Sites: the viewer's contacts, one per Site, with role and review status; and the viewer's
// own requests for access, with what was decided.
import { Anchor, Badge, Button, Card, Group, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import { Link } from 'react-router';
import { useQuery } from 'urql';
import { PageHeader } from '../components/PageHeader';
import { ScrollRegion } from '../components/ScrollRegion';
import { Section } from '../components/Section';
import { useViewer } from '../components/ViewerContext';
import { graphql } from '../gql';
import { ROLE_LABELS, STATUS_LABELS, formatDate, isOverdue } from '../lib/format';

const MyRequestsQuery = graphql(`
  query MyAccessRequests {
    viewer {
      accessRequests {
        id
        siteNumber
        status
        createdAt
        expiresAt
        expired
        decidedAt
        reason
      }
    }
  }
`);

const REQUEST_STATUS: Record<string, string> = { PENDING: 'Waiting for a decision', GRANTED: 'Granted', DENIED: 'Denied' };

export default function HomePage() {
  const { viewer } = useViewer();
  const contacts = viewer.contacts.filter((c) => c.site);
  const [mine] = useQuery({ query: MyRequestsQuery, pause: !viewer.user, requestPolicy: 'cache-and-network' });
  const requests = mine.data?.viewer.accessRequests ?? [];
  return (
    <>
      <PageHeader title="My Sites" subtitle={viewer.user?.email ?? undefined} />
      <Stack>
        {contacts.length === 0 && (
          <Card withBorder>
            <Stack gap="xs">
              <Text>You are not a contact of any Site yet.</Text>
              <Group>
                <Button component={Link} to="/request-access" variant="light">
                  Request access to a Site
                </Button>
                {viewer.isOperator && (
                  <Button component={Link} to="/operator/sites" variant="default">
                    Browse all Sites
                  </Button>
                )}
              </Group>
            </Stack>
          </Card>
        )}
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
          {contacts.map((c) => {
            const site = c.site!;
            const active = c.status === 'ACTIVE';
            return (
              <Card key={c.id} withBorder component="article" aria-label={`Site ${site.number}`}>
                <Stack gap={6}>
                  <Group justify="space-between" wrap="nowrap">
                    {active ? (
                      <Anchor component={Link} to={`/sites/${site.number}`} fw={600}>
                        {site.name}
                      </Anchor>
                    ) : (
                      <Text fw={600}>{site.name}</Text>
                    )}
                    <Badge variant="light">{ROLE_LABELS[c.accessRole]}</Badge>
                  </Group>
                  <Text size="sm" c="dimmed">
                    Site {site.number}
                  </Text>
                  {active ? (
                    <Text size="sm" c={isOverdue(site.reviewDueAt) ? 'red' : undefined}>
                      Review {isOverdue(site.reviewDueAt) ? 'overdue since' : 'due'} {formatDate(site.reviewDueAt)}
                    </Text>
                  ) : (
                    <Text size="sm" c="dimmed">
                      {STATUS_LABELS[c.status]}
                    </Text>
                  )}
                </Stack>
              </Card>
            );
          })}
        </SimpleGrid>
        {requests.length > 0 && (
          <Section title="Your access requests">
            <ScrollRegion label="Your access requests" minWidth={480}>
              <Table aria-label="Your access requests" striped>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">Site</Table.Th>
                    <Table.Th scope="col">Asked</Table.Th>
                    <Table.Th scope="col">Status</Table.Th>
                    <Table.Th scope="col">Decision</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {requests.map((r) => (
                    <Table.Tr key={r.id}>
                      <Table.Td>{r.siteNumber}</Table.Td>
                      <Table.Td>{formatDate(r.createdAt)}</Table.Td>
                      <Table.Td>{r.expired ? 'No decision: expired' : REQUEST_STATUS[r.status]}</Table.Td>
                      <Table.Td>
                        {r.status === 'PENDING'
                          ? r.expired
                            ? `Expired ${formatDate(r.expiresAt)}`
                            : `Open until ${formatDate(r.expiresAt)}`
                          : `${formatDate(r.decidedAt)}${r.reason ? `: ${r.reason}` : ''}`}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </ScrollRegion>
            <Text size="xs" c="dimmed" mt="xs">
              A request for a number no Site has is never decided; it expires after 30 days.
            </Text>
          </Section>
        )}
      </Stack>
    </>
  );
}
