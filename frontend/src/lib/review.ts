// Access reviews as the dashboard shows them: labels, the filters of the items table, what
// completing a review will apply, and the Site home's main review action.
import type { ReviewDecision, ReviewItemWhereInput, ReviewOutcome } from '../gql/graphql';
import { addDays, fullName, isOverdue } from './format';

export const DECISION_LABELS: Record<ReviewDecision, string> = {
  PENDING: 'Pending',
  KEEP: 'Keep',
  DEACTIVATE: 'Deactivate',
  REMOVE: 'Remove',
};

export const DECISION_COLORS: Record<ReviewDecision, string> = {
  PENDING: 'gray',
  KEEP: 'teal',
  DEACTIVATE: 'orange',
  REMOVE: 'red',
};

export const OUTCOME_LABELS: Record<ReviewOutcome, string> = {
  KEPT: 'Kept',
  KEPT_BY_ATTESTATION: 'Kept by attestation',
  DEACTIVATED: 'Deactivated',
  REMOVED: 'Removed',
  GONE: 'Already gone',
};

/** The decisions a reviewer takes, in the order the buttons show them; k, d and r on a row. */
export const DECISIONS: { decision: Exclude<ReviewDecision, 'PENDING'>; key: string }[] = [
  { decision: 'KEEP', key: 'k' },
  { decision: 'DEACTIVATE', key: 'd' },
  { decision: 'REMOVE', key: 'r' },
];

export type ItemFilter = 'all' | 'pending' | 'decided' | 'changes' | 'unconfirmed' | 'confirmed';

export const ITEM_FILTERS: { value: ItemFilter; label: string }[] = [
  { value: 'all', label: 'All contacts' },
  { value: 'pending', label: 'Pending only' },
  { value: 'decided', label: 'Decided' },
  { value: 'changes', label: 'To deactivate or remove' },
  { value: 'unconfirmed', label: 'Not self-confirmed' },
  { value: 'confirmed', label: 'Self-confirmed' },
];

/** The items table's filter as the API's where-input (undefined: every item). */
export function itemWhere(filter: ItemFilter): ReviewItemWhereInput | undefined {
  switch (filter) {
    case 'pending':
      return { decision: 'PENDING' };
    case 'decided':
      return { decisionNEQ: 'PENDING' };
    case 'changes':
      return { decisionIn: ['DEACTIVATE', 'REMOVE'] };
    case 'unconfirmed':
      return { selfConfirmedAtIsNil: true };
    case 'confirmed':
      return { selfConfirmedAtNotNil: true };
    default:
      return undefined;
  }
}

export interface Progress {
  total: number;
  pending: number;
  keep: number;
  deactivate: number;
  remove: number;
  selfConfirmed: number;
}

/** Percent of the items, for the progress bar (0 when there are none). */
export function percent(n: number, total: number): number {
  return total > 0 ? Math.round((n / total) * 1000) / 10 : 0;
}

/** "12 of 20 decided, 8 pending" */
export function progressSentence(p: Progress): string {
  const decided = p.total - p.pending;
  return `${decided} of ${p.total} decided, ${p.pending} pending`;
}

export interface SummaryItem {
  id: string;
  decision: ReviewDecision;
  note?: string | null;
  snapshot: { firstName: string; lastName: string; email: string };
}

export interface CompletionSummary {
  keep: number;
  pending: number;
  deactivate: { id: string; name: string }[];
  remove: { id: string; name: string; note: string }[];
  /** The DEACTIVATE and REMOVE items not among those listed (the list holds at most one page). */
  unlisted: number;
}

/**
 * What completing the review applies: the contacts to deactivate and to remove, by name (with
 * the removal's note), from the items fetched with those decisions, and the counts from the
 * review's progress (which count every item, also those beyond the fetched page).
 */
export function completionSummary(progress: Progress, changes: readonly SummaryItem[]): CompletionSummary {
  const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
  const deactivate = changes
    .filter((i) => i.decision === 'DEACTIVATE')
    .map((i) => ({ id: i.id, name: fullName(i.snapshot) }))
    .sort(byName);
  const remove = changes
    .filter((i) => i.decision === 'REMOVE')
    .map((i) => ({ id: i.id, name: fullName(i.snapshot), note: i.note ?? '' }))
    .sort(byName);
  return {
    keep: progress.keep,
    pending: progress.pending,
    deactivate,
    remove,
    unlisted: Math.max(0, progress.deactivate + progress.remove - deactivate.length - remove.length),
  };
}

/** The names of the items a server refusal (extensions.ids) names, where the page knows them. */
export function namesOf(ids: readonly string[], items: readonly SummaryItem[]): string[] {
  return ids.map((id) => {
    const it = items.find((i) => i.id === id);
    return it ? fullName(it.snapshot) : `item ${id}`;
  });
}

/** How soon a review is "due soon". */
export const REVIEW_DUE_SOON_DAYS = 7;

export type ReviewAction =
  | { kind: 'continue'; label: string; pending: number }
  | { kind: 'start'; label: string; due: boolean }
  | { kind: 'none' };

/**
 * The Site home's review action: "Continue review (n pending)" while one is open, for whoever
 * reads reviews; "Start review" for managers, the page's main action when the review is due
 * within a week or overdue.
 */
export function reviewAction(input: {
  canRead: boolean;
  canRun: boolean;
  reviewDueAt: string | null | undefined;
  open: { progress: { pending: number } } | null | undefined;
  now?: Date;
}): ReviewAction {
  const now = input.now ?? new Date();
  if (input.open && input.canRead) {
    const pending = input.open.progress.pending;
    return { kind: 'continue', pending, label: `Continue review (${pending} pending)` };
  }
  if (!input.open && input.canRun) {
    return { kind: 'start', label: 'Start review', due: isOverdue(input.reviewDueAt, addDays(now, REVIEW_DUE_SOON_DAYS)) };
  }
  return { kind: 'none' };
}

/** The least and most due date startReview accepts (7 to 90 days away), as dates. */
export function dueDateBounds(now: Date = new Date()): { min: Date; max: Date } {
  return { min: addDays(now, 7), max: addDays(now, 90) };
}

/** The due date a new review gets by default: the Site's due date, at least 7 days away. */
export function defaultDueDate(reviewDueAt: string | null | undefined, now: Date = new Date()): Date {
  const { min } = dueDateBounds(now);
  const due = reviewDueAt ? new Date(reviewDueAt) : min;
  return Number.isNaN(due.getTime()) || due < min ? min : due;
}

/** The cut-off for Sites overdue by at least `days`: reviewDueAt before it. Rounded down to the hour, for caching. */
export function overdueCutoff(days: number, now: Date = new Date()): string {
  const t = addDays(now, -days).getTime();
  return new Date(Math.floor(t / 3_600_000) * 3_600_000).toISOString();
}

/** Whole days between a due date and now (0 when not overdue). */
export function daysOverdue(dueAt: string | null | undefined, now: Date = new Date()): number {
  if (!dueAt) return 0;
  const d = new Date(dueAt).getTime();
  return Number.isNaN(d) ? 0 : Math.max(0, Math.floor((now.getTime() - d) / 86_400_000));
}
