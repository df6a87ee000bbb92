// Add (invite) a contact: a USER by managers, a Secondary contact by the Primary contact only, with the
// privileges the viewer may grant and the invitation's lifetime.
import { Alert, Button, Card, Group, NumberInput, Radio, Stack, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useEffect, useState } from 'react';
import { useNavigate } from 'react-router';
import { useMutation, useQuery, type CombinedError } from 'urql';
import { ContactFields } from '../components/ContactFields';
import { Denied } from '../components/Denied';
import { ErrorAlert } from '../components/ErrorAlert';
import { PageHeader } from '../components/PageHeader';
import { PrivilegesEditor } from '../components/PrivilegesEditor';
import { useSite } from '../components/SiteContext';
import { AFTER_SAVE, UnsavedChangesGuard } from '../components/UnsavedChangesGuard';
import { useViewer } from '../components/ViewerContext';
import { graphql } from '../gql';
import type { AccessRole, AddContactInput } from '../gql/graphql';
import { apiErrors } from '../lib/errors';
import { ROLE_LABELS, formatDateTime, fullName } from '../lib/format';
import { clearDraft, loadDraft, saveDraft, useDiscardDraftOnLeave } from '../lib/drafts';
import { addableRoles, offeredLevels } from '../lib/permissions';
import { NO_PRIVILEGES, PRIVILEGE_NAMES, changedPrivileges, type PrivilegeName, type Privileges } from '../lib/privileges';
import { EMPTY_CONTACT, detailsInput, formFieldOf, validateContact, type ContactFields as Fields } from '../lib/validation';
import { focusFirstError, keepFieldFocused } from '../lib/focus';

const AddContact = graphql(`
  mutation AddContact($input: AddContactInput!) {
    addContact(input: $input) {
      id
      firstName
      lastName
      email
      accessRole
      status
      invitationExpiresAt
      version
    }
  }
`);

const SecondaryCountForAdd = graphql(`
  query SecondaryCountForAdd($number: String!) {
    site(number: $number) {
      id
      contacts(first: 1, where: { accessRole: SECONDARY }) {
        totalCount
      }
    }
  }
`);

interface Values extends Fields {
  invitationDays: number;
}

/** What the form keeps as a draft. */
interface AddDraft {
  values: Values;
  role: AccessRole;
  privileges: Privileges;
}

