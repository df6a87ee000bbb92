// /playground: GraphiQL from the npm package, bundled by vite (Monaco's workers included), so it
// works offline; it posts to /graphql with the session cookie and the CSRF header. This module
// is its own lazy chunk, never part of the dashboard's initial JavaScript.
import 'graphiql/setup-workers/vite';
import 'graphiql/style.css';
import { Anchor, Box, Group, Text } from '@mantine/core';
import { GraphiQL } from 'graphiql';
import { useEffect, useRef, type ComponentProps } from 'react';
import { Link } from 'react-router';
import { CSRF_HEADER } from '../client';
import { DevModeBanner } from '../components/DevModeBanner';
import { useViewer } from '../components/ViewerContext';
import { effectiveOperationName } from '../lib/operation';

type Fetcher = ComponentProps<typeof GraphiQL>['fetcher'];

export const playgroundFetcher: Fetcher = async (params) => {
  const operationName = effectiveOperationName(params.query, params.operationName);
  const response = await fetch('/graphql', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json', [CSRF_HEADER]: '1' },
    body: JSON.stringify({ ...params, operationName }),
  });
  return response.json();
};

const defaultQuery = `# Sitekeeper GraphQL API. You are signed in with your dashboard session.
query Me {
  viewer {
    user { email name }
    isOperator
    contacts { accessRole status site { number name } }
  }
}
`;

/**
 * GraphiQL renders its query tabs as elements with role "tab" that hold two buttons (select and
 * close): controls nested in a control, which screen readers cannot reach (graphql/graphiql#3422).
 * Until that is fixed upstream, the tabs read as what they are here: a list of buttons, the
 * current one marked aria-current, each with its close button beside it.
 */
function useAccessibleTabs(root: React.RefObject<HTMLElement | null>) {
  useEffect(() => {
    const el = root.current;
    if (!el) return;
    const fix = () => {
      for (const list of el.querySelectorAll<HTMLElement>('ul.graphiql-tabs[role]')) list.removeAttribute('role');
      for (const item of el.querySelectorAll<HTMLElement>('ul.graphiql-tabs > li')) {
        if (!item.hasAttribute('role') && !item.hasAttribute('aria-selected')) continue;
        const current = item.getAttribute('aria-selected') === 'true';
        item.removeAttribute('role');
        item.removeAttribute('aria-selected');
        const select = item.querySelector<HTMLElement>('.graphiql-tab-button');
        if (current) select?.setAttribute('aria-current', 'true');
        else select?.removeAttribute('aria-current');
      }
    };
    fix();
    const observer = new MutationObserver(fix);
    observer.observe(el, { subtree: true, childList: true, attributes: true, attributeFilter: ['role', 'aria-selected'] });
    return () => observer.disconnect();
  }, [root]);
}

export default function PlaygroundPage() {
  const { instance, viewer } = useViewer();
  const editor = useRef<HTMLDivElement>(null);
  useAccessibleTabs(editor);
  useEffect(() => {
    document.title = 'GraphQL playground · Sitekeeper';
  }, []);
  return (
    <Box style={{ height: '100vh', display: 'flex', flexDirection: 'column' }}>
      {instance.devMode && <DevModeBanner />}
      <Group px="md" py={6} justify="space-between" style={{ borderBottom: '1px solid var(--mantine-color-gray-3)' }}>
        <Text fw={700} component="h1" size="md" m={0}>
          Sitekeeper GraphQL playground
        </Text>
        <Group gap="md">
          <Text size="sm" c="dimmed">
            {viewer.user?.email}
          </Text>
          <Anchor component={Link} to="/" size="sm">
            Back to the dashboard
          </Anchor>
        </Group>
      </Group>
      <Box ref={editor} style={{ flex: 1, minHeight: 0 }}>
        <GraphiQL fetcher={playgroundFetcher} defaultQuery={defaultQuery} shouldPersistHeaders={false}>
          {/* Offline, so no link out; and in a colour that reads (GraphiQL's grey is 4.3:1). */}
          <GraphiQL.Logo>
            <Text component="span" size="lg" c="gray.8">
              GraphiQL
            </Text>
          </GraphiQL.Logo>
        </GraphiQL>
      </Box>
    </Box>
  );
}
