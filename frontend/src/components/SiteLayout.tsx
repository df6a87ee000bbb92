// Every /sites/:number page: loads the Site once, works out what the viewer may do on it, and
// answers a Site that does not exist or is not visible with the same message.
import { Alert, Anchor, Center, Loader, Stack, Text } from '@mantine/core';
import { useCallback, useMemo } from 'react';
import { Link, Outlet, useParams } from 'react-router';
import { useQuery } from 'urql';
import { graphql } from '../gql';
import { membershipFor, siteAbilities } from '../lib/permissions';
import { ErrorAlert } from './ErrorAlert';
import { PageHeader } from './PageHeader';
import { SiteContext, type SiteState } from './SiteContext';
import { useViewer } from './ViewerContext';

const SiteLayoutQueryDocument = graphql(`
  query SiteLayout($number: String!) {
    site(number: $number) {
      id
      number
      name
      customerNumber
      program
      status
      reviewIntervalDays
      reviewDueAt
      lastReviewedAt
      lastReviewedBy
      version
      administrators {
        firstName
        lastName
        email
        accessRole
      }
    }
  }
`);

export function SiteLayout() {
  const { number = '' } = useParams();
  const { viewer } = useViewer();
  const [result, reexecute] = useQuery({ query: SiteLayoutQueryDocument, variables: { number } });
  const refreshSite = useCallback(() => reexecute({ requestPolicy: 'network-only' }), [reexecute]);
  const site = result.data?.site;

  const state = useMemo<SiteState | null>(() => {
    if (!site) return null;
    const actor = { isOperator: viewer.isOperator, membership: membershipFor(viewer.contacts, site.number) };
    return { site, actor, abilities: siteAbilities(actor), refreshSite };
  }, [site, viewer, refreshSite]);

  if (result.fetching && !result.data) {
    return (
      <Center py="xl">
        <Loader aria-label="Loading the Site" />
      </Center>
    );
  }
  if (result.error && !result.data) return <ErrorAlert error={result.error} onRetry={refreshSite} />;
  if (!state) {
    return (
      <>
        <PageHeader title={`Site ${number}`} />
        <Alert color="gray" title={`Site ${number} is not available`} role="alert">
          <Stack gap="xs">
            <Text size="sm">There is no Site with this number, or you are not an active contact of it.</Text>
            <Anchor component={Link} to={`/request-access?site=${encodeURIComponent(number)}`} size="sm">
              Request access to Site {number}
            </Anchor>
          </Stack>
        </Alert>
      </>
    );
  }
  return (
    <SiteContext.Provider value={state}>
      <Outlet />
    </SiteContext.Provider>
  );
}
