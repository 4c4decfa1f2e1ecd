/**
 * Reductions with NumPy's result dtypes: sum and prod give int64 for bool and signed integers,
 * uint64 for unsigned ones (BigInt storage), the input dtype for floats; min/max keep the
 * dtype; argmin/argmax give int64 indices; any/all give bool. `axis` is a number, a list or
 * null/absent for all axes; `keepdims` keeps reduced axes as length 1.
 *
 * Float sums reproduce NumPy's blocked pairwise summation and visiting order (see
 * reduction-plan.ts and reduction-kernels.ts). Integer sums are exact modulo 2^64: small
 * integers accumulate in doubles while the total provably stays below 2^53, bigints otherwise.
 */
import { InvalidOptionError } from "../core/errors.js";
import { definePublicBuiltin } from "./public-parameters.js";
import { normalizeAxes, normalizeAxis } from "./axes.js";
import { castExpression, castHelpers } from "./cast-expressions.js";
import { astype, requireArray } from "./copy.js";
import { type DType, dtypeInfo, isBigIntDType, isComplexDType, toDType } from "./dtype.js";
import { NDArray, empty } from "./ndarray.js";
import { integerRange } from "./promotion.js";
import { refuseUnknownKeys } from "./option-keys.js";
import { type ReductionPlan, planReduction } from "./reduction-plan.js";
import { type ReductionKernelSpec, compileReduction } from "./reduction-kernels.js";
import { pairwiseSumStaged, wasmPairwiseAvailable } from "./pairwise-sum-wasm.js";
import { maximumFloat, minimumFloat } from "./scalar-math.js";
import { refuseComplex } from "./complex-refusal.js";
import { complexProd, complexSum } from "./complex-reductions.js";

export interface ReductionOptions {
  axis?: number | readonly number[] | null;
  keepdims?: boolean;
  /** Accumulator and result dtype (sum, prod, mean, var, std). */
  dtype?: DType | string;
}

/** Options as the lazy layer passes them, or an axis (number or list) for short. */
export type ReductionArgument = ReductionOptions | number | readonly number[] | null | undefined;

/**
 * The options of a reduction. With `allowed`, an option outside it is refused by name (NumPy
 * raises for `np.max(a, dtype=…)`; an ignored option would be a silent wrong answer).
 */
export function readReductionOptions(argument: ReductionArgument, operation?: string, allowed?: readonly string[]): ReductionOptions {
  if (argument === null || argument === undefined) return {};
  if (typeof argument === "number" || Array.isArray(argument)) return { axis: argument as number | readonly number[] };
  if (typeof argument !== "object") throw new InvalidOptionError(`${operation ?? "reduction"}: options must be an axis or an object such as { axis: 0 }, got ${JSON.stringify(argument)}`);
  if (allowed) refuseUnknownKeys(argument, allowed, operation ?? "reduction");
  return argument as ReductionOptions;
}

const helpers = { ...castHelpers, maximumFloat, minimumFloat };

/** Runs a compiled reduction for every output element of a plan. */
function runReduction(
  a: NDArray,
  plan: ReductionPlan,
  spec: ReductionKernelSpec,
  resultDType: DType,
  keepdims: boolean,
  emptyValue: number | bigint | undefined,
  operation: string,
): NDArray {
  const out = empty(plan.outShape, resultDType);
  const values = out.data as Float64Array;
  const toBig = isBigIntDType(resultDType);
  if (plan.count === 0) {
    // NumPy refuses an empty reduction without identity even where the result is empty too.
    if (emptyValue === undefined) {
      throw new InvalidOptionError(`${operation}: zero-size array to reduction operation ${operation} which has no identity`);
    }
    if (out.size > 0) values.fill((toBig ? BigInt(emptyValue as number) : Number(emptyValue)) as number);
  } else if (out.size > 0) {
    const bigintAccumulator = spec.bigintAccumulator ?? false;
    const store = toBig === bigintAccumulator ? "$a" : toBig ? "BigInt($a)" : "Number($a)";
    compileReduction({ ...spec, key: `${spec.key}->${resultDType}`, store, helpers: spec.helpers ? { ...helpers, ...spec.helpers } : helpers })(a.data, values, plan);
  }
  return keepdims ? new NDArray(out.data, plan.keepdimsShape, { dtype: resultDType }) : out;
}

/** NumPy's default accumulator of sum and prod. */
function defaultSumDType(dtype: DType): DType {
  const kind = dtypeInfo(dtype).kind;
  if (kind === "f") return dtype;
  return kind === "u" ? "uint64" : "int64";
}

