/**
 * The parameters of the methods of NDArray and MaskedNDArray, as their signatures name them:
 * each method refuses arguments beyond these, naming them (core/argument-count.ts). JavaScript
 * drops extra arguments unseen, so NumPy's arguments written where a method takes none ran
 * without them: `m.count(0)` (np.ma's count(axis)) gave the count of the whole array,
 * `x.toArray({ order: "F" })` and `x.toTypedArray("F")` the C order.
 *
 * How they check: each listed method opens with `if (arguments.length > N) refuse…(name,
 * arguments)`, N the length of its entry here. Kernels call these methods per block and some per
 * element (ndimage's binary morphology calls index() in its inner loop), and that comparison is
 * all a call within the count costs. Wrapping the prototype's methods once at load
 * (checkMethodArguments, as the Client's are) puts a second call on every one of them, through a
 * call site the wrappers share: a loop of isContiguous, index and toTypedArray measured 0.6–7 ns
 * a call more wrapped than bare (medians 33.9 / 36.9 / 40.6 ns against 30.3 / 36.5 / 33.6), the
 * in-body comparison within the noise (30.7 / 36.2 / 34.9; 2 cores at load 3.4). The test
 * (test/ndarray/method-argument-count) holds each N to this table: an N above it lets an extra
 * argument through, one below it throws on a valid call (refuseBeyond), and a method in neither
 * this table nor the variadic list fails the walk.
 */
import { refuseExtraArguments } from "../core/argument-count.js";
import { describeArrayArgument } from "../core/namespace-arguments.js";

export const ndarrayMethodParameters: Readonly<Record<string, readonly string[]>> = {
  isContiguous: [], index: ["indices"], set: ["indices", "value"], toTypedArray: [], toArray: [], toStorage: [], toString: [],
};

/** NDArray methods taking one index per axis (NumPy's x.item(i, j)): the index's length is checked against ndim instead. */
export const ndarrayVariadicMethods: readonly string[] = ["get", "getComplex", "item"];

export const maskedMethodParameters: Readonly<Record<string, readonly string[]>> = {
  filled: ["value"], compressed: [], count: [], toArray: [],
};

const wording = { describe: describeArrayArgument, keywordsOf: "NumPy's" };

/**
 * The slow half of a method's check, called when it got more than N arguments. A guard whose N
 * is below its table entry would send every valid call here, costing the hot path a call: that
 * is a programming error, thrown on the first valid call, so that the tests catch it.
 */
function refuseBeyond(owner: string, table: Readonly<Record<string, readonly string[]>>, method: string, args: ArrayLike<unknown>): void {
  const params = table[method];
  if (args.length <= params.length) throw new Error(`${owner}.${method}: its argument-count guard must compare arguments.length with ${params.length}, the count method-parameters.ts lists`);
  refuseExtraArguments(`${owner}.${method}`, params, args, wording);
}

/** Called by an NDArray method that got more arguments than its entry names: throws unless the extra ones are undefined. */
export function refuseNDArrayArguments(method: string, args: ArrayLike<unknown>): void {
  refuseBeyond("x", ndarrayMethodParameters, method, args);
}

/** Called by a MaskedNDArray method that got more arguments than its entry names. */
export function refuseMaskedArguments(method: string, args: ArrayLike<unknown>): void {
  refuseBeyond("masked", maskedMethodParameters, method, args);
}
