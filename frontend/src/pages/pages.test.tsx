// Every page renders with realistic answers, and the contacts page's CSV export and the bulk
// page's preview work end to end against a fake API.
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { HIGHEST, NO_PRIVILEGES } from '../lib/privileges';
import { fakeClient, renderPage, viewerContact } from '../test/render';
import AccessRequestsPage from './AccessRequestsPage';
import AddContactPage from './AddContactPage';
import AuditLogPage, { auditWhere } from './AuditLogPage';
import BreakGlassPage from './BreakGlassPage';
import BulkUpdatePage from './BulkUpdatePage';
import ContactsPage from './ContactsPage';
import HomePage from './HomePage';
import OperatorPartnersPage from './OperatorPartnersPage';
import OperatorSitesPage from './OperatorSitesPage';
import PartnerGrantsPage from './PartnerGrantsPage';
import RequestAccessPage from './RequestAccessPage';
import SiteHomePage from './SiteHomePage';
import TransferPrimaryPage from './TransferPrimaryPage';

const primary = [viewerContact('1234567', 'PRIMARY')];
const conn = <T,>(nodes: T[], hasNextPage = false, endCursor: string | null = null) => ({
  totalCount: nodes.length,
  pageInfo: { hasNextPage, endCursor },
  edges: nodes.map((node) => ({ node })),
});
const person = (id: string, first: string, last: string, over: Record<string, unknown> = {}) => ({
  id,
  firstName: first,
  lastName: last,
  email: `${first.toLowerCase()}@example.com`,
  accessRole: 'USER',
  status: 'ACTIVE',
  contactTypes: [],
  lastSignInAt: '2025-02-01T00:00:00Z',
  phone: '+19375550100',
  street: null,
  city: 'Springfield',
  stateProvince: 'IL',
  postalCode: '62701',
  country: 'US',
  jobTitle: null,
  language: null,
  businessJustification: 'Needs downloads',
  privileges: { ...NO_PRIVILEGES },
  ...over,
});
const ann = person('1', 'Ann', 'Lee', { accessRole: 'PRIMARY', privileges: HIGHEST, contactTypes: ['PRIMARY'] });
const bob = person('2', 'Bob', 'Ray, Jr.');
const cat = person('3', 'Cat', 'Sun', { accessRole: 'SECONDARY', status: 'INVITED', lastSignInAt: null });

