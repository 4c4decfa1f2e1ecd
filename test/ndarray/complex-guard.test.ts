/**
 * No silent wrong answers for complex input in tessera/ndarray and tessera/ndimage: every
 * public function, called with a small complex128 array, refuses it naming complex, or returns
 * what NumPy / scipy.ndimage return for the same call (complex-guard-walk.ts).
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as nd from "../../src/ndarray/index.js";
import * as ndimage from "../../src/ndimage/index.js";
import { walkGuard } from "./complex-guard-walk.js";

const z = nd.complex(nd.reshape(nd.arange(1, 13), [3, 4]), nd.reshape(nd.arange(-6, 6), [3, 4]));
const settle = async (value: unknown) => value;

/** Names that take no array (types, dtype and shape helpers, constructors of non-array values). */
const noArray: Record<string, string> = {
  NDArray: "a class", isNDArray: "a type test", empty: "takes a shape", allocate: "takes a dtype and size", cStrides: "takes a shape",
  shapeSize: "takes a shape", dtypes: "a list", dtypeInfo: "takes a dtype", isDType: "a type test", toDType: "takes a dtype name",
  promoteTypes: "takes dtypes (complex promotion is tested in complex-differential)", resultType: "takes dtypes",
  zeros: "takes a shape (complex dtype tested in complex-differential)", ones: "takes a shape", full: "takes a shape", arange: "takes numbers",
  linspace: "takes numbers", arangeBlock: "takes numbers", linspaceBlock: "takes numbers", random: "takes a shape", eye: "takes sizes", tri: "takes sizes",
  trilIndices: "takes sizes", triuIndices: "takes sizes", triangleIndexRange: "takes sizes", fromfunction: "takes a function and a shape",
  fromfunctionBlock: "takes a function and a region", broadcastShapes: "takes shapes", unravelIndex: "takes integer indices and a shape",
  ravelMultiIndex: "takes integer index arrays", fromTypedArray: "takes a TypedArray (complex layout tested in complex-differential)",
  isComplexDType: "takes a dtype", complexDTypes: "a list", complexSupport: "a list", linalg: "a namespace (complex tested in linalg-complex-*; what refuses it, in complex-statistics-products)",
  fft: "a namespace, tested in fft-differential", iscomplexobj: "returns a boolean (tested in complex-differential)",
  trilIndicesFrom: "reads only the shape (any dtype, as NumPy)", triuIndicesFrom: "reads only the shape (any dtype, as NumPy)",
  applyAlongAxis: "takes a user function first: the function sees complex lanes through the supported operations",
  applyOverAxes: "takes a user function first", piecewise: "takes a user function list",
  generateBinaryStructure: "takes ranks", iterateStructure: "takes a bool structure", isRegionKernel: "a type test", isWasmSimdAvailable: "no arguments",
  FilterFunctionError: "an error class", comprehensionFinish: "finishes partials of labeledComprehension", area: "takes a shape",
  MaskedNDArray: "a class (ta.ma refuses complex before one is built: array/complex-guard)",
};

