// The Site's completed reviews, newest first: when, by whom, attested or decided one by one,
// what they did, and their evidence.
import { Anchor, Badge, Group, Table, Text } from '@mantine/core';
import { Link } from 'react-router';
import { useQuery } from 'urql';
import { graphql } from '../../gql';
import { formatDateTime } from '../../lib/format';
import { CursorPager, useCursorPager } from '../CursorPager';
import { ErrorAlert } from '../ErrorAlert';
import { ListTable } from '../ListTable';

const PastReviewsQuery = graphql(`
  query PastReviews($number: String!, $first: Int!, $after: Cursor) {
    site(number: $number) {
      id
      reviews(first: $first, after: $after, where: { completedAtNotNil: true }, orderBy: { field: STARTED_AT, direction: DESC }) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        edges {
          node {
            id
            startedAt
            startedBy
            completedAt
            completedBy
            attested
            evidenceCsvUrl
            evidenceHtmlUrl
            progress {
              total
              keep
              deactivate
              remove
              selfConfirmed
            }
          }
        }
      }
    }
  }
`);

export function PastReviews({ siteNumber }: { siteNumber: string }) {
  const pager = useCursorPager(5);
  const [result] = useQuery({
    query: PastReviewsQuery,
    variables: { number: siteNumber, first: pager.pageSize, after: pager.after },
    requestPolicy: 'cache-and-network',
  });
  const conn = result.data?.site?.reviews;
  const rows = (conn?.edges ?? []).flatMap((e) => (e?.node ? [e.node] : []));
  return (
    <>
      {result.error && <ErrorAlert error={result.error} />}
      <ListTable
        label="Past reviews"
        columns={['Started', 'Completed', 'How', 'Kept · deactivated · removed', 'Evidence']}
        minWidth={760}
        busy={result.fetching}
        empty="No review has been completed yet."
        dense
      >
        {rows.map((r) => (
          <Table.Tr key={r.id}>
            <Table.Th scope="row" fw={400}>
              <Anchor component={Link} to={`/sites/${siteNumber}/reviews/${r.id}`} size="sm">
                {formatDateTime(r.startedAt)}
              </Anchor>
              <Text size="xs" c="dimmed">
                by {r.startedBy}
              </Text>
            </Table.Th>
            <Table.Td>
              <Text size="sm">{formatDateTime(r.completedAt)}</Text>
              <Text size="xs" c="dimmed">
                by {r.completedBy}
              </Text>
            </Table.Td>
            <Table.Td>
              {r.attested ? (
                <Badge size="sm" color="orange" variant="light" tt="none">
                  Attested (Mark reviewed)
                </Badge>
              ) : (
                <Badge size="sm" color="teal" variant="light" tt="none">
                  Decided item by item
                </Badge>
              )}
            </Table.Td>
            <Table.Td>
              <Text size="sm">
                {r.progress.keep} · {r.progress.deactivate} · {r.progress.remove}
                <Text span size="xs" c="dimmed">
                  {' '}
                  of {r.progress.total}
                </Text>
              </Text>
            </Table.Td>
            <Table.Td>
              <Group gap="xs">
                {r.evidenceCsvUrl && (
                  <Anchor href={r.evidenceCsvUrl} download size="sm" aria-label={`Evidence CSV of the review started ${formatDateTime(r.startedAt)}`}>
                    CSV
                  </Anchor>
                )}
                {r.evidenceHtmlUrl && (
                  <Anchor href={r.evidenceHtmlUrl} target="_blank" rel="noopener" size="sm" aria-label={`Printable evidence of the review started ${formatDateTime(r.startedAt)}`}>
                    Printable
                  </Anchor>
                )}
              </Group>
            </Table.Td>
          </Table.Tr>
        ))}
      </ListTable>
      {conn && conn.totalCount > pager.pageSize && <CursorPager pager={pager} pageInfo={conn.pageInfo} totalCount={conn.totalCount} label="reviews" sizes={[5, 10, 25]} />}
    </>
  );
}
