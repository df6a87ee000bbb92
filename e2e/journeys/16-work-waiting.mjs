// Work waiting: Sam (on no Site) asks for access, is told what happens without a promise, and
// sees the pending request on his home page. A manager (Marcus) sees the count in the navigation
// and on the Site home, the invitations about to run out, and the contacts summary; he denies
// the request, and Sam sees the decision and its reason. A USER sees none of it. Checked in the
// pages and through the API.
import assert from 'node:assert/strict';
import { api, hasText, visible, waitFor } from '../lib.mjs';
import { ACME, nav, notification, openSite, people } from '../steps.mjs';

export default async function (j) {
  const page = await j.newPage();
  await j.signIn(page, people.noSite);
  await page.getByRole('main').getByRole('link', { name: 'Request access to a Site' }).click();
  const request = page.getByRole('form', { name: 'Request access' });
  await request.getByRole('textbox', { name: 'Site number' }).fill(ACME.number);
  await request.getByRole('textbox', { name: 'Justification' }).fill('I take over the plant\'s licences from Brian.');
  await request.getByRole('button', { name: 'Request access' }).click();
  const confirmation = page.getByRole('status').filter({ hasText: 'Request recorded' });
  await visible(confirmation, 'the confirmation');
  await hasText(confirmation, /If Site 1234567 exists/, 'a confirmation that promises nothing');
  await j.a11y(page, 'Request access (sent)');
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'My Sites' }).click();
  const mine = page.getByRole('table', { name: 'Your access requests' });
  await visible(mine.getByRole('row').filter({ hasText: ACME.number }).getByText('Waiting for a decision'), 'the pending request on Sam\'s home');
  await j.a11y(page, 'Home with a pending request');
  await j.shot(page, 'sam-pending');
  await j.signOut(page);

  // The manager: a badge, a line on the Site home, the invitations that run out, the summary.
  await j.signIn(page, people.secondaryAccess);
  await openSite(page, ACME);
  await visible(nav(page).getByRole('link', { name: /Access requests/ }).getByLabel('1 waiting'), 'the badge in the navigation');
  const waiting = page.getByRole('region', { name: 'Waiting for you' });
  await visible(waiting.getByRole('link', { name: '1 access request waits for a decision' }), 'the pending request on the Site home');
  await visible(waiting.getByText(/Luis Ortega/), 'Luis Ortega\'s invitation runs out within 3 days');
  const summary = page.getByRole('region', { name: 'Contacts summary' });
  await visible(summary.getByRole('table', { name: 'Contacts by role and status' }), 'counts by role and status');
  await visible(summary.getByRole('table', { name: 'Who holds each contact type' }).getByRole('link', { name: 'Marcus Chen' }), 'type holders');
  await j.a11y(page, 'Site home (manager)');
  await j.shot(page, 'manager-site-home', { fullPage: true });
  const counts = await api(page, `query { site(number: "${ACME.number}") { contacts(first: 1, where: { accessRole: USER, status: ACTIVE }) { totalCount } } }`);
  await visible(summary.getByRole('link', { name: `${counts.site.contacts.totalCount} Active User` }), 'the count as the API has it');

  await waiting.getByRole('link', { name: '1 access request waits for a decision' }).click();
  const row = page.getByRole('table', { name: 'Access requests' }).getByRole('row').filter({ hasText: people.noSite });
  await row.getByRole('button', { name: /^Deny access to Sam Rivera/ }).click();
  const dialog = page.getByRole('dialog', { name: /Deny access to Sam Rivera/ });
  await dialog.getByRole('textbox', { name: 'Reason' }).fill('Brian\'s licences moved to Globex.');
  await dialog.getByRole('button', { name: 'Deny request' }).click();
  await visible(notification(page, 'Request denied'), 'denied');
  await visible(page.getByRole('heading', { level: 1, name: 'Access requests' }), 'still on the requests');
  await waitFor('the badge to go', async () => (await nav(page).getByLabel('1 waiting').count()) === 0);
  await j.signOut(page);

  await j.signIn(page, people.noSite);
  const decided = page.getByRole('table', { name: 'Your access requests' }).getByRole('row').filter({ hasText: ACME.number });
  await visible(decided.getByText('Denied'), 'the decision on Sam\'s home');
  await visible(decided.getByText(/Brian's licences moved to Globex\./), 'the reason');
  await j.shot(page, 'sam-denied');
  await j.signOut(page);

  // A USER has nothing waiting and no badge.
  await j.signIn(page, people.user);
  await openSite(page, ACME);
  assert.equal(await page.getByRole('region', { name: 'Waiting for you' }).count(), 0, 'nothing waits for a USER');
  assert.equal(await page.getByRole('region', { name: 'Contacts summary' }).count(), 0, 'no summary for a USER');
}
