// How many access requests wait for a decision on a Site: the badge in the navigation and the
// line on the Site's home, for those who decide them (managers and operators).
import { useQuery } from 'urql';
import { graphql } from '../gql';

const PendingRequestsQuery = graphql(`
  query PendingRequests($number: String!, $now: Time!) {
    site(number: $number) {
      id
      accessRequests(first: 1, where: { status: PENDING, expiresAtGT: $now }) {
        totalCount
      }
    }
  }
`);

/** The minute now falls in: one query per minute, not per render. */
export function thisMinute(): string {
  return new Date(Math.floor(Date.now() / 60_000) * 60_000).toISOString();
}

// A decision (a mutation returning an AccessRequest) refreshes the count, though the count's
// answer holds no AccessRequest for urql's cache to match.
const context = { additionalTypenames: ['AccessRequest'] };

export function usePendingRequests(siteNumber: string | null, enabled: boolean): number | null {
  const [r] = useQuery({
    query: PendingRequestsQuery,
    variables: { number: siteNumber ?? '', now: thisMinute() },
    pause: !siteNumber || !enabled,
    context,
  });
  return r.data?.site?.accessRequests.totalCount ?? null;
}
