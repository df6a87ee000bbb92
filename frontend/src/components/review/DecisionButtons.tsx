import { Button, Stack, Text } from '@mantine/core';
import { useId } from 'react';
import type { ReviewDecision } from '../../gql/graphql';
import type { Decision } from '../../lib/permissions';
import { DECISIONS, DECISION_COLORS, DECISION_LABELS } from '../../lib/review';

interface Props {
  name: string;
  current: ReviewDecision;
  /** Whether the viewer may take each decision, with the reason when not. */
  allowed: Record<Exclude<ReviewDecision, 'PENDING'>, Decision>;
  busy: boolean;
  onDecide: (d: Exclude<ReviewDecision, 'PENDING'>) => void;
}

/**
 * Keep / Deactivate / Remove for one contact: a group of toggle buttons named with the contact
 * ("Remove Tom Okafor"), the current one pressed; those the viewer may not take are disabled
 * and the reason is written under them.
 */
export function DecisionButtons({ name, current, allowed, busy, onDecide }: Props) {
  const reasonId = useId();
  const reasons = [...new Set(DECISIONS.flatMap(({ decision }) => (allowed[decision].allowed ? [] : [allowed[decision].reason ?? ''])))];
  return (
    <Stack gap={4}>
      <Button.Group aria-label={`Decision on ${name}`}>
        {DECISIONS.map(({ decision, key }) => {
          const pressed = current === decision;
          const ok = allowed[decision].allowed;
          return (
            <Button
              key={decision}
              size="compact-sm"
              color={DECISION_COLORS[decision]}
              variant={pressed ? 'filled' : 'default'}
              aria-pressed={pressed}
              aria-label={`${DECISION_LABELS[decision]} ${name}`}
              aria-keyshortcuts={key}
              data-review-decision={decision}
              aria-describedby={ok ? undefined : reasonId}
              disabled={!ok || busy}
              onClick={() => onDecide(decision)}
            >
              {DECISION_LABELS[decision]}
            </Button>
          );
        })}
      </Button.Group>
      {reasons.length > 0 && (
        <Text size="xs" c="dimmed" id={reasonId}>
          {reasons.join(' ')}
        </Text>
      )}
    </Stack>
  );
}
