import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { leaving } from '../client';
import { HIGHEST, NO_PRIVILEGES } from '../lib/privileges';
import { fakeClient, renderPage, viewerContact } from '../test/render';
import ContactEditPage from './ContactEditPage';

// A field by its label; required labels end with an asterisk (hidden from assistive technology).
const label = (name: string) => new RegExp(`^${name}(\\s*\\*)?$`);

const contact = (over: Record<string, unknown> = {}) => ({
  __typename: 'Contact',
  id: 'c2',
  version: 3,
  email: 'bob@example.com',
  firstName: 'Bob',
  lastName: 'Ray',
  phone: '+13125550101',
  city: 'Chicago',
  stateProvince: 'IL',
  postalCode: '60601',
  street: null,
  country: 'US',
  jobTitle: null,
  language: null,
  businessJustification: 'Buys renewals',
  accessRole: 'USER',
  status: 'ACTIVE',
  contactTypes: [],
  invitedBy: 'me@example.com',
  invitationExpiresAt: null,
  lastSignInAt: '2025-01-01T00:00:00Z',
  createdAt: '2025-01-01T00:00:00Z',
  updatedAt: '2025-01-01T00:00:00Z',
  privileges: { ...NO_PRIVILEGES },
  site: { id: 'site-1', number: '1234567' },
  ...over,
});

const page = { path: '/sites/:number/contacts/:id', route: '/sites/1234567/contacts/c2' };

