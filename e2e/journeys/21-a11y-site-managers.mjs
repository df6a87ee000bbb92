// Accessibility, for those who manage a Site: the Primary contact and both Secondary contacts open
// every page of the dashboard; each passes axe-core (no serious or critical violation) with one h1.
import { people } from '../steps.mjs';
import { tour } from '../tour.mjs';

export default async function (j) {
  for (const who of [people.primary, people.secondaryAccess, people.secondaryContacts]) await tour(j, who);
}
