import { Table } from '@mantine/core';
import { Children, type ReactNode } from 'react';
import { ScrollRegion } from './ScrollRegion';

/**
 * A labelled, striped table of records that scrolls sideways on narrow screens; its rows are the
 * children, and `empty` is said in a row of its own when there are none (and nothing is loading).
 */
export function ListTable({
  label,
  columns,
  minWidth,
  busy,
  dense,
  empty,
  children,
}: {
  label: string;
  columns: string[];
  minWidth: number;
  busy?: boolean;
  dense?: boolean;
  empty?: string;
  children: ReactNode;
}) {
  return (
    <ScrollRegion label={label} minWidth={minWidth}>
      <Table striped withTableBorder aria-label={label} aria-busy={busy} verticalSpacing={dense ? 'xs' : undefined}>
        <Table.Thead>
          <Table.Tr>
            {columns.map((c) => (
              <Table.Th key={c} scope="col">
                {c}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {children}
          {empty && !busy && Children.count(children) === 0 && (
            <Table.Tr>
              <Table.Td colSpan={columns.length}>{empty}</Table.Td>
            </Table.Tr>
          )}
        </Table.Tbody>
      </Table>
    </ScrollRegion>
  );
}
