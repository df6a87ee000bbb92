// The shell: header (burger under 48em, site picker, signed-in person, sign out), navigation for
// the current Site and the operator pages, and the page.
import { AppShell, Badge, Burger, Button, Group, NavLink, Stack, Text, UnstyledButton } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Suspense, lazy, useEffect } from 'react';
import { Link, Outlet, useLocation, useMatch } from 'react-router';
import { signOut } from '../client';
import { membershipFor, siteAbilities } from '../lib/permissions';
import { DevModeBanner } from './DevModeBanner';
import { usePendingRequests } from './PendingRequests';
import { SitePicker } from './SitePicker';
import { useViewer } from './ViewerContext';

// The review's "confirm your details" banner loads on the side, out of the entry chunk.
const ReviewConfirmationBanner = lazy(() => import('./ReviewConfirmationBanner'));

interface NavItem {
  to: string;
  label: string;
  end?: boolean;
  /** A count of work waiting behind the link (pending access requests). */
  count?: number | null;
}

export function AppLayout() {
  const { viewer, instance } = useViewer();
  const [opened, { toggle, close }] = useDisclosure(false);
  const location = useLocation();
  const siteMatch = useMatch('/sites/:number/*');
  const siteNumber = siteMatch?.params.number ?? null;

  // Close the mobile navigation after every navigation.
  useEffect(() => close(), [location.pathname, close]);

  const membership = siteNumber ? membershipFor(viewer.contacts, siteNumber) : null;
  const a = siteAbilities({ isOperator: viewer.isOperator, membership });
  const pending = usePendingRequests(siteNumber, a.canViewAdministration);
  const siteItems: NavItem[] = [];
  if (siteNumber) {
    const base = `/sites/${siteNumber}`;
    siteItems.push({ to: base, label: 'Site home', end: true });
    if (membership) siteItems.push({ to: `${base}/contacts/${membership.contactId}`, label: 'My contact details', end: true });
    if (a.canListContacts) siteItems.push({ to: `${base}/contacts`, label: 'Contacts', end: true });
    if (a.canAddContact.allowed) siteItems.push({ to: `${base}/contacts/new`, label: 'Add contact' });
    if (a.canViewAdministration) {
      siteItems.push({ to: `${base}/requests`, label: 'Access requests', count: pending });
      siteItems.push({ to: `${base}/partners`, label: 'Partner grants' });
    }
    if (a.canReadReviews) siteItems.push({ to: `${base}/review`, label: 'Access review' });
    if (a.canReadAudit) siteItems.push({ to: `${base}/audit`, label: 'Audit log' });
    if (a.canTransferPrimary.allowed) siteItems.push({ to: `${base}/transfer`, label: 'Transfer primary' });
  }
  const generalItems: NavItem[] = [
    { to: '/', label: 'My Sites', end: true },
    { to: '/request-access', label: 'Request access to a Site' },
  ];
  const operatorItems: NavItem[] = viewer.isOperator
    ? [
        { to: '/operator/sites', label: 'Sites' },
        { to: '/operator/overdue', label: 'Overdue Sites' },
        { to: '/operator/partners', label: 'Partners' },
        { to: '/operator/break-glass', label: 'Break-glass reassignment' },
      ]
    : [];

  const isActive = (item: NavItem) =>
    item.end ? location.pathname === item.to : location.pathname === item.to || location.pathname.startsWith(`${item.to}/`);
  const renderItems = (items: NavItem[]) =>
    items.map((item) => (
      <NavLink
        key={item.to}
        component={Link}
        to={item.to}
        label={item.label}
        rightSection={
          item.count ? (
            <Badge size="sm" circle color="orange" aria-label={`${item.count} waiting`}>
              {item.count}
            </Badge>
          ) : undefined
        }
        active={isActive(item)}
        aria-current={isActive(item) ? 'page' : undefined}
      />
    ));

  const who = viewer.user?.name || viewer.user?.email || 'Operator';
  const headerHeight = instance.devMode ? 92 : 60;
  // Messages open below the header, never over Sign out.
  useEffect(() => {
    document.documentElement.style.setProperty('--sitekeeper-header-height', `${headerHeight}px`);
  }, [headerHeight]);

  return (
    <AppShell
      header={{ height: headerHeight }}
      navbar={{ width: 240, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="md"
    >
      <AppShell.Header>
        <a href="#main" className="skip-link">
          Skip to the page
        </a>
        {instance.devMode && <DevModeBanner />}
        <Group h={60} px="md" justify="space-between" wrap="nowrap" gap="sm">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label="Toggle navigation" />
            <UnstyledButton component={Link} to="/" aria-label="Sitekeeper home">
              <Text fw={700} size="lg">
                Sitekeeper
              </Text>
            </UnstyledButton>
          </Group>
          <Group gap="sm" wrap="nowrap" visibleFrom="sm">
            <SitePicker current={siteNumber} />
          </Group>
          <Group gap="sm" wrap="nowrap">
            <Text size="sm" visibleFrom="md" title={viewer.user?.email ?? undefined} data-testid="signed-in-as">
              {who}
              {viewer.isOperator ? ' (operator)' : ''}
            </Text>
            <Button size="xs" variant="default" onClick={() => void signOut()}>
              Sign out
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label="Main navigation">
        <AppShell.Section hiddenFrom="sm" mb="sm">
          <SitePicker current={siteNumber} />
          <Text size="xs" c="dimmed" mt={4}>
            Signed in as {who}
          </Text>
        </AppShell.Section>
        <AppShell.Section grow style={{ overflowY: 'auto' }}>
          <Stack gap={4}>
            {siteNumber && (
              <>
                <Text size="xs" fw={700} c="dimmed" tt="uppercase" px="sm" pt="xs">
                  Site {siteNumber}
                </Text>
                {renderItems(siteItems)}
              </>
            )}
            <Text size="xs" fw={700} c="dimmed" tt="uppercase" px="sm" pt="xs">
              General
            </Text>
            {renderItems(generalItems)}
            {operatorItems.length > 0 && (
              <>
                <Text size="xs" fw={700} c="dimmed" tt="uppercase" px="sm" pt="xs">
                  Operator
                </Text>
                {renderItems(operatorItems)}
              </>
            )}
            <Text size="xs" fw={700} c="dimmed" tt="uppercase" px="sm" pt="xs">
              Developers
            </Text>
            <NavLink component={Link} to="/playground" label="GraphQL playground" />
          </Stack>
        </AppShell.Section>
      </AppShell.Navbar>
      <AppShell.Main id="main" tabIndex={-1} style={{ outline: 'none' }}>
        {viewer.user && (
          <Suspense fallback={null}>
            <ReviewConfirmationBanner />
          </Suspense>
        )}
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}
