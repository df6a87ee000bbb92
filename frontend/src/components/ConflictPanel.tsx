// After a CONFLICT: the values someone else saved next to this person's unsaved ones.
import { Alert, Button, Group, Stack, Table, Text } from '@mantine/core';
import { LEVEL_LABELS, PRIVILEGE_LABELS, PRIVILEGE_NAMES, type Privileges } from '../lib/privileges';
import { CONTACT_FIELD_LABELS, type ContactField, type ContactFields } from '../lib/validation';

export interface ConflictSnapshot {
  message: string;
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
}

export function conflictRows(c: ConflictSnapshot): Row[] {
  const rows: Row[] = [];
  for (const f of Object.keys(CONTACT_FIELD_LABELS) as ContactField[]) {
    if (c.mine[f].trim() !== c.theirs[f].trim()) rows.push({ label: CONTACT_FIELD_LABELS[f], mine: c.mine[f], theirs: c.theirs[f] });
  }
  for (const p of PRIVILEGE_NAMES) {
    if (c.minePrivileges[p] !== c.theirPrivileges[p]) {
      rows.push({ label: PRIVILEGE_LABELS[p], mine: LEVEL_LABELS[c.minePrivileges[p]], theirs: LEVEL_LABELS[c.theirPrivileges[p]] });
    }
  }
  return rows;
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
          {conflict.message} Nothing of yours was saved. Compare your values with the current ones (version{' '}
          {conflict.theirVersion}), then reload them or keep yours and save again.
        </Text>
        {rows.length > 0 ? (
          <Table.ScrollContainer minWidth={420}>
            <Table withTableBorder aria-label="Your values and the current values">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">Field</Table.Th>
                  <Table.Th scope="col">Your unsaved value</Table.Th>
                  <Table.Th scope="col">Current saved value</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((r) => (
                  <Table.Tr key={r.label}>
                    <Table.Th scope="row">{r.label}</Table.Th>
                    <Table.Td>{r.mine || '—'}</Table.Td>
                    <Table.Td>{r.theirs || '—'}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
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
