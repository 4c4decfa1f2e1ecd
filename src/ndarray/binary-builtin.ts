/**
 * One- and two-operand builtins. NumPy's ufuncs take keyword options (`out=`, `where=`,
 * `dtype=`, `casting=`); a JS caller passing an options object in their place would otherwise
 * see it silently ignored. The eager functions refuse it by their public parameters
 * (definePublicBuiltin); refuseExtraArguments is the lazy ufuncs' wording of the same refusal.
 */
import { InvalidOptionError } from "../core/errors.js";
import { definePublicBuiltin } from "./public-parameters.js";
import { type ElementwiseOperation, applyElementwise } from "./elementwise.js";
import type { NDArray } from "./ndarray.js";
import type { Operand } from "./promotion.js";

/** Refuses arguments beyond the operands, naming the function and what it was given. */
export function refuseExtraArguments(name: string, operands: number, extra: readonly unknown[]): void {
  if (extra.length === 0) return;
  const shown = extra.map((value) => (typeof value === "object" && value !== null ? JSON.stringify(Object.keys(value)) : String(value))).join(", ");
  throw new InvalidOptionError(
    `${name} takes ${operands} operand${operands === 1 ? "" : "s"} and no options (NumPy's out=, where=, dtype= are not supported); got also ${shown}`,
  );
}

/** `ndarray.<name>(a, b)`: `operation` applied with NumPy's promotion and broadcasting. */
export function defineBinary(name: string, operation: ElementwiseOperation, run = applyElementwise): (a: Operand, b: Operand) => NDArray {
  const fn = (a: Operand, b: Operand): NDArray => run(operation, [a, b]);
  Object.defineProperty(fn, "name", { value: name });
  return definePublicBuiltin(name, fn);
}

/** `ndarray.<name>(a)`, one operand. */
export function defineUnary(name: string, operation: ElementwiseOperation): (a: Operand) => NDArray {
  const fn = (a: Operand): NDArray => applyElementwise(operation, [a]);
  Object.defineProperty(fn, "name", { value: name });
  return definePublicBuiltin(name, fn);
}
