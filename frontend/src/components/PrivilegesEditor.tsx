// The six privileges of one contact. Only the levels the viewer may grant are offered (see
// offeredLevels in lib/permissions); where the viewer may not set privileges at all the levels
// are shown read-only with the reason.
import { Alert, Fieldset, NativeSelect, SimpleGrid, Table } from '@mantine/core';
import type { Decision, OfferedLevels } from '../lib/permissions';
import { LEVEL_LABELS, LEVELS, PRIVILEGE_LABELS, PRIVILEGE_NAMES, type Level, type PrivilegeName, type Privileges } from '../lib/privileges';
import { LevelBadge } from './LevelBadge';

interface Props {
  value: Privileges;
  onChange: (next: Privileges) => void;
  offered: OfferedLevels;
  decision: Decision;
  /** The saved levels, to mark what changed. */
  initial?: Privileges;
  legend?: string;
  disabled?: boolean;
  /** Field errors from the server, keyed by privilege name. */
  errors?: Partial<Record<PrivilegeName, string>>;
}

export function PrivilegesEditor({ value, onChange, offered, decision, initial, legend = 'Privileges', disabled, errors }: Props) {
  if (!decision.allowed) {
    return (
      <Fieldset legend={legend}>
        <Table aria-label={legend} withRowBorders={false} verticalSpacing={4}>
          <Table.Tbody>
            {PRIVILEGE_NAMES.map((p) => (
              <Table.Tr key={p}>
                <Table.Th scope="row" fw={500}>
                  {PRIVILEGE_LABELS[p]}
                </Table.Th>
                <Table.Td>
                  <LevelBadge privilege={p} level={value[p]} />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        <Alert color="gray" mt="sm" role="note" title="Read only">
          {decision.reason}
        </Alert>
      </Fieldset>
    );
  }
  return (
    <Fieldset legend={legend}>
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        {PRIVILEGE_NAMES.map((p) => {
          const levels = offered[p] as readonly Level[];
          const current = value[p];
          const data: { value: string; label: string; disabled?: boolean }[] = levels.map((l) => ({
            value: l,
            label: LEVEL_LABELS[l],
          }));
          const aboveOwn = !levels.includes(current);
          if (aboveOwn) {
            data.push({ value: current, label: `${LEVEL_LABELS[current]} (above your own level)`, disabled: true });
          }
          const max = levels[levels.length - 1];
          const changed = initial !== undefined && initial[p] !== current;
          return (
            <NativeSelect
              key={p}
              label={PRIVILEGE_LABELS[p]}
              data={data}
              value={current}
              disabled={disabled || levels.length === 0 || (levels.length === 1 && levels[0] === current)}
              onChange={(e) => onChange({ ...value, [p]: e.currentTarget.value as Level } as Privileges)}
              description={
                [
                  aboveOwn
                    ? 'Higher than you may grant: lower it to save'
                    : max && levels.length < LEVELS[p].length
                      ? `Up to ${LEVEL_LABELS[max]}, your own level`
                      : '',
                  changed && initial ? `Was ${LEVEL_LABELS[initial[p]]}` : '',
                ]
                  .filter(Boolean)
                  .join('. ') || undefined
              }
              error={errors?.[p]}
              data-changed={changed || undefined}
            />
          );
        })}
      </SimpleGrid>
    </Fieldset>
  );
}
