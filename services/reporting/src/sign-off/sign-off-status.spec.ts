import { ALLOWED_FROM, statusOf } from './sign-off-status';

describe('statusOf', () => {
  const at = '2024-03-01T00:00:00.000Z';
  it('derives draft → reviewed → approved from the actions', () => {
    expect(statusOf([])).toBe('draft');
    expect(statusOf([{ action: 'review', actorId: 'f', at, note: null }])).toBe('reviewed');
    expect(statusOf([{ action: 'review', actorId: 'f', at, note: null }, { action: 'approve', actorId: 'l', at, note: null }])).toBe('approved');
  });

  it('allows each action from exactly one status', () => {
    expect(ALLOWED_FROM).toEqual({ review: 'draft', approve: 'reviewed' });
  });
});
