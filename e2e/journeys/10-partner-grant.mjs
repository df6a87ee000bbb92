// Partner grants: the operator registers a partner; the PRIMARY grants it access to the Site
// and revokes it again.
import assert from 'node:assert/strict';
import { hasText, visible } from '../lib.mjs';
import { ACME, grantPartner, nav, notification, openSite, people } from '../steps.mjs';

const PARTNER = 'Contoso Systems Integration';

export default async function (j) {
  const page = await j.newPage();
  await j.signIn(page, people.operator);
  await nav(page).getByRole('link', { name: 'Partners' }).click();
  const register = page.getByRole('form', { name: 'Register a partner' });
  await visible(register, 'the partner form');
  await register.getByRole('textbox', { name: 'Name' }).fill(PARTNER);
  await register.getByRole('textbox', { name: 'Client id' }).fill('contoso-si');
  await register.getByRole('button', { name: 'Register partner' }).click();
  await visible(notification(page, 'Partner registered'), 'the partner registered');
  await visible(page.getByRole('table', { name: 'Partners' }).getByRole('rowheader', { name: PARTNER }), 'the new partner listed');
  await j.shot(page, 'operator-partner');
  await j.signOut(page);

  await j.signIn(page, people.primary);
  await openSite(page, ACME);
  await nav(page).getByRole('link', { name: 'Partner grants' }).click();
  const grants = page.getByRole('table', { name: 'Partner grants' });
  await visible(grants, 'the grants');
  await grantPartner(page, PARTNER, 'Contoso');
  const row = grants.getByRole('row').filter({ has: page.getByRole('rowheader', { name: PARTNER }) });
  await visible(row.getByText('Active', { exact: true }), 'the grant active');
  await j.shot(page, 'granted');

  await row.getByRole('button', { name: `Revoke access of ${PARTNER}` }).click();
  const dialog = page.getByRole('dialog', { name: 'Revoke partner access?' });
  await visible(dialog, 'the confirmation');
  await j.shot(page, 'confirm-revoke');
  await dialog.getByRole('button', { name: 'Revoke' }).click();
  await visible(notification(page, 'Access revoked'), 'the "Access revoked" notification');
  await visible(row.getByText('Revoked', { exact: true }), 'the grant revoked');
  await hasText(row, /by dana\.whitfield@example\.com/);
  assert.equal(await row.getByRole('button', { name: /Revoke/ }).count(), 0, 'nothing left to revoke');
  await j.shot(page, 'revoked');
}
