import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import './app.css';
import { StrictMode, Suspense, lazy } from 'react';
import { createRoot } from 'react-dom/client';
import { MantineProvider } from '@mantine/core';
import { RouterProvider } from 'react-router/dom';
import { Provider } from 'urql';
import { createClient } from './client';
import { router } from './router';
import { cssVariablesResolver, theme } from './theme';

const client = createClient();
// Notifications are shown after actions on lazy pages; their container loads on the side.
const Notifications = lazy(() => import('@mantine/notifications').then((m) => ({ default: m.Notifications })));

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver}>
      <Suspense>
        <Notifications position="top-right" />
      </Suspense>
      <Provider value={client}>
        <RouterProvider router={router} />
      </Provider>
    </MantineProvider>
  </StrictMode>,
);
