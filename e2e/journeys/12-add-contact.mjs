// Add contact, for everyone who may and one refusal for each who may not. The PRIMARY (Dana)
// invites a USER, first with what a hurried person types (a phone "call me", a country "USA",
// a language "english": refused at the fields, the pickers offer no such thing), then right; and
// a Secondary contact. A manager (Marcus) invites a USER up to his own levels and may not add a
// Secondary contact. Priya (Contact updates only) and Tom (a USER) are refused with the people
// to ask, in the page and in the API. Each result is checked in the page and in the data.
import assert from 'node:assert/strict';
import { api, apiRaw, hasValue, visible } from '../lib.mjs';
import { ACME, addForm, contactByEmail, denied, go, nav, notification, openSite, people, pick } from '../steps.mjs';

const field = (page, label) => addForm(page).getByRole('textbox', { name: label, exact: true });

async function fillPerson(page, p) {
  await field(page, 'Email').fill(p.email);
  await field(page, 'First name').fill(p.first);
  await field(page, 'Last name').fill(p.last);
  await field(page, 'Phone').fill(p.phone);
  await field(page, 'City').fill('Dayton');
  await field(page, 'State or province').fill('Ohio');
  await field(page, 'Postal code').fill('45402');
  await addForm(page).getByRole('textbox', { name: 'Business justification' }).fill(p.why);
}

