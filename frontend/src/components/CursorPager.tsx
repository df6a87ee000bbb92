// Previous / next over a connection: the cursors of the pages visited so far are kept so going
// back needs no backward paging.
import { Button, Group, NativeSelect, Text } from '@mantine/core';
import { useCallback, useState } from 'react';

export interface PageInfoLike {
  hasNextPage: boolean;
  endCursor?: string | null;
}

export function useCursorPager(initialSize = 25) {
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [pageSize, setPageSizeState] = useState(initialSize);
  const page = cursors.length; // 1-based
  const after = cursors[cursors.length - 1];
  const next = useCallback((endCursor: string | null | undefined) => {
    if (endCursor) setCursors((c) => [...c, endCursor]);
  }, []);
  const previous = useCallback(() => setCursors((c) => (c.length > 1 ? c.slice(0, -1) : c)), []);
  const reset = useCallback(() => setCursors([null]), []);
  const setPageSize = useCallback((n: number) => {
    setPageSizeState(n);
    setCursors([null]);
  }, []);
  return { after, page, pageSize, next, previous, reset, setPageSize };
}

interface Props {
  pager: ReturnType<typeof useCursorPager>;
  pageInfo: PageInfoLike | undefined;
  totalCount?: number;
  label?: string;
  sizes?: number[];
}

/** `label` is the plural ("contacts"); one item reads "1 contact". */
export function CursorPager({ pager, pageInfo, totalCount, label = 'items', sizes = [10, 25, 50, 100] }: Props) {
  const pages = totalCount !== undefined ? Math.max(1, Math.ceil(totalCount / pager.pageSize)) : undefined;
  return (
    <Group justify="space-between" mt="sm" gap="sm">
      <Text size="sm" c="dimmed" aria-live="polite">
        Page {pager.page}
        {pages !== undefined ? ` of ${pages}` : ''}
        {totalCount !== undefined ? ` · ${totalCount} ${totalCount === 1 ? label.replace(/s$/, '') : label}` : ''}
      </Text>
      <Group gap="xs">
        <NativeSelect
          aria-label="Rows per page"
          size="xs"
          data={sizes.map(String)}
          value={String(pager.pageSize)}
          onChange={(e) => pager.setPageSize(Number(e.currentTarget.value))}
        />
        <Button size="xs" variant="default" onClick={pager.previous} disabled={pager.page <= 1}>
          Previous page
        </Button>
        <Button size="xs" variant="default" onClick={() => pager.next(pageInfo?.endCursor)} disabled={!pageInfo?.hasNextPage}>
          Next page
        </Button>
      </Group>
    </Group>
  );
}
