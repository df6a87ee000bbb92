import { MantineProvider } from '@mantine/core';
import { fireEvent, render, screen, within } from '@testing-library/react';
import { useState } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { offeredLevels, type Actor, type Target } from '../lib/permissions';
import { HIGHEST, NO_PRIVILEGES, type Privileges } from '../lib/privileges';
import { theme } from '../theme';
import { PrivilegesEditor } from './PrivilegesEditor';

function Harness({ actor, target, initial, onChange }: { actor: Actor; target: Target; initial: Privileges; onChange?: (p: Privileges) => void }) {
  const [value, setValue] = useState(initial);
  const { decision, levels } = offeredLevels(actor, target);
  return (
    <MantineProvider theme={theme}>
      <PrivilegesEditor
        value={value}
        onChange={(p) => {
          setValue(p);
          onChange?.(p);
        }}
        offered={levels}
        decision={decision}
        initial={initial}
      />
    </MantineProvider>
  );
}

const options = (label: string) =>
  within(screen.getByLabelText(label))
    .getAllByRole('option')
    .map((o) => ({ label: o.textContent, disabled: (o as HTMLOptionElement).disabled }));
const enabledLabels = (label: string) => options(label).filter((o) => !o.disabled).map((o) => o.label);

const primary: Actor = { isOperator: false, membership: { contactId: 'me', role: 'PRIMARY', privileges: HIGHEST } };
const manager: Actor = {
  isOperator: false,
  membership: {
    contactId: 'me',
    role: 'SECONDARY',
    privileges: { ...NO_PRIVILEGES, manageAccess: 'UPDATE', softwareAccess: 'DOWNLOADS', reporting: 'VIEW' },
  },
};
const user: Target = { id: 'u2', accessRole: 'USER' };

describe('PrivilegesEditor', () => {
  it('offers the Primary contact every level when editing a USER', () => {
    render(<Harness actor={primary} target={user} initial={NO_PRIVILEGES} />);
    expect(enabledLabels('Software access')).toEqual(['None', 'Downloads', 'Downloads and media', 'Full']);
    expect(enabledLabels('Manage access')).toEqual(['None', 'View', 'Update']);
    expect(enabledLabels('Account documents')).toEqual(['None', 'View']);
  });

  it('offers a manager with partial levels only up to their own level', () => {
    render(<Harness actor={manager} target={user} initial={NO_PRIVILEGES} />);
    expect(enabledLabels('Software access')).toEqual(['None', 'Downloads']);
    expect(enabledLabels('Reporting')).toEqual(['None', 'View']);
    expect(enabledLabels('Entitlements')).toEqual(['None']);
    expect(screen.getByLabelText('Entitlements')).toBeDisabled();
    expect(enabledLabels('Manage access')).toEqual(['None', 'View', 'Update']);
    expect(screen.getByText('Up to Downloads, your own level')).toBeInTheDocument();
  });

  it('keeps a current level above the manager’s own visible but not selectable', () => {
    render(<Harness actor={manager} target={user} initial={{ ...NO_PRIVILEGES, softwareAccess: 'FULL' }} />);
    expect(options('Software access')).toEqual([
      { label: 'None', disabled: false },
      { label: 'Downloads', disabled: false },
      { label: 'Full (above your own level)', disabled: true },
    ]);
    expect(screen.getByText('Higher than you may grant: lower it to save')).toBeInTheDocument();
  });

  it('reports a change and marks what it was', () => {
    const onChange = vi.fn();
    render(<Harness actor={primary} target={user} initial={NO_PRIVILEGES} onChange={onChange} />);
    fireEvent.change(screen.getByLabelText('Reporting'), { target: { value: 'VIEW' } });
    expect(onChange).toHaveBeenCalledWith({ ...NO_PRIVILEGES, reporting: 'VIEW' });
    expect(screen.getByText('Was None')).toBeInTheDocument();
  });

  it('shows one’s own privileges read-only with the reason', () => {
    render(<Harness actor={manager} target={{ id: 'me', accessRole: 'SECONDARY' }} initial={NO_PRIVILEGES} />);
    expect(screen.queryAllByRole('combobox')).toHaveLength(0);
    expect(screen.getByText('Nobody may change their own privileges.')).toBeInTheDocument();
    expect(screen.getByLabelText('Manage access: None')).toBeInTheDocument();
  });

  it('shows a Secondary contact’s privileges read-only to a manager', () => {
    render(<Harness actor={manager} target={{ id: 's2', accessRole: 'SECONDARY' }} initial={NO_PRIVILEGES} />);
    expect(screen.queryAllByRole('combobox')).toHaveLength(0);
    expect(screen.getByText("Only the Primary contact may set a Secondary contact's privileges.")).toBeInTheDocument();
  });

  it('shows the Primary contact’s privileges read-only to everyone', () => {
    render(<Harness actor={primary} target={{ id: 'p2', accessRole: 'PRIMARY' }} initial={HIGHEST} />);
    expect(screen.queryAllByRole('combobox')).toHaveLength(0);
    expect(screen.getByText('The Primary contact always holds every privilege at its highest level.')).toBeInTheDocument();
    expect(screen.getByLabelText('Software access: Full')).toBeInTheDocument();
  });
});
