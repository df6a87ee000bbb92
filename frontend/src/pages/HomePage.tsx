// My Sites: the viewer's contacts, one per Site, with role and review status.
import { Anchor, Badge, Button, Card, Group, SimpleGrid, Stack, Text } from '@mantine/core';
import { Link } from 'react-router';
import { PageHeader } from '../components/PageHeader';
import { useViewer } from '../components/ViewerContext';
import { ROLE_LABELS, STATUS_LABELS, formatDate, isOverdue } from '../lib/format';

export default function HomePage() {
  const { viewer } = useViewer();
  const contacts = viewer.contacts.filter((c) => c.site);
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
      </Stack>
    </>
  );
}
