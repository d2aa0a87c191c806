import type { AlertTarget } from '../../core/alerts/targets';
import { AppError } from '../../core/errors';

/** Sends one alert body to one target; throws a `WebhookRefused` when it was not taken. */
export type AlertSender = (target: AlertTarget, body: unknown) => Promise<void>;

/**
 * The target did not take the alert. `permanent`: retrying cannot help (a 4xx other than 408 and 429: a
 * revoked or mistyped webhook), so the delivery is given up at once. The message names the target by its
 * id, never by its URL (a credential).
 */
export class WebhookRefused extends AppError {
  constructor(
    readonly targetId: string,
    readonly permanent: boolean,
    detail: string,
  ) {
    super('WEBHOOK_REFUSED', `alert target ${targetId}: ${detail}`, { httpStatus: 502, operational: true });
  }
}

/** POSTs JSON with a timeout per request; the retries are the caller's (Temporal's, for the notify activity). */
export function createWebhookSender(options: { timeoutMs?: number; fetchImpl?: typeof fetch } = {}): AlertSender {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const fetchImpl = options.fetchImpl ?? fetch;
  return async (target, body) => {
    let response: Response;
    try {
      response = await fetchImpl(target.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'aqi-platform-alerts/1' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      // AbortSignal.timeout rejects with a DOMException named TimeoutError (not always an Error of this realm).
      const timedOut = (err as { name?: unknown } | null)?.name === 'TimeoutError';
      const reason = timedOut ? `no answer within ${timeoutMs} ms` : 'unreachable';
      throw new WebhookRefused(target.id, false, reason);
    }
    // The body is read (and dropped) so the connection is released; receivers answer "ok" or similar.
    const answer = (await response.text().catch(() => '')).slice(0, 200);
    if (response.ok) return;
    const permanent =
      response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429;
    throw new WebhookRefused(target.id, permanent, `HTTP ${response.status}${answer ? `: ${answer}` : ''}`);
  };
}
