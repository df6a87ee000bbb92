// The Site's access review: /sites/:number/review is the open one (or a way to start one),
// /sites/:number/reviews/:reviewId any review of the Site, read-only once completed.
import { Alert, Anchor, Button, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useQuery } from 'urql';
import { Denied } from '../components/Denied';
import { ErrorAlert } from '../components/ErrorAlert';
import { PageHeader } from '../components/PageHeader';
import { useSite } from '../components/SiteContext';
import { ReviewView } from '../components/review/ReviewView';
import { StartReviewModal } from '../components/review/StartReviewModal';
import { graphql } from '../gql';

const CurrentReview = graphql(`
  query CurrentReview($number: String!) {
    site(number: $number) {
      id
      currentReview {
        id
      }
    }
  }
`);

export default function ReviewPage() {
  const { reviewId } = useParams();
  const { site, abilities, refreshSite } = useSite();
  const navigate = useNavigate();
  const [starting, setStarting] = useState(false);
  const [current, reexecute] = useQuery({
    query: CurrentReview,
    variables: { number: site.number },
    pause: Boolean(reviewId) || !abilities.canReadReviews,
    requestPolicy: 'cache-and-network',
  });
  const base = `/sites/${site.number}`;
  const title = 'Access review';

  if (!abilities.canReadReviews) {
    return (
      <>
        <PageHeader title={title} />
        <Denied reason="Access reviews are read by the Primary contact and contacts with Manage access: View or more." />
      </>
    );
  }

  const id = reviewId ?? current.data?.site?.currentReview?.id ?? null;
  const onCompleted = (done: string) => {
    refreshSite();
    navigate(`${base}/reviews/${done}`);
  };

  return (
    <>
      <PageHeader
        title={title}
        subtitle={
          <>
            {site.name} · Site {site.number} ·{' '}
            <Anchor component={Link} to={base} inherit underline="always">
              Back to the Site home
            </Anchor>
          </>
        }
      />
      {id ? (
        <ReviewView key={id} id={id} onCompleted={onCompleted} />
      ) : current.error ? (
        <ErrorAlert error={current.error} onRetry={() => reexecute({ requestPolicy: 'network-only' })} />
      ) : current.fetching || !current.data ? (
        <Text size="sm">Loading…</Text>
      ) : (
        <Stack>
          <Alert color="gray" title="No review is open" role="status">
            <Stack gap="xs">
              <Text size="sm">
                An access review asks, for every contact of the Site, whether to keep, deactivate or remove them, and keeps the record as evidence. Past reviews are listed on
                the Site home.
              </Text>
              {abilities.canRunReview.allowed ? (
                <Button w="fit-content" onClick={() => setStarting(true)}>
                  Start review
                </Button>
              ) : (
                <Text size="sm">{abilities.canRunReview.reason}</Text>
              )}
            </Stack>
          </Alert>
        </Stack>
      )}
      {starting && (
        <StartReviewModal
          siteId={site.id}
          reviewDueAt={site.reviewDueAt}
          onClose={() => setStarting(false)}
          onStarted={() => {
            setStarting(false);
            reexecute({ requestPolicy: 'network-only' });
          }}
        />
      )}
    </>
  );
}
