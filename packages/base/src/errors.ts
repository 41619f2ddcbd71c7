export const errorCodes = [
  'not_found',
  'forbidden',
  'unauthorized',
  'conflict',
  'invalid_input',
  'method_not_allowed',
  'rate_limited',
  'unavailable',
  'internal',
] as const;
export type ErrorCode = (typeof errorCodes)[number];

/** HTTP status of each code; the one place this mapping lives. */
export const httpStatusOf: Record<ErrorCode, number> = {
  not_found: 404,
  forbidden: 403,
  unauthorized: 401,
  conflict: 409,
  invalid_input: 400,
  method_not_allowed: 405,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
};

/** The one error type of the product: a code, a message for people, optional structured details. */
export class AppError extends Error {
  constructor(
    public readonly code: ErrorCode,
    message: string,
    public readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }

  get status(): number {
    return httpStatusOf[this.code];
  }
}

export const notFound = (what: string) => new AppError('not_found', `${what} was not found`);
export const forbidden = (message: string) => new AppError('forbidden', message);
export const invalidInput = (message: string, details?: unknown) => new AppError('invalid_input', message, details);
export const conflict = (message: string, details?: unknown) => new AppError('conflict', message, details);

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
