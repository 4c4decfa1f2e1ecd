/**
 * NumPy's choose and select on lazy arrays (dask.array's): choose is one elementwise task per
 * block over the index array and every choice (Dask's elemwise(np.choose)), so an index out of
 * range fails the block that holds it, as Dask's does at compute time; select is a chain of
 * `where`s, the first true condition winning. Operands broadcast; chunks unify as Dask's.
 */
import { InvalidOptionError } from "../core/errors.js";
import * as nd from "../ndarray/index.js";
import { LazyArray } from "./array.js";
import { elementwiseNode } from "./elementwise.js";
import { where } from "./ufuncs.js";

function checkArrays(what: string, name: string, arrays: unknown): LazyArray[] {
  if (!Array.isArray(arrays)) throw new InvalidOptionError(`${what}: ${name} must be a list of lazy arrays`);
  arrays.forEach((a, i) => {
    if (!(a instanceof LazyArray)) throw new InvalidOptionError(`${what}: ${name}[${i}] is not a lazy array (ta.fromArray wraps an NDArray)`);
  });
  return arrays as LazyArray[];
}

/** `np.choose(a, choices)`: element i is `choices[a[i]][i]`; an entry outside 0..choices-1 fails the computation. */
export function choose(a: LazyArray, choices: LazyArray[]): LazyArray {
  if (!(a instanceof LazyArray)) throw new InvalidOptionError("choose: a must be a lazy integer array (ta.fromArray wraps an NDArray)");
  const list = checkArrays("choose", "choices", choices);
  // NumPy casts the index to int64 "safely": bool, floats and uint64 are refused.
  if (a.dtype === "bool" || a.dtype === "uint64" || a.dtype.startsWith("float")) throw new InvalidOptionError(`choose: a must hold integers that int64 holds, got ${a.dtype} (NumPy: Cannot cast array data from dtype('${a.dtype}') to dtype('int64') according to the rule 'safe')`);
  if (list.length === 0) throw new InvalidOptionError("choose: choices must hold at least one array");
  const dtype = list.map((c) => c.dtype).reduce((x, y) => nd.promoteTypes(x, y));
  return LazyArray.of(elementwiseNode(nd.choose, [a, ...list], dtype));
}

/** `np.select(condlist, choicelist, default = 0)`: the first true condition's choice, else the default. */
export function select(condlist: LazyArray[], choicelist: LazyArray[], defaultValue: LazyArray | number | bigint | boolean = 0): LazyArray {
  const conds = checkArrays("select", "condlist", condlist);
  const choices = checkArrays("select", "choicelist", choicelist);
  if (conds.length !== choices.length) throw new InvalidOptionError(`select: list of cases must be same length as list of conditions (${choices.length} and ${conds.length})`);
  if (conds.length === 0) throw new InvalidOptionError("select: select with an empty condition list is not possible");
  conds.forEach((c, i) => {
    if (c.dtype !== "bool") throw new InvalidOptionError(`select: invalid entry ${i} in condlist: should be boolean ndarray`);
  });
  // NumPy promotes the choices together first, then with the default; the chain of wheres promotes pairwise, so cast at the end (eager select's reasoning).
  const common = nd.resultType(...choices.map((c) => c.dtype), ...(defaultValue instanceof LazyArray ? [defaultValue.dtype] : [defaultValue]));
  let out: LazyArray | number | bigint | boolean = defaultValue;
  for (let k = conds.length - 1; k >= 0; k--) out = where(conds[k], choices[k], out);
  return (out as LazyArray).astype(common);
}
