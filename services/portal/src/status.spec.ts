import { setLocale } from './i18n/i18n';
import { isFinalStatus, statusLabel } from './status';

describe('status labels', () => {
  afterEach(() => setLocale('zh-CN'));

  it('names every 低保 status of the procedure', () => {
    expect(statusLabel('dibao', 'SUBMITTED')).toBe('已提交');
    expect(statusLabel('dibao', 'ACCEPTED')).toContain('已受理');
    expect(statusLabel('dibao', 'PUBLIC_NOTICE')).toBe('公示中');
    for (const status of ['SUBMITTED', 'RETURNED_INCOMPLETE', 'ACCEPTED', 'DEMOCRATIC_REVIEW', 'TOWNSHIP_AUDIT', 'PUBLIC_NOTICE', 'APPROVED', 'REJECTED', 'WITHDRAWN']) {
      expect(statusLabel('dibao', status)).not.toContain(status);
    }
  });

  it('names temporary-assistance and booking statuses', () => {
    expect(statusLabel('temporary', 'EMERGENCY_GRANTED')).toBe('急难先行救助');
    expect(statusLabel('booking', 'CHECKED_IN')).toBe('已入园');
  });

  it('shows a status it does not know as it is', () => {
    expect(statusLabel('dibao', 'SOMETHING_NEW')).toBe('状态：SOMETHING_NEW');
  });

  it('falls back to Chinese in a language without the label', () => {
    setLocale('en');
    expect(statusLabel('dibao', 'APPROVED')).toBe('已批准');
  });

  it('knows which statuses end a case', () => {
    expect(isFinalStatus('dibao', 'APPROVED')).toBe(true);
    expect(isFinalStatus('dibao', 'ACCEPTED')).toBe(false);
    expect(isFinalStatus('temporary', 'RATIFIED')).toBe(true);
    expect(isFinalStatus('booking', 'BOOKED')).toBe(false);
  });
});