describe('pages render', () => {
  it('home lists my Sites', async () => {
    const { client } = fakeClient({});
    renderPage(<HomePage />, { path: '/sites/:number', route: '/sites/1234567', client, contacts: primary });
    expect(screen.getByRole('heading', { name: 'My Sites' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Acme' })).toHaveAttribute('href', '/sites/1234567');
  });

  it('site home: who waits, the summary and Mark reviewed for managers', async () => {
    const count = (n: number) => ({ totalCount: n });
    const holders = (names: string[]) => ({ edges: names.map((n, i) => ({ node: { id: `h${i}`, firstName: n, lastName: 'Holder' } })) });
    const { client, calls } = fakeClient({
      PendingRequests: { data: { site: { id: 'site-1', accessRequests: count(2) } } },
      SiteSummary: {
        data: {
          site: {
            id: 'site-1',
            primaryActive: count(1),
            secondaryActive: count(2),
            secondaryInvited: count(0),
            secondaryDeactivated: count(0),
            userActive: count(4),
            userInvited: count(1),
            userDeactivated: count(1),
            stale: count(3),
            expiring: { totalCount: 1, edges: [{ node: { id: 'c9', firstName: 'Luis', lastName: 'Ortega', invitationExpiresAt: '2099-01-01T00:00:00Z', invitationExpired: false } }] },
            siteTechnical: holders(['Marcus']),
            administrative: holders([]),
            renewal: holders(['Dana']),
            mediaShipping: holders([]),
            billing: holders(['Priya']),
          },
        },
      },
      MarkSiteReviewed: { data: { markSiteReviewed: { id: 'site-1', reviewDueAt: '2031-01-01T00:00:00Z', lastReviewedAt: null, lastReviewedBy: null, version: 2 } } },
    });
    renderPage(<SiteHomePage />, { path: '/sites/:number', route: '/sites/1234567', client, contacts: primary });
    expect(await screen.findByRole('link', { name: '2 access requests wait for a decision' })).toHaveAttribute('href', '/sites/1234567/requests');
    expect(screen.getByRole('link', { name: 'Luis Ortega' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: '3 contacts have not been seen for 90 days' })).toHaveAttribute('href', '/sites/1234567/contacts?stale=1');
    expect(screen.getByRole('link', { name: '4 Active User' })).toHaveAttribute('href', '/sites/1234567/contacts?role=USER&status=ACTIVE');
    expect(within(screen.getByRole('table', { name: 'Who holds each contact type' })).getAllByText('Nobody')).toHaveLength(2);
    expect(within(screen.getByRole('list', { name: "The Site's Primary and Secondary contacts" })).getByText('Dana Whitfield')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Download reminder (.ics)' })).toHaveAttribute('href', '/sites/1234567/review.ics');
    fireEvent.click(screen.getByRole('button', { name: 'Mark reviewed' }));
    await waitFor(() => expect(calls.some((c) => c.name === 'MarkSiteReviewed')).toBe(true));
  });

  it('site home: a plain user sees who to ask, and no Mark reviewed', async () => {
    const { client, calls } = fakeClient({});
    renderPage(<SiteHomePage />, { path: '/sites/:number', route: '/sites/1234567', client, contacts: [viewerContact('1234567', 'USER')] });
    expect(screen.getByText('Marcus Chen')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'dana@example.com' })).toHaveAttribute('href', 'mailto:dana@example.com');
    expect(screen.queryByRole('button', { name: 'Mark reviewed' })).not.toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'View all contacts' })).not.toBeInTheDocument();
    // Nothing asked that a USER may not read.
    expect(calls.map((c) => c.name).filter((n) => n === 'SiteSummary' || n === 'PendingRequests')).toEqual([]);
  });

  it('contacts: table, filters, matrix and selection', async () => {
    const fake = fakeClient({ SiteContacts: { data: { site: { id: 'site-1', contacts: conn([ann, bob, cat]) } } } });
    renderPage(<ContactsPage />, { path: '/sites/:number/contacts', route: '/sites/1234567/contacts', client: fake.client, contacts: primary });

    expect(await screen.findByRole('link', { name: 'Edit Bob Ray, Jr.' })).toBeInTheDocument();
    fireEvent.change(screen.getByLabelText('Role'), { target: { value: 'SECONDARY' } });
    fireEvent.change(screen.getByLabelText('Privilege'), { target: { value: 'manageAccess' } });
    fireEvent.change(screen.getByLabelText('At least level'), { target: { value: 'VIEW' } });
    await waitFor(() =>
      expect(fake.calls.at(-1)?.variables.where).toEqual({ accessRole: 'SECONDARY', manageAccessIn: ['VIEW', 'UPDATE'] }),
    );
    fireEvent.click(screen.getByLabelText('Select Bob Ray, Jr.'));
    expect(screen.getByRole('button', { name: 'Bulk update selected (1)' })).toBeEnabled();
    fireEvent.click(screen.getByText('Privilege matrix'));
    const matrix = await screen.findByRole('table', { name: 'Privilege matrix' });
    expect(within(matrix).getAllByLabelText('Software access: Full')).toHaveLength(1);
  });

  it('contacts: CSV export pages through every contact', async () => {
    const fake = fakeClient({
      SiteContacts: (v) => ({
        data: {
          site: {
            id: 'site-1',
            contacts: v.first === 100 && !v.after ? conn([ann, bob], true, 'c2') : v.after === 'c2' ? conn([cat]) : conn([ann, bob, cat]),
          },
        },
      }),
    });
    let blob: Blob | null = null;
    const createObjectURL = vi.fn((b: Blob) => {
      blob = b;
      return 'blob:x';
    });
    Object.assign(URL, { createObjectURL, revokeObjectURL: vi.fn() });
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      expect(this.download).toBe('contacts-1234567.csv');
    });
    renderPage(<ContactsPage />, { path: '/sites/:number/contacts', route: '/sites/1234567/contacts', client: fake.client, contacts: primary });
    fireEvent.click(await screen.findByRole('button', { name: 'Export CSV' }));
    await waitFor(() => expect(click).toHaveBeenCalled());
    const text = await blob!.text();
    const lines = text.replace(/^\ufeff/, '').split('\r\n');
    expect(lines).toHaveLength(5);
    expect(lines[2]).toBe('"Bob Ray, Jr.",bob@example.com,\'+1 937 555 0100,,User,Active,,None,None,None,None,None,None');
    expect(lines[3]).toContain('Secondary,Invited');
    expect(fake.calls.filter((c) => c.variables.first === 100).map((c) => c.variables.after ?? null)).toEqual([null, 'c2']);
  });

  it('add contact: the Primary contact may add a USER or a Secondary contact; required fields are checked', async () => {
    const { client, calls } = fakeClient({ SecondaryCountForAdd: { data: { site: { id: 'site-1', contacts: { totalCount: 1 } } } } });
    renderPage(<AddContactPage />, { path: '/sites/:number/contacts/new', route: '/sites/1234567/contacts/new', client, contacts: primary });
    expect(screen.getByLabelText('Secondary contact')).toBeEnabled();
    fireEvent.click(screen.getByRole('button', { name: 'Add contact' }));
    expect(await screen.findByText('Email is required')).toBeInTheDocument();
    expect(screen.getByText('Business justification is required')).toBeInTheDocument();
    expect(calls.some((c) => c.name === 'AddContact')).toBe(false);
  });

  it('add contact: a manager may add only a USER', () => {
    const { client } = fakeClient({});
    renderPage(<AddContactPage />, {
      path: '/sites/:number/contacts/new',
      route: '/sites/1234567/contacts/new',
      client,
      contacts: [viewerContact('1234567', 'SECONDARY', { manageAccess: 'UPDATE' })],
    });
    expect(screen.getByLabelText('Secondary contact')).toBeDisabled();
    expect(screen.getByLabelText('User')).toBeChecked();
  });

  it('bulk update: preview old → new, and the refusals that would fail it', async () => {
    const fake = fakeClient({ BulkTargets: { data: { site: { id: 'site-1', contacts: conn([ann, bob]) } } } });
    renderPage(<BulkUpdatePage />, {
      path: '/sites/:number/contacts/bulk',
      route: '/sites/1234567/contacts/bulk?ids=1,2',
      client: fake.client,
      contacts: [viewerContact('1234567', 'SECONDARY', { manageAccess: 'UPDATE', contactUpdates: 'UPDATE', reporting: 'VIEW' })],
    });
    expect(await screen.findByText('2 selected contacts of Site 1234567')).toBeInTheDocument();
    fireEvent.click(screen.getByLabelText('Change City'));
    fireEvent.change(screen.getByLabelText('City'), { target: { value: 'Chicago' } });
    const preview = await screen.findByRole('table', { name: 'Changes per contact' });
    expect(within(preview).getByRole('row', { name: /Bob Ray/ })).toHaveTextContent('City: Springfield → Chicago');
    // Details of the Primary contact's record: refused for a Secondary contact, so the whole update would be.
    expect(screen.getByText(/Ann Lee: Only the Primary contact may change the Primary contact's record./)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: /^Save/ })).toBeDisabled();
    // The levels offered stop at the viewer's own.
    expect(within(screen.getByLabelText('Software access')).getAllByRole('option').map((o) => o.textContent)).toEqual(['No change', 'None']);
  });

  it('bulk update: saves once and lists the refused contacts the server names', async () => {
    const fake = fakeClient({
      BulkTargets: { data: { site: { id: 'site-1', contacts: conn([bob, cat]) } } },
      UpdateContacts: { error: { graphQLErrors: [{ message: 'not allowed', extensions: { code: 'FORBIDDEN', ids: ['3'] } }] } },
    });
    renderPage(<BulkUpdatePage />, { path: '/sites/:number/contacts/bulk', route: '/sites/1234567/contacts/bulk?ids=2,3', client: fake.client, contacts: primary });
    await screen.findByText('2 selected contacts of Site 1234567');
    fireEvent.change(screen.getByLabelText('Reporting'), { target: { value: 'VIEW' } });
    fireEvent.click(await screen.findByRole('button', { name: 'Save 2 contacts' }));
    expect(await screen.findByText('Nothing was saved')).toBeInTheDocument();
    expect(screen.getByText('Refused contacts')).toBeInTheDocument();
    expect(screen.getByText('Cat Sun (cat@example.com)')).toBeInTheDocument();
    const call = fake.calls.find((c) => c.name === 'UpdateContacts')!;
    expect(call.variables).toEqual({ input: { siteId: 'site-1', ids: ['2', '3'], privileges: { reporting: 'VIEW' } } });
  });

  it('transfer primary: requires typing the Site number', async () => {
    const fake = fakeClient({
      TransferCandidates: { data: { site: { id: 'site-1', contacts: { totalCount: 1, edges: [{ node: bob }] } } } },
      TransferPrimary: { data: { transferPrimary: { id: 'site-1', version: 2, primaryContact: bob } } },
    });
    renderPage(<TransferPrimaryPage />, { path: '/sites/:number/transfer', route: '/sites/1234567/transfer', client: fake.client, contacts: primary });
    fireEvent.change(await screen.findByLabelText('New Primary contact'), { target: { value: '2' } });
    fireEvent.click(screen.getByRole('button', { name: 'Transfer primary role…' }));
    const dialog = await screen.findByRole('dialog');
    const confirm = within(dialog).getByRole('button', { name: 'Transfer' });
    expect(confirm).toBeDisabled();
    fireEvent.change(within(dialog).getByLabelText('Type the Site number (1234567) to confirm'), { target: { value: '1234567' } });
    expect(confirm).toBeEnabled();
    fireEvent.click(confirm);
    await waitFor(() => expect(fake.calls.find((c) => c.name === 'TransferPrimary')?.variables).toEqual({ siteId: 'site-1', toContactId: '2' }));
  });

  it('transfer primary: refused to anyone but the Primary contact', () => {
    const { client } = fakeClient({});
    renderPage(<TransferPrimaryPage />, {
      path: '/sites/:number/transfer',
      route: '/sites/1234567/transfer',
      client,
      contacts: [viewerContact('1234567', 'SECONDARY', { manageAccess: 'UPDATE' })],
    });
    expect(screen.getByText('Only the Primary contact may transfer the primary role.')).toBeInTheDocument();
  });

  it('access requests: deny needs a reason', async () => {
    const fake = fakeClient({
      AccessRequests: {
        data: {
          site: {
            id: 'site-1',
            accessRequests: conn([
              { id: 'r1', createdAt: '2025-01-01T00:00:00Z', email: 'dan@example.com', name: 'Dan Fox', justification: 'New admin', status: 'PENDING', expiresAt: '2025-02-01T00:00:00Z', decidedAt: null, decidedBy: null, reason: null },
            ]),
          },
        },
      },
      DecideAccessRequest: { data: { decideAccessRequest: { id: 'r1', status: 'DENIED', decidedAt: null, decidedBy: null, reason: 'x' } } },
    });
    renderPage(<AccessRequestsPage />, { path: '/sites/:number/requests', route: '/sites/1234567/requests', client: fake.client, contacts: primary });
    fireEvent.click(await screen.findByRole('button', { name: 'Deny access to Dan Fox (dan@example.com)' }));
    const dialog = await screen.findByRole('dialog');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Deny request' }));
    expect(await within(dialog).findByText('Say why the request is denied')).toBeInTheDocument();
    fireEvent.change(within(dialog).getByLabelText(/^Reason/), { target: { value: 'Not our company' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Deny request' }));
    await waitFor(() =>
      expect(fake.calls.find((c) => c.name === 'DecideAccessRequest')?.variables).toEqual({ id: 'r1', grant: false, reason: 'Not our company', privileges: undefined }),
    );
  });

  it('partner grants and audit log render for managers', async () => {
    const { client } = fakeClient({
      PartnerGrants: {
        data: { site: { id: 'site-1', partnerGrants: conn([{ id: 'g1', createdAt: '2025-01-01T00:00:00Z', grantedBy: 'ann@example.com', expiresAt: '2099-01-01T00:00:00Z', revokedAt: null, revokedBy: null, partner: { id: 'p1', name: 'Resell Co' } }]) } },
      },
      PartnerChoices: { data: { partners: conn([{ id: 'p1', name: 'Resell Co' }]) } },
      AuditEvents: {
        data: {
          site: {
            id: 'site-1',
            auditEvents: conn([
              { id: 'e1', createdAt: '2025-01-01T00:00:00Z', actorKind: 'USER', actor: 'ann@example.com', action: 'updateContact', targetType: 'Contact', targetLabel: 'Bob Ray', before: { job_title: 'Clerk', user_id: 1 }, after: { job_title: 'Buyer', user_id: 2 }, reason: null, requestID: 'abc', clientAddress: '127.0.0.1' },
              { id: 'e2', createdAt: '2025-01-01T00:00:00Z', actorKind: 'SYSTEM', actor: 'system', action: 'firstSignIn', targetType: 'Contact', targetLabel: 'Bob Ray', before: { status: 'INVITED', user_id: null }, after: { status: 'ACTIVE', user_id: 7 }, reason: null, requestID: '', clientAddress: '' },
            ]),
          },
        },
      },
    });
    const first = renderPage(<PartnerGrantsPage />, { path: '/sites/:number/partners', route: '/sites/1234567/partners', client, contacts: primary });
    expect(await screen.findByRole('button', { name: 'Revoke access of Resell Co' })).toBeInTheDocument();
    expect(screen.getByLabelText(/Access ends on/)).toHaveAttribute('type', 'date');
    first.unmount();
    renderPage(<AuditLogPage />, { path: '/sites/:number/audit', route: '/sites/1234567/audit', client, contacts: primary });
    // Who did what to whom, with labels and values in words; no internal ids or columns.
    const table = await screen.findByRole('table', { name: 'Audit events' });
    await within(table).findByText('changed the details of Bob Ray');
    expect(within(table).getByText('Bob Ray', { selector: 'strong' })).toBeInTheDocument();
    expect(within(table).getByText('signed in for the first time')).toBeInTheDocument();
    expect(table.textContent).toContain('Job title: Clerk → Buyer');
    expect(table.textContent).toContain('Status: Invited → Active');
    expect(table.textContent).not.toMatch(/user_id|abc|127\.0\.0\.1|job_title/);
    fireEvent.click(screen.getByLabelText('Show technical details'));
    expect(await within(table).findByText('request abc')).toBeInTheDocument();
  });

  it('audit filters: a person, an action and whole local days', () => {
    const where = auditWhere({ person: ' dana ', action: 'updateContact', from: '2026-03-01', to: '2026-03-02' });
    expect(where?.person).toBe('dana');
    expect(where?.action).toBe('updateContact');
    expect(new Date(where!.createdAtGTE!).getTime()).toBe(new Date('2026-03-01T00:00:00').getTime());
    expect(new Date(where!.createdAtLT!).getTime()).toBe(new Date('2026-03-03T00:00:00').getTime());
    expect(auditWhere({ person: '', action: '', from: '', to: '' })).toBeUndefined();
  });

  it('request access checks the Site number', async () => {
    const { client } = fakeClient({});
    renderPage(<RequestAccessPage />, { path: '/sites/:number', route: '/sites/1234567', client, contacts: [] });
    fireEvent.change(screen.getByLabelText(/^Site number/), { target: { value: '12' } });
    fireEvent.click(screen.getByRole('button', { name: 'Request access' }));
    expect(await screen.findByText('A Site number has 7 digits')).toBeInTheDocument();
  });

  it('operator pages are refused to non-operators and shown to operators', async () => {
    const { client } = fakeClient({
      OperatorSites: { data: { sites: conn([{ id: 's1', number: '1234567', name: 'Acme', customerNumber: 'C1', program: 'STANDARD', status: 'ACTIVE', reviewDueAt: '2030-01-01T00:00:00Z' }]) } },
      OperatorPartners: { data: { partners: conn([{ id: 'p1', name: 'Resell Co', clientId: 'resell', createdAt: '2025-01-01T00:00:00Z' }]) } },
      BreakGlassSites: { data: { sites: conn([]) } },
    });
    const denied = renderPage(<OperatorSitesPage />, { path: '/sites/:number', route: '/sites/1234567', client, contacts: primary });
    expect(screen.getByText('Only operators manage Sites.')).toBeInTheDocument();
    denied.unmount();
    const sites = renderPage(<OperatorSitesPage />, { path: '/sites/:number', route: '/sites/1234567', client, contacts: [], isOperator: true });
    expect(await screen.findByRole('link', { name: '1234567' })).toBeInTheDocument();
    sites.unmount();
    const partners = renderPage(<OperatorPartnersPage />, { path: '/sites/:number', route: '/sites/1234567', client, contacts: [], isOperator: true });
    expect(await screen.findByText('resell')).toBeInTheDocument();
    partners.unmount();
    renderPage(<BreakGlassPage />, { path: '/sites/:number', route: '/sites/1234567', client, contacts: [], isOperator: true });
    expect(screen.getByRole('button', { name: 'Reassign primary…' })).toBeDisabled();
  });
});
