// The one urql client: POST /graphql with the session cookie and the CSRF header, never GET.
import { Client, cacheExchange, fetchExchange, mapExchange } from 'urql';
import { UNAUTHENTICATED_EVENT } from './lib/errors';

export const CSRF_HEADER = 'X-Sitekeeper-CSRF';

export const apiFetchOptions: RequestInit = {
  credentials: 'same-origin',
  headers: { [CSRF_HEADER]: '1' },
};

export function createClient(): Client {
  return new Client({
    url: '/graphql',
    preferGetMethod: false,
    fetchOptions: () => apiFetchOptions,
    exchanges: [
      mapExchange({
        onError(error) {
          if (error.graphQLErrors.some((e) => e.extensions?.code === 'UNAUTHENTICATED') || error.response?.status === 401) {
            window.dispatchEvent(new Event(UNAUTHENTICATED_EVENT));
          }
        },
      }),
      cacheExchange,
      fetchExchange,
    ],
  });
}

/** Set while the page leaves to sign in again: unsaved changes are kept as drafts, not lost. */
export const leaving = { toSignIn: false };

/** Sign-in is a full-page navigation to the server, which returns to `returnTo` afterwards. */
export function signIn(returnTo: string = window.location.pathname + window.location.search): void {
  const safe = returnTo.startsWith('/') && !returnTo.startsWith('//') ? returnTo : '/';
  leaving.toSignIn = true;
  window.location.assign(`/auth/login?returnTo=${encodeURIComponent(safe)}`);
}

export async function signOut(): Promise<void> {
  try {
    await fetch('/auth/logout', { method: 'POST', ...apiFetchOptions });
  } finally {
    window.location.assign('/');
  }
}
