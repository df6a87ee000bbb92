// The Globex PRIMARY (15 days overdue) starts a review, the Site home's main action; an operator
// opens "Overdue Sites": at the default 30 days Globex is not listed (the demo data holds no
// Site that late), at "Any overdue" it is, with the open review's progress and no escalation.
// The PRIMARY then marks the Site reviewed, which, with the review open, completes it by
// attestation after a confirmation; the past reviews say so and Globex leaves the overdue list.
// Checked in the pages and through the API.
import assert from 'node:assert/strict';
import { api, hidden, visible, waitFor } from '../lib.mjs';
import { GLOBEX, nav, notification, openReview, openSite, people, reviewById, startReview } from '../steps.mjs';

const overdueQuery = `query($before: Time!) { sites(first: 10, where: { reviewDueAtLT: $before }) { edges { node { number currentReview { id progress { pending } } } } } }`;
const daysAgo = (n) => new Date(Date.now() - n * 864e5).toISOString();

export default async function (j) {
  const elena = await j.newPage({ label: 'primary' });
  await j.signIn(elena, people.globexPrimary);
  await openSite(elena, GLOBEX);
  await startReview(elena);
  const review = await openReview(elena, GLOBEX);
  assert.equal(review.progress.total, 4, 'every Globex contact');

  const op = await j.newPage({ label: 'operator' });
  await j.signIn(op, people.operator);
  await nav(op).getByRole('link', { name: 'Overdue Sites' }).click();
  await visible(op.getByRole('heading', { level: 1, name: 'Overdue Sites' }), 'the overdue page');
  const table = op.getByRole('table', { name: 'Overdue Sites' });
  await visible(table.getByText('No Site is overdue by that much.'), 'none 30 days overdue');
  assert.equal((await api(op, overdueQuery, { before: daysAgo(30) })).sites.edges.length, 0, 'none in the data either');
  await op.getByRole('combobox', { name: 'Overdue by' }).selectOption({ label: 'Any overdue' });
  const row = table.getByRole('row').filter({ hasText: GLOBEX.name });
  await visible(row.getByText('0 of 4 decided, 4 pending'), "the open review's progress");
  await visible(row.getByText(/^1[45] days overdue$/), 'how late');
  const data = await api(op, overdueQuery, { before: new Date().toISOString() });
  const globex = data.sites.edges.map((e) => e.node).find((s) => s.number === GLOBEX.number);
  assert.equal(globex.currentReview.id, review.id, 'the operator sees the open review');
  await j.a11y(op, 'Overdue Sites');
  await j.shot(op, 'overdue-sites');

  // Mark reviewed with the review open: completed by attestation.
  await nav(elena).getByRole('link', { name: 'Site home' }).click();
  const status = elena.getByRole('region', { name: 'Review status' });
  await visible(status.getByRole('link', { name: 'Continue review (4 pending)' }), 'Continue review, the main action');
  await visible(status.getByText(/Mark reviewed completes it/), 'what Mark reviewed does now');
  await status.getByRole('button', { name: 'Mark reviewed' }).click();
  const dialog = elena.getByRole('dialog', { name: 'Complete the open review by attestation?' });
  await j.a11y(elena, 'Mark reviewed with a review open', { dialog: true });
  await dialog.getByRole('button', { name: 'Mark reviewed' }).click();
  await visible(notification(elena, 'Site reviewed'), 'reviewed');
  await hidden(elena.getByRole('alert').filter({ hasText: 'Overdue' }), 'the overdue banner gone');
  await visible(elena.getByRole('table', { name: 'Past reviews' }).getByText('Attested (Mark reviewed)'), 'the attested review among past reviews');
  await visible(status.getByRole('button', { name: 'Start review' }), 'a new review can start');
  const done = await reviewById(elena, review.id);
  assert.ok(done.completedAt && done.attested, 'completed by attestation');
  assert.ok(done.items.every((i) => i.outcome === 'KEPT_BY_ATTESTATION'), 'every item kept by attestation');
  await j.shot(elena, 'attested', { fullPage: true });

  await op.reload();
  await op.getByRole('combobox', { name: 'Overdue by' }).selectOption({ label: 'Any overdue' });
  await waitFor('Globex off the overdue list', async () => (await table.getByRole('row').filter({ hasText: GLOBEX.name }).count()) === 0);
}
