// "Who do I ask?": a USER (Tom) sees the Site's Primary and Secondary contacts by name, email and
// role on the Site home (the licensing portal's "your contacts"), without phones, addresses or
// privileges, in the page and in the API; every page refused to him names them. Someone on no
// Site sees no such list, and an invited person who signs in for the first time becomes active,
// which the audit log then says in those words.
import assert from 'node:assert/strict';
import { api, apiRaw, visible } from '../lib.mjs';
import { ACME, denied, go, openSite, people } from '../steps.mjs';

const HELPERS = ['Dana Whitfield', 'Marcus Chen', 'Priya Raman'];

export default async function (j) {
  const page = await j.newPage();
  await j.signIn(page, people.user);
  await openSite(page, ACME);
  const list = page.getByRole('list', { name: "The Site's Primary and Secondary contacts" });
  await visible(list, 'the Site\'s contacts');
  for (const name of HELPERS) await visible(list.getByText(name), `${name} listed`);
  await visible(list.getByRole('link', { name: people.primary }), 'the Primary contact\'s email');
  const text = await page.getByRole('main').innerText();
  assert.ok(!/555/.test(text), 'no phone numbers on the page');
  assert.equal(await page.getByRole('button', { name: 'Mark reviewed' }).count(), 0, 'no Mark reviewed for a USER');
  await j.a11y(page, 'Site home (USER)');
  await j.shot(page, 'user-site-home');

  // The API gives the USER the card, nothing more.
  const data = await api(page, `query { site(number: "${ACME.number}") { administrators { firstName lastName email accessRole } } }`);
  assert.deepEqual(
    data.site.administrators.map((a) => `${a.accessRole} ${a.firstName} ${a.lastName}`),
    ['PRIMARY Dana Whitfield', 'SECONDARY Marcus Chen', 'SECONDARY Priya Raman'],
  );
  const more = await apiRaw(page, `query { site(number: "${ACME.number}") { contacts(first: 5) { edges { node { phone } } } } }`);
  assert.equal(more.errors?.[0]?.extensions?.code, 'FORBIDDEN', 'the contact list stays refused');

  // Every refused page names who can help.
  for (const [path, title, reason] of [
    ['contacts', 'Contacts', /Listing the Site's contacts needs/],
    ['audit', 'Audit log', /Reading the audit log needs/],
    ['requests', 'Access requests', /see access requests/],
    ['transfer', 'Transfer primary', /Only the Primary contact may transfer/],
  ]) {
    await go(j, page, `/sites/${ACME.number}/${path}`, title);
    await denied(page, reason, HELPERS);
    await j.a11y(page, `${title} refused (USER)`);
  }
  await j.shot(page, 'refused-with-helpers');
  await j.signOut(page);

  // Someone on no Site sees no Site's contacts.
  await j.signIn(page, people.noSite);
  const none = await apiRaw(page, `query { site(number: "${ACME.number}") { administrators { email } } }`);
  assert.equal(none.data?.site ?? null, null, 'no Site, so no administrators');
  await j.signOut(page);

  // An invitation accepted: the first sign-in, in the audit log's words.
  await j.signIn(page, people.invited);
  await openSite(page, ACME);
  await j.signOut(page);
  await j.signIn(page, people.primary, `/sites/${ACME.number}/audit`);
  await visible(page.getByRole('heading', { level: 1, name: 'Audit log' }), 'the audit log');
  const row = page.getByRole('table', { name: 'Audit events' }).getByRole('row').filter({ hasText: 'signed in for the first time' });
  await visible(row.filter({ hasText: 'Jordan Lee' }), 'Jordan\'s first sign-in');
  await visible(row.getByText('Status: Invited → Active'), 'the status change in words');
  assert.ok(!/user_id/.test(await row.first().innerText()), 'no user_id column');
  await j.shot(page, 'first-sign-in');
}
