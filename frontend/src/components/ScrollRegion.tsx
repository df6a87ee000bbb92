import { Table } from '@mantine/core';
import type { ReactNode } from 'react';

/**
 * A table's sideways-scrolling container that keyboard users can reach: when the table is wider
 * than the screen, the scrolling viewport takes focus (arrow keys scroll it) and is named for what
 * it holds, as WCAG's "scrollable region must be focusable" asks.
 */
export function ScrollRegion({ label, minWidth, children }: { label: string; minWidth: number; children: ReactNode }) {
  return (
    <Table.ScrollContainer
      minWidth={minWidth}
      scrollAreaProps={{ viewportProps: { tabIndex: 0, role: 'region', 'aria-label': label } }}
    >
      {children}
    </Table.ScrollContainer>
  );
}
