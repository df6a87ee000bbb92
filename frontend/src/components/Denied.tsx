import { Alert } from '@mantine/core';

/** A page or action the viewer may not use, with the reason. */
export function Denied({ reason, title = 'Not available to you' }: { reason: string; title?: string }) {
  return (
    <Alert color="gray" title={title} role="note">
      {reason}
    </Alert>
  );
}
