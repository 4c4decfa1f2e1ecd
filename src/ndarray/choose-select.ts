/**
 * NumPy's choose (an integer array picks, element by element, which of several arrays to read)
 * and select (the first true condition picks the array, else a default), with NumPy's
 * broadcasting of every operand and promotion of the choices. Both are a chain of `where`s,
 * which already broadcasts and promotes as NumPy does.
 */
import { InvalidOptionError } from "../core/errors.js";
import { defineBuiltin } from "../core/builtin.js";
import { definePublicBuiltin } from "./public-parameters.js";
import { isBigIntDType } from "./dtype.js";
import { equal } from "./comparison.js";
import { NDArray } from "./ndarray.js";
import { where } from "./selection.js";
import { resultType } from "./promotion.js";
import { astype } from "./copy.js";

function checkArrays(what: string, name: string, arrays: unknown): NDArray[] {
  if (!Array.isArray(arrays)) throw new InvalidOptionError(`${what}: ${name} must be a list of arrays`);
  arrays.forEach((a, i) => {
    if (!(a instanceof NDArray)) throw new InvalidOptionError(`${what}: ${name}[${i}] is not an NDArray`);
  });
  return arrays as NDArray[];
}

/**
 * `np.choose(a, choices)` (mode "raise"): element i is `choices[a[i]][i]`. The choices may also
 * follow `a` one by one (`choose(a, c0, c1, …)`), the form the lazy layer calls block by block.
 */
export const choose = defineBuiltin("ndarray.choose", function choose(a: NDArray, choices: NDArray[] | NDArray, ...more: NDArray[]): NDArray {
  const list = checkArrays("choose", "choices", Array.isArray(choices) ? choices : [choices, ...more]);
  if (!(a instanceof NDArray)) throw new InvalidOptionError("choose: a must be an integer NDArray");
  // NumPy casts the index to int64 "safely": bool, floats and uint64 are refused.
  if (a.dtype === "bool" || a.dtype === "uint64" || a.dtype.startsWith("float")) throw new InvalidOptionError(`choose: a must hold integers that int64 holds, got ${a.dtype} (NumPy: Cannot cast array data from dtype('${a.dtype}') to dtype('int64') according to the rule 'safe')`);
  if (list.length === 0) throw new InvalidOptionError("choose: choices must hold at least one array");
  const values = a.toTypedArray() as ArrayLike<number | bigint>;
  for (let i = 0; i < values.length; i++) {
    const v = Number(values[i]);
    if (v < 0 || v >= list.length) throw new InvalidOptionError(`choose: invalid entry in choice array (${v} with ${list.length} choices)`);
  }
  let out = list[list.length - 1];
  for (let k = list.length - 2; k >= 0; k--) out = where(equal(a, isBigIntDType(a.dtype) ? BigInt(k) : k), list[k], out);
  // One choice: where never ran, so broadcast against a as NumPy does.
  return list.length === 1 ? where(equal(a, 0), out, out) : out;
});

/** `np.select(condlist, choicelist, default = 0)`: the first true condition's choice, else the default. */
export const select = definePublicBuiltin("select", function select(condlist: NDArray[], choicelist: NDArray[], defaultValue: NDArray | number | bigint | boolean = 0): NDArray {
  const conds = checkArrays("select", "condlist", condlist);
  const choices = checkArrays("select", "choicelist", choicelist);
  if (conds.length !== choices.length) throw new InvalidOptionError(`select: list of cases must be same length as list of conditions (${choices.length} and ${conds.length})`);
  if (conds.length === 0) throw new InvalidOptionError("select: select with an empty condition list is not possible");
  conds.forEach((c, i) => {
    if (c.dtype !== "bool") throw new InvalidOptionError(`select: invalid entry ${i} in condlist: should be boolean ndarray`);
  });
  // NumPy promotes the choices together first, then with the default; the chain of wheres
  // promotes pairwise (a bool choice meeting the default 0 first becomes int64), so the result is
  // cast to NumPy's dtype at the end (exact: each pairwise dtype holds the values it met).
  const common = resultType(...choices.map((c) => c.dtype), defaultValue);
  let out: NDArray | number | bigint | boolean = defaultValue;
  for (let k = conds.length - 1; k >= 0; k--) out = where(conds[k], choices[k], out);
  return astype(out as NDArray, common);
});
