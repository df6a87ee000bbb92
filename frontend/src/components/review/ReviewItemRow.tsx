// One contact of a review: the snapshot, what the review suggests and flags, whether the contact
// confirmed its own details, the changes since the previous review (on demand), and the decision
// with its note, taken here when the viewer may (k, d, r with focus in the row).
import { Alert, Anchor, Badge, Group, List, Stack, Table, Text, TextInput } from '@mantine/core';
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import type { ReviewDecision, ReviewItemRowFragment } from '../../gql/graphql';
import { inOurWords } from '../../lib/errors';
import { CONTACT_TYPE_LABELS, ROLE_LABELS, STATUS_LABELS, asSentence, formatDate, formatDateTime, fullName } from '../../lib/format';
import { whatHappened } from '../../lib/history';
import { canDecideReviewItem, type Actor, type Decision } from '../../lib/permissions';
import { LEVEL_LABELS, PRIVILEGE_LABELS, PRIVILEGE_NAMES } from '../../lib/privileges';
import { DECISIONS, DECISION_COLORS, DECISION_LABELS, OUTCOME_LABELS } from '../../lib/review';
import { DecisionButtons } from './DecisionButtons';

type Final = Exclude<ReviewDecision, 'PENDING'>;

export interface DecideResult {
  error?: string;
  /** The input fields the server named (BAD_USER_INPUT), e.g. ["note"]. */
  fields?: string[];
}

interface Props {
  item: ReviewItemRowFragment;
  actor: Actor;
  /** Decisions can be taken (an open review, a viewer who may). */
  editable: boolean;
  completed: boolean;
  onDecide: (id: string, decision: Final, note: string | null) => Promise<DecideResult>;
}

