// One review, open or completed: its header facts, progress, the items table (filtered, paged
// 100 at a time), and for managers of an open review the decisions, "Keep all remaining" and
// "Complete review"; a completed review is read-only, with outcomes and the evidence downloads.
import { Alert, Anchor, Button, Group, NativeSelect, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../../gql';
import { describeError, firstError } from '../../lib/errors';
import { formatDate, formatDateTime } from '../../lib/format';
import { ITEM_FILTERS, itemWhere, type ItemFilter } from '../../lib/review';
import { ConfirmModal } from '../ConfirmModal';
import { CursorPager, useCursorPager } from '../CursorPager';
import { ErrorAlert } from '../ErrorAlert';
import { ListTable } from '../ListTable';
import { Section } from '../Section';
import { useSite } from '../SiteContext';
import { CompleteReviewModal } from './CompleteReviewModal';
import { ReviewItemRow, type DecideResult } from './ReviewItemRow';
import { ReviewProgressBar } from './ReviewProgressBar';

const ReviewViewQuery = graphql(`
  query ReviewView($id: ID!, $first: Int!, $after: Cursor, $where: ReviewItemWhereInput) {
    node(id: $id) {
      __typename
      ... on Review {
        id
        startedBy
        startedAt
        dueAt
        completedAt
        completedBy
        attested
        escalatedAt
        evidenceCsvUrl
        evidenceHtmlUrl
        progress {
          total
          pending
          keep
          deactivate
          remove
          selfConfirmed
        }
        items(first: $first, after: $after, where: $where) {
          totalCount
          pageInfo {
            hasNextPage
            endCursor
          }
          edges {
            node {
              ...ReviewItemRow
            }
          }
        }
      }
    }
  }

  fragment ReviewItemRow on ReviewItem {
    id
    decision
    decidedBy
    decidedAt
    note
    selfConfirmedAt
    outcome
    contactExists
    contact {
      id
      accessRole
      status
    }
    snapshot {
      firstName
      lastName
      email
      accessRole
      privileges {
        softwareAccess
        reporting
        entitlements
        manageAccess
        contactUpdates
        accountDocuments
      }
      contactTypes
      status
      lastSignInAt
      invitationExpiresAt
      createdAt
    }
    suggestion {
      decision
      reason
    }
    privilegeFlags
    changesSincePreviousReview {
      id
      createdAt
      actorKind
      actor
      action
      targetType
      targetLabel
    }
  }
`);

const DecideReviewItem = graphql(`
  mutation DecideReviewItem($id: ID!, $decision: ReviewDecision!, $note: String) {
    decideReviewItem(id: $id, decision: $decision, note: $note) {
      id
      decision
      decidedBy
      decidedAt
      note
    }
  }
`);

const KeepRemaining = graphql(`
  mutation KeepRemainingReviewItems($reviewId: ID!) {
    keepRemainingReviewItems(reviewId: $reviewId) {
      id
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
`);

export function ReviewView({ id, onCompleted }: { id: string; onCompleted: (id: string) => void }) {
  const { actor, abilities } = useSite();
  const [filter, setFilter] = useState<ItemFilter>('all');
  const pager = useCursorPager(100);
  const [result, reexecute] = useQuery({
    query: ReviewViewQuery,
    variables: { id, first: pager.pageSize, after: pager.after, where: itemWhere(filter) },
  });
  const [, decideItem] = useMutation(DecideReviewItem);
  const [keeping, keepRemaining] = useMutation(KeepRemaining);
  const [confirmKeep, setConfirmKeep] = useState(false);
  const [completing, setCompleting] = useState(false);

  const review = result.data?.node?.__typename === 'Review' ? result.data.node : null;
  if (result.error && !review) return <ErrorAlert error={result.error} onRetry={() => reexecute({ requestPolicy: 'network-only' })} />;
  if (!review) {
    if (result.fetching || !result.data) return <Text size="sm">Loading the review…</Text>;
    return (
      <Alert color="gray" title="Review not found" role="alert">
        There is no such review, or you may not read this Site's reviews.
      </Alert>
    );
  }

  const completed = Boolean(review.completedAt);
  const editable = !completed && abilities.canRunReview.allowed;
  const p = review.progress;
  const items = (review.items.edges ?? []).flatMap((e) => (e?.node ? [e.node] : []));

  const onDecide = async (itemId: string, decision: 'KEEP' | 'DEACTIVATE' | 'REMOVE', note: string | null): Promise<DecideResult> => {
    const r = await decideItem({ id: itemId, decision, note });
    const err = firstError(r.error);
    if (!err) return {};
    const message = err.code === 'BAD_USER_INPUT' && err.fields.length ? err.message : describeError(err);
    notifications.show({ color: 'red', title: 'Decision refused', message });
    return { error: message, fields: err.fields };
  };

  const onKeepRemaining = async () => {
    const r = await keepRemaining({ reviewId: review.id });
    setConfirmKeep(false);
    const err = firstError(r.error);
    if (err) {
      notifications.show({ color: 'red', title: 'Not kept', message: describeError(err) });
      return;
    }
    notifications.show({ color: 'teal', title: 'Remaining items kept', message: 'Every pending item is now Keep.' });
  };

  return (
    <Stack>
      <Section title={completed ? 'Completed review' : 'Review in progress'}>
        <Stack gap="sm">
          <Text size="sm">
            Started {formatDateTime(review.startedAt)} by {review.startedBy} · due {formatDate(review.dueAt)}
            {review.escalatedAt && ` · escalated to the operators ${formatDate(review.escalatedAt)}`}
          </Text>
          {completed && (
            <Text size="sm">
              Completed {formatDateTime(review.completedAt)} by {review.completedBy}
              {review.attested ? ' · the items left pending were kept by attestation (Mark reviewed)' : ''}
            </Text>
          )}
          <ReviewProgressBar progress={p} />
          {completed && (
            <Group gap="sm" aria-label="Evidence">
              <Text size="sm" fw={500}>
                Evidence:
              </Text>
              {review.evidenceCsvUrl && (
                <Anchor href={review.evidenceCsvUrl} download size="sm">
                  Download evidence (CSV)
                </Anchor>
              )}
              {review.evidenceHtmlUrl && (
                <Anchor href={review.evidenceHtmlUrl} target="_blank" rel="noopener" size="sm">
                  Printable evidence (HTML)
                </Anchor>
              )}
            </Group>
          )}
          {editable && (
            <Group gap="sm">
              <Button onClick={() => setCompleting(true)}>Complete review</Button>
              <Button variant="default" onClick={() => setConfirmKeep(true)} disabled={p.pending === 0}>
                Keep all remaining ({p.pending})
              </Button>
            </Group>
          )}
          {!completed && !editable && (
            <Text size="sm" c="dimmed">
              {abilities.canRunReview.reason}
            </Text>
          )}
        </Stack>
      </Section>
      <Section title="Contacts in this review">
        <Stack gap="sm">
          <Group justify="space-between" align="flex-end" gap="sm">
            <NativeSelect
              label="Show"
              data={ITEM_FILTERS}
              value={filter}
              onChange={(e) => {
                setFilter(e.currentTarget.value as ItemFilter);
                pager.reset();
              }}
              maw={260}
            />
            {editable && (
              <Text size="xs" c="dimmed">
                Keyboard: with focus in a row, press K to keep, D to deactivate, R to remove.
              </Text>
            )}
          </Group>
          {result.error && <ErrorAlert error={result.error} />}
          <ListTable
            label="Review items"
            columns={['Contact', 'Privileges', 'Last sign-in', 'Suggestion and flags', 'Self-confirmation', completed ? 'Decision and outcome' : 'Decision']}
            minWidth={1100}
            busy={result.fetching}
            empty="No contacts match."
          >
            {items.map((it) => (
              <ReviewItemRow key={it.id} item={it} actor={actor} editable={editable} completed={completed} onDecide={onDecide} />
            ))}
          </ListTable>
          <CursorPager pager={pager} pageInfo={review.items.pageInfo} totalCount={review.items.totalCount} label="contacts" sizes={[25, 50, 100]} />
        </Stack>
      </Section>
      <ConfirmModal
        opened={confirmKeep}
        title="Keep all remaining?"
        confirmLabel={`Keep ${p.pending}`}
        loading={keeping.fetching}
        onConfirm={() => void onKeepRemaining()}
        onClose={() => setConfirmKeep(false)}
      >
        {`The ${p.pending} ${p.pending === 1 ? 'contact' : 'contacts'} still pending will be decided Keep, by you. Decisions already taken stay as they are.`}
      </ConfirmModal>
      {completing && (
        <CompleteReviewModal
          reviewId={review.id}
          progress={p}
          onClose={() => setCompleting(false)}
          onCompleted={() => {
            setCompleting(false);
            setFilter('all');
            pager.reset();
            onCompleted(review.id);
          }}
        />
      )}
    </Stack>
  );
}
