import type { ErrorRequestHandler, RequestHandler } from 'express';

import type { Logger } from '../../adapters/logger';
import { AppError } from '../../core/errors';

export const notFound: RequestHandler = (req, res) => {
  res.status(404).json({
    error: { code: 'NOT_FOUND', message: `no route for ${req.method} ${req.path}` },
    requestId: res.locals.requestId as string | undefined,
  });
};

/** The one error handler: AppErrors answer with their own status and code; anything else is a 500 without details. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, _req, res, _next) => {
    const requestId = res.locals.requestId as string | undefined;
    if (err instanceof AppError && err.operational) {
      res
        .status(err.httpStatus)
        .json({ error: { code: err.code, message: err.message, ...(err.details ?? {}) }, requestId });
      return;
    }
    // body-parser errors carry a status and a type: too large → 413, unparsable JSON → 400.
    const status = typeof (err as { status?: unknown }).status === 'number' ? (err as { status: number }).status : 500;
    if (status >= 500) logger.error({ err, requestId }, 'request failed');
    const type = (err as { type?: unknown }).type;
    res.status(status).json({
      error: {
        code:
          status >= 500
            ? 'INTERNAL'
            : status === 413
              ? 'BODY_TOO_LARGE'
              : type === 'entity.parse.failed'
                ? 'INVALID_JSON'
                : 'BAD_REQUEST',
        message: status >= 500 ? 'internal error' : String((err as Error).message),
      },
      requestId,
    });
  };
}