/** Keeps an integer accumulator of ≤32 bits exact modulo 2^bits. */
function wrapSmall(dtype: DType, expression: string): string {
  return dtype === "uint32" ? `((${expression}) >>> 0)` : castExpression("int32", dtype, `(${expression} | 0)`);
}

/** The largest |value| of a dtype whose elements accumulate as doubles (undefined for 64-bit and floats). */
function smallIntegerBound(dtype: DType): number | undefined {
  const info = dtypeInfo(dtype);
  if (info.kind === "f" || info.itemsize === 8) return undefined;
  const [low, high] = integerRange(dtype);
  return Math.max(Number(-low), Number(high));
}

function sumSpec(input: DType, result: DType, count: number): ReductionKernelSpec {
  const info = dtypeInfo(result);
  const read = castExpression(input, result, "$v");
  const key = `sum:${input}->${result}`;
  if (info.kind === "f") {
    // float64 runs summed in WebAssembly where it runs (pairwise-sum-wasm.ts: same bits, faster).
    if (input === "float64" && result === "float64" && wasmPairwiseAvailable()) {
      return { key: `${key}:staged`, style: "pairwise", read, init: "0", step: "", add: "$a + $b", staged: true, helpers: { pairwiseStaged: pairwiseSumStaged } };
    }
    return { key, style: "pairwise", read, init: "0", step: "", add: result === "float32" ? "Math.fround($a + $b)" : "$a + $b" };
  }
  if (info.kind === "b") return { key, style: "fold", read, init: "0", step: "acc = acc | x;" };
  if (info.itemsize <= 4) return { key, style: "fold", read, init: "0", step: `acc = ${wrapSmall(result, "acc + x")};` };
  const bound = smallIntegerBound(input);
  if (bound !== undefined && bound * count < 2 ** 53) {
    return { key: `${key}:double`, style: "fold", read: "$v", init: "0", step: "acc += x;" };
  }
  return { key, style: "fold", read, init: "0n", step: "acc = BigInt.asIntN(64, acc + x);", bigintAccumulator: true };
}

function prodSpec(input: DType, result: DType): ReductionKernelSpec {
  const info = dtypeInfo(result);
  const read = castExpression(input, result, "$v");
  const key = `prod:${input}->${result}`;
  if (info.kind === "f") return { key, style: "fold", read, init: "1", step: result === "float32" ? "acc = Math.fround(acc * x);" : "acc = acc * x;" };
  if (info.kind === "b") return { key, style: "fold", read, init: "1", step: "acc = acc & x;" };
  if (info.itemsize <= 4) return { key, style: "fold", read, init: "1", step: "acc = Math.imul(acc, x);" };
  return { key, style: "fold", read, init: "1n", step: "acc = BigInt.asIntN(64, acc * x);", bigintAccumulator: true };
}

function extremumSpec(input: DType, which: "max" | "min"): ReductionKernelSpec {
  const float = dtypeInfo(input).kind === "f";
  const beats = which === "max" ? ">" : "<";
  const step = float ? `acc = ${which === "max" ? "maximumFloat" : "minimumFloat"}(acc, x);` : `if (x ${beats} acc) acc = x;`;
  return { key: `${which}:${input}`, style: "fold", read: "$v", init: "first", step, bigintAccumulator: isBigIntDType(input) };
}

function argSpec(input: DType, which: "max" | "min"): ReductionKernelSpec {
  const float = dtypeInfo(input).kind === "f";
  const beats = which === "max" ? ">" : "<";
  // NaN wins over numbers, and the first NaN stays.
  const condition = float ? `(x ${beats} best || (x !== x && best === best))` : `x ${beats} best`;
  return { key: `arg${which}:${input}`, style: "arg", read: "$v", init: "0", step: condition };
}

function truthSpec(input: DType, which: "any" | "all"): ReductionKernelSpec {
  const zero = isBigIntDType(input) ? "0n" : "0";
  const step = which === "any" ? `if (x !== ${zero}) { acc = 1; break element; }` : `if (x === ${zero}) { acc = 0; break element; }`;
  return { key: `${which}:${input}`, style: "fold", read: "$v", init: which === "any" ? "0" : "1", step };
}

const withDType = ["axis", "keepdims", "dtype"] as const;
const withoutDType = ["axis", "keepdims"] as const;

function resolve(a: NDArray, argument: ReductionArgument, operation: string, allowed: readonly string[], complexOk = false) {
  requireArray(a, operation);
  if (!complexOk) refuseComplex(operation, a.dtype);
  const options = readReductionOptions(argument, operation, allowed);
  const axes = normalizeAxes(options.axis, a.ndim, operation);
  return { options, axes, keepdims: options.keepdims ?? false };
}

