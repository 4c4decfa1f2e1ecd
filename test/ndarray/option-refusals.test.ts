// The eager nd.* functions refuse an option key they do not take, naming it and what they take
// (option-keys.ts): a misspelt key (nd.mean(x, { axs: 0 })) used to be ignored and gave another
// answer (here the mean of every element). Each row also checks that every documented key is
// still read, so a refusal list that is too short fails here too.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as nd from "../../src/ndarray/index.js";

type Options = Record<string, unknown>;

interface Row {
  /** The name the refusal gives. */
  what: string;
  /** The keys the refusal lists, in its order. */
  takes: string;
  /** The call, with `options` (or a dtype / axis object) where the function reads it. */
  call: (options: Options) => nd.NDArray;
  /** Every documented key, and what the call must give with them. */
  all: Options;
  check: (result: nd.NDArray) => void;
}

const x = nd.reshape(nd.arange(12), [3, 4]);
const column = nd.reshape(nd.arange(3), [3, 1]);
const shapeOf = (expected: number[]) => (result: nd.NDArray) => assert.deepEqual(result.shape, expected);
const dtypeOf = (expected: string, shape?: number[]) => (result: nd.NDArray) => {
  assert.equal(result.dtype, expected);
  if (shape) assert.deepEqual(result.shape, shape);
};

