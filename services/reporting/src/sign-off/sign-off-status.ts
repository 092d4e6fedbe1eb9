import type { ReportStatus } from '@civil/contracts';
import type { SignOffAction } from './sign-off.repository';

/**
 * draft → reviewed (a finance officer) → approved (a leader who did not review it). Pure: the
 * status is derived from the year's actions, and each action is allowed from exactly one status.
 */
export function statusOf(actions: readonly SignOffAction[]): ReportStatus {
  if (actions.some((a) => a.action === 'approve')) return 'approved';
  if (actions.some((a) => a.action === 'review')) return 'reviewed';
  return 'draft';
}

export const ALLOWED_FROM: Record<SignOffAction['action'], ReportStatus> = { review: 'draft', approve: 'reviewed' };
