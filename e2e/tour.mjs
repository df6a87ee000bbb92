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
    '/operator/sites',
    '/operator/partners',
    '/operator/break-glass',
    '/no-such-page',
  ].filter(Boolean);
}

/** Opens the path, waits until it has loaded (its h1, no busy region or loader) and runs axe-core. */
export async function check(j, page, path, who) {
  await page.goto(j.url + path);
  await visible(page.getByRole('heading', { level: 1 }), `${path} as ${who}`);
  await waitFor(`${path} loaded as ${who}`, () =>
    page.evaluate(() => !document.querySelector('[aria-busy="true"], .mantine-Loader-root, .mantine-Skeleton-root')),
  );
  await j.a11y(page, `${path} as ${who}`);
}

/** Signs the person in and checks every page. */
export async function tour(j, email) {
  const page = await j.newPage({ label: email });
  await j.signIn(page, email);
  for (const path of await everyPage(page)) await check(j, page, path, email);
  await page.context().close();
}
