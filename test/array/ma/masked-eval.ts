/**
 * numpy.ma and dask.array.ma as references for masked results: a masked value crosses the
 * Python boundary as three arrays, np.ma.getdata, np.ma.getmaskarray and the fill value.
 * In an expression `{x}` stands for the masked input x (np.ma.masked_array(x_d, mask=x_m)),
 * `{X}` for the same as a Dask masked array with tessera's chunks of x.
 */
import assert from "node:assert/strict";
import * as nd from "../../../src/ndarray/index.js";
import type { MaskedNDArray } from "../../../src/ndarray/index.js";
import type { MaskedArray } from "../../../src/array/ma/index.js";
import { evaluatePython, assertSameArray } from "../python-eval.js";

export interface MaskedInput {
  data: nd.NDArray;
  mask: nd.NDArray;
  chunks: readonly (readonly number[])[];
}

export interface MaskedReference {
  data?: nd.NDArray;
  mask?: nd.NDArray;
  fill?: nd.NDArray;
  plain?: nd.NDArray;
  error?: string;
}

const pyTuple = (chunks: readonly (readonly number[])[]): string => `(${chunks.map((c) => `(${c.join(",")},)`).join(",")},)`;

function substitute(expression: string, inputs: Record<string, MaskedInput>): string {
  return expression.replace(/\{(\w+)\}/g, (_, name: string) => {
    const lower = name.toLowerCase();
    const input = inputs[lower];
    if (input === undefined) throw new Error(`no masked input ${name}`);
    if (name === lower) return `np.ma.masked_array(${lower}_d, mask=${lower}_m)`;
    const ch = pyTuple(input.chunks);
    return `da.ma.masked_array(da.from_array(${lower}_d, chunks=${ch}), mask=da.from_array(${lower}_m, chunks=${ch}))`;
  });
}

/**
 * Evaluates masked expressions (label → expression; a label starting with "plain:" is compared
 * as a plain array) with extra plain inputs beside the masked ones.
 */
export function evaluateMasked(inputs: Record<string, MaskedInput>, expressions: Record<string, string>, plainInputs: Record<string, nd.NDArray> = {}): Record<string, MaskedReference> {
  const arrays: Record<string, nd.NDArray> = { ...plainInputs };
  for (const [name, input] of Object.entries(inputs)) {
    arrays[`${name}_d`] = input.data;
    arrays[`${name}_m`] = input.mask;
  }
  const python: Record<string, string> = {};
  for (const [label, raw] of Object.entries(expressions)) {
    const expression = substitute(raw, inputs);
    const key = label.replace(/\W/g, "_");
    if (label.startsWith("plain:")) {
      python[`${key}__p`] = expression;
      continue;
    }
    const value = `(lambda r: r.compute() if hasattr(r, "dask") else r)(${expression})`;
    python[`${key}__d`] = `np.ma.getdata(${value})`;
    python[`${key}__m`] = `np.ma.getmaskarray(${value})`;
    python[`${key}__f`] = `np.asarray(np.ma.masked_array(${value}).fill_value)`;
  }
  const results = evaluatePython(arrays, python);
  const out: Record<string, MaskedReference> = {};
  for (const label of Object.keys(expressions)) {
    const key = label.replace(/\W/g, "_");
    if (label.startsWith("plain:")) {
      const r = results[`${key}__p`];
      out[label] = r.error !== undefined ? { error: r.error } : { plain: r.array };
      continue;
    }
    const [d, m, f] = [results[`${key}__d`], results[`${key}__m`], results[`${key}__f`]];
    const error = d.error ?? m.error ?? f.error;
    out[label] = error !== undefined ? { error } : { data: d.array, mask: m.array, fill: f.array };
  }
  return out;
}

export interface CompareOptions {
  /** Compare the data under the mask too (NumPy's values there). */
  underMask?: boolean;
  /** Relative tolerance for float data (sums in another order). */
  rtol?: number;
}

/** Asserts a computed masked result equals numpy.ma's: mask, dtype and unmasked data always; fill value; data under the mask if asked. */
export function assertSameMasked(actual: MaskedNDArray, expected: MaskedReference, label: string, options: CompareOptions = {}): void {
  if (expected.error !== undefined) assert.fail(`${label}: Python raised ${expected.error}`);
  const { data, mask, fill } = expected as Required<MaskedReference>;
  assertSameArray(actual.mask, mask, `${label} mask`);
  const maskedScalar = mask.shape.length === 0 && mask.toArray() === true;
  // NumPy's np.ma.masked is a float64 0.0 whatever the operation's dtype; only its mask says anything.
  if (maskedScalar) return;
  assert.equal(actual.dtype, data.dtype, `${label}: dtype`);
  // Compared as stored in the dtype, which is what filled() uses: NumPy reports 999999 or 63 for
  // int8 depending on whether its fill_value setter ran (np.ma.masked_array(r) runs it).
  const stored = (value: unknown): number => nd.fillValueIn(Number(value), actual.dtype, label);
  assert.equal(stored(actual.fillValue), stored(fill.toArray()), `${label}: fill value`);
  if (fill.dtype === "bool" || typeof actual.fillValue === "boolean") assert.equal(actual.fillValue, fill.toArray(), `${label}: bool fill value`);
  const a = nd.ascontiguousarray(actual.data).toTypedArray();
  const b = nd.ascontiguousarray(data).toTypedArray();
  const m = nd.ascontiguousarray(mask).toTypedArray();
  for (let i = 0; i < b.length; i++) {
    if (m[i] && !options.underMask) continue;
    const same = Object.is(a[i], b[i]) || (Number.isNaN(a[i]) && Number.isNaN(b[i]));
    if (same) continue;
    const tolerable = options.rtol !== undefined && typeof a[i] === "number" && Math.abs((a[i] as number) - (b[i] as number)) <= options.rtol * Math.max(Math.abs(b[i] as number), 1e-300);
    if (!tolerable) assert.fail(`${label}: element ${i}${m[i] ? " (masked)" : ""} is ${String(a[i])}, numpy.ma gives ${String(b[i])}`);
  }
}

/** Computes each masked array and compares it with its reference. */
export async function checkAll(results: Record<string, MaskedArray>, references: Record<string, MaskedReference>, options: (label: string) => CompareOptions = () => ({})): Promise<void> {
  for (const [label, array] of Object.entries(results)) {
    assertSameMasked(await array.compute(), references[label], label, options(label));
  }
}
