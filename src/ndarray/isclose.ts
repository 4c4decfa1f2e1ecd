/**
 * np.isclose / np.allclose: |a − b| ≤ atol + rtol·|b| elementwise (asymmetric: b is the
 * reference), infinities close only to themselves, NaN close to nothing unless equalNan.
 *
 * dtypes as NumPy 1.24's isclose computes them: b is first cast to result_type(b, 1.0), i.e.
 * float32 stays float32 and every other dtype becomes float64; a − b is computed in the
 * promotion of a's dtype with that (int8 − float32 in float32, int32 − float32 in float64), and
 * the tolerance atol + rtol·|b| in b's float dtype (rtol and atol rounded to float32 for a float32
 * b). Scalars take their NEP 50 dtype first, as in every binary op here (isclose(float32 array,
 * 0.1) works in float32). int64/uint64 values are read as the nearest double, as NumPy's cast.
 *
 * Refused: unknown options, and tolerances that are not finite numbers ≥ 0 (NumPy would accept
 * a negative or NaN tolerance and answer false everywhere, a silent misuse).
 */
import { InvalidOptionError } from "../core/errors.js";
import { definePublicBuiltin } from "./public-parameters.js";
import { type ElementwiseOperation, prepareOperands, runOperation } from "./elementwise.js";
import { promoteTypes, type Operand } from "./promotion.js";
import type { NDArray } from "./ndarray.js";
import { all } from "./reductions.js";

export interface IscloseOptions {
  /** Relative tolerance, a multiple of |b| (1e-5). */
  rtol?: number;
  /** Absolute tolerance (1e-8). */
  atol?: number;
  /** Whether NaN is close to NaN (false). */
  equalNan?: boolean;
}

interface Tolerances {
  rtol: number;
  atol: number;
  equalNan: boolean;
}

/** Checks the options, naming the function and the bad one. */
export function iscloseTolerances(name: string, options: IscloseOptions): Tolerances {
  if (typeof options !== "object" || options === null) throw new InvalidOptionError(`${name}: options must be an object, got ${String(options)}`);
  for (const key of Object.keys(options)) {
    if (!["rtol", "atol", "equalNan"].includes(key)) throw new InvalidOptionError(`${name}: unknown option "${key}"; ${name} takes rtol, atol, equalNan`);
  }
  const tolerance = (key: "rtol" | "atol", fallback: number): number => {
    const value = options[key] ?? fallback;
    if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
      throw new InvalidOptionError(`${name}: ${key} must be a finite number ≥ 0, got ${typeof value === "number" ? value : JSON.stringify(value)}`);
    }
    return value;
  };
  const equalNan = options.equalNan ?? false;
  if (typeof equalNan !== "boolean") throw new InvalidOptionError(`${name}: equalNan must be true or false, got ${JSON.stringify(equalNan)}`);
  return { rtol: tolerance("rtol", 1e-5), atol: tolerance("atol", 1e-8), equalNan };
}

function closeOperation(t: Tolerances, tolerance32: boolean): ElementwiseOperation {
  // float32 arithmetic is a double operation rounded once: exact for +, −, × of float32 values.
  const r = tolerance32 ? `fround(${Math.fround(t.rtol)} * Math.abs(y))` : `${t.rtol} * Math.abs(y)`;
  const tol = tolerance32 ? `fround(${Math.fround(t.atol)} + ${r})` : `(${t.atol} + ${r})`;
  return {
    name: `isclose(${t.rtol},${t.atol},${t.equalNan},${tolerance32})`,
    resolve: (common) => ({ loop: common, result: "bool" }),
    expression([a, b], { loop }) {
      const diff = loop === "float32" ? `fround(x - y)` : `(x - y)`;
      const nan = t.equalNan ? " || (x !== x && y !== y)" : "";
      const body = `((x - x === 0 && y - y === 0 ? Math.abs(${diff}) <= ${tol} : x === y)${nan} ? 1 : 0)`;
      return `((x, y) => ${body})(${a}, ${b})`;
    },
    helpers: { fround: Math.fround },
  };
}

/** Whether a and b are close elementwise (bool array, broadcast shape). */
export const isclose = definePublicBuiltin("isclose", function isclose(a: Operand, b: Operand, options: IscloseOptions = {}): NDArray {
  const tolerances = iscloseTolerances("isclose", options);
  const { arrays } = prepareOperands("isclose", [a, b]);
  const reference = arrays[1].dtype === "float32" ? "float32" : "float64";
  const loop = promoteTypes(arrays[0].dtype, reference);
  return runOperation(closeOperation(tolerances, reference === "float32"), arrays, { loop, result: "bool" });
});

/** Whether every element of a is close to b's (true for empty arrays). */
export const allclose = definePublicBuiltin("allclose", function allclose(a: Operand, b: Operand, options: IscloseOptions = {}): boolean {
  return Boolean(all(isclose(a, b, options)).item());
});
