import { Alert, Anchor, List, Stack, Text } from '@mantine/core';
import { useContext } from 'react';
import { ROLE_LABELS, fullName } from '../lib/format';
import { SiteContext } from './SiteContext';

/**
 * A page or action the viewer may not use, with the reason; on a Site's pages, with the people
 * who can help (the Site's Primary and Secondary contacts).
 */
export function Denied({ reason, title = 'Not available to you' }: { reason: string; title?: string }) {
  const site = useContext(SiteContext)?.site;
  const helpers = site?.administrators ?? [];
  return (
    <Alert color="gray" title={title} role="note">
      <Stack gap="xs">
        <Text size="sm">{reason}</Text>
        {helpers.length > 0 && (
          <>
            <Text size="sm">Ask one of the people who administer this Site:</Text>
            <List size="sm" aria-label="Who can help">
              {helpers.map((h) => (
                <List.Item key={h.email}>
                  {fullName(h)} ({ROLE_LABELS[h.accessRole]}), <Anchor href={`mailto:${h.email}`} inherit>
                    {h.email}
                  </Anchor>
                </List.Item>
              ))}
            </List>
          </>
        )}
      </Stack>
    </Alert>
  );
}