describe('ContactEditPage', () => {
  it('marks required fields with an asterisk and validates inline', async () => {
    const { client } = fakeClient({ ContactEdit: { data: { node: contact() } } });
    renderPage(<ContactEditPage />, { ...page, client, contacts: [viewerContact('1234567', 'PRIMARY')] });
    const email = await screen.findByLabelText(label('Email'));
    expect(email.closest('.mantine-InputWrapper-root')?.textContent).toContain('*');
    expect(screen.getByLabelText(label('Street')).closest('.mantine-InputWrapper-root')?.textContent).not.toContain('*');

    fireEvent.change(email, { target: { value: 'not-an-email' } });
    fireEvent.blur(email);
    expect(await screen.findByText(/Enter an email address/)).toBeInTheDocument();

    const phone = screen.getByLabelText(label('Phone'));
    expect(phone).toHaveValue('+1 312 555 0101');
    fireEvent.change(phone, { target: { value: 'call me' } });
    fireEvent.blur(phone);
    expect(await screen.findByText(/phone number with its country code/)).toBeInTheDocument();
    expect(screen.getByRole('combobox', { name: label('Country') })).toHaveValue('United States');

    const city = screen.getByLabelText(label('City'));
    fireEvent.change(city, { target: { value: '' } });
    fireEvent.blur(city);
    expect(await screen.findByText('City is required')).toBeInTheDocument();
    expect(screen.getByText('Unsaved changes')).toBeInTheDocument();
  });

  it('keeps unsaved changes when the page leaves to sign in again, and brings them back', async () => {
    const { client } = fakeClient({ ContactEdit: { data: { node: contact() } } });
    const opts = { ...page, client, contacts: [viewerContact('1234567', 'PRIMARY')] };
    const first = renderPage(<ContactEditPage />, opts);
    fireEvent.change(await screen.findByLabelText(label('City')), { target: { value: 'Evanston' } });
    await waitFor(() => expect(window.sessionStorage.getItem('sitekeeper:draft:contact:c2')).toContain('Evanston'));
    leaving.toSignIn = true; // the session ended; "Sign in again" leaves the page
    first.unmount();
    leaving.toSignIn = false;
    renderPage(<ContactEditPage />, opts);
    expect(await screen.findByText('Your unsaved changes are back')).toBeInTheDocument();
    await waitFor(() => expect(screen.getByLabelText(label('City'))).toHaveValue('Evanston'));
    expect(screen.getByText('Unsaved changes')).toBeInTheDocument();
  });

  it('discards unsaved changes when the form is left any other way', async () => {
    const { client } = fakeClient({ ContactEdit: { data: { node: contact() } } });
    const opts = { ...page, client, contacts: [viewerContact('1234567', 'PRIMARY')] };
    const first = renderPage(<ContactEditPage />, opts);
    fireEvent.change(await screen.findByLabelText(label('City')), { target: { value: 'Evanston' } });
    await waitFor(() => expect(window.sessionStorage.getItem('sitekeeper:draft:contact:c2')).toContain('Evanston'));
    first.unmount();
    expect(window.sessionStorage.getItem('sitekeeper:draft:contact:c2')).toBeNull();
    renderPage(<ContactEditPage />, opts);
    await waitFor(() => expect(screen.getByLabelText(label('City'))).toHaveValue('Chicago'));
    expect(screen.queryByText('Your unsaved changes are back')).not.toBeInTheDocument();
  });

  it('saves only the changed fields with the expected version', async () => {
    const fake = fakeClient({
      ContactEdit: { data: { node: contact() } },
      UpdateContact: (v) => ({ data: { updateContact: { ...contact(), ...(v.input as object), version: 4 } } }),
    });
    renderPage(<ContactEditPage />, { ...page, client: fake.client, contacts: [viewerContact('1234567', 'PRIMARY')] });
    const phone = await screen.findByLabelText(label('Phone'));
    fireEvent.change(phone, { target: { value: '(312) 555-0199' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(fake.calls.some((c) => c.name === 'UpdateContact')).toBe(true));
    const call = fake.calls.find((c) => c.name === 'UpdateContact')!;
    // Read in the contact's country, sent in E.164.
    expect(call.variables).toEqual({ id: 'c2', input: { phone: '+13125550199' }, expectedVersion: 3 });
    expect(fake.calls.some((c) => c.name === 'SetPrivileges')).toBe(false);
  });

  it('marks the fields a BAD_USER_INPUT names', async () => {
    const { client } = fakeClient({
      ContactEdit: { data: { node: contact() } },
      UpdateContact: {
        error: {
          graphQLErrors: [{ message: 'postalCode is too long', extensions: { code: 'BAD_USER_INPUT', fields: ['postalCode'] } }],
          networkError: undefined,
        },
      },
    });
    renderPage(<ContactEditPage />, { ...page, client, contacts: [viewerContact('1234567', 'PRIMARY')] });
    fireEvent.change(await screen.findByLabelText(label('Postal code')), { target: { value: '60602' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    const postal = screen.getByLabelText(label('Postal code'));
    await waitFor(() => expect(postal).toHaveAttribute('aria-invalid', 'true'));
    // The field says what is wrong, in the dashboard's words; the summary names the field once.
    expect(screen.getByText('Postal code is too long.')).toBeInTheDocument();
    expect(screen.getByText('Check this field: Postal code.')).toBeInTheDocument();
  });

  it('on CONFLICT shows the newer values side by side with a Reload button', async () => {
    let version = 3;
    const { client } = fakeClient({
      ContactEdit: () => ({ data: { node: contact(version === 3 ? {} : { version, phone: '+13125557777' }) } }),
      UpdateContact: () => {
        version = 5;
        return {
          error: {
            graphQLErrors: [
              { message: 'the contact was changed by someone else (now at version 5); reload and try again', extensions: { code: 'CONFLICT' } },
            ],
          },
        };
      },
    });
    renderPage(<ContactEditPage />, { ...page, client, contacts: [viewerContact('1234567', 'PRIMARY')] });
    fireEvent.change(await screen.findByLabelText(label('Phone')), { target: { value: '+1 312 555 0000' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    const table = await screen.findByRole('table', { name: 'Your values and the current values' });
    const row = within(table).getByRole('row', { name: /Phone/ });
    expect(row).toHaveTextContent('+1 312 555 0000');
    expect(row).toHaveTextContent('+1 312 555 7777');
    fireEvent.click(screen.getByRole('button', { name: 'Reload' }));
    await waitFor(() => expect(screen.getByLabelText(label('Phone'))).toHaveValue('+1 312 555 7777'));
    expect(screen.queryByRole('table', { name: 'Your values and the current values' })).not.toBeInTheDocument();
  });

  it('shows the Primary contact’s record read-only to a Secondary contact with contactUpdates UPDATE, with the reason', async () => {
    const { client } = fakeClient({
      ContactEdit: { data: { node: contact({ id: 'p1', accessRole: 'PRIMARY', privileges: HIGHEST, contactTypes: ['PRIMARY'] }) } },
    });
    renderPage(<ContactEditPage />, {
      path: '/sites/:number/contacts/:id',
      route: '/sites/1234567/contacts/p1',
      client,
      contacts: [viewerContact('1234567', 'SECONDARY', { contactUpdates: 'UPDATE' })],
    });
    expect(await screen.findByText("Only the Primary contact may change the Primary contact's record.")).toBeInTheDocument();
    expect(screen.getByLabelText(label('Email'))).toHaveAttribute('readonly');
    expect(screen.queryByRole('button', { name: 'Save' })).not.toBeInTheDocument();
    // Someone who manages nothing here is offered no buttons that never work.
    expect(screen.queryByRole('button', { name: 'Deactivate' })).not.toBeInTheDocument();
  });

  it('lets a manager set a USER’s privileges only up to their own level, and not change the role', async () => {
    const { client } = fakeClient({ ContactEdit: { data: { node: contact() } } });
    renderPage(<ContactEditPage />, {
      ...page,
      client,
      contacts: [viewerContact('1234567', 'SECONDARY', { manageAccess: 'UPDATE', softwareAccess: 'DOWNLOADS' })],
    });
    const software = await screen.findByLabelText('Software access');
    expect(within(software).getAllByRole('option').map((o) => o.textContent)).toEqual(['None', 'Downloads']);
    expect(screen.getByRole('button', { name: 'Make Secondary' })).toBeDisabled();
    expect(screen.getByText('Only the Primary contact may promote or demote Secondary contacts.')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Deactivate' })).toBeEnabled();
  });
});
