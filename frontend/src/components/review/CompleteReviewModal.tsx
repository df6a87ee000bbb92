// Completing a review: what it will apply (who is deactivated, who is removed and why, how many
// are kept), then completeReview. A refusal names the contacts the viewer may not apply.
import { Alert, Button, Group, List, Loader, Modal, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../../gql';
import { apiErrors, describeError } from '../../lib/errors';
import { completionSummary, namesOf, type Progress } from '../../lib/review';
import { ErrorAlert } from '../ErrorAlert';

const ReviewChanges = graphql(`
  query ReviewChanges($id: ID!) {
    node(id: $id) {
      __typename
      ... on Review {
        id
        items(first: 100, where: { decisionIn: [DEACTIVATE, REMOVE] }) {
          edges {
            node {
              id
              decision
              note
              snapshot {
                firstName
                lastName
                email
              }
            }
          }
        }
      }
    }
  }
`);

const CompleteReview = graphql(`
  mutation CompleteReview($id: ID!) {
    completeReview(id: $id) {
      id
      completedAt
      completedBy
      evidenceCsvUrl
      evidenceHtmlUrl
      site {
        id
        lastReviewedAt
        lastReviewedBy
        reviewDueAt
      }
    }
  }
`);

interface Props {
  reviewId: string;
  progress: Progress;
  onClose: () => void;
  onCompleted: () => void;
}

export function CompleteReviewModal({ reviewId, progress, onClose, onCompleted }: Props) {
  const [changes] = useQuery({ query: ReviewChanges, variables: { id: reviewId }, requestPolicy: 'network-only' });
  const [state, complete] = useMutation(CompleteReview);
  const [refusal, setRefusal] = useState<{ message: string; names: string[] } | null>(null);
  const node = changes.data?.node?.__typename === 'Review' ? changes.data.node : null;
  const items = (node?.items.edges ?? []).flatMap((e) => (e?.node ? [e.node] : []));
  const summary = completionSummary(progress, items);
  const blocked = summary.pending > 0;

  const onComplete = async () => {
    setRefusal(null);
    const r = await complete({ id: reviewId });
    const err = apiErrors(r.error)[0];
    if (err) {
      setRefusal({ message: describeError(err), names: namesOf(err.ids, items) });
      return;
    }
    notifications.show({ color: 'teal', title: 'Review completed', message: 'The decisions were applied and the Site is reviewed.' });
    onCompleted();
  };

  return (
    <Modal opened onClose={onClose} title="Complete the review?" size="lg" centered closeButtonProps={{ 'aria-label': 'Close' }}>
      <Stack>
        {changes.error && <ErrorAlert error={changes.error} />}
        {changes.fetching && !node ? (
          <Loader size="sm" aria-label="Loading the decisions" />
        ) : (
          <Stack gap="xs" aria-label="What completing applies">
            {blocked && (
              <Alert color="orange" title="Items still pending" role="alert">
                {summary.pending} {summary.pending === 1 ? 'contact is' : 'contacts are'} still pending: decide them, or keep all remaining, before completing.
              </Alert>
            )}
            <Text size="sm">
              <strong>{summary.keep}</strong> kept as they are.
            </Text>
            <Text size="sm">
              <strong>{progress.deactivate}</strong> deactivated{summary.deactivate.length > 0 ? ':' : '.'}
            </Text>
            {summary.deactivate.length > 0 && (
              <List size="sm" aria-label="To deactivate">
                {summary.deactivate.map((c) => (
                  <List.Item key={c.id}>{c.name}</List.Item>
                ))}
              </List>
            )}
            <Text size="sm">
              <strong>{progress.remove}</strong> removed for good{summary.remove.length > 0 ? ':' : '.'}
            </Text>
            {summary.remove.length > 0 && (
              <List size="sm" aria-label="To remove">
                {summary.remove.map((c) => (
                  <List.Item key={c.id}>
                    {c.name}: {c.note}
                  </List.Item>
                ))}
              </List>
            )}
            {summary.unlisted > 0 && (
              <Text size="sm" c="dimmed">
                And {summary.unlisted} more not listed here.
              </Text>
            )}
            <Text size="sm" c="dimmed">
              Everything is applied together, in one change; the completed review is kept as evidence.
            </Text>
          </Stack>
        )}
        {refusal && (
          <Alert color="red" title="Not completed" role="alert">
            <Stack gap={4}>
              <Text size="sm">{refusal.message}</Text>
              {refusal.names.length > 0 && (
                <List size="sm" aria-label="Decisions you may not apply">
                  {refusal.names.map((n) => (
                    <List.Item key={n}>{n}</List.Item>
                  ))}
                </List>
              )}
            </Stack>
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} data-autofocus>
            Cancel
          </Button>
          <Button color="red" onClick={() => void onComplete()} loading={state.fetching} disabled={blocked || !node}>
            Complete and apply
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
