// During an open access review every active contact is asked to confirm its own details: one
// banner per Site that asks, on every page, until they confirm.
import { Alert, Box, Button, Group, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { Link } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../gql';
import { describeError, firstError } from '../lib/errors';

const ConfirmationRequests = graphql(`
  query ConfirmationRequests {
    viewer {
      contacts {
        id
        status
        confirmationRequested
        site {
          id
          number
          name
        }
      }
    }
  }
`);

const ConfirmOwnDetails = graphql(`
  mutation ConfirmOwnDetails($siteId: ID!) {
    confirmOwnDetails(siteId: $siteId) {
      id
      confirmationRequested
    }
  }
`);

export default function ReviewConfirmationBanner() {
  const [result, reexecute] = useQuery({ query: ConfirmationRequests, requestPolicy: 'cache-and-network' });
  const [state, confirm] = useMutation(ConfirmOwnDetails);
  const [confirming, setConfirming] = useState<string | null>(null);
  const asks = (result.data?.viewer.contacts ?? []).filter((c) => c.confirmationRequested && c.site);
  if (asks.length === 0) return null;

  const onConfirm = async (siteId: string) => {
    setConfirming(siteId);
    const r = await confirm({ siteId });
    setConfirming(null);
    const err = firstError(r.error);
    if (err) {
      notifications.show({ color: 'red', title: 'Not confirmed', message: describeError(err) });
      return;
    }
    notifications.show({ color: 'teal', title: 'Details confirmed', message: 'Thank you: the reviewers see that you confirmed your details.' });
    reexecute({ requestPolicy: 'network-only' });
  };

  return (
    <Stack gap="xs" mb="md">
      {asks.map((c) => (
        <Box component="section" key={c.id} aria-label={`Confirm your details for Site ${c.site!.number}`}>
          <Alert color="blue" title={`Please confirm your details for ${c.site!.name}`}>
            <Stack gap="xs">
              <Text size="sm">
                Site {c.site!.number} is reviewing who has access. Check that your contact details are right, then confirm them; if something is wrong, fix it first.
              </Text>
              <Group gap="sm">
                <Button size="xs" onClick={() => void onConfirm(c.site!.id)} loading={state.fetching && confirming === c.site!.id}>
                  Confirm my details
                </Button>
                <Button size="xs" variant="default" component={Link} to={`/sites/${c.site!.number}/contacts/${c.id}`}>
                  Review my details
                </Button>
              </Group>
            </Stack>
          </Alert>
        </Box>
      ))}
    </Stack>
  );
}