describe("complex input to every tessera/ndarray function", () => {
  it("is refused by name or matches NumPy", async () => {
    const { supported } = await walkGuard({
      namespace: nd as unknown as Record<string, unknown>, prefix: "nd", input: () => z, settle, skip: noArray, pythonInputs: { z },
      calls: {
        digitize: { args: () => [z, [1, 2]] },
        defaultFillValue: { args: () => ["complex128"] }, minimumFillValue: { args: () => ["complex64"] },
        maximumFillValue: { args: () => ["complex128"] }, fillValueIn: { args: () => [1, "complex128", "fillValueIn"] },
        coarsen: { args: () => [nd.sum, z, { factors: [1, 2] }], python: "z.reshape(3, 1, 2, 2).sum(axis=(1, 3))" },
        complex: { args: () => [z, z] },
        einsum: { args: () => ["ij,kj->ik", z, nd.conj(z)], python: "np.einsum('ij,kj->ik', z, np.conj(z))" },
        maskSelect: { args: () => [z, nd.greater(nd.real(z), 3)] },
        bincount: { args: () => [nd.reshape(z, [-1]), {}] },
        coarsenView: { args: () => [z, { factors: [1, 2] }], python: "z.reshape(3, 1, 2, 2)" },
        dot: { args: () => [z, nd.transpose(z)], python: "np.dot(z, z.T)" },
        matmul: { args: () => [z, nd.transpose(z)], python: "z @ z.T" },
        tensordot: { args: () => [z, nd.conj(z), [[1], [1]]], python: "np.tensordot(z, np.conj(z), ([1], [1]))" },
        vdot: { args: () => [z, nd.multiply(z, 2)], python: "np.vdot(z, 2 * z)" },
        cumsum: { args: () => [z, { axis: 1 }], python: "np.cumsum(z, axis=1)" },
        cumprod: { args: () => [nd.divide(z, 4), { axis: 0 }], python: "np.cumprod(z / 4, axis=0)" },
        cumulativeCarry: { args: () => [null, z, { axis: 0, product: false, dtype: "complex128" }], python: "0 + z[2:3]" },
        var: { args: () => [z, { axis: 1, ddof: 1 }], python: "np.var(z, axis=1, ddof=1)" },
        variance: { args: () => [z, { axis: 0 }], python: "np.var(z, axis=0)" },
        searchsorted: { args: () => [nd.reshape(z, [-1]), z] },
        histogram2d: { args: () => [nd.reshape(z, [-1]), nd.reshape(z, [-1])] },
        select: { args: () => [[nd.greater(nd.real(z), 3)], [z]], python: "np.select([z.real > 3], [z])" },
        choose: { args: () => [nd.astype(nd.greater(nd.real(z), 5), "int32"), [z, nd.conj(z)]], python: "np.choose((z.real > 5).astype(np.int32), [z, np.conj(z)])" },
        where: { args: () => [nd.greater(nd.real(z), 3), z, nd.conj(z)], python: "np.where(z.real > 3, z, np.conj(z))" },
        clip: { args: () => [z, 1, 2] },
        concatenate: { args: () => [[z, z], 1], python: "np.concatenate([z, z], 1)" },
        stack: { args: () => [[z, z], 2], python: "np.stack([z, z], 2)" },
        slice: { args: () => [z, { start: 1 }, { step: -2 }], python: "z[1:, ::-2]" },
        reshape: { args: () => [nd.transpose(z), [2, 6]], python: "z.T.reshape(2, 6)" },
        broadcastTo: { args: () => [z, [2, 3, 4]], python: "np.broadcast_to(z, (2, 3, 4))" },
        expandDims: { args: () => [z, 1], python: "np.expand_dims(z, 1)" },
        squeeze: { args: () => [nd.reshape(z, [3, 1, 4])], python: "np.squeeze(z.reshape(3, 1, 4))" },
        setRegion: { args: () => [nd.zeros([4, 5], "complex128"), [1, 1], z], python: "np.pad(z, ((1, 0), (1, 0)))" },
        astype: { args: () => [z, "complex64"], python: "z.astype(np.complex64)" },
        array: { args: () => [z, { dtype: "complex64" }], python: "np.array(z, dtype=np.complex64)" },
        take: { args: () => [z, [2, 0], { axis: 1 }] },
        pad: { args: () => [z, 1] },
        rot90: { args: () => [z], python: "np.rot90(z)" },
        ediff1d: { args: () => [z], python: "np.ediff1d(z)" },
        average: { args: () => [z], python: "np.average(z)" },
      },
      verified: {
        abs: "np.abs(z)", absolute: "np.abs(z)", angle: "np.angle(z)", ascontiguousarray: "z", conj: "np.conj(z)", conjugate: "np.conj(z)", copy: "z.copy()",
        exp: "np.exp(z)", imag: "np.imag(z)", iscomplex: "np.iscomplex(z)", isfinite: "np.isfinite(z)", isinf: "np.isinf(z)", isnan: "np.isnan(z)",
        isnull: "np.isnan(z)", isreal: "np.isreal(z)", log: "np.log(z)", mean: "np.mean(z)", negative: "-z", positive: "+z", prod: "np.prod(z)",
        real: "np.real(z)", reciprocal: "np.reciprocal(z)", sqrt: "np.sqrt(z)", square: "np.square(z)", sum: "np.sum(z)", transpose: "z.T",
        std: "np.std(z)", outer: "np.outer(z, z)",
        nansum: "np.nansum(z)", nanprod: "np.nanprod(z)", nanmean: "np.nanmean(z)", nanvar: "np.nanvar(z)", nanstd: "np.nanstd(z)",
        add: "z + z", subtract: "z - z", multiply: "z * z", divide: "z / z", trueDivide: "z / z", power: "z ** z", equal: "z == z", notEqual: "z != z",
      },
    });
    for (const name of ["add", "multiply", "sum", "abs", "concatenate", "slice"]) assert.ok(supported.includes(name), name);
  });
});

