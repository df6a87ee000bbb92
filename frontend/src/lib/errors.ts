// The server's error codes (SPEC section 4, extensions.code) read from an urql CombinedError.
import type { CombinedError } from 'urql';

export type ErrorCode = 'UNAUTHENTICATED' | 'FORBIDDEN' | 'NOT_FOUND' | 'BAD_USER_INPUT' | 'CONFLICT' | 'INTERNAL' | 'NETWORK';

export interface ApiError {
  code: ErrorCode | string;
  message: string;
  /** BAD_USER_INPUT: the offending input fields, e.g. "phone" or "details.city". */
  fields: string[];
  /** Bulk refusals: the refused records. */
  ids: string[];
}

export function apiErrors(error: CombinedError | undefined | null): ApiError[] {
  if (!error) return [];
  if (error.networkError && error.graphQLErrors.length === 0) {
    return [{ code: 'NETWORK', message: 'The server could not be reached. Check your connection and try again.', fields: [], ids: [] }];
  }
  return error.graphQLErrors.map((e) => {
    const ext = (e.extensions ?? {}) as Record<string, unknown>;
    const list = (v: unknown) => (Array.isArray(v) ? v.map(String) : []);
    return {
      code: typeof ext.code === 'string' ? ext.code : 'INTERNAL',
      message: e.message,
      fields: list(ext.fields),
      ids: list(ext.ids),
    };
  });
}

export function firstError(error: CombinedError | undefined | null): ApiError | null {
  return apiErrors(error)[0] ?? null;
}

export function hasCode(error: CombinedError | undefined | null, code: ErrorCode): boolean {
  return apiErrors(error).some((e) => e.code === code);
}

/** A sentence for a person, by code. */
export function describeError(e: ApiError): string {
  switch (e.code) {
    case 'UNAUTHENTICATED':
      return 'Your session has ended. Sign in again.';
    case 'FORBIDDEN':
      return `Not allowed: ${e.message}`;
    case 'NOT_FOUND':
      return 'Not found, or not visible to you.';
    case 'CONFLICT':
      return e.message;
    case 'BAD_USER_INPUT':
      return e.message;
    case 'NETWORK':
      return e.message;
    default:
      return e.message || 'Something went wrong.';
  }
}

/** Dispatched when any request answers UNAUTHENTICATED; the app then shows the sign-in page. */
export const UNAUTHENTICATED_EVENT = 'sitekeeper:unauthenticated';
