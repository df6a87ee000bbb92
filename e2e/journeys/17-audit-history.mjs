// The audit log reads like a history: the PRIMARY changes Tom's job title and privileges, and
// the log says who did what to whom, with field labels and values in words, local times with the
// exact time on hover, no ids in the main view (a toggle shows them), and filters by person,
// what happened and date range. A manager with Manage access reads it too; an editor without it
// and a USER are refused with the people to ask, in the page and the API.
import assert from 'node:assert/strict';
import { apiRaw, hasValue, visible, waitFor } from '../lib.mjs';
import { ACME, denied, fill, form, go, nav, notification, people, signInToContact } from '../steps.mjs';

export default async function (j) {
  const page = await j.newPage();
  await signInToContact(j, page, people.primary, ACME, 'Tom Okafor');
  await fill(page, 'Job title', 'Lead Engineer');
  await form(page).getByRole('combobox', { name: 'Entitlements' }).selectOption({ label: 'View' });
  await form(page).getByRole('button', { name: 'Save' }).click();
  await visible(notification(page, 'Saved'), 'saved');

  await nav(page).getByRole('link', { name: 'Audit log' }).click();
  await visible(page.getByRole('heading', { level: 1, name: 'Audit log' }), 'the audit log');
  const table = page.getByRole('table', { name: 'Audit events' });
  const details = table.getByRole('row').filter({ hasText: 'changed the details of Tom Okafor' }).first();
  await visible(details, 'who did what to whom');
  await visible(details.getByText(people.primary, { exact: true }), 'the actor');
  await visible(details.getByText('Job title: Software Engineer → Lead Engineer'), 'the change in words');
  const privileges = table.getByRole('row').filter({ hasText: 'changed the privileges of Tom Okafor' }).first();
  await visible(privileges.getByText('Entitlements: None → View'), 'the levels in words');
  const when = details.getByRole('cell').first().locator('p');
  assert.match((await when.getAttribute('title')) ?? '', /^\d{4}-\d{2}-\d{2}T/, 'the exact time on hover');
  const text = await table.innerText();
  assert.ok(!/job_title|user_id|entitlements:|request [A-Z0-9]{10,}|127\.0\.0\.1/.test(text), 'no columns, ids or addresses in the main view');
  await j.a11y(page, 'Audit log');
  await j.shot(page, 'history');

  // Technical details on demand.
  await page.getByLabel('Show technical details').check();
  await visible(details.getByText(/^request [A-Z0-9]+$/), 'the request id');
  await page.getByLabel('Show technical details').uncheck();

  // Filters: a person, what happened, and days.
  await page.getByRole('searchbox', { name: 'Person' }).fill('okafor');
  await waitFor('only Tom\'s events', async () => {
    const rows = await table.getByRole('row').allInnerTexts();
    return rows.length > 1 && rows.slice(1).every((r) => /Tom Okafor|tom\.okafor/i.test(r));
  });
  await page.getByRole('combobox', { name: 'What happened' }).selectOption({ label: 'Privileges changed' });
  await waitFor('only the privilege change', async () => (await table.getByRole('row').count()) === 2);
  const today = new Date();
  const iso = (d) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  await page.getByLabel('From', { exact: true }).fill(iso(today));
  await page.getByLabel('To', { exact: true }).fill(iso(today));
  await waitFor('still today\'s change', async () => (await table.getByRole('row').count()) === 2);
  const yesterday = new Date(today);
  yesterday.setDate(today.getDate() - 1);
  await page.getByLabel('To', { exact: true }).fill(iso(yesterday));
  await visible(table.getByText('Nothing matches.'), 'nothing before today');
  await hasValue(page.getByLabel('From', { exact: true }), iso(today));
  await j.shot(page, 'filtered');
  await j.signOut(page);

  // A manager reads it; an editor without Manage access and a USER may not.
  await j.signIn(page, people.secondaryAccess, `/sites/${ACME.number}/audit`);
  await visible(page.getByRole('table', { name: 'Audit events' }).getByText('changed the details of Tom Okafor').first(), 'the manager reads the log');
  await j.signOut(page);
  for (const who of [people.secondaryContacts, people.user]) {
    await j.signIn(page, who, `/sites/${ACME.number}`);
    assert.equal(await nav(page).getByRole('link', { name: 'Audit log' }).count(), 0, `no Audit log link for ${who}`);
    await go(j, page, `/sites/${ACME.number}/audit`, 'Audit log');
    await denied(page, /Reading the audit log needs Manage access: View/, ['Dana Whitfield']);
    const r = await apiRaw(page, `query { site(number: "${ACME.number}") { auditEvents(first: 1) { totalCount } } }`);
    assert.equal(r.errors?.[0]?.extensions?.code, 'FORBIDDEN', `the API refuses the log to ${who}`);
    await j.signOut(page);
  }
}
