// Operators: the Sites whose review is overdue (30 days by default, when reminders escalate to
// the operators), most overdue first, with the open review's progress and escalation.
import { Anchor, Badge, NativeSelect, Stack, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router';
import { useQuery } from 'urql';
import { CursorPager, useCursorPager } from '../components/CursorPager';
import { Denied } from '../components/Denied';
import { ErrorAlert } from '../components/ErrorAlert';
import { ListTable } from '../components/ListTable';
import { PageHeader } from '../components/PageHeader';
import { useViewer } from '../components/ViewerContext';
import { graphql } from '../gql';
import { formatDate } from '../lib/format';
import { daysOverdue, overdueCutoff, progressSentence } from '../lib/review';

const OverdueSites = graphql(`
  query OverdueSites($first: Int!, $after: Cursor, $before: Time!) {
    sites(first: $first, after: $after, where: { reviewDueAtLT: $before, status: ACTIVE }, orderBy: { field: REVIEW_DUE_AT, direction: ASC }) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          number
          name
          reviewDueAt
          lastReviewedAt
          lastReviewedBy
          currentReview {
            id
            startedAt
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
    }
  }
`);

const THRESHOLDS = [
  { value: '30', label: '30 days or more (escalated)' },
  { value: '14', label: '14 days or more' },
  { value: '7', label: '7 days or more' },
  { value: '0', label: 'Any overdue' },
];

export default function OperatorOverduePage() {
  const { viewer } = useViewer();
  const [days, setDays] = useState('30');
  const pager = useCursorPager(25);
  const before = overdueCutoff(Number(days));
  const [result] = useQuery({
    query: OverdueSites,
    variables: { first: pager.pageSize, after: pager.after, before },
    pause: !viewer.isOperator,
  });

  if (!viewer.isOperator) {
    return (
      <>
        <PageHeader title="Overdue Sites" />
        <Denied reason="Only operators see the overdue Sites of every customer." />
      </>
    );
  }
  const conn = result.data?.sites;
  const rows = (conn?.edges ?? []).flatMap((e) => (e?.node ? [e.node] : []));

  return (
    <>
      <PageHeader title="Overdue Sites" subtitle="Active Sites whose access review is past due, the most overdue first. Reviews 30 days overdue are escalated to the operators." />
      <Stack>
        <NativeSelect
          label="Overdue by"
          data={THRESHOLDS}
          value={days}
          maw={300}
          onChange={(e) => {
            setDays(e.currentTarget.value);
            pager.reset();
          }}
        />
        {result.error && <ErrorAlert error={result.error} />}
        <ListTable
          label="Overdue Sites"
          columns={['Site', 'Review due', 'Last reviewed', 'Open review', 'Escalated']}
          minWidth={760}
          busy={result.fetching}
          empty="No Site is overdue by that much."
        >
          {rows.map((s) => {
            const r = s.currentReview;
            return (
              <Table.Tr key={s.id}>
                <Table.Th scope="row" fw={400}>
                  <Anchor component={Link} to={`/sites/${s.number}`} fw={500}>
                    {s.name}
                  </Anchor>
                  <Text size="xs" c="dimmed">
                    Site {s.number}
                  </Text>
                </Table.Th>
                <Table.Td>
                  <Text size="sm" c="red.9">
                    {formatDate(s.reviewDueAt)}
                  </Text>
                  <Text size="xs">{daysOverdue(s.reviewDueAt)} days overdue</Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{formatDate(s.lastReviewedAt)}</Text>
                  {s.lastReviewedBy && (
                    <Text size="xs" c="dimmed">
                      by {s.lastReviewedBy}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  {r ? (
                    <>
                      <Text size="sm">{progressSentence(r.progress)}</Text>
                      <Text size="xs" c="dimmed">
                        started {formatDate(r.startedAt)}, due {formatDate(r.dueAt)}
                      </Text>
                    </>
                  ) : (
                    <Text size="sm" c="dimmed">
                      None open
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  {r?.escalatedAt ? (
                    <Badge color="red" variant="light" tt="none">
                      {formatDate(r.escalatedAt)}
                    </Badge>
                  ) : (
                    <Text size="sm" c="dimmed">
                      No
                    </Text>
                  )}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </ListTable>
        <CursorPager pager={pager} pageInfo={conn?.pageInfo} totalCount={conn?.totalCount} label="Sites" />
      </Stack>
    </>
  );
}
