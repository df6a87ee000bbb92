// Shown over the page when a request answers that the session ended (30 minutes without
// activity, 10 hours after signing in, or signed out elsewhere). The page stays as it was: its
// unsaved changes are kept as a draft and come back after signing in again.
import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { signIn } from '../client';

export default function SessionEnded({ onClose }: { onClose: () => void }) {
  return (
    <Modal opened onClose={onClose} title="Your session has ended" centered closeButtonProps={{ 'aria-label': 'Close' }}>
      <Stack>
        <Text size="sm">
          You were signed out: after 30 minutes without activity, 10 hours after you signed in, or by signing out in
          another tab. Nothing you had not saved was sent.
        </Text>
        <Text size="sm">Sign in again to go on. Changes you have not saved on this page are kept and come back after you sign in.</Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Stay on this page
          </Button>
          <Button onClick={() => signIn()} data-autofocus>
            Sign in again
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
