import { Group, Progress, Stack, Text } from '@mantine/core';
import { percent, progressSentence, type Progress as ReviewProgress } from '../../lib/review';

/** How far a review has got: one labelled bar, a section per decision, and the counts in words. */
export function ReviewProgressBar({ progress: p }: { progress: ReviewProgress }) {
  const sections = [
    { key: 'keep', label: 'Keep', n: p.keep, color: 'teal' },
    { key: 'deactivate', label: 'Deactivate', n: p.deactivate, color: 'orange' },
    { key: 'remove', label: 'Remove', n: p.remove, color: 'red' },
  ];
  return (
    <Stack gap={4}>
      <Progress.Root size="lg" role="group" aria-label={`Review progress: ${progressSentence(p)}`}>
        {sections.map((s) =>
          s.n > 0 ? (
            <Progress.Section key={s.key} value={percent(s.n, p.total)} color={s.color} aria-label={`${s.label}: ${s.n} of ${p.total}`} />
          ) : null,
        )}
      </Progress.Root>
      <Group gap="md" wrap="wrap">
        <Text size="sm" fw={500} data-testid="review-progress">
          {progressSentence(p)}
        </Text>
        <Text size="sm" c="dimmed">
          Keep {p.keep} · Deactivate {p.deactivate} · Remove {p.remove} · Self-confirmed {p.selfConfirmed}
        </Text>
      </Group>
    </Stack>
  );
}