/** Sum of the elements over the given axes (NumPy's pairwise summation for floats). */
export const sum = definePublicBuiltin("sum", function sum(a: NDArray, options?: ReductionArgument): NDArray {
  const { options: o, axes, keepdims } = resolve(a, options, "sum", withDType, true);
  if (isComplexDType(a.dtype)) return complexSum(a, axes, keepdims, o.dtype, sum);
  if (o.dtype !== undefined && isComplexDType(toDType(o.dtype, "sum: dtype"))) return complexSum(astype(a, o.dtype), axes, keepdims, o.dtype, sum);
  const result = o.dtype === undefined ? defaultSumDType(a.dtype) : toDType(o.dtype, "sum: dtype");
  const plan = planReduction(a, axes, "memory");
  return runReduction(a, plan, sumSpec(a.dtype, result, plan.count), result, keepdims, 0, "add");
});

export const prod = definePublicBuiltin("prod", function prod(a: NDArray, options?: ReductionArgument): NDArray {
  const { options: o, axes, keepdims } = resolve(a, options, "prod", withDType, true);
  if (isComplexDType(a.dtype) || (o.dtype !== undefined && isComplexDType(toDType(o.dtype, "prod: dtype")))) return complexProd(a, axes, keepdims, o.dtype);
  const result = o.dtype === undefined ? defaultSumDType(a.dtype) : toDType(o.dtype, "prod: dtype");
  const plan = planReduction(a, axes, "memory");
  return runReduction(a, plan, prodSpec(a.dtype, result), result, keepdims, 1, "multiply");
});

/** Largest element (NaN if any element is NaN); an empty reduction is an error. */
export const max = definePublicBuiltin("max", function max(a: NDArray, options?: ReductionArgument): NDArray {
  const { axes, keepdims } = resolve(a, options, "max", withoutDType);
  return runReduction(a, planReduction(a, axes, "memory"), extremumSpec(a.dtype, "max"), a.dtype, keepdims, undefined, "maximum");
});

export const min = definePublicBuiltin("min", function min(a: NDArray, options?: ReductionArgument): NDArray {
  const { axes, keepdims } = resolve(a, options, "min", withoutDType);
  return runReduction(a, planReduction(a, axes, "memory"), extremumSpec(a.dtype, "min"), a.dtype, keepdims, undefined, "minimum");
});

export const any = definePublicBuiltin("any", function any(a: NDArray, options?: ReductionArgument): NDArray {
  const { axes, keepdims } = resolve(a, options, "any", withoutDType);
  return runReduction(a, planReduction(a, axes, "memory"), truthSpec(a.dtype, "any"), "bool", keepdims, 0, "any");
});

export const all = definePublicBuiltin("all", function all(a: NDArray, options?: ReductionArgument): NDArray {
  const { axes, keepdims } = resolve(a, options, "all", withoutDType);
  return runReduction(a, planReduction(a, axes, "memory"), truthSpec(a.dtype, "all"), "bool", keepdims, 1, "all");
});

export interface ArgReductionOptions {
  /** One axis, or null/absent for the index into the flattened (C order) array. */
  axis?: number | null;
  keepdims?: boolean;
}

const argKeys = ["axis", "keepdims"];

function argReduction(a: NDArray, argument: ArgReductionOptions | number | null | undefined, which: "max" | "min"): NDArray {
  const operation = `arg${which}`;
  requireArray(a, operation);
  const options: ArgReductionOptions = typeof argument === "number" ? { axis: argument } : argument ?? {};
  if (typeof options === "object") refuseUnknownKeys(options, argKeys, operation);
  const axis = options.axis ?? null;
  const keepdims = options.keepdims ?? false;
  const axes = axis === null ? a.shape.map((_, i) => i) : [normalizeAxis(axis, a.ndim, operation)];
  const plan = planReduction(a, axes, "logical");
  const result = runReduction(a, plan, argSpec(a.dtype, which), "int64", false, undefined, operation);
  if (!keepdims) return result;
  const shape = axis === null ? a.shape.map(() => 1) : plan.keepdimsShape;
  return new NDArray(result.data, shape, { dtype: "int64" });
}

/** Index of the largest element (the first one; NaN counts as largest). int64, as in NumPy. */
export const argmax = definePublicBuiltin("argmax", function argmax(a: NDArray, options?: ArgReductionOptions | number | null): NDArray {
  return argReduction(a, options, "max");
});

export const argmin = definePublicBuiltin("argmin", function argmin(a: NDArray, options?: ArgReductionOptions | number | null): NDArray {
  return argReduction(a, options, "min");
});
