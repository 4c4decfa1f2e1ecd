/**
 * Errors are classes with a stable tag (`name`), a message that says what to do, and the
 * `cause`. Every error tessera raises on purpose derives from TesseraError so callers can
 * tell our refusals from bugs with `isTesseraError`.
 */
export class TesseraError extends Error {
  override name = "TesseraError";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** An option, config value, CLI flag or argument that cannot be accepted. */
export class InvalidOptionError extends TesseraError {
  override name = "InvalidOptionError";
}

/** A deadline passed: connecting, waiting for workers, waiting for a file. */
export class TimeoutError extends TesseraError {
  override name = "TimeoutError";
}

/** Something was used after close(). */
export class ClosedError extends TesseraError {
  override name = "ClosedError";
}

export function isTesseraError(value: unknown): value is TesseraError {
  return value instanceof TesseraError;
}

/** The message of any thrown value, for logs. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
