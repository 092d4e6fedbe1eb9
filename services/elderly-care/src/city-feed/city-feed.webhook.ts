import { setTimeout as delay } from 'node:timers/promises';
import type { CityFeedBatch } from '@civil/contracts';
import type { CityFeedSettings } from '../config';
import { backoffDelay } from './city-feed.domain';

/**
 * POSTs one batch to the city's endpoint with Node's fetch, bounded by the timeout. Any answer
 * but 2xx, a timeout or a network error is a failure (thrown). Redirects are not followed.
 */
export async function postBatch(settings: Pick<CityFeedSettings, 'url' | 'token' | 'timeoutMs'>, batch: CityFeedBatch): Promise<void> {
  if (!settings.url) throw new Error('CITY_FEED_URL is not configured');
  const headers: Record<string, string> = {
    'content-type': 'application/json; charset=utf-8',
    'idempotency-key': batch.batchId,
    'user-agent': 'civil-elderly-care-city-feed/1',
  };
  if (settings.token) headers.authorization = `Bearer ${settings.token}`;
  const response = await fetch(settings.url, { method: 'POST', headers, body: JSON.stringify(batch), redirect: 'manual', signal: AbortSignal.timeout(settings.timeoutMs) });
  const text = await response.text().catch(() => '');
  if (response.status < 200 || response.status > 299) throw new Error(`HTTP ${response.status}${text ? `: ${text.slice(0, 200)}` : ''}`);
}

export type DeliveryOutcome = { status: 'delivered'; attempts: number } | { status: 'failed'; attempts: number; lastError: string } | { status: 'stopped'; attempts: number };

/**
 * Sends a batch, retrying with exponential backoff (base, 2×base, … capped) up to `maxAttempts`
 * in all. Stops early (without a verdict) when `signal` aborts, e.g. on shutdown.
 */
export async function deliverWithRetries(
  settings: CityFeedSettings,
  batch: CityFeedBatch,
  signal: AbortSignal,
  send: (batch: CityFeedBatch) => Promise<void> = (b) => postBatch(settings, b),
): Promise<DeliveryOutcome> {
  let lastError = '';
  for (let attempt = 1; attempt <= settings.maxAttempts; attempt++) {
    const wait = backoffDelay(attempt, settings.backoffMs, settings.maxBackoffMs);
    if (wait > 0) {
      try {
        await delay(wait, undefined, { signal });
      } catch {
        return { status: 'stopped', attempts: attempt - 1 };
      }
    }
    if (signal.aborted) return { status: 'stopped', attempts: attempt - 1 };
    try {
      await send(batch);
      return { status: 'delivered', attempts: attempt };
    } catch (error) {
      lastError = error instanceof Error ? (error.cause instanceof Error ? `${error.message} (${error.cause.message})` : error.message) : String(error);
    }
  }
  return { status: 'failed', attempts: settings.maxAttempts, lastError: lastError.slice(0, 1000) };
}
