import path from 'node:path';

/** The platform's services in start order: the gateway last, once everything behind it answers. */
export const BACKEND_SERVICES = ['place-names', 'social-assistance', 'social-affairs', 'elderly-care', 'reporting'] as const;
export type BackendService = (typeof BACKEND_SERVICES)[number];
export type PlatformService = BackendService | 'gateway';
export const ALL_SERVICES: readonly PlatformService[] = [...BACKEND_SERVICES, 'gateway'];

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

export function serviceDir(service: PlatformService): string {
  return path.join(REPO_ROOT, 'services', service);
}

/** One database per service, named after it. */
export function databaseName(service: BackendService): string {
  return service.replace(/-/g, '_');
}
