/**
 * The array's methods refuse arguments beyond their own (argument-count.ts): before,
 * `x.add(y, { dtype: "float32" })` gave float64, `x.rechunk(chunks, { balance: true })`
 * rechunked unbalanced and `x.astype("uint8", { casting: "safe" })` cast unsafely, each without
 * a word. Each method listed here is wrapped once, when index.ts loads this module (after
 * array-methods.ts). Methods with a variable number of arguments (get, vindex, transpose,
 * reshape's `x.reshape(2, 3)`) are not listed.
 */
import { LazyArray } from "./array.js";
import { checkMethodArguments } from "../core/argument-count.js";
import { lazyArgumentWording } from "./argument-count.js";

/** Each method's parameters, as its signature names them. */
const parameters: Record<string, readonly string[]> = {
  blockKeys: [], nonzero: [], invert: [], neg: [], abs: [], toDelayed: [], conj: [], ravel: [], flatten: [], copy: [],
  rechunk: ["chunks"], squeeze: ["axis"], astype: ["dtype"], round: ["decimals"], clip: ["min", "max"], annotate: ["annotations"],
  ...Object.fromEntries(["add", "sub", "mul", "div", "pow", "maximum", "minimum", "eq", "ne", "lt", "le", "gt", "ge", "and", "or", "xor"].map((name) => [name, ["other"]])),
  dot: ["other", "options"], matmul: ["other", "options"],
  mapBlocks: ["fn", "options", "fnOptions"], mapOverlap: ["fn", "options", "fnOptions"],
  ...Object.fromEntries(["sum", "prod", "min", "max", "mean", "var", "std", "any", "all", "argmin", "argmax", "cumsum", "cumprod", "trace"].map((name) => [name, ["options"]])),
  compute: ["options"], persist: ["options"], computeChunkSizes: ["options"], toZarr: ["path", "options"], store: ["target", "options"],
  topk: ["k", "options"], argtopk: ["k", "options"], moment: ["order", "options"], swapaxes: ["axis1", "axis2"], repeat: ["repeats", "axis"], choose: ["choices"],
};

checkMethodArguments(LazyArray.prototype, "x", parameters, lazyArgumentWording);