export default function AddContactPage() {
  const { site, actor, abilities } = useSite();
  const { instance } = useViewer();
  const navigate = useNavigate();
  const roles = addableRoles(actor);
  const [role, setRole] = useState<AccessRole>(roles[0] ?? 'USER');
  const [privs, setPrivs] = useState<Privileges>(NO_PRIVILEGES);
  const [privErrors, setPrivErrors] = useState<Partial<Record<PrivilegeName, string>>>({});
  const [error, setError] = useState<CombinedError | null>(null);
  const [saved, setSaved] = useState(false);
  const [{ fetching }, addContact] = useMutation(AddContact);
  const [secondaries] = useQuery({ query: SecondaryCountForAdd, variables: { number: site.number }, pause: !abilities.isPrimary });
  const secondaryCount = secondaries.data?.site?.contacts.totalCount;

  const form = useForm<Values>({
    mode: 'controlled',
    initialValues: { ...EMPTY_CONTACT, invitationDays: 7 },
    validate: (values) => {
      const errors: Record<string, string> = { ...validateContact(values) };
      if (!Number.isInteger(values.invitationDays) || values.invitationDays < 1 || values.invitationDays > 30) {
        errors.invitationDays = 'An invitation lasts 1 to 30 days';
      }
      return errors;
    },
    validateInputOnBlur: true,
  });

  // A draft survives a session that ends before the contact is added (see lib/drafts).
  const draftKey = `add:${site.number}`;
  const [draft] = useState(() => loadDraft<AddDraft>(draftKey));
  useDiscardDraftOnLeave(draftKey);
  useEffect(() => {
    if (!draft) return;
    form.setValues(draft.values.values);
    setRole(draft.values.role);
    setPrivs(draft.values.privileges);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  const changed = form.isDirty() || PRIVILEGE_NAMES.some((p) => privs[p] !== NO_PRIVILEGES[p]);
  useEffect(() => {
    if (changed && !saved) saveDraft<AddDraft>(draftKey, 0, { values: form.getValues(), role, privileges: privs });
  }, [changed, saved, form.values, role, privs, draftKey]); // eslint-disable-line react-hooks/exhaustive-deps

  if (roles.length === 0) {
    return (
      <>
        <PageHeader title="Add contact" />
        <Denied reason={abilities.canAddContact.reason ?? 'You may not add contacts to this Site.'} />
      </>
    );
  }

  const target = { id: null, accessRole: role };
  const offered = offeredLevels(actor, target);
  const dirty = !saved && changed;
  const secondaryFull = role === 'SECONDARY' && secondaryCount !== undefined && secondaryCount >= instance.maxSecondary;

  const onSubmit = async (values: Values) => {
    setError(null);
    setPrivErrors({});
    const input: AddContactInput = {
      siteId: site.id,
      accessRole: role,
      businessJustification: values.businessJustification.trim(),
      invitationDays: values.invitationDays,
      privileges: changedPrivileges(NO_PRIVILEGES, privs),
      details: detailsInput(values),
    };
    const r = await addContact({ input });
    if (r.error || !r.data) {
      for (const e of apiErrors(r.error)) {
        for (const f of e.fields) {
          const name = formFieldOf(f);
          if ((PRIVILEGE_NAMES as readonly string[]).includes(name)) setPrivErrors((pe) => ({ ...pe, [name]: e.message }));
          else form.setFieldError(name, e.message);
        }
      }
      setError(r.error ?? null);
      return;
    }
    setSaved(true);
    clearDraft(draftKey);
    const c = r.data.addContact;
    notifications.show({ color: 'teal', title: 'Invitation created', message: `${fullName(c)} is invited as ${ROLE_LABELS[c.accessRole]}.` });
    navigate(`/sites/${site.number}/contacts/${c.id}`, { replace: true, state: AFTER_SAVE });
  };

  return (
    <>
      <UnsavedChangesGuard when={dirty} />
      <PageHeader title="Add contact" subtitle={`Site ${site.number} · ${site.name}`} />
      <form onSubmit={form.onSubmit((values) => void onSubmit(values), focusFirstError)} noValidate aria-label="Add contact">
        <Stack>
          {draft && (
            <Alert color="blue" title="Your unsaved changes are back" role="status">
              You had started this contact ({formatDateTime(draft.savedAt)}) before your session ended. Check it and add it.
            </Alert>
          )}
          {error && <ErrorAlert error={error} title="Not added" />}
          <Card withBorder>
            <Stack>
              <Radio.Group
                label="Role"
                value={role}
                onChange={(v) => {
                  setRole(v as AccessRole);
                  setPrivs(NO_PRIVILEGES);
                }}
                description={roles.includes('SECONDARY') ? undefined : 'Only the Primary contact may add Secondary contacts.'}
              >
                <Group mt="xs">
                  <Radio value="USER" label="User" disabled={!roles.includes('USER')} />
                  <Radio value="SECONDARY" label="Secondary contact" disabled={!roles.includes('SECONDARY')} />
                </Group>
              </Radio.Group>
              {secondaryFull && (
                <Alert color="orange" role="note">
                  This Site already has {instance.maxSecondary} Secondary contacts, the most it may have.
                </Alert>
              )}
              <ContactFields form={form} />
              <NumberInput
                label="Invitation lasts (days)"
                description="The person must sign in within this time; 7 days unless you choose otherwise, at most 30."
                min={1}
                max={30}
                allowDecimal={false}
                w={260}
                {...form.getInputProps('invitationDays')}
              />
            </Stack>
          </Card>
          <PrivilegesEditor
            value={privs}
            onChange={(p) => {
              setPrivs(p);
              setPrivErrors({});
            }}
            offered={offered.levels}
            decision={offered.decision}
            errors={privErrors}
          />
          <Group>
            <Button type="submit" loading={fetching} disabled={secondaryFull} onMouseDown={keepFieldFocused}>
              Add contact
            </Button>
            <Text size="sm" c="dimmed">
              The contact stays Invited until the person signs in with this email.
            </Text>
          </Group>
        </Stack>
      </form>
    </>
  );
}
