/**
 * The guard behind "no silent wrong answers" for complex arrays: a complex NDArray holds two
 * storage slots per element, so a kernel written for real dtypes that reads `NDArray.data`
 * would treat the halves as separate elements. `NDArray.data` calls this for complex arrays;
 * public functions that know they do not take complex call `refuseComplex` first, naming
 * themselves.
 */
import { InvalidOptionError } from "../core/errors.js";
import type { DType } from "./dtype.js";

const advice = "take nd.real, nd.imag or nd.abs of it first (or see nd.complexSupport for what takes complex)";

/** Refuses a complex dtype for `operation`, by name. */
export function refuseComplex(operation: string, dtype: DType): void {
  if (dtype === "complex64" || dtype === "complex128") {
    throw new InvalidOptionError(`${operation} does not support complex input (${dtype}); ${advice}`);
  }
}

/** The operation a kernel read complex storage for: the first stack frame outside the NDArray class. */
function callerName(): string {
  const lines = (new Error().stack ?? "").split("\n").slice(1);
  for (const line of lines) {
    if (line.includes("complex-refusal.") || line.includes("/ndarray.js") || line.includes("/ndarray.ts") || line.includes("/copy.js") || line.includes("/copy.ts")) continue;
    const match = /at (?:new )?([\w$.<>]+) /.exec(line);
    if (match) return match[1];
  }
  return "this operation";
}

/** The refusal of a cast of complex input to a real dtype inside a kernel, naming the kernel. */
export function refuseComplexHere(dtype: DType): never {
  throw new InvalidOptionError(`${callerName()} does not support complex input (${dtype}); ${advice}`);
}

/** The refusal `NDArray.data` raises for a complex array. */
export function refuseComplexStorage(dtype: DType): never {
  throw new InvalidOptionError(`${callerName()} does not support complex input (${dtype}); ${advice}`);
}
