// Bulk update: one patch of details and/or privileges for the selected contacts (?ids=1,2) or all
// the contacts page shows (?all=1 with its filters), a preview of what changes per contact, the
// contacts the server would refuse with a way to leave them out, and one all-or-nothing Save.
import { Alert, Anchor, Button, Checkbox, Fieldset, Group, List, Loader, NativeSelect, Select, SimpleGrid, Stack, Table, Text, TextInput } from '@mantine/core';
import { COUNTRY_OPTIONS, LANGUAGE_OPTIONS } from '../lib/contactinfo';
import { notifications } from '@mantine/notifications';
import { useEffect, useMemo, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useClient, useMutation, type CombinedError } from 'urql';
import { Denied } from '../components/Denied';
import { ErrorAlert } from '../components/ErrorAlert';
import { PageHeader } from '../components/PageHeader';
import { Section } from '../components/Section';
import { ScrollRegion } from '../components/ScrollRegion';
import { useSite } from '../components/SiteContext';
import { AFTER_SAVE, UnsavedChangesGuard } from '../components/UnsavedChangesGuard';
import { graphql } from '../gql';
import type { BulkTargetsQueryVariables, ContactWhereInput, UpdateContactsInput } from '../gql/graphql';
import { BULK_DETAIL_FIELDS, bulkDetailsInput, bulkPreview, type BulkContact, type BulkDetailField, type BulkDetails } from '../lib/bulk';
import { apiErrors } from '../lib/errors';
import { fullName } from '../lib/format';
import { canEditContact, canSetPrivileges, offeredLevels } from '../lib/permissions';
import { LEVEL_LABELS, PRIVILEGE_LABELS, PRIVILEGE_NAMES, type Level, type PrivilegesPatch } from '../lib/privileges';
import { CONTACT_FIELD_LABELS, validateContactField } from '../lib/validation';
import { contactWhere, filtersFromParams, hasFilters } from '../lib/contactFilters';

const BulkTargets = graphql(`
  query BulkTargets($number: String!, $first: Int!, $after: Cursor, $where: ContactWhereInput) {
    site(number: $number) {
      id
      contacts(first: $first, after: $after, where: $where, orderBy: { field: LAST_NAME, direction: ASC }) {
        pageInfo {
          hasNextPage
          endCursor
        }
        edges {
          node {
            id
            firstName
            lastName
            email
            accessRole
            status
            phone
            street
            city
            stateProvince
            postalCode
            country
            jobTitle
            language
            businessJustification
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
      }
    }
  }
`);

