import { Alert, Button, List, Stack, Text } from '@mantine/core';
import type { CombinedError } from 'urql';
import { signIn } from '../client';
import { apiErrors, describeError } from '../lib/errors';

interface Props {
  error: CombinedError | undefined | null;
  title?: string;
  onRetry?: () => void;
}

/** An API error in words, with a sign-in button when the session has ended. */
export function ErrorAlert({ error, title = 'Something went wrong', onRetry }: Props) {
  const errors = apiErrors(error);
  if (errors.length === 0) return null;
  const unauthenticated = errors.some((e) => e.code === 'UNAUTHENTICATED');
  return (
    <Alert color="red" title={title} role="alert">
      <Stack gap="xs">
        {errors.length === 1 ? (
          <Text size="sm">{describeError(errors[0])}</Text>
        ) : (
          <List size="sm">
            {errors.map((e, i) => (
              <List.Item key={i}>{describeError(e)}</List.Item>
            ))}
          </List>
        )}
        {unauthenticated && (
          <Button size="xs" w="fit-content" onClick={() => signIn()}>
            Sign in
          </Button>
        )}
        {onRetry && !unauthenticated && (
          <Button size="xs" variant="light" w="fit-content" onClick={onRetry}>
            Try again
          </Button>
        )}
      </Stack>
    </Alert>
  );
}
