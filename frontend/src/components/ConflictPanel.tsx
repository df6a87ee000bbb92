// After a CONFLICT: the values someone else saved next to this person's unsaved ones.
import { Alert, Button, Group, Stack, Table, Text } from '@mantine/core';
import { asSentence } from '../lib/format';
import { LEVEL_LABELS, PRIVILEGE_LABELS, PRIVILEGE_NAMES, type Privileges } from '../lib/privileges';
import { CONTACT_FIELD_LABELS, type ContactField, type ContactFields } from '../lib/validation';
import { ScrollRegion } from './ScrollRegion';

export interface ConflictSnapshot {
  message: string;
  /** The values the form started from, to tell what this person changed. */
  base: ContactFields;
  basePrivileges: Privileges;
  mine: ContactFields;
  minePrivileges: Privileges;
  theirs: ContactFields;
  theirPrivileges: Privileges;
  theirVersion: number;
}

interface Row {
  label: string;
  mine: string;
  theirs: string;
  /** Whether this person changed the field (otherwise "mine" is the value they started from). */
  changedByMe: boolean;
}

const changedField = (c: ConflictSnapshot, f: ContactField) => c.mine[f].trim() !== c.base[f].trim();

export function conflictRows(c: ConflictSnapshot): Row[] {
  const rows: Row[] = [];
  for (const f of Object.keys(CONTACT_FIELD_LABELS) as ContactField[]) {
    if (c.mine[f].trim() !== c.theirs[f].trim()) {
      rows.push({ label: CONTACT_FIELD_LABELS[f], mine: c.mine[f], theirs: c.theirs[f], changedByMe: changedField(c, f) });
    }
  }
  for (const p of PRIVILEGE_NAMES) {
    if (c.minePrivileges[p] !== c.theirPrivileges[p]) {
      rows.push({
        label: PRIVILEGE_LABELS[p],
        mine: LEVEL_LABELS[c.minePrivileges[p]],
        theirs: LEVEL_LABELS[c.theirPrivileges[p]],
        changedByMe: c.minePrivileges[p] !== c.basePrivileges[p],
      });
    }
  }
  return rows;
}

/** "Keep my changes": the fields and levels this person changed, their newer values elsewhere. */
export function keepMine(c: ConflictSnapshot): { fields: ContactFields; privileges: Privileges } {
  const fields = { ...c.theirs };
  for (const f of Object.keys(CONTACT_FIELD_LABELS) as ContactField[]) if (changedField(c, f)) fields[f] = c.mine[f];
  const privileges = { ...c.theirPrivileges } as Record<string, string>;
  for (const p of PRIVILEGE_NAMES) if (c.minePrivileges[p] !== c.basePrivileges[p]) privileges[p] = c.minePrivileges[p];
  return { fields, privileges: privileges as unknown as Privileges };
}

interface Props {
  conflict: ConflictSnapshot;
  onReload: () => void;
  onKeepMine: () => void;
}

export function ConflictPanel({ conflict, onReload, onKeepMine }: Props) {
  const rows = conflictRows(conflict);
  return (
    <Alert color="orange" title="Someone else changed this contact" role="alert">
      <Stack gap="sm">
        <Text size="sm">
          {asSentence(conflict.message)} Nothing of yours was saved. Compare your values with the current ones, then reload
          them, or keep what you changed (the rest takes the current values) and save again.
        </Text>
        {rows.length > 0 ? (
          <ScrollRegion label="Your values and the current values" minWidth={420}>
            <Table withTableBorder aria-label="Your values and the current values">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">Field</Table.Th>
                  <Table.Th scope="col">Your value</Table.Th>
                  <Table.Th scope="col">Current saved value</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((r) => (
                  <Table.Tr key={r.label}>
                    <Table.Th scope="row">{r.label}</Table.Th>
                    <Table.Td>
                      {r.mine || '—'}
                      {!r.changedByMe && (
                        <Text span size="xs" c="dimmed">
                          {' '}
                          (not changed by you)
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>{r.theirs || '—'}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollRegion>
        ) : (
          <Text size="sm">The current values are the same as yours.</Text>
        )}
        <Group>
          <Button onClick={onReload}>Reload</Button>
          <Button variant="default" onClick={onKeepMine}>
            Keep my changes
          </Button>
        </Group>
      </Stack>
    </Alert>
  );
}