const rows: Row[] = [
  { what: "zeros", takes: "dtype", call: (o) => nd.zeros([2], o), all: { dtype: "int8" }, check: dtypeOf("int8", [2]) },
  { what: "ones", takes: "dtype", call: (o) => nd.ones([2], o), all: { dtype: "int8" }, check: dtypeOf("int8", [2]) },
  { what: "full", takes: "dtype", call: (o) => nd.full([2], 3, o), all: { dtype: "int16" }, check: dtypeOf("int16", [2]) },
  { what: "arange", takes: "dtype", call: (o) => nd.arange(3, o), all: { dtype: "int32" }, check: dtypeOf("int32", [3]) },
  { what: "array", takes: "shape, dtype", call: (o) => nd.array([1, 2, 3, 4], o), all: { shape: [2, 2], dtype: "int8" }, check: dtypeOf("int8", [2, 2]) },
  { what: "fromTypedArray", takes: "dtype", call: (o) => nd.fromTypedArray(new Uint8Array([0, 1]), [2], o), all: { dtype: "bool" }, check: dtypeOf("bool", [2]) },
  { what: "random", takes: "seed, dtype", call: (o) => nd.random([3], o), all: { seed: 1, dtype: "float32" }, check: (r) => {
    assert.equal(r.dtype, "float32");
    assert.deepEqual(r.toArray(), nd.random([3], { seed: 1, dtype: "float32" }).toArray());
  } },
  { what: "linspace", takes: "endpoint, dtype", call: (o) => nd.linspace(0, 4, 4, o), all: { endpoint: false, dtype: "float32" }, check: (r) => {
    assert.equal(r.dtype, "float32");
    assert.deepEqual(r.toArray(), [0, 1, 2, 3]);
  } },
  { what: "arangeBlock", takes: "start, step, offset, count, dtype", call: (o) => nd.arangeBlock({ start: 0, step: 2, offset: 1, count: 2, dtype: "int32", ...o } as never), all: {}, check: (r) => assert.deepEqual(r.toArray(), [2, 4]) },
  { what: "linspaceBlock", takes: "start, stop, num, endpoint, offset, count, dtype", call: (o) => nd.linspaceBlock({ start: 0, stop: 4, num: 5, endpoint: true, offset: 1, count: 2, dtype: "float64", ...o } as never), all: {}, check: (r) => assert.deepEqual(r.toArray(), [1, 2]) },
  { what: "squeeze", takes: "axis", call: (o) => nd.squeeze(column, o as never), all: { axis: 1 }, check: shapeOf([3]) },
  { what: "expandDims", takes: "axis", call: (o) => nd.expandDims(x, o as never), all: { axis: 0 }, check: shapeOf([1, 3, 4]) },
  { what: "transpose", takes: "axes", call: (o) => nd.transpose(nd.zeros([2, 3, 4]), o as never), all: { axes: [1, 0, 2] }, check: shapeOf([3, 2, 4]) },
  { what: "reshape", takes: "shape", call: (o) => nd.reshape(x, o as never), all: { shape: [4, 3] }, check: shapeOf([4, 3]) },
  { what: "broadcastTo", takes: "shape", call: (o) => nd.broadcastTo(column, o as never), all: { shape: [3, 5] }, check: shapeOf([3, 5]) },
  { what: "astype", takes: "dtype", call: (o) => nd.astype(x, o as never), all: { dtype: "int8" }, check: dtypeOf("int8", [3, 4]) },
  { what: "concatenate", takes: "axis", call: (o) => nd.concatenate([x, x], o as never), all: { axis: 1 }, check: shapeOf([3, 8]) },
  { what: "stack", takes: "axis", call: (o) => nd.stack([x, x], o as never), all: { axis: 1 }, check: shapeOf([3, 2, 4]) },
  { what: "take", takes: "axis", call: (o) => nd.take(x, [0], o), all: { axis: 1 }, check: shapeOf([3, 1]) },
  { what: "maskSelect", takes: "axis", call: (o) => nd.maskSelect(x, nd.array([true, false, true, true]), o), all: { axis: 1 }, check: shapeOf([3, 3]) },
  { what: "pad", takes: "mode, constantValue", call: (o) => nd.pad(nd.array([1, 2]), 1, o as never), all: { mode: "constant", constantValue: 9 }, check: (r) => assert.deepEqual(r.toArray(), [9, 1, 2, 9]) },
  { what: "round", takes: "decimals", call: (o) => nd.round(nd.array([1.234]), o), all: { decimals: 1 }, check: (r) => assert.deepEqual(r.toArray(), [1.2]) },
  { what: "clip", takes: "min, max", call: (o) => nd.clip(x, o), all: { min: 2, max: 5 }, check: (r) => assert.deepEqual((r.toArray() as number[][])[0], [2, 2, 2, 3]) },
  { what: "argmax", takes: "axis, keepdims", call: (o) => nd.argmax(x, o), all: { axis: 0, keepdims: true }, check: shapeOf([1, 4]) },
  { what: "argmin", takes: "axis, keepdims", call: (o) => nd.argmin(x, o), all: { axis: 1, keepdims: true }, check: shapeOf([3, 1]) },
  { what: "mean", takes: "axis, keepdims, dtype", call: (o) => nd.mean(x, o), all: { axis: 0, keepdims: true, dtype: "float32" }, check: dtypeOf("float32", [1, 4]) },
  { what: "var", takes: "axis, keepdims, dtype, ddof", call: (o) => nd.var(x, o), all: { axis: 1, keepdims: true, dtype: "float64", ddof: 1 }, check: (r) => {
    assert.deepEqual(r.shape, [3, 1]);
    assert.deepEqual((r.toArray() as number[][])[0], [5 / 3]);
  } },
  { what: "std", takes: "axis, keepdims, dtype, ddof", call: (o) => nd.std(x, o), all: { axis: 1, keepdims: false, dtype: "float32", ddof: 1 }, check: dtypeOf("float32", [3]) },
  { what: "coarsenView", takes: "factors, trimExcess", call: (o) => nd.coarsenView(x, o as never), all: { factors: [2, 2], trimExcess: true }, check: shapeOf([1, 2, 2, 2]) },
  { what: "coarsen", takes: "factors, trimExcess, reductionOptions", call: (o) => nd.coarsen(nd.sum as never, x, o as never), all: { factors: [3, 2], trimExcess: false, reductionOptions: { dtype: "int32" } }, check: dtypeOf("int32", [1, 2]) },
  { what: "cumulativeCarry", takes: "axis, product, dtype", call: (o) => nd.cumulativeCarry(null, x, o as never), all: { axis: 0, product: true, dtype: "float64" }, check: (r) => assert.deepEqual(r.toArray(), [[8, 9, 10, 11]]) },
  { what: "NDArray", takes: "strides, offset, dtype", call: (o) => new nd.NDArray(new Float64Array(4), [2], o as never), all: { strides: [2], offset: 1, dtype: "float64" }, check: (r) => assert.deepEqual(r.strides, [2]) },
];

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

