// The accessibility tour: a person opens every page of the dashboard (those they may use and
// those that refuse them) and each, once loaded, passes axe-core with one h1.
import { visible, waitFor } from './lib.mjs';
import { ACME, contactByEmail, people } from './steps.mjs';

const site = `/sites/${ACME.number}`;

/** Every page of the dashboard; a contact's page is Tom's record, which each person may open or is refused. */
export async function everyPage(page) {
  const tom = await contactByEmail(page, ACME, people.user).catch(() => null);
  return [
    '/',
    '/request-access',
    site,
    `${site}/contacts`,
    `${site}/contacts/new`,
    `${site}/contacts/bulk?all=1`,
    tom ? `${site}/contacts/${tom.id}` : null,
    `${site}/transfer`,
    `${site}/requests`,
    `${site}/partners`,
    `${site}/audit`,
    `${site}/review`,
    '/operator/sites',
    '/operator/overdue',
    '/operator/partners',
    '/operator/break-glass',
    '/no-such-page',
  ].filter(Boolean);
}

// Words a customer should never meet: standards' names, internal versions and claims, and roles
// or statuses in the API's capitals instead of the dashboard's casing.
const JARGON = /\b(BCP 47|ISO 3166(-1)?|alpha-2|Version: \d+|sub|PRIMARY|SECONDARY|USER|ACTIVE|INVITED|DEACTIVATED|PENDING|GRANTED|DENIED)\b/;

/**
 * Opens the path, waits until it has loaded (its h1, no busy region or loader), runs axe-core and
 * looks for jargon in what the page says.
 */
export async function check(j, page, path, who, { words = true } = {}) {
  await page.goto(j.url + path);
  await visible(page.getByRole('heading', { level: 1 }), `${path} as ${who}`);
  await waitFor(`${path} loaded as ${who}`, () =>
    page.evaluate(() => !document.querySelector('[aria-busy="true"], .mantine-Loader-root, .mantine-Skeleton-root')),
  );
  await j.a11y(page, `${path} as ${who}`);
  if (words) {
    const text = await page.locator('main').innerText();
    const found = text.match(JARGON);
    if (found) throw new Error(`${path} as ${who}: says "${found[0]}" in "${text.slice(Math.max(0, found.index - 60), found.index + 60)}"`);
  }
}

/** Signs the person in and checks every page. */
export async function tour(j, email) {
  const page = await j.newPage({ label: email });
  await j.signIn(page, email);
  for (const path of await everyPage(page)) await check(j, page, path, email);
  await page.context().close();
}
