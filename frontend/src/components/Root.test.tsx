import { MantineProvider } from '@mantine/core';
import { render, screen } from '@testing-library/react';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { Provider } from 'urql';
import { describe, expect, it } from 'vitest';
import { fakeClient } from '../test/render';
import { theme } from '../theme';
import { Root } from './Root';

function renderRoot(viewer: unknown, devMode: boolean) {
  const { client } = fakeClient({ Viewer: { data: { viewer, instance: { devMode, maxSecondary: 4 } } } });
  const router = createMemoryRouter([{ path: '/', element: <Root />, children: [{ index: true, element: <p>dashboard</p> }] }]);
  render(
    <MantineProvider theme={theme}>
      <Provider value={client}>
        <RouterProvider router={router} />
      </Provider>
    </MantineProvider>,
  );
}

describe('Root', () => {
  it('shows the sign-in page and the dev-mode banner when signed out', async () => {
    renderRoot({ user: null, isOperator: false, partner: null, contacts: [] }, true);
    expect(await screen.findByRole('button', { name: 'Sign in' })).toBeInTheDocument();
    expect(screen.getByRole('note', { name: 'Dev mode' })).toHaveTextContent('Dev mode: demo data and a built-in sign-in provider');
    expect(screen.queryByText('dashboard')).not.toBeInTheDocument();
  });

  it('shows the dashboard to a signed-in person, without the banner outside dev mode', async () => {
    renderRoot({ user: { id: '1', email: 'a@example.com', name: 'A' }, isOperator: false, partner: null, contacts: [] }, false);
    expect(await screen.findByText('dashboard')).toBeInTheDocument();
    expect(screen.queryByRole('note', { name: 'Dev mode' })).not.toBeInTheDocument();
  });
});
