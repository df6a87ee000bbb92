// Starting an access review: every contact gets an item; the due date is 7 to 90 days away
// (the Site's review due date by default).
import { Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useMutation } from 'urql';
import { graphql } from '../../gql';
import { apiErrors } from '../../lib/errors';
import { formatDate, isoDay } from '../../lib/format';
import { defaultDueDate, dueDateBounds } from '../../lib/review';
import { ErrorAlert } from '../ErrorAlert';

const StartReview = graphql(`
  mutation StartReview($siteId: ID!, $dueAt: Time) {
    startReview(siteId: $siteId, dueAt: $dueAt) {
      id
      dueAt
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

interface Props {
  siteId: string;
  reviewDueAt: string | null | undefined;
  onClose: () => void;
  onStarted: (id: string) => void;
}

export function StartReviewModal({ siteId, reviewDueAt, onClose, onStarted }: Props) {
  const initial = isoDay(defaultDueDate(reviewDueAt));
  const { min, max } = dueDateBounds();
  const [day, setDay] = useState(initial);
  const [dayError, setDayError] = useState<string | null>(null);
  const [state, start] = useMutation(StartReview);

  const onStart = async () => {
    let dueAt: string | null = null;
    if (day !== initial) {
      // The end of the chosen day, in the viewer's time.
      const d = new Date(`${day}T23:59:00`);
      if (Number.isNaN(d.getTime()) || d < min || d > max) {
        setDayError(`Choose a day between ${formatDate(min.toISOString())} and ${formatDate(max.toISOString())}.`);
        return;
      }
      dueAt = d.toISOString();
    }
    const r = await start({ siteId, dueAt });
    const err = apiErrors(r.error)[0];
    if (err?.fields.includes('dueAt')) setDayError(err.message);
    if (r.data) onStarted(r.data.startReview.id);
  };

  return (
    <Modal opened onClose={onClose} title="Start an access review" centered closeButtonProps={{ 'aria-label': 'Close' }}>
      <Stack>
        <Text size="sm">
          Every contact of the Site gets an item to decide: Keep, Deactivate or Remove. Nothing changes until you complete the review; every active contact is asked to
          confirm their own details meanwhile.
        </Text>
        <TextInput
          type="date"
          label="Due on"
          description="7 to 90 days from today"
          value={day}
          min={isoDay(min)}
          max={isoDay(max)}
          error={dayError}
          onChange={(e) => {
            setDay(e.currentTarget.value);
            setDayError(null);
          }}
        />
        {state.error && !dayError && <ErrorAlert error={state.error} title="Not started" />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button onClick={() => void onStart()} loading={state.fetching} data-autofocus>
            Start review
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
