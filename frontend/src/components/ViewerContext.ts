import { createContext, useContext } from 'react';
import type { ViewerQuery } from '../gql/graphql';

export type Viewer = ViewerQuery['viewer'];
export type ViewerContact = Viewer['contacts'][number];
export type Instance = ViewerQuery['instance'];

export interface ViewerState {
  viewer: Viewer;
  instance: Instance;
  /** Asks the server again, e.g. after a change of role. */
  refresh: () => void;
}

export const ViewerContext = createContext<ViewerState | null>(null);

export function useViewer(): ViewerState {
  const v = useContext(ViewerContext);
  if (!v) throw new Error('useViewer outside <Root>');
  return v;
}

/** The Sites the viewer is an active contact of. */
export function activeSites(viewer: Viewer): { number: string; name: string }[] {
  return viewer.contacts.flatMap((c) => (c.status === 'ACTIVE' && c.site ? [{ number: c.site.number, name: c.site.name }] : []));
}