export default async function (j) {
  const page = await j.newPage();
  await j.signIn(page, people.primary);
  await openSite(page, ACME);
  await nav(page).getByRole('link', { name: 'Add contact' }).click();
  await visible(page.getByRole('heading', { level: 1, name: 'Add contact' }), 'the Add contact page');
  await j.a11y(page, 'Add contact (PRIMARY)');

  // What a hurried person types first.
  await fillPerson(page, { email: 'nina.novak@example.com', first: 'Nina', last: 'Novak', phone: 'call me', why: 'Runs the new test lab.' });
  const country = addForm(page).getByRole('combobox', { name: 'Country', exact: true });
  await country.click();
  await country.fill('USA');
  await visible(page.getByText('No match'), 'no country called "USA"');
  await country.fill('');
  await page.keyboard.press('Escape');
  const language = addForm(page).getByRole('combobox', { name: 'Language', exact: true });
  await language.click();
  await language.fill('english');
  // "english" finds the English languages by name; it is no value of its own.
  await visible(page.getByRole('option', { name: 'English', exact: true }), 'English offered by name');
  await page.keyboard.press('Escape');
  await addForm(page).getByRole('button', { name: 'Add contact' }).click();
  await visible(addForm(page).getByText(/phone number with its country code/), 'the phone refused at the field');
  assert.equal(await field(page, 'Phone').evaluate((el) => el === document.activeElement), true, 'the focus is on Phone');
  await j.shot(page, 'phone-refused');

  // Right this time: a number as people write it in the country picked, and a language by name.
  await field(page, 'Phone').fill('(937) 555-0188');
  await pick(addForm(page), 'Country', 'United St', 'United States');
  await pick(addForm(page), 'Language', 'American', 'American English');
  await hasValue(field(page, 'Phone'), '(937) 555-0188');
  await addForm(page).getByRole('combobox', { name: 'Reporting' }).selectOption({ label: 'View' });
  await addForm(page).getByRole('button', { name: 'Add contact' }).click();
  await visible(notification(page, 'Invitation created'), 'the "Invitation created" notification');
  await visible(page.getByRole('heading', { level: 1, name: 'Nina Novak' }), 'the new contact');
  await hasValue(page.getByRole('textbox', { name: 'Phone', exact: true }), '+1 937 555 0188');
  const nina = await contactByEmail(page, ACME, 'nina.novak@example.com', 'id status accessRole phone country language privileges { reporting }');
  assert.deepEqual(
    { status: nina.status, role: nina.accessRole, phone: nina.phone, country: nina.country, language: nina.language, reporting: nina.privileges.reporting },
    { status: 'INVITED', role: 'USER', phone: '+19375550188', country: 'US', language: 'en-US', reporting: 'VIEW' },
  );
  await j.shot(page, 'nina-invited');

  // A Secondary contact: the PRIMARY's to add.
  await go(j, page, `/sites/${ACME.number}/contacts/new`, 'Add contact');
  await addForm(page).getByRole('radio', { name: 'Secondary contact' }).check();
  await fillPerson(page, { email: 'omar.haddad@example.com', first: 'Omar', last: 'Haddad', phone: '+44 20 7946 0958', why: 'Deputy for account management.' });
  await addForm(page).getByRole('button', { name: 'Add contact' }).click();
  await visible(page.getByRole('heading', { level: 1, name: 'Omar Haddad' }), 'the new Secondary contact');
  assert.equal((await contactByEmail(page, ACME, 'omar.haddad@example.com')).accessRole, 'SECONDARY');
  await j.signOut(page);

  // A manager: a USER up to his own levels; a Secondary contact is not his to add.
  await j.signIn(page, people.secondaryAccess, `/sites/${ACME.number}/contacts/new`);
  await visible(page.getByRole('heading', { level: 1, name: 'Add contact' }), 'the Add contact page (manager)');
  assert.equal(await addForm(page).getByRole('radio', { name: 'Secondary contact' }).isDisabled(), true, 'Secondary contact is not offered');
  const entitlements = addForm(page).getByRole('combobox', { name: 'Entitlements' });
  const offered = await entitlements.locator('option').allTextContents();
  assert.deepEqual(offered, ['None', 'View'], 'Entitlements up to his own View');
  await fillPerson(page, { email: 'pia.lund@example.com', first: 'Pia', last: 'Lund', phone: '+1 937 555 0190', why: 'Orders media.' });
  await entitlements.selectOption({ label: 'View' });
  await addForm(page).getByRole('button', { name: 'Add contact' }).click();
  await visible(page.getByRole('heading', { level: 1, name: 'Pia Lund' }), 'the manager\'s new USER');
  const pia = await contactByEmail(page, ACME, 'pia.lund@example.com', 'id accessRole privileges { entitlements }');
  assert.equal(pia.privileges.entitlements, 'VIEW');
  const secondary = await apiRaw(page, `mutation($s: ID!) { addContact(input: { siteId: $s, accessRole: SECONDARY, businessJustification: "x",
    details: { email: "x@example.com", firstName: "X", lastName: "Y", phone: "+19375550111", city: "C", stateProvince: "S", postalCode: "P" } }) { id } }`,
  { s: (await api(page, `query { site(number: "${ACME.number}") { id } }`)).site.id });
  assert.equal(secondary.errors?.[0]?.extensions?.code, 'FORBIDDEN', 'the API refuses a Secondary contact from a manager');
  await j.signOut(page);

  // Refused: Contact updates without Manage access, and a USER.
  for (const who of [people.secondaryContacts, people.user]) {
    await j.signIn(page, who, `/sites/${ACME.number}`);
    assert.equal(await nav(page).getByRole('link', { name: 'Add contact' }).count(), 0, `no Add contact link for ${who}`);
    await go(j, page, `/sites/${ACME.number}/contacts/new`, 'Add contact');
    await denied(page, 'Adding contacts needs Manage access: Update.', ['Dana Whitfield', 'Marcus Chen']);
    await j.a11y(page, `Add contact refused (${who})`);
    const siteId = (await api(page, `query { site(number: "${ACME.number}") { id } }`)).site.id;
    const r = await apiRaw(page, `mutation($s: ID!) { addContact(input: { siteId: $s, accessRole: USER, businessJustification: "x",
      details: { email: "y@example.com", firstName: "X", lastName: "Y", phone: "+19375550111", city: "C", stateProvince: "S", postalCode: "P" } }) { id } }`, { s: siteId });
    assert.equal(r.errors?.[0]?.extensions?.code, 'FORBIDDEN', `the API refuses ${who}`);
    await j.shot(page, `refused-${who.split('@')[0]}`);
    await j.signOut(page);
  }
}