const UpdateContacts = graphql(`
  mutation UpdateContacts($input: UpdateContactsInput!) {
    updateContacts(input: $input) {
      id
      version
      phone
      street
      city
      stateProvince
      postalCode
      country
      jobTitle
      language
      businessJustification
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

type Target = BulkContact & { accessRole: 'PRIMARY' | 'SECONDARY' | 'USER'; status: string };

export function parseIds(param: string | null): string[] {
  return [...new Set((param ?? '').split(',').map((s) => s.trim()).filter(Boolean))];
}

export default function BulkUpdatePage() {
  const { site, actor, abilities } = useSite();
  const client = useClient();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const all = params.get('all') === '1';
  const ids = useMemo(() => parseIds(params.get('ids')), [params]);
  const filters = useMemo(() => filtersFromParams(params), [params]);
  const filtered = all && hasFilters(filters);
  const [excluded, setExcluded] = useState<Set<string>>(new Set());
  const [targets, setTargets] = useState<Target[] | null>(null);
  const [loadError, setLoadError] = useState<CombinedError | null>(null);
  const [enabled, setEnabled] = useState<Partial<Record<BulkDetailField, boolean>>>({});
  const [values, setValues] = useState<Partial<Record<BulkDetailField, string>>>({});
  const [privPatch, setPrivPatch] = useState<PrivilegesPatch>({});
  const [saveError, setSaveError] = useState<CombinedError | null>(null);
  const [refusedIds, setRefusedIds] = useState<string[]>([]);
  const [done, setDone] = useState(false);
  const [{ fetching: saving }, updateContacts] = useMutation(UpdateContacts);

  useEffect(() => {
    let cancelled = false;
    (async () => {
      const where: ContactWhereInput | undefined = all ? contactWhere(filters) : { idIn: ids };
      const out: Target[] = [];
      let after: string | null | undefined = null;
      for (;;) {
        const variables: BulkTargetsQueryVariables = { number: site.number, first: 100, after, where };
        const r = await client.query(BulkTargets, variables, { requestPolicy: 'network-only' }).toPromise();
        if (cancelled) return;
        if (r.error) {
          setLoadError(r.error);
          return;
        }
        const conn = r.data?.site?.contacts;
        for (const e of conn?.edges ?? []) if (e?.node) out.push(e.node as unknown as Target);
        if (!conn?.pageInfo.hasNextPage || !conn.pageInfo.endCursor) break;
        after = conn.pageInfo.endCursor;
      }
      setTargets(out);
    })();
    return () => {
      cancelled = true;
    };
  }, [client, site.number, all, ids, filters]);

  const details: BulkDetails = useMemo(() => {
    const d: BulkDetails = {};
    for (const f of BULK_DETAIL_FIELDS) if (enabled[f]) d[f] = (values[f] ?? '').trim();
    return d;
  }, [enabled, values]);
  const fieldErrors = useMemo(() => {
    const e: Partial<Record<BulkDetailField, string>> = {};
    for (const f of BULK_DETAIL_FIELDS) {
      if (!enabled[f]) continue;
      const err = validateContactField(f, values[f] ?? '', {});
      if (err) e[f] = err;
    }
    return e;
  }, [enabled, values]);
  const hasDetails = Object.keys(details).length > 0;
  const hasPrivileges = Object.keys(privPatch).length > 0;
  // The Primary contact always holds every privilege: a privilege change leaves it out by itself.
  const primaryLeftOut = hasPrivileges ? (targets ?? []).filter((t) => t.accessRole === 'PRIMARY') : [];
  const included = useMemo(
    () => (targets ?? []).filter((t) => !excluded.has(t.id) && !(hasPrivileges && t.accessRole === 'PRIMARY')),
    [targets, excluded, hasPrivileges],
  );
  const preview = useMemo(() => bulkPreview(included, details, privPatch), [included, details, privPatch]);
  const offered = offeredLevels(actor, { id: null, accessRole: 'USER' });

  // The same rules the server applies to every record; one refusal refuses all.
  const refusals = useMemo(
    () =>
      included.flatMap((t) => {
        const target = { id: t.id, accessRole: t.accessRole };
        const d = hasDetails ? canEditContact(actor, target) : { allowed: true as const };
        if (!d.allowed) return [{ contact: t, reason: d.reason }];
        const p = hasPrivileges ? canSetPrivileges(actor, target) : { allowed: true as const };
        if (!p.allowed) return [{ contact: t, reason: p.reason }];
        return [];
      }),
    [included, actor, hasDetails, hasPrivileges],
  );
  const leaveOut = (leaving: string[]) => {
    setExcluded((prev) => new Set([...prev, ...leaving]));
    setRefusedIds([]);
    setSaveError(null);
  };

  if (!abilities.canBulkEdit.allowed) {
    return (
      <>
        <PageHeader title="Bulk update" />
        <Denied reason={abilities.canBulkEdit.reason} />
      </>
    );
  }
  if (!all && ids.length === 0) {
    return (
      <>
        <PageHeader title="Bulk update" />
        <Text>
          No contacts chosen. Select contacts on the{' '}
          <Anchor component={Link} to={`/sites/${site.number}/contacts`}>
            contacts page
          </Anchor>
          , or update all of them.
        </Text>
      </>
    );
  }

  const changing = preview.filter((r) => r.changes.length > 0);
  const dirty = !done && (hasDetails || hasPrivileges);
  const invalid = Object.keys(fieldErrors).length > 0;
  const byId = new Map((targets ?? []).map((t) => [t.id, t]));

  const onSave = async () => {
    setSaveError(null);
    setRefusedIds([]);
    // Always the ids: "all" is the contacts the page showed, less those left out.
    const input: UpdateContactsInput = {
      siteId: site.id,
      ids: changing.map((r) => r.contact.id),
      ...(hasDetails ? { details: bulkDetailsInput(details) } : {}),
      ...(hasPrivileges ? { privileges: privPatch } : {}),
    };
    const r = await updateContacts({ input });
    if (r.error || !r.data) {
      setSaveError(r.error ?? null);
      setRefusedIds(apiErrors(r.error).flatMap((e) => e.ids));
      return;
    }
    setDone(true);
    notifications.show({ color: 'teal', title: 'Contacts updated', message: `${r.data.updateContacts.length} contacts saved.` });
    navigate(`/sites/${site.number}/contacts`, { state: AFTER_SAVE });
  };

  return (
    <>
      <UnsavedChangesGuard when={dirty} />
      <PageHeader
        title="Bulk update"
        subtitle={
          targets
            ? filtered
              ? `The ${targets.length} contacts the contacts page shows with its filters (Site ${site.number})`
              : all
                ? `All ${targets.length} contacts of Site ${site.number}`
                : `${targets.length} selected contacts of Site ${site.number}`
            : `Site ${site.number}`
        }
        actions={
          <Button component={Link} to={`/sites/${site.number}/contacts`} variant="default">
            Back to contacts
          </Button>
        }
      />
      <Stack>
        {loadError && <ErrorAlert error={loadError} />}
        {!targets && !loadError && <Loader aria-label="Loading the contacts" />}
        {targets && !all && targets.length < ids.length && (
          <Alert color="orange" role="note">
            {ids.length - targets.length} of the chosen contacts are no longer on this Site and are left out.
          </Alert>
        )}
        <Fieldset legend="Details to set">
          <Text size="sm" c="dimmed" mb="sm">
            Tick a field to set it to the same value on every contact. Emails are changed contact by contact.
          </Text>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            {BULK_DETAIL_FIELDS.map((f) => (
              <Group key={f} align="flex-start" wrap="nowrap" gap="xs">
                <Checkbox
                  mt={30}
                  aria-label={`Change ${CONTACT_FIELD_LABELS[f]}`}
                  checked={Boolean(enabled[f])}
                  onChange={(e) => {
                    const checked = e.currentTarget.checked;
                    setEnabled((s) => ({ ...s, [f]: checked }));
                  }}
                />
                {f === 'country' || f === 'language' ? (
                  <Select
                    style={{ flex: 1 }}
                    label={CONTACT_FIELD_LABELS[f]}
                    disabled={!enabled[f]}
                    data={f === 'country' ? COUNTRY_OPTIONS : LANGUAGE_OPTIONS}
                    searchable
                    clearable
                    placeholder={f === 'country' ? 'No country' : 'No language'}
                    value={values[f] || null}
                    onChange={(v) => setValues((s) => ({ ...s, [f]: v ?? '' }))}
                    error={fieldErrors[f]}
                  />
                ) : (
                  <TextInput
                    style={{ flex: 1 }}
                    label={CONTACT_FIELD_LABELS[f]}
                    description={f === 'phone' ? 'With the country code, such as +1 937 555 0142' : undefined}
                    disabled={!enabled[f]}
                    value={values[f] ?? ''}
                    onChange={(e) => {
                      const v = e.currentTarget.value;
                      setValues((s) => ({ ...s, [f]: v }));
                    }}
                    error={fieldErrors[f]}
                  />
                )}
              </Group>
            ))}
          </SimpleGrid>
        </Fieldset>
        <Fieldset legend="Privileges to set">
          {offered.decision.allowed ? (
            <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
              {PRIVILEGE_NAMES.map((p) => (
                <NativeSelect
                  key={p}
                  label={PRIVILEGE_LABELS[p]}
                  data={[
                    { value: '', label: 'No change' },
                    ...(offered.levels[p] as Level[]).map((l) => ({ value: l, label: LEVEL_LABELS[l] })),
                  ]}
                  value={privPatch[p] ?? ''}
                  onChange={(e) => {
                    const v = e.currentTarget.value;
                    setPrivPatch((s) => {
                      const next = { ...s } as Record<string, string>;
                      if (v) next[p] = v;
                      else delete next[p];
                      return next as PrivilegesPatch;
                    });
                  }}
                />
              ))}
            </SimpleGrid>
          ) : (
            <Text size="sm" c="dimmed">
              {offered.decision.reason}
            </Text>
          )}
        </Fieldset>

        <Section title="Preview">
          {!hasDetails && !hasPrivileges ? (
            <Text size="sm" c="dimmed">
              Choose details or privileges to see what changes.
            </Text>
          ) : (
            <Stack gap="sm">
              <Text size="sm" role="status">
                {changing.length} of {preview.length} contacts change; {preview.length - changing.length} stay as they are.
              </Text>
              {primaryLeftOut.length > 0 && (
                <Text size="sm" role="note">
                  {fullName(primaryLeftOut[0])}, the Primary contact, always holds every privilege at its highest level and is left
                  out of this update.
                </Text>
              )}
              {excluded.size > 0 && (
                <Group gap="xs">
                  <Text size="sm" role="note">
                    {excluded.size} {excluded.size === 1 ? 'contact is' : 'contacts are'} left out.
                  </Text>
                  <Button size="compact-xs" variant="subtle" onClick={() => setExcluded(new Set())}>
                    Include them again
                  </Button>
                </Group>
              )}
              {refusals.length > 0 && (
                <Alert color="red" title="You may not change some of these contacts" role="alert">
                  <Text size="sm">A bulk update is all or nothing: leave these contacts out, or change less.</Text>
                  <List size="sm" mt="xs">
                    {refusals.map((r) => (
                      <List.Item key={r.contact.id}>
                        {fullName(r.contact)}: {r.reason}
                      </List.Item>
                    ))}
                  </List>
                  <Button mt="sm" size="xs" variant="default" onClick={() => leaveOut(refusals.map((r) => r.contact.id))}>
                    Leave out {refusals.length === 1 ? 'this contact' : `these ${refusals.length} contacts`}
                  </Button>
                </Alert>
              )}
              <ScrollRegion label="Changes per contact" minWidth={480}>
                <Table withTableBorder striped aria-label="Changes per contact">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th scope="col">Contact</Table.Th>
                      <Table.Th scope="col">Changes (old → new)</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {changing.map((row) => (
                      <Table.Tr key={row.contact.id}>
                        <Table.Th scope="row" fw={500}>
                          {fullName(row.contact)}
                          <Text size="xs" c="dimmed">
                            {row.contact.email}
                          </Text>
                        </Table.Th>
                        <Table.Td>
                          <List size="sm" listStyleType="none">
                            {row.changes.map((c) => (
                              <List.Item key={c.field}>
                                {c.label}: <s>{c.from || '—'}</s> → <strong>{c.to || '—'}</strong>
                              </List.Item>
                            ))}
                          </List>
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </ScrollRegion>
            </Stack>
          )}
        </Section>

        {saveError && <ErrorAlert error={saveError} title="Nothing was saved" />}
        {refusedIds.length > 0 && (
          <Alert color="red" title="Refused contacts" role="alert">
            <List size="sm">
              {refusedIds.map((id) => {
                const c = byId.get(id);
                return <List.Item key={id}>{c ? `${fullName(c)} (${c.email})` : 'A contact no longer on this Site'}</List.Item>;
              })}
            </List>
            <Button mt="sm" size="xs" variant="default" onClick={() => leaveOut(refusedIds)}>
              Leave them out
            </Button>
          </Alert>
        )}
        <Group>
          <Button
            onClick={() => void onSave()}
            loading={saving}
            disabled={!targets || changing.length === 0 || invalid || refusals.length > 0}
          >
            Save {changing.length > 0 ? `${changing.length} contacts` : ''}
          </Button>
        </Group>
      </Stack>
    </>
  );
}
