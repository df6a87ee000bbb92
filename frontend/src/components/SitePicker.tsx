// Switch Sites. A native select of the viewer's own Sites (light, and keyboard- and
// phone-friendly); operators also get a search over every Site by number or name, loaded on
// demand so it stays out of the initial JavaScript.
import { Group, Loader, NativeSelect } from '@mantine/core';
import { lazy, Suspense } from 'react';
import { useNavigate } from 'react-router';
import { activeSites, useViewer } from './ViewerContext';

const OperatorSitePicker = lazy(() => import('./OperatorSitePicker'));

export function SitePicker({ current }: { current: string | null }) {
  const { viewer } = useViewer();
  const navigate = useNavigate();
  const own = activeSites(viewer);

  if (viewer.isOperator) {
    return (
      <Suspense fallback={<Loader size="xs" aria-label="Loading the Site search" />}>
        <OperatorSitePicker current={current} own={own} />
      </Suspense>
    );
  }
  if (own.length === 0) return null;
  const data = own.map((s) => ({ value: s.number, label: `${s.number} · ${s.name}` }));
  if (current && !own.some((s) => s.number === current)) data.unshift({ value: current, label: current });
  return (
    <Group gap={0} w={{ base: '100%', sm: 300 }}>
      <NativeSelect
        aria-label="Site"
        w="100%"
        data={current ? data : [{ value: '', label: 'Choose a Site' }, ...data]}
        value={current ?? ''}
        onChange={(e) => e.currentTarget.value && navigate(`/sites/${e.currentTarget.value}`)}
      />
    </Group>
  );
}

/** The where input of a Site search: number prefix or name, case-insensitively. */
export function siteSearchWhere(term: string) {
  const t = term.trim();
  return t ? { or: [{ numberHasPrefix: t }, { nameContainsFold: t }] } : undefined;
}
