/** The error a reader of a lost value gets (data-store.ts): the worker tells the scheduler, which recomputes the key. */
import { TesseraError } from "../../core/errors.js";

/** A value this worker held is gone (its spill file could not be read back): recompute it. */
export class LostDataError extends TesseraError {
  override name = "LostDataError";
  constructor(readonly key: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
