import { createContext, useContext } from 'react';
import type { SiteLayoutQuery } from '../gql/graphql';
import type { Actor, SiteAbilities } from '../lib/permissions';

export type SiteSummary = NonNullable<SiteLayoutQuery['site']>;

export interface SiteState {
  site: SiteSummary;
  actor: Actor;
  abilities: SiteAbilities;
  refreshSite: () => void;
}

export const SiteContext = createContext<SiteState | null>(null);

export function useSite(): SiteState {
  const s = useContext(SiteContext);
  if (!s) throw new Error('useSite outside <SiteLayout>');
  return s;
}
