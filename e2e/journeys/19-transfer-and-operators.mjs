// The PRIMARY transfers the primary role (typed confirmation) to a manager who has signed in; the
// old PRIMARY becomes a Secondary contact. An operator creates a Site with its Primary contact
// (phone and country as people give them), registers a partner, and reassigns a Primary contact
// who has left (break-glass), offered only active contacts who have signed in. The others are
// refused the operator pages, in the page and the API. Checked in the pages and the data.
import assert from 'node:assert/strict';
import { api, apiRaw, visible, waitFor } from '../lib.mjs';
import { ACME, contactByEmail, go, nav, notification, openSite, people, pick } from '../steps.mjs';

/** The names offered for the primary role, once the list has loaded (it has `expected`). */
async function candidatesOffered(page, expected) {
  const options = page.getByRole('combobox', { name: 'New Primary contact' }).locator('option');
  await waitFor(`${expected} offered`, async () => (await options.allTextContents()).some((c) => c.startsWith(expected)));
  return options.allTextContents();
}

export default async function (j) {
  const page = await j.newPage();
  // Marcus signs in once, so that he may receive the role.
  await j.signIn(page, people.secondaryAccess);
  assert.equal(await nav(page).getByRole('link', { name: 'Transfer primary' }).count(), 0, 'no transfer for a SECONDARY');
  await j.signOut(page);

  await j.signIn(page, people.primary);
  await openSite(page, ACME);
  await nav(page).getByRole('link', { name: 'Transfer primary' }).click();
  await visible(page.getByRole('heading', { level: 1, name: 'Transfer primary' }), 'the transfer page');
  const candidates = await candidatesOffered(page, 'Marcus Chen');
  assert.ok(candidates.some((c) => c.startsWith('Marcus Chen')), 'Marcus, who signed in, is offered');
  assert.ok(!candidates.some((c) => c.startsWith('Aisha Bello')), 'Aisha, who never signed in, is not');
  await j.a11y(page, 'Transfer primary');
  await page.getByRole('combobox', { name: 'New Primary contact' }).selectOption({ label: candidates.find((c) => c.startsWith('Marcus Chen')) });
  await page.getByRole('button', { name: 'Transfer primary role…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Transfer the primary role?' });
  assert.equal(await dialog.getByRole('button', { name: 'Transfer' }).isDisabled(), true, 'not before the number is typed');
  await dialog.getByRole('textbox').fill(ACME.number);
  await dialog.getByRole('button', { name: 'Transfer' }).click();
  await visible(notification(page, 'Primary role transferred'), 'transferred');
  assert.equal((await contactByEmail(page, ACME, people.secondaryAccess)).accessRole, 'PRIMARY');
  assert.equal((await contactByEmail(page, ACME, people.primary)).accessRole, 'SECONDARY');
  await j.signOut(page);

  // Operators.
  await j.signIn(page, people.operator);
  await go(j, page, '/operator/sites', 'Sites');
  await page.getByRole('button', { name: 'Create Site' }).click();
  const create = page.getByRole('form', { name: 'Create a Site' });
  await create.getByRole('textbox', { name: 'Site number' }).fill('5550001');
  await create.getByRole('textbox', { name: 'Site name' }).fill('Initech Austin');
  await create.getByRole('textbox', { name: 'Customer number' }).fill('C-5550001');
  const field = (label) => create.getByRole('textbox', { name: label, exact: true });
  await field('Email').fill('bill.lumbergh@example.com');
  await field('First name').fill('Bill');
  await field('Last name').fill('Lumbergh');
  await pick(create, 'Country', 'Germ', 'Germany');
  await field('Phone').fill('030 901820');
  await field('City').fill('Berlin');
  await field('State or province').fill('Berlin');
  await field('Postal code').fill('10117');
  await j.a11y(page, 'Create a Site', { dialog: true });
  await create.getByRole('button', { name: 'Create Site' }).click();
  await visible(page.getByRole('heading', { level: 1, name: 'Initech Austin' }), 'the new Site');
  const bill = await api(page, `query { site(number: "5550001") { primaryContact { email phone country status } } }`);
  assert.deepEqual(bill.site.primaryContact, { email: 'bill.lumbergh@example.com', phone: '+4930901820', country: 'DE', status: 'ACTIVE' });

  await go(j, page, '/operator/partners', 'Partners');
  const register = page.getByRole('form', { name: 'Register a partner' });
  await register.getByRole('textbox', { name: 'Name' }).fill('Contoso Resale');
  await register.getByRole('textbox', { name: 'Client ID' }).fill('contoso-client');
  await register.getByRole('button', { name: 'Register partner' }).click();
  await visible(page.getByRole('table', { name: 'Partners' }).getByText('Contoso Resale'), 'the partner listed');
  await j.a11y(page, 'Partners (operator)');

  await go(j, page, '/operator/break-glass', 'Break-glass reassignment');
  await pick(page.getByRole('main'), 'Site', '1234567', `${ACME.number} · ${ACME.name}`);
  const offered = await candidatesOffered(page, 'Dana Whitfield');
  assert.ok(offered.some((c) => c.startsWith('Dana Whitfield')), 'Dana, active and signed in, is offered');
  assert.ok(!offered.some((c) => /Aisha Bello|Jordan Lee|Brian Kowalski/.test(c)), 'never-signed-in, invited and deactivated contacts are not');
  await page.getByRole('combobox', { name: 'New Primary contact' }).selectOption({ label: offered.find((c) => c.startsWith('Dana Whitfield')) });
  await page.getByRole('textbox', { name: 'Reason' }).fill('Marcus left the company on Friday.');
  await page.getByRole('button', { name: 'Reassign primary…' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Reassign' }).click();
  await visible(notification(page, 'Primary reassigned'), 'reassigned');
  assert.equal((await contactByEmail(page, ACME, people.primary)).accessRole, 'PRIMARY');
  assert.equal((await contactByEmail(page, ACME, people.secondaryAccess)).status, 'DEACTIVATED');
  await j.a11y(page, 'Break-glass (operator)');
  await j.signOut(page);

  // Nobody else runs the operator pages.
  await j.signIn(page, people.primary);
  assert.equal(await nav(page).getByRole('link', { name: 'Break-glass reassignment' }).count(), 0, 'no operator links');
  for (const [path, title, reason] of [
    ['/operator/sites', 'Sites', 'Only operators manage Sites.'],
    ['/operator/partners', 'Partners', 'Only operators manage partners.'],
  ]) {
    await page.goto(j.url + path);
    await visible(page.getByRole('note').getByText(reason), `${title} refused`);
  }
  const r = await apiRaw(page, 'mutation { createPartner(input: { name: "X", clientId: "x" }) { id } }');
  assert.equal(r.errors?.[0]?.extensions?.code, 'FORBIDDEN', 'the API refuses it too');
}
