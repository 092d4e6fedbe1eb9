import { sharedServers, setSharedServers } from './jest-global-setup';

/** Jest globalTeardown: stops what globalSetup started (both, even if one fails). */
export default async function globalTeardown(): Promise<void> {
  const servers = sharedServers();
  if (!servers) return;
  setSharedServers(undefined);
  const results = await Promise.allSettled([servers.nats.stop(), servers.postgres.stop()]);
  const failures = results.filter((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failures.length > 0) {
    throw new AggregateError(
      failures.map((failure) => failure.reason as unknown),
      'Stopping the shared integration-test servers failed',
    );
  }
}
