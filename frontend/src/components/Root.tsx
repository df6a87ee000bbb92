// Who is signed in decides everything below: signed out shows the sign-in page, otherwise the
// viewer and the instance settings are provided to every page.
import { Suspense, lazy, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Center, Loader } from '@mantine/core';
import { Outlet } from 'react-router';
import { useQuery } from 'urql';
import { graphql } from '../gql';
import { UNAUTHENTICATED_EVENT } from '../lib/errors';
import { ErrorAlert } from './ErrorAlert';
import { SignInPage } from './SignInPage';
import { ViewerContext, type ViewerState } from './ViewerContext';

const SessionEnded = lazy(() => import('./SessionEnded'));

export const ViewerQueryDocument = graphql(`
  query Viewer {
    viewer {
      user {
        id
        email
        name
      }
      isOperator
      partner {
        id
        name
      }
      contacts {
        id
        firstName
        lastName
        email
        accessRole
        status
        privileges {
          softwareAccess
          reporting
          entitlements
          manageAccess
          contactUpdates
          accountDocuments
        }
        site {
          id
          number
          name
          reviewDueAt
          lastReviewedAt
        }
      }
    }
    instance {
      devMode
      maxSecondary
    }
  }
`);

export function Root() {
  const [result, reexecute] = useQuery({ query: ViewerQueryDocument, requestPolicy: 'cache-and-network' });
  const refresh = useCallback(() => reexecute({ requestPolicy: 'network-only' }), [reexecute]);
  const [sessionEnded, setSessionEnded] = useState(false);
  const signedIn = Boolean(result.data?.viewer.user || result.data?.viewer.isOperator);

  // Any request answered UNAUTHENTICATED. Someone who was signed in is told their session ended,
  // over the page they were on, so that nothing on it is lost; otherwise ask who is signed in
  // again (at most every 5 s, so a server that refuses the viewer query cannot cause a loop).
  const lastCheck = useRef(0);
  useEffect(() => {
    const onUnauthenticated = () => {
      if (signedIn) {
        setSessionEnded(true);
        return;
      }
      if (Date.now() - lastCheck.current < 5000) return;
      lastCheck.current = Date.now();
      refresh();
    };
    window.addEventListener(UNAUTHENTICATED_EVENT, onUnauthenticated);
    return () => window.removeEventListener(UNAUTHENTICATED_EVENT, onUnauthenticated);
  }, [refresh, signedIn]);

  const state = useMemo<ViewerState | null>(
    () => (result.data ? { viewer: result.data.viewer, instance: result.data.instance, refresh } : null),
    [result.data, refresh],
  );

  if (!state) {
    if (result.error) {
      return (
        <Center p="xl">
          <ErrorAlert error={result.error} title="The dashboard could not start" onRetry={refresh} />
        </Center>
      );
    }
    return (
      <Center h="100vh">
        <Loader aria-label="Loading" />
      </Center>
    );
  }
  const { viewer, instance } = state;
  if (!viewer.user && !viewer.isOperator) {
    return <SignInPage devMode={instance.devMode} />;
  }
  return (
    <ViewerContext.Provider value={state}>
      {sessionEnded && (
        <Suspense fallback={null}>
          <SessionEnded onClose={() => setSessionEnded(false)} />
        </Suspense>
      )}
      <Outlet />
    </ViewerContext.Provider>
  );
}
