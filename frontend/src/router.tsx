// Client routes. Every page is its own lazy chunk; the shell (viewer, header, navigation) is in
// the entry chunk.
import { createBrowserRouter, type RouteObject } from 'react-router';
import { AppLayout } from './components/AppLayout';
import { Root } from './components/Root';
import { RouteError } from './components/RouteError';
import { SiteLayout } from './components/SiteLayout';

type PageModule = { default: React.ComponentType };
const page = (load: () => Promise<PageModule>) => async () => ({ Component: (await load()).default });

export const routes: RouteObject[] = [
  {
    element: <Root />,
    errorElement: <RouteError />,
    children: [
      { path: 'playground', lazy: page(() => import('./pages/PlaygroundPage')) },
      {
        element: <AppLayout />,
        errorElement: <RouteError />,
        children: [
          { index: true, lazy: page(() => import('./pages/HomePage')) },
          { path: 'request-access', lazy: page(() => import('./pages/RequestAccessPage')) },
          {
            path: 'sites/:number',
            element: <SiteLayout />,
            children: [
              { index: true, lazy: page(() => import('./pages/SiteHomePage')) },
              { path: 'contacts', lazy: page(() => import('./pages/ContactsPage')) },
              { path: 'contacts/new', lazy: page(() => import('./pages/AddContactPage')) },
              { path: 'contacts/bulk', lazy: page(() => import('./pages/BulkUpdatePage')) },
              { path: 'contacts/:id', lazy: page(() => import('./pages/ContactEditPage')) },
              { path: 'transfer', lazy: page(() => import('./pages/TransferPrimaryPage')) },
              { path: 'requests', lazy: page(() => import('./pages/AccessRequestsPage')) },
              { path: 'partners', lazy: page(() => import('./pages/PartnerGrantsPage')) },
              { path: 'audit', lazy: page(() => import('./pages/AuditLogPage')) },
              { path: 'review', lazy: page(() => import('./pages/ReviewPage')) },
              { path: 'reviews/:reviewId', lazy: page(() => import('./pages/ReviewPage')) },
            ],
          },
          { path: 'operator/sites', lazy: page(() => import('./pages/OperatorSitesPage')) },
          { path: 'operator/overdue', lazy: page(() => import('./pages/OperatorOverduePage')) },
          { path: 'operator/partners', lazy: page(() => import('./pages/OperatorPartnersPage')) },
          { path: 'operator/break-glass', lazy: page(() => import('./pages/BreakGlassPage')) },
          { path: '*', lazy: page(() => import('./pages/NotFoundPage')) },
        ],
      },
    ],
  },
];

export const router = createBrowserRouter(routes);