describe("eager nd.* functions refuse option keys they do not take", () => {
  for (const row of rows) {
    it(`${row.what} refuses a misspelt key by name and still reads ${row.takes}`, () => {
      const message = new RegExp(`^${escape(`${row.what}: unknown option "bogusKeyZ"; ${row.what} takes ${row.takes}`)}$`);
      assert.throws(() => row.call({ ...row.all, bogusKeyZ: 1 }), (error: Error) => {
        assert.match(error.message, message);
        return true;
      });
      row.check(row.call({ ...row.all }));
      // As refuseUnknownKeys does everywhere: a key whose value is undefined is as good as absent.
      row.check(row.call({ ...row.all, bogusKeyZ: undefined }));
    });
  }

  it("the misspellings of the issue now fail instead of answering something else", () => {
    assert.throws(() => nd.mean(x, { axs: 0 } as never), /mean: unknown option "axs"; mean takes axis, keepdims, dtype/);
    assert.throws(() => nd.array([1, 2], { dtyp: "int8" } as never), /array: unknown option "dtyp"; array takes shape, dtype/);
    assert.throws(() => nd.var(x, { ddf: 1 } as never), /var: unknown option "ddf"/);
    assert.throws(() => nd.around(x, { decimal: 2 } as never), /round: unknown option "decimal"; round takes decimals/);
    assert.throws(() => nd.ones([2], { dtyp: "int8" } as never), /ones: unknown option "dtyp"; ones takes dtype/);
  });

  it("a number or string where an options object goes is refused, not read as no options", () => {
    // nd.take(x, [0], 1) meant axis 1 (NumPy's positional axis) and took along axis 0.
    assert.throws(() => nd.take(x, [0], 1 as never), /^InvalidOptionError: take takes an options object \{ axis \}, got 1$/);
    assert.throws(() => nd.pad(x, 1, "edge" as never), /pad takes an options object \{ mode, constantValue \}, got "edge"/);
    assert.throws(() => nd.maskSelect(x, nd.array([true, false, true, true]), 1 as never), /maskSelect takes an options object \{ axis \}, got 1/);
    assert.throws(() => nd.random([2], 7 as never), /random takes an options object \{ seed, dtype \}, got 7/);
    assert.throws(() => nd.linspace(0, 1, 5, false as never), /linspace takes an options object \{ endpoint, dtype \}, got false/);
    assert.throws(() => nd.array([1, 2], "int8" as never), /array takes an options object \{ shape, dtype \}, got "int8"/);
    assert.throws(() => nd.fromTypedArray(new Float64Array(2), [2], "float64" as never), /fromTypedArray takes an options object \{ dtype \}/);
  });

  it("positional forms are unchanged", () => {
    assert.equal(nd.zeros([2], "int8").dtype, "int8");
    assert.deepEqual(nd.mean(x, 0).shape, [4]);
    assert.deepEqual(nd.argmax(x, 1).shape, [3]);
    assert.deepEqual(nd.concatenate([x, x], 1).shape, [3, 8]);
    assert.deepEqual(nd.squeeze(column, 1).shape, [3]);
    assert.deepEqual(nd.transpose(x, [1, 0]).shape, [4, 3]);
    assert.deepEqual(nd.round(nd.array([1.25]), 1).toArray(), [1.2]);
    assert.equal(nd.astype(x, "int8").dtype, "int8");
  });
});
