// Accessibility, as the Primary contact: every page of the dashboard passes axe-core (no serious
// or critical violation) with one h1. The tour is split by person so journeys run side by side.
import { people } from '../steps.mjs';
import { tour } from '../tour.mjs';

export default async function (j) {
  await tour(j, people.primary);
}
