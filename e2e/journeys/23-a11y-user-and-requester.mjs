// Accessibility, as a User and as someone on no Site: every page of the dashboard, mostly
// refusals, passes axe-core with one h1.
import { people } from '../steps.mjs';
import { tour } from '../tour.mjs';

export default async function (j) {
  for (const who of [people.user, people.noSite]) await tour(j, who);
}
