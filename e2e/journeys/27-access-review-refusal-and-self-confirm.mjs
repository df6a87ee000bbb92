// An access review run by a SECONDARY manager (Marcus, Manage access: Update). Removing or
// deactivating the other SECONDARY (Priya) is the PRIMARY's: the buttons are disabled with the
// reason and the API refuses it (FORBIDDEN); his own item is Keep only. When the PRIMARY decided
// to deactivate Priya, his "Complete review" is refused by the server, which names Priya, and
// nothing changes. A USER (Tom) sees the "confirm your details" banner on every page, opens his
// details from it, confirms, and the banner goes; the review page and the API refuse him the
// review itself; Marcus sees Tom's item self-confirmed.
// Checked in the pages and through the API.
import assert from 'node:assert/strict';
import { PHONE, apiRaw, hasText, hidden, visible, waitFor } from '../lib.mjs';
import { ACME, contactByEmail, denied, go, notification, openReview, openSite, people, reviewRow, startReview } from '../steps.mjs';

const SECONDARY_ONLY = 'Only the Primary contact may deactivate or remove a Secondary contact.';

export default async function (j) {
  const page = await j.newPage();
  await j.signIn(page, people.secondaryAccess);
  await openSite(page, ACME);
  await startReview(page);

  // Priya: Deactivate and Remove are the PRIMARY's.
  const priya = reviewRow(page, 'Priya Raman');
  assert.equal(await priya.getByRole('button', { name: 'Remove Priya Raman' }).isDisabled(), true, 'Remove disabled');
  assert.equal(await priya.getByRole('button', { name: 'Deactivate Priya Raman' }).isDisabled(), true, 'Deactivate disabled');
  assert.equal(await priya.getByRole('button', { name: 'Keep Priya Raman' }).isDisabled(), false, 'Keep is his to decide');
  await visible(priya.getByText(SECONDARY_ONLY), 'the reason in her row');
  await visible(reviewRow(page, 'Marcus Chen').getByText('Nobody decides their own item except Keep.'), 'his own item: Keep only');
  await j.shot(page, 'secondary-refused');

  let review = await openReview(page, ACME);
  const item = (email) => review.items.find((i) => i.snapshot.email === email);
  const refused = await apiRaw(page, 'mutation($id: ID!) { decideReviewItem(id: $id, decision: REMOVE, note: "no longer needed") { id } }', {
    id: item(people.secondaryContacts).id,
  });
  assert.equal(refused.errors?.[0]?.extensions?.code, 'FORBIDDEN', `the API refuses it too: ${JSON.stringify(refused.errors)}`);
  review = await openReview(page, ACME);
  assert.equal(item(people.secondaryContacts).decision, 'PENDING', 'nothing decided');

  // The PRIMARY decides to deactivate Priya; Marcus keeps the rest and tries to complete.
  const dana = await j.newPage({ label: 'primary' });
  await j.signIn(dana, people.primary, `/sites/${ACME.number}/review`);
  await reviewRow(dana, 'Priya Raman').getByRole('button', { name: 'Deactivate Priya Raman' }).click();
  await waitFor('Priya to be deactivated', async () => {
    review = await openReview(page, ACME);
    return item(people.secondaryContacts).decision === 'DEACTIVATE';
  });
  await page.reload();
  await page.getByRole('button', { name: /^Keep all remaining/ }).click();
  await page.getByRole('dialog', { name: 'Keep all remaining?' }).getByRole('button', { name: /^Keep \d+$/ }).click();
  await hasText(page.getByTestId('review-progress'), /^8 of 8 decided, 0 pending$/, 'all decided');
  await page.getByRole('button', { name: 'Complete review' }).click();
  const dialog = page.getByRole('dialog', { name: 'Complete the review?' });
  await visible(dialog.getByRole('list', { name: 'To deactivate' }).getByText('Priya Raman'), 'Priya in the summary');
  await dialog.getByRole('button', { name: 'Complete and apply' }).click();
  const refusal = dialog.getByRole('alert').filter({ hasText: 'Not completed' });
  await visible(refusal, "the server's refusal");
  await visible(refusal.getByRole('list', { name: 'Decisions you may not apply' }).getByText('Priya Raman'), 'naming Priya');
  await j.a11y(page, 'Complete refused', { dialog: true });
  await j.shot(page, 'complete-refused');
  review = await openReview(page, ACME);
  assert.ok(review && !review.completedAt, 'the review stays open');
  assert.equal((await contactByEmail(page, ACME, people.secondaryContacts)).status, 'ACTIVE', 'Priya unchanged');
  await dialog.getByRole('button', { name: 'Cancel' }).click();

  // A USER confirms his own details.
  const tom = await j.newPage({ viewport: PHONE, label: 'user' });
  await j.signIn(tom, people.user);
  const banner = tom.getByRole('region', { name: `Confirm your details for Site ${ACME.number}` });
  await visible(banner, 'the banner on sign-in');
  assert.equal((await apiRaw(tom, 'query { viewer { contacts { confirmationRequested } } }')).data.viewer.contacts[0].confirmationRequested, true);
  await j.assertNoHorizontalOverflow(tom, 'the banner at 390 px');
  await j.a11y(tom, 'My Sites with the banner');
  await banner.getByRole('link', { name: 'Review my details' }).click();
  await visible(tom.getByRole('heading', { level: 1, name: 'My contact details' }), 'his own details');
  await j.shot(tom, 'banner');
  await banner.getByRole('button', { name: 'Confirm my details' }).click();
  await visible(notification(tom, 'Details confirmed'), 'confirmed');
  await hidden(banner, 'the banner gone');
  assert.equal((await apiRaw(tom, 'query { viewer { contacts { confirmationRequested } } }')).data.viewer.contacts[0].confirmationRequested, false);
  await go(j, tom, '/', 'My Sites');
  assert.equal(await banner.count(), 0, 'no banner after confirming');

  // Tom may not run the review: the page refuses him with the reason, and so does the API.
  await tom.goto(`${j.url}/sites/${ACME.number}/review`);
  await denied(tom, 'Access reviews are read by the Primary contact');
  const tomRefused = await apiRaw(tom, 'mutation($id: ID!) { keepRemainingReviewItems(reviewId: $id) { id } }', { id: review.id });
  assert.equal(tomRefused.errors?.[0]?.extensions?.code, 'FORBIDDEN', 'the API refuses a USER deciding');
  assert.equal((await openReview(page, ACME)).progress.pending, review.progress.pending, 'nothing decided by Tom');

  // The reviewer sees it.
  review = await openReview(page, ACME);
  assert.ok(item(people.user).selfConfirmedAt, 'Tom self-confirmed, in the data');
  assert.equal(review.progress.selfConfirmed, 1);
  await page.reload();
  await page.getByRole('combobox', { name: 'Show' }).selectOption({ label: 'Self-confirmed' });
  await visible(reviewRow(page, 'Tom Okafor').getByText(/^Self-confirmed /), 'Tom self-confirmed, in the page');
  await waitFor('only Tom', async () => (await page.getByRole('table', { name: 'Review items' }).getByRole('rowheader').count()) === 1);
}
