// What people do over and over on the dashboard, as they would: through links, buttons and
// labelled fields.
import { api, hasValue, visible } from './lib.mjs';

export const ACME = { number: '1234567', name: 'Acme Manufacturing' };
export const GLOBEX = { number: '7654321', name: 'Globex Corporation' };

export const people = {
  primary: 'dana.whitfield@example.com',
  secondaryAccess: 'marcus.chen@example.com',
  secondaryContacts: 'priya.raman@example.com',
  user: 'tom.okafor@example.com',
  invited: 'jordan.lee@example.com',
  globexPrimary: 'elena.petrova@example.com',
  operator: 'olivia.grant@example.com',
  noSite: 'sam.rivera@example.com',
};

export const nav = (page) => page.getByRole('navigation', { name: 'Main navigation' });

/** From "My Sites", opens the Site's home page through its card. */
export async function openSite(page, site) {
  await page.getByRole('article', { name: `Site ${site.number}` }).getByRole('link', { name: site.name }).click();
  await visible(page.getByRole('heading', { level: 1, name: site.name }), `the home of ${site.name}`);
}

/** Opens the Site's contacts through the navigation and waits for the rows. */
export async function openContacts(page) {
  await nav(page).getByRole('link', { name: 'Contacts', exact: true }).click();
  await visible(page.getByRole('heading', { level: 1, name: 'Contacts' }), 'the Contacts page');
  await visible(page.getByRole('table', { name: 'Contacts' }).getByRole('link').first(), 'the contacts table rows');
}

/** From the contacts table, opens a contact's form by the person's name. */
export async function openContact(page, name) {
  await page.getByRole('table', { name: 'Contacts' }).getByRole('link', { name: `Edit ${name}` }).click();
  await visible(page.getByRole('form', { name: 'Contact details' }), `the form of ${name}`);
}

/** Signs the person in and opens a contact's form as they would: the Site's card, Contacts, the row. */
export async function signInToContact(j, page, email, site, name) {
  await j.signIn(page, email);
  await openSite(page, site);
  await openContacts(page);
  await openContact(page, name);
}

export const form = (page) => page.getByRole('form', { name: 'Contact details' });
export const addForm = (page) => page.getByRole('form', { name: 'Add contact' });
export const field = (page, label) => form(page).getByRole('textbox', { name: label, exact: true });

/** The version of the contact whose page is open, read through the API. */
export async function contactVersion(page) {
  const id = new URL(page.url()).pathname.split('/').pop();
  const data = await api(page, 'query($id: ID!) { node(id: $id) { ... on Contact { version } } }', { id });
  return data.node.version;
}

/** A contact of a Site by email, read through the API as the page's person. */
export async function contactByEmail(page, site, email, fields = 'id version status accessRole') {
  const data = await api(
    page,
    `query($n: String!, $q: String!) { site(number: $n) { contacts(first: 5, where: { search: $q }) { edges { node { email ${fields} } } } } }`,
    { n: site.number, q: email },
  );
  return data.site.contacts.edges.map((e) => e.node).find((c) => c.email === email) ?? null;
}

/** A Mantine notification with this title (they are role=alert in the top-right corner). */
export const notification = (page, title) => page.locator('.mantine-Notifications-root').getByText(title, { exact: true });

export async function fill(page, label, value) {
  const input = field(page, label);
  await input.fill(value);
  await hasValue(input, value);
}

/** Picks an option of a searchable picker (country, language) by typing part of its name. */
export async function pick(scope, label, typed, option = typed) {
  const box = scope.getByRole('combobox', { name: label, exact: true });
  await box.click();
  await box.fill(typed);
  await scope.page().getByRole('option', { name: option, exact: true }).click();
  await hasValue(box, option);
}

/** Goes to a path of the dashboard and waits for the page's title. */
export async function go(j, page, path, title) {
  await page.goto(j.url + path);
  await visible(page.getByRole('heading', { level: 1, name: title }), `the page "${title}"`);
}

/** The refusal of a page, with the reason and, on a Site, the people to ask. */
export async function denied(page, reason, helpers = []) {
  const note = page.getByRole('note').filter({ hasText: 'Not available to you' });
  await visible(note, 'the refusal');
  await visible(note.getByText(reason), `the reason "${reason}"`);
  for (const h of helpers) await visible(note.getByRole('list', { name: 'Who can help' }).getByText(h), `${h} named as help`);
  return note;
}

/** On the Partner grants page, grants the partner access (found by typing part of its name). */
export async function grantPartner(page, name, typed) {
  const grant = page.getByRole('region', { name: 'Grant a partner access' });
  const partner = grant.getByRole('combobox', { name: 'Partner' });
  await partner.click();
  await partner.fill(typed);
  await page.getByRole('option', { name }).click();
  await grant.getByRole('button', { name: 'Grant access' }).click();
  await visible(notification(page, 'Access granted'), `access granted to ${name}`);
}

/** The review items table's row of a contact, by name. */
export const reviewRow = (page, name) =>
  page.getByRole('table', { name: 'Review items' }).getByRole('row').filter({ has: page.getByRole('rowheader').filter({ hasText: name }) });

/** The Site's open review and its items (first 100) with the given item fields, through the API as the page's person. */
export async function openReview(page, site, itemFields = 'id decision note selfConfirmedAt outcome snapshot { email }') {
  const data = await api(
    page,
    `query($n: String!) { site(number: $n) { currentReview { id completedAt attested
      progress { total pending keep deactivate remove selfConfirmed }
      items(first: 100) { edges { node { ${itemFields} } } } } } }`,
    { n: site.number },
  );
  const r = data.site.currentReview;
  return r && { ...r, items: r.items.edges.map((e) => e.node) };
}

/** One review by id, with its items, through the API. */
export async function reviewById(page, id, itemFields = 'id decision note outcome contactExists snapshot { email }') {
  const data = await api(
    page,
    `query($id: ID!) { node(id: $id) { ... on Review { id completedAt completedBy attested evidenceCsvUrl evidenceHtmlUrl
      progress { total pending keep deactivate remove selfConfirmed }
      items(first: 100) { edges { node { ${itemFields} } } } } } }`,
    { id },
  );
  return { ...data.node, items: data.node.items.edges.map((e) => e.node) };
}

/** From the Site home, starts a review with the default due date and waits for its page. */
export async function startReview(page) {
  await page.getByRole('region', { name: 'Review status' }).getByRole('button', { name: 'Start review' }).click();
  const dialog = page.getByRole('dialog', { name: 'Start an access review' });
  await dialog.getByRole('button', { name: 'Start review' }).click();
  await visible(page.getByRole('heading', { level: 1, name: 'Access review' }), 'the review page');
  await visible(page.getByRole('table', { name: 'Review items' }).getByRole('rowheader').first(), 'the review items');
}
