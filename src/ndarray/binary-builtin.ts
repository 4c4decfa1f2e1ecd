/**
 * Two-operand builtins that refuse a third argument. NumPy's ufuncs take keyword options
 * (`out=`, `where=`, `dtype=`, `casting=`); a JS caller passing an options object in their
 * place would otherwise see it silently ignored and get a result computed without it.
 */
import { InvalidOptionError } from "../core/errors.js";
import { defineBuiltin } from "../core/builtin.js";
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
  const fn = (a: Operand, b: Operand, ...extra: unknown[]): NDArray => {
    refuseExtraArguments(name, 2, extra);
    return run(operation, [a, b]);
  };
  Object.defineProperty(fn, "name", { value: name });
  return defineBuiltin(`ndarray.${name}`, fn);
}

/** `ndarray.<name>(a)`, one operand. */
export function defineUnary(name: string, operation: ElementwiseOperation): (a: Operand) => NDArray {
  const fn = (a: Operand, ...extra: unknown[]): NDArray => {
    refuseExtraArguments(name, 1, extra);
    return applyElementwise(operation, [a]);
  };
  Object.defineProperty(fn, "name", { value: name });
  return defineBuiltin(`ndarray.${name}`, fn);
}
