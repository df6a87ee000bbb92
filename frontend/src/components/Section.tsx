import { Card, Title } from '@mantine/core';
import { useId, type ReactNode } from 'react';

/** A part of a page: a bordered card that is a landmark named by its h2 (a section, or a nav). */
export function Section({ title, as = 'section', children }: { title: ReactNode; as?: 'section' | 'nav'; children: ReactNode }) {
  const id = useId();
  return (
    <Card withBorder component={as} aria-labelledby={id}>
      <Title order={2} size="h4" id={id} mb="xs">
        {title}
      </Title>
      {children}
    </Card>
  );
}
