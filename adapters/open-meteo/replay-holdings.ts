import { z } from 'zod';

import { heldPlace, type HeldPlace } from '../../core/air-quality/open-meteo/coverage';
import { AppError, describeError } from '../../core/errors';

const health = z.object({ places: z.array(heldPlace) });

/** The places and hour ranges the replay server holds, from its `/health` answer. */
export async function fetchReplayHoldings(baseUrl: string, timeoutMs = 10_000): Promise<HeldPlace[]> {
  const url = `${baseUrl.replace(/\/+$/, '')}/health`;
  let body: unknown;
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    body = await response.json();
  } catch (err) {
    // Retryable: the replay server may be restarting.
    throw new AppError('OPEN_METEO_UNAVAILABLE', `the replay server did not answer ${url}: ${describeError(err)}`, {
      httpStatus: 503,
    });
  }
  const parsed = health.safeParse(body);
  if (!parsed.success) {
    throw new AppError('OPEN_METEO_SHAPE', `the replay server's /health is not what this platform serves [${url}]`, {
      httpStatus: 422,
    });
  }
  return parsed.data.places;
}
