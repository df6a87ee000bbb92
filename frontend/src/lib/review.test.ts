import { describe, expect, it } from 'vitest';
import { completionSummary, daysOverdue, defaultDueDate, itemWhere, namesOf, overdueCutoff, percent, progressSentence, reviewAction, type Progress } from './review';

const progress = (p: Partial<Progress> = {}): Progress => ({ total: 5, pending: 0, keep: 2, deactivate: 2, remove: 1, selfConfirmed: 0, ...p });
const item = (id: string, decision: 'KEEP' | 'DEACTIVATE' | 'REMOVE' | 'PENDING', firstName: string, note: string | null = null) => ({
  id,
  decision,
  note,
  snapshot: { firstName, lastName: 'Lee', email: `${firstName.toLowerCase()}@example.com` },
});

describe('completion summary', () => {
  it('lists who is deactivated and who is removed with why, by name, and counts from the progress', () => {
    const s = completionSummary(progress(), [item('3', 'DEACTIVATE', 'Zoe'), item('1', 'REMOVE', 'Bob', 'left'), item('2', 'DEACTIVATE', 'Ann')]);
    expect(s.deactivate).toEqual([
      { id: '2', name: 'Ann Lee' },
      { id: '3', name: 'Zoe Lee' },
    ]);
    expect(s.remove).toEqual([{ id: '1', name: 'Bob Lee', note: 'left' }]);
    expect(s.keep).toBe(2);
    expect(s.unlisted).toBe(0);
  });

  it('says how many changes were not fetched (more than one page)', () => {
    const s = completionSummary(progress({ deactivate: 150, remove: 3 }), [item('1', 'DEACTIVATE', 'Ann')]);
    expect(s.unlisted).toBe(152);
  });

  it('ignores KEEP and PENDING items and keeps the pending count', () => {
    const s = completionSummary(progress({ pending: 2 }), [item('1', 'KEEP', 'Ann'), item('2', 'PENDING', 'Bob')]);
    expect(s.deactivate).toEqual([]);
    expect(s.remove).toEqual([]);
    expect(s.pending).toBe(2);
  });

  it('names the items of a refusal, or their id when not loaded', () => {
    expect(namesOf(['1', '9'], [item('1', 'REMOVE', 'Bob')])).toEqual(['Bob Lee', 'item 9']);
  });
});

describe('items filter', () => {
  it('maps to the API where-input', () => {
    expect(itemWhere('all')).toBeUndefined();
    expect(itemWhere('pending')).toEqual({ decision: 'PENDING' });
    expect(itemWhere('decided')).toEqual({ decisionNEQ: 'PENDING' });
    expect(itemWhere('changes')).toEqual({ decisionIn: ['DEACTIVATE', 'REMOVE'] });
    expect(itemWhere('unconfirmed')).toEqual({ selfConfirmedAtIsNil: true });
    expect(itemWhere('confirmed')).toEqual({ selfConfirmedAtNotNil: true });
  });
});

describe('progress', () => {
  it('in words and percent', () => {
    expect(progressSentence(progress({ total: 20, pending: 8 }))).toBe('12 of 20 decided, 8 pending');
    expect(percent(1, 3)).toBe(33.3);
    expect(percent(0, 0)).toBe(0);
  });
});

describe('the Site home review action', () => {
  const now = new Date('2030-01-10T00:00:00Z');
  it('continues an open review, with the pending count, for readers', () => {
    expect(reviewAction({ canRead: true, canRun: false, reviewDueAt: null, open: { progress: { pending: 3 } }, now })).toEqual({
      kind: 'continue',
      pending: 3,
      label: 'Continue review (3 pending)',
    });
  });
  it('starts one for managers, marked due within a week or overdue', () => {
    expect(reviewAction({ canRead: true, canRun: true, reviewDueAt: '2030-01-15T00:00:00Z', open: null, now })).toMatchObject({ kind: 'start', due: true });
    expect(reviewAction({ canRead: true, canRun: true, reviewDueAt: '2030-03-01T00:00:00Z', open: null, now })).toMatchObject({ kind: 'start', due: false });
  });
  it('offers nothing to others', () => {
    expect(reviewAction({ canRead: false, canRun: false, reviewDueAt: null, open: { progress: { pending: 1 } }, now }).kind).toBe('none');
    expect(reviewAction({ canRead: true, canRun: false, reviewDueAt: null, open: null, now }).kind).toBe('none');
  });
});

describe('dates', () => {
  const now = new Date('2030-01-10T12:00:00Z');
  it('a new review is due on the Site due date, at least 7 days away', () => {
    expect(defaultDueDate('2029-12-01T00:00:00Z', now).toISOString()).toBe('2030-01-17T12:00:00.000Z');
    expect(defaultDueDate('2030-02-01T00:00:00Z', now).toISOString()).toBe('2030-02-01T00:00:00.000Z');
    expect(defaultDueDate(null, now).toISOString()).toBe('2030-01-17T12:00:00.000Z');
  });
  it('overdue cut-off and days overdue', () => {
    expect(overdueCutoff(30, new Date('2030-01-31T12:34:56Z'))).toBe('2030-01-01T12:00:00.000Z');
    expect(daysOverdue('2030-01-01T12:00:00Z', now)).toBe(9);
    expect(daysOverdue('2030-02-01T00:00:00Z', now)).toBe(0);
    expect(daysOverdue(null, now)).toBe(0);
  });
});