export function ReviewItemRow({ item, actor, editable, completed, onDecide }: Props) {
  const s = item.snapshot;
  const name = fullName(s);
  const [note, setNote] = useState(item.note ?? '');
  const [noteError, setNoteError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [showChanges, setShowChanges] = useState(false);
  const noteRef = useRef<HTMLInputElement>(null);
  const changesId = useId();
  useEffect(() => setNote(item.note ?? ''), [item.note]);

  const target = { id: item.contact.id, accessRole: item.contact.accessRole };
  const allowed = Object.fromEntries(DECISIONS.map(({ decision }) => [decision, canDecideReviewItem(actor, target, decision)])) as Record<Final, Decision>;

  const decide = async (decision: Final, withNote: string = note) => {
    const trimmed = withNote.trim();
    if (decision === 'REMOVE' && !trimmed) {
      setNoteError('Removing a contact needs a note saying why.');
      noteRef.current?.focus();
      return;
    }
    setNoteError(null);
    setError(null);
    setBusy(true);
    const r = await onDecide(item.id, decision, trimmed || null);
    setBusy(false);
    if (r.fields?.includes('note')) {
      setNoteError(r.error ?? 'Check the note.');
      noteRef.current?.focus();
    } else if (r.error) {
      setError(r.error);
    }
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTableRowElement>) => {
    if (!editable || e.altKey || e.ctrlKey || e.metaKey) return;
    const el = e.target as HTMLElement;
    if (el.closest('input, textarea, select, [contenteditable="true"]')) return;
    const hit = DECISIONS.find((d) => d.key === e.key.toLowerCase());
    if (!hit || !allowed[hit.decision].allowed || busy) return;
    e.preventDefault();
    void decide(hit.decision);
  };

  const onNoteBlur = (e: React.FocusEvent<HTMLInputElement>) => {
    // Leaving the note for a decision button: that click sends the note with its decision.
    if ((e.relatedTarget as HTMLElement | null)?.dataset.reviewDecision) return;
    if (!editable || item.decision === 'PENDING' || note.trim() === (item.note ?? '')) return;
    void decide(item.decision as Final);
  };

  const privileges = PRIVILEGE_NAMES.filter((p) => s.privileges[p] !== 'NONE');
  const changes = item.changesSincePreviousReview;

  return (
    <Table.Tr onKeyDown={onKeyDown} data-decision={item.decision}>
      <Table.Th scope="row" fw={400} style={{ verticalAlign: 'top' }}>
        <Stack gap={2}>
          <Text fw={600} size="sm">
            {name}
            {!item.contactExists && (
              <Text span c="dimmed" size="xs">
                {' '}
                (no longer a contact)
              </Text>
            )}
          </Text>
          <Text size="xs" c="dimmed" style={{ wordBreak: 'break-all' }}>
            {s.email}
          </Text>
          <Group gap={4}>
            <Badge size="sm" tt="none" variant={s.accessRole === 'USER' ? 'outline' : 'light'} color={s.accessRole === 'PRIMARY' ? 'grape' : 'indigo'}>
              {ROLE_LABELS[s.accessRole]}
            </Badge>
            <Badge size="sm" variant="dot" tt="none" color={s.status === 'ACTIVE' ? 'teal' : s.status === 'INVITED' ? 'yellow' : 'gray'}>
              {STATUS_LABELS[s.status]}
            </Badge>
          </Group>
          {s.contactTypes.length > 0 && (
            <Text size="xs">Types: {s.contactTypes.map((t) => CONTACT_TYPE_LABELS[t] ?? t).join(', ')}</Text>
          )}
          {changes.length > 0 && (
            <>
              <Anchor component="button" type="button" size="xs" ta="left" aria-expanded={showChanges} aria-controls={changesId} onClick={() => setShowChanges((v) => !v)}>
                {showChanges ? 'Hide' : 'Show'} {changes.length} {changes.length === 1 ? 'change' : 'changes'} since the previous review
              </Anchor>
              {showChanges && (
                <List size="xs" id={changesId} aria-label={`Changes to ${name} since the previous review`}>
                  {changes.map((e) => {
                    const w = whatHappened(e);
                    return (
                      <List.Item key={e.id}>
                        {formatDate(e.createdAt)}: {w.subject} {w.text}
                      </List.Item>
                    );
                  })}
                </List>
              )}
            </>
          )}
        </Stack>
      </Table.Th>
      <Table.Td style={{ verticalAlign: 'top' }}>
        {s.accessRole === 'PRIMARY' ? (
          <Text size="xs">Every privilege (Primary)</Text>
        ) : privileges.length === 0 ? (
          <Text size="xs" c="dimmed">
            None
          </Text>
        ) : (
          <Stack gap={0}>
            {privileges.map((p) => (
              <Text size="xs" key={p}>
                {PRIVILEGE_LABELS[p]}: {LEVEL_LABELS[s.privileges[p]]}
              </Text>
            ))}
          </Stack>
        )}
      </Table.Td>
      <Table.Td style={{ verticalAlign: 'top' }}>
        <Text size="xs">{s.lastSignInAt ? formatDate(s.lastSignInAt) : 'Never'}</Text>
        {s.status === 'INVITED' && s.invitationExpiresAt && (
          <Text size="xs" c="dimmed">
            Invitation ends {formatDate(s.invitationExpiresAt)}
          </Text>
        )}
      </Table.Td>
      <Table.Td style={{ verticalAlign: 'top' }}>
        <Stack gap={4}>
          {item.suggestion ? (
            <Text size="xs">
              <Badge size="xs" variant="light" color={DECISION_COLORS[item.suggestion.decision]} tt="none" mr={4}>
                Suggests {DECISION_LABELS[item.suggestion.decision]}
              </Badge>
              {asSentence(item.suggestion.reason)}
            </Text>
          ) : (
            <Text size="xs" c="dimmed">
              No suggestion
            </Text>
          )}
          {item.privilegeFlags.map((f) => (
            <Text size="xs" c="red.9" key={f}>
              ⚑ {inOurWords(f)}
            </Text>
          ))}
        </Stack>
      </Table.Td>
      <Table.Td style={{ verticalAlign: 'top' }}>
        {item.selfConfirmedAt ? (
          <Badge size="sm" color="teal" variant="light" tt="none">
            Self-confirmed {formatDate(item.selfConfirmedAt)}
          </Badge>
        ) : (
          <Text size="xs" c="dimmed">
            Not confirmed
          </Text>
        )}
      </Table.Td>
      <Table.Td style={{ verticalAlign: 'top', minWidth: 250 }}>
        <Stack gap={4}>
          {editable ? (
            <>
              <DecisionButtons name={name} current={item.decision} allowed={allowed} busy={busy} onDecide={(d) => void decide(d)} />
              <TextInput
                ref={noteRef}
                size="xs"
                aria-label={`Note on ${name}`}
                placeholder={item.decision === 'REMOVE' ? 'Why (required)' : 'Note (required to remove)'}
                value={note}
                error={noteError}
                onChange={(e) => {
                  setNote(e.currentTarget.value);
                  if (noteError && e.currentTarget.value.trim()) setNoteError(null);
                }}
                onBlur={onNoteBlur}
                onKeyDown={(e) => {
                  if (e.key === 'Enter') e.currentTarget.blur();
                }}
              />
            </>
          ) : (
            <>
              <Badge color={DECISION_COLORS[item.decision]} variant={item.decision === 'PENDING' ? 'outline' : 'light'} tt="none">
                {DECISION_LABELS[item.decision]}
              </Badge>
              {item.note && <Text size="xs">Note: {item.note}</Text>}
            </>
          )}
          {item.decidedBy && (
            <Text size="xs" c="dimmed">
              Decided by {item.decidedBy}, {formatDateTime(item.decidedAt)}
            </Text>
          )}
          {completed && item.outcome && (
            <Text size="xs" fw={600}>
              Outcome: {OUTCOME_LABELS[item.outcome]}
            </Text>
          )}
          {error && (
            <Alert color="red" p="xs" role="alert" title="Refused">
              <Text size="xs">{error}</Text>
            </Alert>
          )}
        </Stack>
      </Table.Td>
    </Table.Tr>
  );
}
