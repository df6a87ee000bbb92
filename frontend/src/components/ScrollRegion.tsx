import { Table } from '@mantine/core';
import { useEffect, useRef, useState, type ReactNode } from 'react';

/**
 * A table's sideways-scrolling container that keyboard users can reach: while the table is wider
 * than its frame (on a phone), the scrolling viewport takes focus (arrow keys scroll it) and is
 * named for what it holds, as WCAG's "scrollable region must be focusable" asks. While it fits,
 * it is no stop for the Tab key.
 */
export function ScrollRegion({ label, minWidth, children }: { label: string; minWidth: number; children: ReactNode }) {
  const viewport = useRef<HTMLDivElement>(null);
  const [scrolls, setScrolls] = useState(false);
  useEffect(() => {
    const el = viewport.current;
    if (!el) return;
    const measure = () => setScrolls(el.scrollWidth > el.clientWidth + 1);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    if (el.firstElementChild) observer.observe(el.firstElementChild);
    return () => observer.disconnect();
  }, []);
  const named = scrolls ? { tabIndex: 0, role: 'region', 'aria-label': label } : {};
  return (
    <Table.ScrollContainer minWidth={minWidth} scrollAreaProps={{ viewportRef: viewport, viewportProps: named }}>
      {children}
    </Table.ScrollContainer>
  );
}
