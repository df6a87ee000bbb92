import { Box, Text } from '@mantine/core';

/** Shown on every page while the server runs in dev mode. */
export function DevModeBanner() {
  return (
    <Box role="note" aria-label="Dev mode" bg="yellow.3" px="md" py={6}>
      <Text size="sm" fw={700} c="dark.9" ta="center">
        Dev mode: demo data and a built-in sign-in provider
      </Text>
    </Box>
  );
}
