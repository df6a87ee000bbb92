// Managing the Site, for the roles that may and one refusal for each that may not. A manager
// (Marcus, Manage access: Update) revokes the demo partner's access and grants it again, marks the
// Site reviewed, removes a deactivated contact and exports the contacts. An editor (Priya, Contact
// updates only) exports too but is refused partner grants, access requests, the review and removal,
// with the people to ask; a USER (Tom) likewise. Each result is checked in the page and the API.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { apiRaw, visible, waitFor } from '../lib.mjs';
import { ACME, contactByEmail, denied, go, grantPartner, nav, notification, openContact, openContacts, openSite, people } from '../steps.mjs';

const PARTNER = 'Northwind Reseller';
const BRIAN = 'brian.kowalski@example.com';
const HELPERS = ['Dana Whitfield', 'Marcus Chen', 'Priya Raman'];

const siteQuery = `query($n: String!) { site(number: $n) { id lastReviewedAt lastReviewedBy
  partnerGrants(first: 10) { edges { node { partner { name } revokedAt grantedBy } } } } }`;

async function exportCsv(page) {
  await openContacts(page);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
  return readFileSync(await download.path(), 'utf8');
}

/** The refusals of a person who manages nothing on the Site, in the pages and the API. */
async function refused(j, page, who) {
  const base = `/sites/${ACME.number}`;
  await go(j, page, base, ACME.name);
  assert.equal(await page.getByRole('button', { name: 'Mark reviewed' }).count(), 0, `no Mark reviewed for ${who}`);
  await go(j, page, `${base}/partners`, 'Partner grants');
  await denied(page, 'Only managers (the Primary contact and contacts with Manage access: Update) see partner grants.', HELPERS);
  await go(j, page, `${base}/requests`, 'Access requests');
  await denied(page, /Only managers/, HELPERS);

  const { data } = await apiRaw(page, `query { site(number: "${ACME.number}") { id } }`);
  const brian = await apiRaw(page, `query { site(number: "${ACME.number}") { administrators { email } } }`);
  assert.ok(brian.data.site.administrators.length >= 2, `${who} sees who to ask`);
  const partners = await apiRaw(page, 'query { partners(first: 5) { edges { node { id } } } }');
  for (const [what, query, variables] of [
    ['markSiteReviewed', 'mutation($s: ID!) { markSiteReviewed(siteId: $s) { id } }', { s: data.site.id }],
    ['grantPartnerAccess', 'mutation($s: ID!, $p: ID!, $e: Time!) { grantPartnerAccess(siteId: $s, partnerId: $p, expiresAt: $e) { id } }',
      { s: data.site.id, p: partners.data?.partners?.edges?.[0]?.node.id ?? data.site.id, e: new Date(Date.now() + 864e5 * 30).toISOString() }],
  ]) {
    const r = await apiRaw(page, query, variables);
    assert.equal(r.errors?.[0]?.extensions?.code, 'FORBIDDEN', `${what} refused to ${who}: ${JSON.stringify(r.errors)}`);
  }
}

export default async function (j) {
  const page = await j.newPage();

  // A manager.
  await j.signIn(page, people.secondaryAccess);
  await openSite(page, ACME);
  await nav(page).getByRole('link', { name: 'Partner grants' }).click();
  const grants = page.getByRole('table', { name: 'Partner grants' });
  const row = grants.getByRole('row').filter({ has: page.getByRole('rowheader', { name: PARTNER }) });
  await visible(row.getByText('Active', { exact: true }), 'the demo grant');
  await row.getByRole('button', { name: `Revoke access of ${PARTNER}` }).click();
  await page.getByRole('dialog', { name: 'Revoke partner access?' }).getByRole('button', { name: 'Revoke' }).click();
  await visible(notification(page, 'Access revoked'), 'revoked');
  await grantPartner(page, PARTNER, 'North');
  let site = (await apiRaw(page, siteQuery, { n: ACME.number })).data.site;
  const states = site.partnerGrants.edges.map((e) => [e.node.grantedBy, Boolean(e.node.revokedAt)]).sort();
  assert.deepEqual(states, [[people.primary, true], [people.secondaryAccess, false]], 'the old grant revoked, his own active');

  await go(j, page, `/sites/${ACME.number}`, ACME.name);
  await page.getByRole('button', { name: 'Mark reviewed' }).click();
  await visible(notification(page, 'Site reviewed'), 'reviewed');
  await visible(page.getByText(`by ${people.secondaryAccess}`), 'the review by him on the Site home');
  site = (await apiRaw(page, siteQuery, { n: ACME.number })).data.site;
  assert.equal(site.lastReviewedBy, people.secondaryAccess);
  assert.ok(Date.now() - Date.parse(site.lastReviewedAt) < 60_000, 'reviewed just now');

  await openContacts(page);
  await openContact(page, 'Brian Kowalski');
  await page.getByRole('button', { name: 'Remove', exact: true }).click();
  await page.getByRole('dialog', { name: 'Remove contact?' }).getByRole('button', { name: 'Remove for good' }).click();
  await visible(page.getByRole('heading', { level: 1, name: 'Contacts' }), 'back on the contacts');
  await visible(notification(page, 'Done'), 'removed');
  assert.equal(await contactByEmail(page, ACME, BRIAN), null, 'Brian is gone');
  await waitFor('Brian off the table', async () => (await page.getByRole('link', { name: 'Edit Brian Kowalski' }).count()) === 0);

  const csv = await exportCsv(page);
  assert.ok(csv.includes(people.user) && !csv.includes(BRIAN), 'his export: the Site as it is now');
  await j.signOut(page);

  // An editor: exports, but manages nothing.
  await j.signIn(page, people.secondaryContacts);
  await openSite(page, ACME);
  assert.ok((await exportCsv(page)).includes(people.primary), 'an editor exports the contacts');
  await openContact(page, 'Tom Okafor');
  assert.equal(await page.getByRole('button', { name: 'Remove', exact: true }).count(), 0, 'no Remove for an editor');
  const tom = await contactByEmail(page, ACME, people.user);
  const r = await apiRaw(page, 'mutation($id: ID!) { removeContact(id: $id) }', { id: tom.id });
  assert.equal(r.errors?.[0]?.extensions?.code, 'FORBIDDEN', 'removeContact refused to an editor');
  await refused(j, page, 'an editor');
  await j.signOut(page);

  // A USER.
  await j.signIn(page, people.user);
  await refused(j, page, 'a USER');
  const self = (await apiRaw(page, 'query { viewer { contacts { id } } }')).data.viewer.contacts[0].id;
  const own = await apiRaw(page, 'mutation($id: ID!) { removeContact(id: $id) }', { id: self });
  assert.equal(own.errors?.[0]?.extensions?.code, 'FORBIDDEN', 'a USER may not remove even himself');
}
