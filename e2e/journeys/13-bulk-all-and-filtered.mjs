// Bulk update of "all": the contacts the table shows. The PRIMARY filters Role = User and
// updates the users shown; then updates everyone's privileges, and the Primary contact is left
// out of the privilege change by itself, with a line saying so. A manager's update of all
// meets the contacts he may not change, leaves them out as the preview offers, and saves. An
// editor (Contact updates only) sets a city on all but the Primary contact's record. A USER has
// no bulk update. Each result is checked in the page and through the API.
import assert from 'node:assert/strict';
import { api, hasText, visible } from '../lib.mjs';
import { ACME, denied, go, notification, openContacts, openSite, people } from '../steps.mjs';

const ALL = `query($n: String!) { site(number: $n) { contacts(first: 100) { edges { node { email accessRole city
  privileges { reporting accountDocuments } } } } } }`;

async function everyone(page) {
  const data = await api(page, ALL, { n: ACME.number });
  return Object.fromEntries(data.site.contacts.edges.map((e) => [e.node.email, e.node]));
}

export default async function (j) {
  const page = await j.newPage();
  await j.signIn(page, people.primary);
  await openSite(page, ACME);
  await openContacts(page);

  // Role = User: "all" is the users the table shows, and the page says so.
  const before = await everyone(page);
  const users = Object.values(before).filter((c) => c.accessRole === 'USER');
  const count = users.length;
  await page.getByRole('combobox', { name: 'Role' }).selectOption({ label: 'User' });
  // The button counts what the table shows, once the table shows the users.
  const shown = page.getByRole('button', { name: `Bulk update the ${count} shown` });
  await visible(shown, 'the bulk button for the users shown');
  await shown.click();
  await visible(page.getByRole('heading', { level: 1, name: 'Bulk update' }), 'the bulk update page');
  await hasText(page.getByRole('main'), new RegExp(`The ${count} contacts the contacts page shows with its filters`));
  await j.a11y(page, 'Bulk update (filtered)');
  await page.getByRole('group', { name: 'Privileges to set' }).getByRole('combobox', { name: 'Reporting' }).selectOption({ label: 'View' });
  await visible(page.getByRole('table', { name: 'Changes per contact' }), 'the preview');
  await j.shot(page, 'users-preview', { fullPage: true });
  await page.getByRole('button', { name: /^Save \d+ contacts$/ }).click();
  await visible(notification(page, 'Contacts updated'), 'saved');
  let after = await everyone(page);
  for (const c of Object.values(after)) {
    if (c.accessRole === 'USER') assert.equal(c.privileges.reporting, 'VIEW', `${c.email} got Reporting: View`);
    else assert.equal(c.privileges.reporting, before[c.email].privileges.reporting, `${c.email} was not shown, so not changed`);
  }

  // Everyone's privileges: the Primary contact is left out by itself.
  await go(j, page, `/sites/${ACME.number}/contacts`, 'Contacts');
  await page.getByRole('button', { name: /^Bulk update all \d+$/ }).click();
  await visible(page.getByRole('heading', { level: 1, name: 'Bulk update' }), 'the bulk update page (all)');
  await page.getByRole('group', { name: 'Privileges to set' }).getByRole('combobox', { name: 'Account documents' }).selectOption({ label: 'View' });
  await visible(page.getByText(/Dana Whitfield, the Primary contact, always holds every privilege .* is left\s+out of this update/), 'the line about the Primary contact');
  await j.shot(page, 'all-primary-left-out', { fullPage: true });
  await page.getByRole('button', { name: /^Save \d+ contacts$/ }).click();
  await visible(notification(page, 'Contacts updated'), 'saved all');
  after = await everyone(page);
  for (const c of Object.values(after)) assert.equal(c.privileges.accountDocuments, 'VIEW', `${c.email} reads account documents`);
  await j.signOut(page);

  // A manager's "all": the preview names who he may not change; he leaves them out and saves.
  await j.signIn(page, people.secondaryAccess, `/sites/${ACME.number}/contacts/bulk?all=1`);
  await visible(page.getByRole('heading', { level: 1, name: 'Bulk update' }), 'the bulk update page (manager)');
  await page.getByRole('group', { name: 'Privileges to set' }).getByRole('combobox', { name: 'Reporting' }).selectOption({ label: 'None' });
  const refused = page.getByRole('alert').filter({ hasText: 'You may not change some of these contacts' });
  await visible(refused, 'the contacts he may not change');
  await visible(refused.getByText(/Priya Raman: Only the Primary contact may set a Secondary contact's privileges/), 'Priya refused');
  await visible(refused.getByText(/Marcus Chen: Nobody may change their own privileges/), 'himself refused');
  assert.equal(await page.getByRole('button', { name: /^Save/ }).isDisabled(), true, 'no Save while the server would refuse');
  await j.shot(page, 'manager-refusals', { fullPage: true });
  await refused.getByRole('button', { name: /^Leave out these \d+ contacts$/ }).click();
  await visible(page.getByText(/contacts are left out\./), 'the left-out line');
  await page.getByRole('button', { name: /^Save \d+ contacts$/ }).click();
  await visible(notification(page, 'Contacts updated'), 'the manager saved');
  after = await everyone(page);
  assert.equal(after[people.user].privileges.reporting, 'NONE', 'Tom changed');
  assert.equal(after[people.secondaryContacts].privileges.reporting, before[people.secondaryContacts].privileges.reporting, 'Priya left out');
  assert.equal(after[people.secondaryAccess].privileges.reporting, before[people.secondaryAccess].privileges.reporting, 'Marcus left out');
  await j.signOut(page);

  // An editor's details on all: the Primary contact's record is hers alone.
  await j.signIn(page, people.secondaryContacts, `/sites/${ACME.number}/contacts/bulk?all=1`);
  await visible(page.getByRole('heading', { level: 1, name: 'Bulk update' }), 'the bulk update page (editor)');
  await page.getByRole('checkbox', { name: 'Change City' }).check();
  await page.getByRole('textbox', { name: 'City', exact: true }).fill('Kettering');
  const editorRefused = page.getByRole('alert').filter({ hasText: 'You may not change some of these contacts' });
  await visible(editorRefused.getByText(/Dana Whitfield: Only the Primary contact may change the Primary contact's record/), 'the Primary contact\'s record refused');
  await editorRefused.getByRole('button', { name: 'Leave out this contact' }).click();
  await page.getByRole('button', { name: /^Save \d+ contacts$/ }).click();
  await visible(notification(page, 'Contacts updated'), 'the editor saved');
  after = await everyone(page);
  for (const c of Object.values(after)) {
    if (c.email === people.primary) assert.notEqual(c.city, 'Kettering', 'the Primary contact\'s city unchanged');
    else assert.equal(c.city, 'Kettering', `${c.email} in Kettering`);
  }
  await j.signOut(page);

  // A USER has no bulk update.
  await j.signIn(page, people.user, `/sites/${ACME.number}`);
  await go(j, page, `/sites/${ACME.number}/contacts/bulk?all=1`, 'Bulk update');
  await denied(page, /Editing other contacts needs Contact updates: Update|contact list/);
  await j.a11y(page, 'Bulk update refused (USER)');
}
