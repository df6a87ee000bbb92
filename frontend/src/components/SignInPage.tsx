import { Button, Container, Paper, Stack, Text, Title } from '@mantine/core';
import { signIn } from '../client';
import { DevModeBanner } from './DevModeBanner';

export function SignInPage({ devMode }: { devMode: boolean }) {
  return (
    <>
      {devMode && <DevModeBanner />}
      <Container size={420} py={80}>
        <Paper withBorder p="xl" radius="md">
          <Stack>
            <Title order={1} size="h2">
              Sitekeeper
            </Title>
            <Text>Sign in to manage your Sites' contacts and access.</Text>
            <Button size="md" onClick={() => signIn()}>
              Sign in
            </Button>
            {devMode && (
              <Text size="sm" c="dimmed">
                This server runs in dev mode: sign in with one of the demo people of its built-in provider.
              </Text>
            )}
          </Stack>
        </Paper>
      </Container>
    </>
  );
}
