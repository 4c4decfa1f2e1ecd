/**
 * No silent wrong answers for complex input in tessera/array: every public function, called
 * with a small complex128 array in several chunks, refuses it naming complex (when the graph is
 * built or when it computes), or computes what NumPy gives for the same call on the whole array
 * (test/ndarray/complex-guard-walk.ts).
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as ta from "../../src/array/index.js";
import * as nd from "../../src/ndarray/index.js";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { walkGuard } from "../ndarray/complex-guard-walk.js";

const z = nd.complex(nd.reshape(nd.arange(1, 13), [3, 4]), nd.reshape(nd.arange(-6, 6), [3, 4]));
const x = () => ta.fromArray(z, { chunks: 2 });

async function settle(value: unknown): Promise<unknown> {
  if (value instanceof ta.Array) return value.compute();
  if (Array.isArray(value) && value[0] instanceof ta.Array) return value[0].compute();
  return value;
}

const skip: Record<string, string> = {
  Array: "a class", compute: "computes collections (its result is each array's)", persist: "persists collections",
  zeros: "takes a shape", ones: "takes a shape", full: "takes a shape", empty: "takes a shape", random: "takes a shape", arange: "takes numbers",
  linspace: "takes numbers", eye: "takes sizes (complex dtype refused: tested in complex-lazy)", tri: "takes sizes", trilIndices: "takes sizes",
  triuIndices: "takes sizes", trilIndicesFrom: "reads only the shape", triuIndicesFrom: "reads only the shape", indices: "takes a shape",
  fromfunction: "takes a function and a shape", fromZarr: "reads a store (complex Zarr tested in test/zarr/complex-zarr)", fromOmeZarr: "reads a store",
  fromDelayed: "takes a Delayed", toOmeZarr: "writes a store", store: "writes a store", toZarrProgress: "writes a store",
  resultType: "takes dtypes", unravelIndex: "takes integer indices", ravelMultiIndex: "takes integer indices", tri_: "",
  ellipsis: "a marker", newaxis: "a marker", ndimage: "a namespace (its functions refuse complex: see the ndimage guard)",
  linalg: "a namespace (complex tested in linalg-complex-*; what refuses it, in complex-statistics-products)", fft: "a namespace, tested in fft-differential",
  iscomplexobj: "returns a boolean", mapBlocks: "runs a user function", mapOverlap: "runs a user function", applyAlongAxis: "runs a user function",
  applyOverAxes: "runs a user function", applyGufunc: "runs a user function", gufunc: "makes a gufunc from a user function",
  asGufunc: "makes a gufunc from a user function", piecewise: "runs user functions", unifyChunks: "rechunks only (moves elements as rechunk)",
  broadcastArrays: "views only (broadcastTo's moves are checked)", meshgrid: "takes 1-d coordinate arrays (views)",
  NpyFormatError: "an error class", NpyStackError: "an error class", Hdf5ExistsError: "an error class", Hdf5FileChangedError: "an error class",
  Hdf5FormatError: "an error class", Hdf5NotFoundError: "an error class", Hdf5UnsupportedError: "an error class",
  fromHdf5: "reads a file (h5py's complex read in test/array/from-hdf5)", toHdf5: "writes a file (complex written in test/array/to-hdf5)", shape: "returns the shape (numbers)", ndim: "returns the number of axes",
  blockwise: "runs a user function", reduction: "runs user functions", toZarr: "writes a store (complex Zarr tested in test/zarr/complex-zarr)",
  toNpyStack: "writes a directory (complex refused by the .npy encoder: below)", fromNpyStack: "reads a directory (a complex descr refused: below)",
  ma: "a namespace (every ta.ma function refuses complex: below)",
};

describe("complex input to every tessera/array function", () => {
  it("is refused by name or matches NumPy", async () => {
    const list = () => [x(), x()];
    const { supported } = await walkGuard({
      namespace: ta as unknown as Record<string, unknown>, prefix: "ta", input: x, settle, skip, pythonInputs: { z },
      calls: {
        fromArray: { args: () => [z, { chunks: 2 }], python: "z" },
        concatenate: { args: () => [list(), 1], python: "np.concatenate([z, z], 1)" },
        stack: { args: () => [list(), 2], python: "np.stack([z, z], 2)" },
        hstack: { args: () => [list()], python: "np.hstack([z, z])" },
        vstack: { args: () => [list()], python: "np.vstack([z, z])" },
        dstack: { args: () => [list()], python: "np.dstack([z, z])" },
        block: { args: () => [[list()]], python: "np.block([[z, z]])" },
        append: { args: () => [x(), x()], python: "np.append(z, z)" },
        moveaxis: { args: () => [x(), 0, 1], python: "np.moveaxis(z, 0, 1)" },
        expandDims: { args: () => [x(), 1], python: "np.expand_dims(z, 1)" },
        roll: { args: () => [x(), 1], python: "np.roll(z, 1)" },
        tile: { args: () => [x(), 2], python: "np.tile(z, 2)" },
        broadcastTo: { args: () => [x(), [2, 3, 4]], python: "np.broadcast_to(z, (2, 3, 4))" },
        reshape: { args: () => [x(), [4, 3]], python: "z.reshape(4, 3)" },
        delete: { args: () => [x(), 1, { axis: 0 }], python: "np.delete(z, 1, axis=0)" },
        insert: { args: () => [x(), 1, 0, { axis: 0 }], python: "np.insert(z, 1, 0, axis=0)" },
        take: { args: () => [x(), [2, 0], { axis: 1 }] },
        compress: { args: () => [[true, false, true], x(), { axis: 0 }] },
        choose: { args: () => [ta.fromArray(nd.astype(nd.greater(nd.real(z), 5), "int32"), { chunks: 2 }), [x(), ta.conj(x())]], python: "np.choose((z.real > 5).astype(np.int32), [z, np.conj(z)])" },
        select: { args: () => [[ta.fromArray(nd.greater(nd.real(z), 3), { chunks: 2 })], [x()]], python: "np.select([z.real > 3], [z])" },
        where: { args: () => [ta.fromArray(nd.greater(nd.real(z), 3), { chunks: 2 }), x(), ta.conj(x())], python: "np.where(z.real > 3, z, np.conj(z))" },
        clip: { args: () => [x(), 1, 2] },
        digitize: { args: () => [x(), [1, 2]] },
        isin: { args: () => [x(), [1, 2]] },
        searchsorted: { args: () => [ta.fromArray(nd.complex(nd.arange(3), nd.arange(3)), { chunks: 2 }), x()] },
        gradient: { args: () => [ta.fromArray(z, { chunks: [3, 4] })] },
        bincount: { args: () => [ta.fromArray(nd.reshape(z, [-1]), { chunks: 5 }), {}] },
        coarsen: { args: () => [nd.sum, x(), [1, 2]], python: "z.reshape(3, 2, 2).sum(axis=2)" },
        dot: { args: () => [x(), ta.fromArray(nd.transpose(z), { chunks: 2 })], python: "np.dot(z, z.T)" },
        matmul: { args: () => [x(), ta.fromArray(nd.transpose(z), { chunks: 2 })], python: "z @ z.T" },
        einsum: { args: () => ["ij,kj->ik", x(), ta.conj(x())], python: "np.einsum('ij,kj->ik', z, np.conj(z))" },
        tensordot: { args: () => [x(), ta.conj(x()), [[1], [1]]], python: "np.tensordot(z, np.conj(z), ([1], [1]))" },
        vdot: { args: () => [x(), x().mul(2)], python: "np.vdot(z, 2 * z)" },
        cumsum: { args: () => [x(), { axis: 1 }], python: "np.cumsum(z, axis=1)" },
        cumprod: { args: () => [x().div(4), { axis: 0 }], python: "np.cumprod(z / 4, axis=0)" },
        var: { args: () => [x(), { axis: 1, ddof: 1 }], python: "np.var(z, axis=1, ddof=1)" },
        fullLike: { args: () => [x(), 2], python: "np.full_like(z, 2)" },
        pad: { args: () => [x(), 1], python: "np.pad(z, 1)" },
        repeat: { args: () => [x(), 2, 0], python: "np.repeat(z, 2, 0)" },
        swapaxes: { args: () => [x(), 0, 1], python: "np.swapaxes(z, 0, 1)" },
        histogram: { args: () => [x(), { bins: 3, range: [0, 10] }] },
        histogram2d: { args: () => [ta.fromArray(nd.reshape(z, [-1]), { chunks: 5 }), ta.fromArray(nd.reshape(z, [-1]), { chunks: 5 }), { bins: 2, range: [[0, 1], [0, 1]] }] },
        histogramdd: { args: () => [ta.fromArray(nd.reshape(z, [6, 2]), { chunks: 2 }), { bins: 2, range: [[0, 1], [0, 1]] }] },
        median: { args: () => [x(), { axis: 0 }] },
        nanmedian: { args: () => [x(), { axis: 0 }] },
        percentile: { args: () => [ta.fromArray(nd.reshape(z, [-1]), { chunks: 5 }), 50] },
        shift: { args: () => [x(), { shift: 1 }] },
        zoom: { args: () => [x(), { zoom: 2 }] },
        affineTransform: { args: () => [x(), { matrix: [1, 1] }] },
        mapCoordinates: { args: () => [x(), nd.zeros([2, 2])] },
        average: { args: () => [x()], python: "np.average(z)" },
        asarray: { args: () => [x()], python: "z" },
        asanyarray: { args: () => [z], python: "z" },
        array: { args: () => [z, { ndmin: 3 }], python: "np.array(z, ndmin=3)" },
        rechunk: { args: () => [x(), 3], python: "z" },
        rollaxis: { args: () => [x(), 1], python: "np.rollaxis(z, 1)" },
      },
      verified: {
        abs: "np.abs(z)", absolute: "np.abs(z)", angle: "np.angle(z)", conj: "np.conj(z)", conjugate: "np.conj(z)", exp: "np.exp(z)", imag: "np.imag(z)",
        iscomplex: "np.iscomplex(z)", isfinite: "np.isfinite(z)", isinf: "np.isinf(z)", isnan: "np.isnan(z)", isnull: "np.isnan(z)", isreal: "np.isreal(z)",
        std: "np.std(z)", outer: "np.outer(z, z)",
        nansum: "np.nansum(z)", nanprod: "np.nanprod(z)", nanmean: "np.nanmean(z)", nanvar: "np.nanvar(z)", nanstd: "np.nanstd(z)",
        log: "np.log(z)", mean: "np.mean(z)", negative: "-z", positive: "+z", prod: "np.prod(z)", real: "np.real(z)", reciprocal: "np.reciprocal(z)",
        sqrt: "np.sqrt(z)", square: "np.square(z)", sum: "np.sum(z)", add: "z + z", subtract: "z - z", multiply: "z * z", divide: "z / z",
        trueDivide: "z / z", power: "z ** z", equal: "z == z", notEqual: "z != z", squeeze: "np.squeeze(z)", transpose: "z.T",
        atleast1d: "np.atleast_1d(z)", atleast2d: "np.atleast_2d(z)", atleast3d: "np.atleast_3d(z)", countNonzero: "np.count_nonzero(z)",
        diff: "np.diff(z)", ediff1d: "np.ediff1d(z)", emptyLike: "np.zeros_like(z)", zerosLike: "np.zeros_like(z)", onesLike: "np.ones_like(z)",
        flip: "np.flip(z)", fliplr: "np.fliplr(z)", flipud: "np.flipud(z)", ravel: "np.ravel(z)", rot90: "np.rot90(z)",
      },
    });
    for (const name of ["add", "sum", "mean", "concatenate", "fromArray", "real"]) assert.ok(supported.includes(name), name);
  });
});

describe("complex input to tessera/array's ma namespace and npy stacks", () => {
  it("is refused by name: masked arrays and .npy files of complex are not supported", async () => {
    const { refused, supported } = await walkGuard({
      namespace: ta.ma as unknown as Record<string, unknown>, prefix: "ta.ma", input: x, skip: { MaskedArray: "a class (its constructor is what refuses)", setFillValue: "sets the fill value of a masked array (none can be complex)" },
      settle: async (value) => (value instanceof ta.ma.MaskedArray ? (await value.compute()).filled() : settle(value)), pythonInputs: { z },
      calls: {
        defaultFillValue: { args: () => ["complex128"] }, minimumFillValue: { args: () => ["complex64"] }, maximumFillValue: { args: () => ["complex128"] },
        maskedWhere: { args: () => [ta.fromArray(nd.greater(nd.real(z), 3), { chunks: 2 }), x()] },
        concatenate: { args: () => [[x(), x()]] }, stack: { args: () => [[x(), x()]] },
        maskedInside: { args: () => [x(), 1, 2] }, maskedOutside: { args: () => [x(), 1, 2] },
        // Plain complex operands compared: a bool masked array with no element masked, as numpy.ma's.
        equal: { args: () => [x(), ta.conj(x())], python: "np.ma.equal(z, np.conj(z)).filled()" },
        notEqual: { args: () => [x(), ta.conj(x())], python: "np.ma.not_equal(z, np.conj(z)).filled()" },
        where: { args: () => [ta.fromArray(nd.greater(nd.real(z), 3), { chunks: 2 }), x(), x()] },
      },
      verified: {},
    });
    assert.deepEqual(supported, ["equal", "notEqual"], "only the comparisons of plain complex operands return");
    for (const name of ["maskedArray", "maskedInvalid", "add", "average", "defaultFillValue"]) assert.ok(refused.includes(name), name);
    const dir = mkdtempSync(join(tmpdir(), "tessera-complex-npy-"));
    try {
      await assert.rejects(ta.toNpyStack(join(dir, "stack"), x(), { axis: 0 }), /encodeNpy does not support complex input \(complex128\)/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
