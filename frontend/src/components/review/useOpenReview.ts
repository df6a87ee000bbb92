import { useQuery } from 'urql';
import { graphql } from '../../gql';

const OpenReviewQuery = graphql(`
  query OpenReview($number: String!) {
    site(number: $number) {
      id
      currentReview {
        id
        startedAt
        startedBy
        dueAt
        escalatedAt
        progress {
          total
          pending
          keep
          deactivate
          remove
          selfConfirmed
        }
      }
    }
  }
`);

/** The Site's open review, for those who read reviews (null while loading, when none, or not readable). */
export function useOpenReview(siteNumber: string, canRead: boolean) {
  const [result, reexecute] = useQuery({
    query: OpenReviewQuery,
    variables: { number: siteNumber },
    pause: !canRead,
    requestPolicy: 'cache-and-network',
  });
  return { review: result.data?.site?.currentReview ?? null, loading: result.fetching && !result.data, refresh: () => reexecute({ requestPolicy: 'network-only' }) };
}
