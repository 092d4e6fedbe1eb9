import { isMessageKey, t } from './i18n/i18n';

export type StatusKind = 'dibao' | 'temporary' | 'booking';

/** The words a citizen reads for a workflow status; an unknown status is shown as it is. */
export function statusLabel(kind: StatusKind, status: string): string {
  const key = `status.${kind}.${status}`;
  return isMessageKey(key) ? t(key) : t('status.unknown', { status });
}

/** Final statuses end the case: the page stops suggesting a refresh. */
export function isFinalStatus(kind: StatusKind, status: string): boolean {
  switch (kind) {
    case 'dibao':
      return ['APPROVED', 'REJECTED', 'WITHDRAWN'].includes(status);
    case 'temporary':
      return ['RATIFIED', 'APPROVED', 'REJECTED'].includes(status);
    case 'booking':
      return status !== 'BOOKED';
  }
}
