// Accessibility, as each Secondary contact (a manager, an editor): every page of the dashboard,
// those they use and those that refuse them, passes axe-core with one h1.
import { people } from '../steps.mjs';
import { tour } from '../tour.mjs';

export default async function (j) {
  for (const who of [people.secondaryAccess, people.secondaryContacts]) await tour(j, who);
}
