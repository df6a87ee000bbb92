// Unsaved form values survive a session that ends during an edit: while a form has changes they
// are kept in sessionStorage (this tab only, gone when it closes), under the record and the
// version they were made on, and put back when the person returns after signing in again.
// Leaving the form any other way (a link, a reload, closing the tab, after the guard asked)
// discards them, as the guard said it would.
import { useEffect } from 'react';
import { leaving } from '../client';

const PREFIX = 'sitekeeper:draft:';

export interface Draft<T> {
  /** The record's version the changes were made on (0 for a record not created yet). */
  version: number;
  values: T;
  savedAt: string;
}

function storage(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null; // storage disabled: drafts are a convenience, not a promise
  }
}

export function saveDraft<T>(key: string, version: number, values: T): void {
  const draft: Draft<T> = { version, values, savedAt: new Date().toISOString() };
  try {
    storage()?.setItem(PREFIX + key, JSON.stringify(draft));
  } catch {
    // full or unavailable: nothing to do
  }
}

export function loadDraft<T>(key: string): Draft<T> | null {
  const raw = storage()?.getItem(PREFIX + key);
  if (!raw) return null;
  try {
    return JSON.parse(raw) as Draft<T>;
  } catch {
    return null;
  }
}

export function clearDraft(key: string): void {
  storage()?.removeItem(PREFIX + key);
}

/** Discards the draft when the form is left, unless the page leaves to sign in again. */
export function useDiscardDraftOnLeave(key: string): void {
  useEffect(() => {
    const discard = () => {
      if (!leaving.toSignIn) clearDraft(key);
    };
    window.addEventListener('pagehide', discard);
    return () => {
      window.removeEventListener('pagehide', discard);
      discard();
    };
  }, [key]);
}
