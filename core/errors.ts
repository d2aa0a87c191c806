/**
 * The one error type of the platform. `code` names the failure mode, `httpStatus` is what the API answers,
 * and `operational` tells an expected failure (bad input, a service down) from a bug.
 */
export class AppError extends Error {
  readonly code: string;
  readonly httpStatus: number;
  readonly operational: boolean;
  /** Structured facts a client can act on (e.g. the invalid fields of a request), sent with the message. */
  readonly details?: Record<string, unknown>;

  constructor(
    code: string,
    message: string,
    options: { httpStatus?: number; operational?: boolean; cause?: unknown; details?: Record<string, unknown> } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.httpStatus = options.httpStatus ?? 500;
    this.operational = options.operational ?? true;
    if (options.details) this.details = options.details;
  }
}

/** Turns anything thrown into a one-line message, following `cause` chains. */
export function describeError(err: unknown): string {
  if (err instanceof Error) {
    const inner = err.cause === undefined ? '' : describeError(err.cause);
    // A wrapper repeating its cause's words (an ApplicationFailure around an AppError) says them once.
    const cause = inner === '' || inner === err.message ? '' : ` (cause: ${inner})`;
    return `${err.message}${cause}`;
  }
  return String(err);
}
