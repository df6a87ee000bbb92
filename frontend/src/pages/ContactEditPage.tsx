// Edit one contact: details and privileges change only on Save (updateContact with the changed
// fields, then setPrivileges), with inline validation, a guard against leaving unsaved changes,
// the other person's values side by side on a CONFLICT, and the fields the server names on a
// BAD_USER_INPUT marked. Role, status and contact types are separate actions below.
import { Alert, Anchor, Badge, Button, Card, Center, Grid, Group, Loader, Stack, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import { useClient, useMutation, useQuery } from 'urql';
import type { CombinedError } from 'urql';
import { ConflictPanel, keepMine, type ConflictSnapshot } from '../components/ConflictPanel';
import { ContactAccessActions } from '../components/ContactAccessActions';
import { ContactFields } from '../components/ContactFields';
import { ErrorAlert } from '../components/ErrorAlert';
import { PageHeader } from '../components/PageHeader';
import { PrivilegesEditor } from '../components/PrivilegesEditor';
import { useSite } from '../components/SiteContext';
import { UnsavedChangesGuard } from '../components/UnsavedChangesGuard';
import { useViewer } from '../components/ViewerContext';
import { graphql } from '../gql';
import type { ContactEditQuery, UpdateContactInput } from '../gql/graphql';
import { apiErrors } from '../lib/errors';
import { ROLE_LABELS, STATUS_LABELS, formatDateTime, fullName } from '../lib/format';
import { canEditContact, offeredLevels } from '../lib/permissions';
import { PRIVILEGE_NAMES, changedPrivileges, pickPrivileges, type PrivilegeName, type Privileges } from '../lib/privileges';
import { CONTACT_FIELD_LABELS, contactPatch, formFieldOf, toContactFields, validateContact, type ContactFields as Fields } from '../lib/validation';
import { clearDraft, loadDraft, saveDraft, useDiscardDraftOnLeave } from '../lib/drafts';
import { focusFirstError, keepFieldFocused } from '../lib/focus';

/** Why a signed-in person's email is not edited here (SPEC section 3). */
export const SIGNED_IN_EMAIL =
  'The email this person signs in with. It changes at their identity provider and is updated here at their next sign-in.';

const ContactEditQueryDocument = graphql(`
  query ContactEdit($id: ID!) {
    node(id: $id) {
      ... on Contact {
        id
        version
        email
        firstName
        lastName
        phone
        city
        stateProvince
        postalCode
        street
        country
        jobTitle
        language
        businessJustification
        accessRole
        status
        contactTypes
        invitedBy
        invitationExpiresAt
        lastSignInAt
        signedIn
        createdAt
        updatedAt
        privileges {
          softwareAccess
          reporting
          entitlements
          manageAccess
          contactUpdates
          accountDocuments
        }
        site {
          id
          number
        }
      }
    }
  }
`);

const UpdateContact = graphql(`
  mutation UpdateContact($id: ID!, $input: UpdateContactInput!, $expectedVersion: Int!) {
    updateContact(id: $id, input: $input, expectedVersion: $expectedVersion) {
      id
      version
      email
      firstName
      lastName
      phone
      city
      stateProvince
      postalCode
      street
      country
      jobTitle
      language
      businessJustification
      updatedAt
    }
  }
`);

const SetPrivileges = graphql(`
  mutation SetPrivileges($id: ID!, $privileges: PrivilegesInput!, $expectedVersion: Int!) {
    setPrivileges(id: $id, privileges: $privileges, expectedVersion: $expectedVersion) {
      id
      version
      updatedAt
      privileges {
        softwareAccess
        reporting
        entitlements
        manageAccess
        contactUpdates
        accountDocuments
      }
    }
  }
`);

type Contact = Extract<NonNullable<ContactEditQuery['node']>, { email: string }>;

/** What a contact's form keeps as a draft. */
interface ContactDraft {
  fields: Fields;
  privileges: Privileges;
}

/** The fields of a draft that differ from the record, as "Label: value". */
function draftSummary(fields: Fields, saved: Fields): string {
  const changed = (Object.keys(CONTACT_FIELD_LABELS) as (keyof Fields)[]).filter((f) => fields[f] !== saved[f]);
  return changed.length ? changed.map((f) => `${CONTACT_FIELD_LABELS[f]}: ${fields[f] || '(empty)'}`).join('; ') : 'privileges only';
}

function asContact(node: ContactEditQuery['node'] | undefined): Contact | null {
  return node && 'email' in node ? (node as Contact) : null;
}

export default function ContactEditPage() {
  const { id = '' } = useParams();
  const { site } = useSite();
  const [result, reexecute] = useQuery({ query: ContactEditQueryDocument, variables: { id } });
  const contact = asContact(result.data?.node);

  if (result.fetching && !result.data) {
    return (
      <Center py="xl">
        <Loader aria-label="Loading the contact" />
      </Center>
    );
  }
  if (result.error && !result.data) return <ErrorAlert error={result.error} onRetry={() => reexecute({ requestPolicy: 'network-only' })} />;
  if (!contact || contact.site.number !== site.number) {
    return (
      <>
        <PageHeader title="Contact not found" />
        <Text>
          This contact does not exist on Site {site.number}, or is not visible to you.{' '}
          <Anchor component={Link} to={`/sites/${site.number}/contacts`}>
            Back to the contacts
          </Anchor>
        </Text>
      </>
    );
  }
  return <ContactEditor key={contact.id} contact={contact} reload={() => reexecute({ requestPolicy: 'network-only' })} />;
}

function ContactEditor({ contact, reload }: { contact: Contact; reload: () => void }) {
  const { site, actor, abilities } = useSite();
  const { viewer } = useViewer();
  const client = useClient();
  const [, updateContact] = useMutation(UpdateContact);
  const [, setPrivileges] = useMutation(SetPrivileges);

  const savedFields = useMemo(() => toContactFields(contact), [contact]);
  const savedPrivileges = useMemo(() => pickPrivileges(contact.privileges), [contact.privileges]);
  const target = { id: contact.id, accessRole: contact.accessRole, status: contact.status, lastSignInAt: contact.lastSignInAt };
  const editDecision = canEditContact(actor, target);
  const privileges = offeredLevels(actor, target);
  const isSelf = actor.membership?.contactId === contact.id;

  const form = useForm<Fields>({
    mode: 'controlled',
    initialValues: savedFields,
    validate: (values) => validateContact(values),
    validateInputOnBlur: true,
  });
  const [privs, setPrivs] = useState<Privileges>(savedPrivileges);
  const [privErrors, setPrivErrors] = useState<Partial<Record<PrivilegeName, string>>>({});
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<CombinedError | null>(null);
  const [conflict, setConflict] = useState<ConflictSnapshot | null>(null);

  const privilegesDirty = PRIVILEGE_NAMES.some((p) => privs[p] !== savedPrivileges[p]);
  const dirty = form.isDirty() || privilegesDirty;

  // Changes survive a session that ends before Save: kept per contact and version while the
  // form has them, put back when the person returns after signing in again.
  const draftKey = `contact:${contact.id}`;
  const [draft] = useState(() => loadDraft<ContactDraft>(draftKey));
  const restored = draft !== null && draft.version === contact.version;
  useDiscardDraftOnLeave(draftKey);
  useEffect(() => {
    if (!draft) return;
    if (!restored) {
      clearDraft(draftKey); // shown once, below; the record moved on
      return;
    }
    form.setValues(draft.values.fields);
    setPrivs(draft.values.privileges);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  // The version the form's edits start from: the draft is kept under it, not under a newer
  // version that arrived meanwhile (a conflict), which the edits never saw.
  const baseVersion = useRef(contact.version);
  useEffect(() => {
    if (conflict) return;
    if (dirty) saveDraft<ContactDraft>(draftKey, baseVersion.current, { fields: form.getValues(), privileges: privs });
    else clearDraft(draftKey);
  }, [dirty, conflict, form.values, privs, draftKey]); // eslint-disable-line react-hooks/exhaustive-deps
  const [draftNotice, setDraftNotice] = useState(draft !== null);

  // A newer version that arrives while nothing is being edited replaces the form's values.
  // A refused Save is answered at the top of the form, often out of view from the Save button:
  // bring the answer into view and move focus there.
  const outcomeRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!conflict && !saveError) return;
    outcomeRef.current?.scrollIntoView?.({ block: 'start', behavior: 'smooth' });
    outcomeRef.current?.focus({ preventScroll: true });
  }, [conflict, saveError]);

  const lastVersion = useRef(contact.version);
  useEffect(() => {
    if (contact.version === lastVersion.current) return;
    lastVersion.current = contact.version;
    if (!dirty && !conflict) {
      baseVersion.current = contact.version;
      form.setInitialValues(savedFields);
      form.setValues(savedFields);
      form.resetDirty(savedFields);
      setPrivs(savedPrivileges);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [contact.version]);

  const showConflict = useCallback(
    async (message: string) => {
      const r = await client.query(ContactEditQueryDocument, { id: contact.id }, { requestPolicy: 'network-only' }).toPromise();
      const theirs = asContact(r.data?.node);
      if (!theirs) {
        setSaveError(r.error ?? null);
        return;
      }
      setConflict({
        message,
        base: form.getInitialValues(),
        basePrivileges: savedPrivileges,
        mine: form.getValues(),
        minePrivileges: privs,
        theirs: toContactFields(theirs),
        theirPrivileges: pickPrivileges(theirs.privileges),
        theirVersion: theirs.version,
      });
    },
    [client, contact.id, form, privs, savedPrivileges],
  );

  /** A failed save: the conflict view, or the error with the fields it names marked. */
  const handleError = async (error: CombinedError) => {
    const errors = apiErrors(error);
    const conflictError = errors.find((e) => e.code === 'CONFLICT');
    if (conflictError) {
      await showConflict(conflictError.message);
      return;
    }
    for (const e of errors) {
      for (const f of e.fields) {
        const name = formFieldOf(f);
        if ((PRIVILEGE_NAMES as readonly string[]).includes(name)) {
          setPrivErrors((pe) => ({ ...pe, [name]: e.message }));
        } else if (name in savedFields) {
          form.setFieldError(name, e.message);
        }
      }
    }
    // The summary above the form; the fields the server named are marked as well.
    setSaveError(error);
  };

  const onSave = async () => {
    setSaveError(null);
    setPrivErrors({});
    const checked = form.validate();
    if (checked.hasErrors) {
      focusFirstError(checked.errors);
      return;
    }
    setSaving(true);
    try {
      let version = contact.version;
      const patch = contactPatch(savedFields, form.getValues()) as UpdateContactInput;
      if (Object.keys(patch).length > 0) {
        const r = await updateContact({ id: contact.id, input: patch, expectedVersion: version });
        if (r.error || !r.data) {
          if (r.error) await handleError(r.error);
          return;
        }
        version = r.data.updateContact.version;
        const saved = toContactFields(r.data.updateContact);
        form.setInitialValues(saved);
        form.setValues(saved);
        form.resetDirty(saved);
      }
      const privPatch = changedPrivileges(savedPrivileges, privs);
      if (Object.keys(privPatch).length > 0) {
        const r = await setPrivileges({ id: contact.id, privileges: privPatch, expectedVersion: version });
        if (r.error || !r.data) {
          if (r.error) await handleError(r.error);
          return;
        }
        setPrivs(pickPrivileges(r.data.setPrivileges.privileges));
      }
      clearDraft(draftKey);
      setDraftNotice(false);
      notifications.show({ color: 'teal', title: 'Saved', message: `${fullName(form.getValues())} is up to date.` });
      reload();
    } finally {
      setSaving(false);
    }
  };

  const onReloadTheirs = () => {
    if (!conflict) return;
    baseVersion.current = conflict.theirVersion;
    form.setInitialValues(conflict.theirs);
    form.setValues(conflict.theirs);
    form.resetDirty(conflict.theirs);
    setPrivs(conflict.theirPrivileges);
    setConflict(null);
    setSaveError(null);
    reload();
  };

  const onKeepMine = () => {
    if (!conflict) return;
    baseVersion.current = conflict.theirVersion;
    // The saved values are now theirs (the query was refreshed). What this person changed stays
    // in the form as edits; every other field takes their newer value, so saving again does not
    // quietly undo what they saved.
    const kept = keepMine(conflict);
    form.setInitialValues(conflict.theirs);
    form.setValues(kept.fields);
    setPrivs(kept.privileges);
    setConflict(null);
    setSaveError(null);
  };

  const onDiscard = () => {
    clearDraft(draftKey);
    setDraftNotice(false);
    form.setValues(savedFields);
    form.resetDirty(savedFields);
    setPrivs(savedPrivileges);
    form.clearErrors();
    setPrivErrors({});
    setSaveError(null);
  };

  const canSaveSomething = editDecision.allowed || privileges.decision.allowed;
  const title = isSelf ? 'My contact details' : fullName(contact);

  return (
    <>
      <UnsavedChangesGuard when={dirty} />
      <PageHeader
        title={title}
        subtitle={
          <Group gap="xs">
            <span>{contact.email}</span>
            <Badge variant="light">{ROLE_LABELS[contact.accessRole]}</Badge>
            <Badge variant="dot">{STATUS_LABELS[contact.status]}</Badge>
          </Group>
        }
        actions={
          abilities.canListContacts && (
            <Button component={Link} to={`/sites/${site.number}/contacts`} variant="default">
              All contacts
            </Button>
          )
        }
      />
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, lg: 8 }}>
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void onSave();
            }}
            aria-label="Contact details"
            noValidate
          >
            <Stack>
              {(conflict || saveError) && (
                <div ref={outcomeRef} tabIndex={-1} style={{ outline: 'none', scrollMarginTop: 'calc(var(--app-shell-header-height, 0px) + 16px)' }}>
                  {conflict ? (
                    <ConflictPanel conflict={conflict} onReload={onReloadTheirs} onKeepMine={onKeepMine} />
                  ) : (
                    saveError && <ErrorAlert error={saveError} title="Not saved" />
                  )}
                </div>
              )}
              {draftNotice && draft && (
                <Alert
                  color={restored ? 'blue' : 'orange'}
                  title={restored ? 'Your unsaved changes are back' : 'Your unsaved changes were not restored'}
                  role="status"
                  withCloseButton
                  closeButtonLabel="Dismiss"
                  onClose={() => setDraftNotice(false)}
                >
                  {restored
                    ? `You had changed this record without saving it (${formatDateTime(draft.savedAt)}), before your session ended. Check the changes and save them, or discard them.`
                    : `You had changed this record without saving it (${formatDateTime(draft.savedAt)}), but someone has saved it since. Your changes were: ${draftSummary(draft.values.fields, savedFields)}.`}
                </Alert>
              )}
              {!editDecision.allowed && (
                <Alert color="gray" title="Read only" role="note">
                  {editDecision.reason}
                </Alert>
              )}
              <Card withBorder>
                <ContactFields
                  form={form}
                  readOnly={!editDecision.allowed}
                  lockedFields={contact.signedIn ? { email: SIGNED_IN_EMAIL } : undefined}
                />
              </Card>
              <PrivilegesEditor
                value={privs}
                onChange={(p) => {
                  setPrivs(p);
                  setPrivErrors({});
                }}
                offered={privileges.levels}
                decision={privileges.decision}
                initial={savedPrivileges}
                errors={privErrors}
              />
              {canSaveSomething && (
                <Group>
                  <Button type="submit" loading={saving} disabled={!dirty || Boolean(conflict)} onMouseDown={keepFieldFocused}>
                    Save
                  </Button>
                  <Button variant="default" onClick={onDiscard} disabled={!dirty || saving}>
                    Discard changes
                  </Button>
                  {dirty && (
                    <Text size="sm" c="orange.9" role="status">
                      Unsaved changes
                    </Text>
                  )}
                </Group>
              )}
            </Stack>
          </form>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 4 }}>
          <Stack>
            <ContactAccessActions
              site={site}
              actor={actor}
              abilities={abilities}
              contact={contact}
              blockedReason={dirty ? 'Save or discard your changes first.' : undefined}
              onChanged={reload}
            />
            <Card withBorder component="section" aria-label="Record">
              <Stack gap={4}>
                <Text size="sm">Invited by: {contact.invitedBy || '—'}</Text>
                {contact.status === 'INVITED' && <Text size="sm">Invitation expires: {formatDateTime(contact.invitationExpiresAt)}</Text>}
                <Text size="sm">Last sign-in: {formatDateTime(contact.lastSignInAt)}</Text>
                <Text size="sm">Created: {formatDateTime(contact.createdAt)}</Text>
                <Text size="sm">Updated: {formatDateTime(contact.updatedAt)}</Text>
                {viewer.isOperator && !actor.membership && (
                  <Text size="xs" c="dimmed">
                    You act as an operator on this Site.
                  </Text>
                )}
              </Stack>
            </Card>
          </Stack>
        </Grid.Col>
      </Grid>
    </>
  );
}
