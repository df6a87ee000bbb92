// Renders a page the way the app does (Mantine, urql, router, viewer and Site) with a fake urql
// client that answers each operation by name.
import { MantineProvider } from '@mantine/core';
import { render } from '@testing-library/react';
import type { ReactNode } from 'react';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { Provider, type Client } from 'urql';
import { fromValue, never, pipe, toPromise } from 'wonka';
import { SiteContext, type SiteSummary } from '../components/SiteContext';
import { ViewerContext, type Instance, type Viewer } from '../components/ViewerContext';
import { membershipFor, siteAbilities } from '../lib/permissions';
import { HIGHEST, NO_PRIVILEGES, type Privileges } from '../lib/privileges';
import { theme } from '../theme';

type Answer = { data?: unknown; error?: unknown } | ((variables: Record<string, unknown>) => { data?: unknown; error?: unknown });

export interface FakeClient {
  client: Client;
  calls: { name: string; kind: string; variables: Record<string, unknown> }[];
}

function operationName(query: { definitions: readonly { kind: string; name?: { value: string } }[] }): string {
  return query.definitions.find((d) => d.kind === 'OperationDefinition')?.name?.value ?? '';
}

export function fakeClient(answers: Record<string, Answer>): FakeClient {
  const calls: FakeClient['calls'] = [];
  const answer = (kind: string) => (request: { query: never; variables?: Record<string, unknown> }) => {
    const name = operationName(request.query);
    const variables = request.variables ?? {};
    calls.push({ name, kind, variables });
    const a = answers[name];
    if (!a) return never;
    const value = typeof a === 'function' ? a(variables) : a;
    return fromValue({ ...value, operation: request, stale: false, hasNext: false });
  };
  const client = {
    executeQuery: answer('query'),
    executeMutation: answer('mutation'),
    executeSubscription: () => never,
    query: (query: never, variables: Record<string, unknown>) => ({
      toPromise: () => pipe(answer('query')({ query, variables }), toPromise),
    }),
  } as unknown as Client;
  return { client, calls };
}

export function viewerContact(
  siteNumber: string,
  role: 'PRIMARY' | 'SECONDARY' | 'USER',
  privileges: Partial<Privileges> = {},
  id = 'me',
) {
  return {
    id,
    firstName: 'Me',
    lastName: 'Myself',
    email: 'me@example.com',
    accessRole: role,
    status: 'ACTIVE' as const,
    privileges: role === 'PRIMARY' ? HIGHEST : { ...NO_PRIVILEGES, ...privileges },
    site: { id: 'site-1', number: siteNumber, name: 'Acme', reviewDueAt: '2030-01-01T00:00:00Z', lastReviewedAt: null },
  };
}

export const SITE: SiteSummary = {
  id: 'site-1',
  number: '1234567',
  name: 'Acme',
  customerNumber: 'C-1',
  program: 'STANDARD',
  status: 'ACTIVE',
  reviewIntervalDays: 30,
  reviewDueAt: '2030-01-01T00:00:00Z',
  lastReviewedAt: null,
  lastReviewedBy: null,
  version: 1,
  administrators: [
    { firstName: 'Dana', lastName: 'Whitfield', email: 'dana@example.com', accessRole: 'PRIMARY' },
    { firstName: 'Marcus', lastName: 'Chen', email: 'marcus@example.com', accessRole: 'SECONDARY' },
  ],
};

interface Options {
  path: string;
  route: string;
  contacts: ReturnType<typeof viewerContact>[];
  isOperator?: boolean;
  client: Client;
}

export function renderPage(element: ReactNode, { path, route, contacts, isOperator = false, client }: Options) {
  const viewer = { user: { id: 'u1', email: 'me@example.com', name: 'Me Myself' }, isOperator, partner: null, contacts } as unknown as Viewer;
  const instance: Instance = { devMode: true, maxSecondary: 4 };
  const actor = { isOperator, membership: membershipFor(contacts, SITE.number) };
  const router = createMemoryRouter(
    [
      {
        path,
        element: (
          <SiteContext.Provider value={{ site: SITE, actor, abilities: siteAbilities(actor), refreshSite: () => {} }}>
            {element}
          </SiteContext.Provider>
        ),
      },
    ],
    { initialEntries: [route] },
  );
  return render(
    <MantineProvider theme={theme}>
      <Provider value={client}>
        <ViewerContext.Provider value={{ viewer, instance, refresh: () => {} }}>
          <RouterProvider router={router} />
        </ViewerContext.Provider>
      </Provider>
    </MantineProvider>,
  );
}
