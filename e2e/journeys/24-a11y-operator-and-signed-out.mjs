// Accessibility, for everyone else: an operator and another Site's Primary contact open every
// page; the signed-out page, the sign-in provider's page and the playground pass too, with more
// than one tab open.
import assert from 'node:assert/strict';
import { visible, waitFor } from '../lib.mjs';
import { people } from '../steps.mjs';
import { check, tour } from '../tour.mjs';

export default async function (j) {
  for (const who of [people.operator, people.globexPrimary]) await tour(j, who);

  const page = await j.newPage({ label: 'signed out' });
  await page.goto(j.url + '/');
  await visible(page.getByRole('button', { name: 'Sign in', exact: true }), 'the sign-in page');
  await j.a11y(page, 'the signed-out page');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await visible(page.getByRole('heading', { name: 'Sign in to Sitekeeper' }), 'the dev provider page');
  await j.a11y(page, 'the dev provider page');
  await j.pickPerson(page, people.primary);
  await check(j, page, '/playground', people.primary, { words: false });
  // A second tab: the tabs read as a list of buttons, the new one current, none inside another.
  await page.getByRole('button', { name: 'New tab' }).click();
  const tabs = page.getByRole('list', { name: 'Select active operation' }).getByRole('listitem');
  await waitFor('two tabs', async () => (await tabs.count()) === 2);
  await waitFor('the new tab current', () => tabs.nth(1).locator('[aria-current="true"]').count());
  assert.equal(await tabs.nth(0).locator('[aria-current]').count(), 0, 'the first tab no longer current');
  await j.a11y(page, 'the playground with two tabs');
}
