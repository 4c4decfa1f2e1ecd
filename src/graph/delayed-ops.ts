/**
 * The built-ins that delayed values' tasks run on workers (src/delayed builds the tasks):
 * item and attribute access, method calls, unpacking a declared number of outputs,
 * arithmetic, and the check that a delayed value is the block ta.fromDelayed declared.
 * Where Python raises (a missing key, a wrong length) these raise too, naming what was
 * asked and what was there: JavaScript's `undefined` for a missing key would travel on as a
 * value and surface far away, or never.
 */
import { defineBuiltin } from "../core/builtin.js";
import { InvalidOptionError } from "../core/errors.js";
import * as nd from "../ndarray/index.js";
import { NDArray } from "../ndarray/ndarray.js";

function describe(value: unknown): string {
  if (value === null) return "null";
  if (value instanceof NDArray) return `an NDArray of shape [${value.shape.join(", ")}] and dtype ${value.dtype}`;
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (typeof value === "object") return `an object (${value.constructor?.name ?? "no prototype"})`;
  return `a ${typeof value} (${String(value).slice(0, 40)})`;
}

/** `value[index]` (Dask's getitem): negative indices count from the end of arrays, as in Python. */
export const getItem = defineBuiltin("delayed.getItem", (value: unknown, index: string | number) => {
  if (Array.isArray(value) || ArrayBuffer.isView(value)) {
    const items = value as ArrayLike<unknown>;
    if (typeof index !== "number" || !Number.isInteger(index) || index >= items.length || index < -items.length) {
      throw new InvalidOptionError(`delayed get(${JSON.stringify(index)}): out of range for ${describe(value)}`);
    }
    return items[index < 0 ? items.length + index : index];
  }
  if (value instanceof Map) {
    if (!value.has(index)) throw new InvalidOptionError(`delayed get(${JSON.stringify(index)}): the Map has no such key`);
    return value.get(index);
  }
  if (value !== null && typeof value === "object" && !(value instanceof NDArray) && Object.hasOwn(value, index)) {
    return (value as Record<string | number, unknown>)[index];
  }
  throw new InvalidOptionError(`delayed get(${JSON.stringify(index)}): ${describe(value)} has no item ${JSON.stringify(index)}`);
});

/** `value.name` (Dask's getattr): an own or inherited property (an NDArray's shape, a string's length). */
export const getAttribute = defineBuiltin("delayed.getAttribute", (value: unknown, name: string) => {
  if (value === null || value === undefined || !(name in Object(value))) {
    throw new InvalidOptionError(`delayed getattr("${name}"): ${describe(value)} has no attribute "${name}"`);
  }
  return (value as Record<string, unknown>)[name];
});

/** `value.name(...args)`: the method is looked up and called where the value is, since a function cannot travel as a result. */
export const callMethod = defineBuiltin("delayed.callMethod", (value: unknown, name: string, args: unknown[]) => {
  const method = value === null || value === undefined ? undefined : (value as Record<string, unknown>)[name];
  if (typeof method !== "function") throw new InvalidOptionError(`delayed getattr("${name}").call(): ${describe(value)} has no method "${name}"`);
  return (method as (...a: unknown[]) => unknown).apply(value, args);
});

/** Output `index` of a call declared with `nout`: the result must be an array of exactly nout items. */
export const unpackItem = defineBuiltin("delayed.unpackItem", (value: unknown, index: number, nout: number, fnName: string) => {
  if (!Array.isArray(value) || value.length !== nout) {
    throw new InvalidOptionError(`delayed ${fnName} was declared with nout: ${nout} but returned ${describe(value)}; return an array of ${nout} values or change nout`);
  }
  return value[index];
});

type BinaryName = "add" | "subtract" | "multiply" | "divide";
const numberOps: Record<BinaryName, (a: number, b: number) => number> = {
  add: (a, b) => a + b, subtract: (a, b) => a - b, multiply: (a, b) => a * b, divide: (a, b) => a / b,
};

/** Arithmetic of delayed values: numbers with JavaScript's operators, NDArrays (and a number with one) with NumPy's. */
export const binary = defineBuiltin("delayed.binary", (op: BinaryName, a: unknown, b: unknown) => {
  if (typeof a === "number" && typeof b === "number") return numberOps[op](a, b);
  if ((a instanceof NDArray || typeof a === "number") && (b instanceof NDArray || typeof b === "number")) {
    return nd[op](a as NDArray, b as NDArray);
  }
  throw new InvalidOptionError(`delayed ${op}: takes numbers and NDArrays, got ${describe(a)} and ${describe(b)}; use delayed(fn) for other values`);
});

/**
 * The block of ta.fromDelayed: the value must be an NDArray of the declared shape (a NaN
 * size matches any) and dtype. Dask passes whatever came back on, and the array's shape
 * then lies about its data; here the task fails naming both.
 */
export const checkBlock = defineBuiltin("delayed.checkBlock", (value: unknown, shape: number[], dtype: string, name: string) => {
  const declared = `shape [${shape.join(", ")}] and dtype ${dtype}`;
  if (!(value instanceof NDArray)) throw new InvalidOptionError(`fromDelayed (${name}): declared ${declared}, but the delayed value is ${describe(value)}`);
  const shapeFits = value.shape.length === shape.length && value.shape.every((n, a) => Number.isNaN(shape[a]) || n === shape[a]);
  if (!shapeFits || value.dtype !== dtype) {
    throw new InvalidOptionError(`fromDelayed (${name}): declared ${declared}, but the delayed value has shape [${value.shape.join(", ")}] and dtype ${value.dtype}`);
  }
  return value;
});