const filterOptions = { sigma: 1 };
describe("complex input to every tessera/ndimage function", () => {
  it("is refused by name, or matches scipy (the Fourier filters; scipy's other filters take complex, tessera's refuse it)", async () => {
    const size = () => [z, { size: 3 }];
    const { supported } = await walkGuard({
      namespace: ndimage as unknown as Record<string, unknown>, prefix: "ndimage", input: () => z, settle, skip: noArray, pythonInputs: { z }, verified: {},
      calls: {
        gaussianFilter: { args: () => [z, filterOptions] }, gaussianFilter1d: { args: () => [z, filterOptions] },
        gaussianGradientMagnitude: { args: () => [z, filterOptions] }, gaussianLaplace: { args: () => [z, filterOptions] },
        greyClosing: { args: size }, greyDilation: { args: size }, greyErosion: { args: size }, greyOpening: { args: size },
        maximumFilter: { args: size }, minimumFilter: { args: size }, medianFilter: { args: size }, maximumFilter1d: { args: size },
        minimumFilter1d: { args: size }, uniformFilter1d: { args: size }, uniformFilter: { args: size },
        percentileFilter: { args: () => [z, { size: 3, percentile: 50 }] }, rankFilter: { args: () => [z, { size: 3, rank: 1 }] },
        morphologicalGradient: { args: size }, morphologicalLaplace: { args: size }, blackTophat: { args: size }, whiteTophat: { args: size },
        genericFilter: { args: () => [z, (values: Float64Array) => values[0], { size: 3 }] },
        genericFilter1d: { args: () => [z, (line: Float64Array, out: Float64Array) => out.set(line), 3] },
        affineTransform: { args: () => [z, { matrix: [1, 1] }] },
        shift: { args: () => [z, { shift: 1 }] },
        fourierGaussian: { args: () => [z, { sigma: 1 }], python: "ndi.fourier_gaussian(z, 1)" },
        fourierUniform: { args: () => [z, { size: 2 }], python: "ndi.fourier_uniform(z, 2)" },
        fourierShift: { args: () => [z, { shift: 1 }], python: "ndi.fourier_shift(z, 1)" },
        fourierEllipsoid: { args: () => [z, { size: 2 }], python: "ndi.fourier_ellipsoid(z, 2)" },
        convolve1d: { args: () => [z, [1, 2]] }, correlate1d: { args: () => [z, [1, 2]] },
        findObjects: { args: () => [z, {}] }, histogram: { args: () => [z, 0, 10, 3] },
        mapCoordinates: { args: () => [z, nd.zeros([2, 2])] }, splineFilter: { args: () => [z, {}] },
        splineFilter1d: { args: () => [z, {}] }, valueIndices: { args: () => [z, {}] },
        zoom: { args: () => [z, { zoom: 2 }] },
        genericLaplace: { args: () => [z, (input: nd.NDArray) => input] },
        genericGradientMagnitude: { args: () => [z, (input: nd.NDArray) => input] },
        geometricTransform: { args: () => [z, (coordinates: number[]) => coordinates] },
        labeledComprehension: { args: () => [z, nd.ones([3, 4], "int32"), [1], (values: nd.NDArray) => values, "float64", 0] },
      },
    });
    assert.deepEqual(supported.sort(), ["fourierEllipsoid", "fourierGaussian", "fourierShift", "fourierUniform"]);
  });
});
