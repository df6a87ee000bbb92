import { MantineProvider, Table } from '@mantine/core';
import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { theme } from '../theme';
import { ListTable } from './ListTable';

function show(rows: string[], busy = false) {
  render(
    <MantineProvider theme={theme}>
      <ListTable label="Partners" columns={['Name', 'Client id']} minWidth={300} busy={busy} empty="No partners yet.">
        {rows.map((r) => (
          <Table.Tr key={r}>
            <Table.Td>{r}</Table.Td>
            <Table.Td>{r}-client</Table.Td>
          </Table.Tr>
        ))}
      </ListTable>
    </MantineProvider>,
  );
  return screen.getByRole('table', { name: 'Partners' });
}

describe('ListTable', () => {
  it('names its columns and shows its rows', () => {
    const table = show(['Resell Co']);
    expect(within(table).getAllByRole('columnheader').map((h) => h.textContent)).toEqual(['Name', 'Client id']);
    expect(within(table).getByText('Resell Co-client')).toBeTruthy();
    expect(within(table).queryByText('No partners yet.')).toBeNull();
  });

  it('says it is empty, across all columns', () => {
    const cell = within(show([])).getByText('No partners yet.');
    expect(cell.getAttribute('colspan')).toBe('2');
  });

  it('says nothing while loading', () => {
    const table = show([], true);
    expect(table.getAttribute('aria-busy')).toBe('true');
    expect(within(table).queryByText('No partners yet.')).toBeNull();
  });
});
