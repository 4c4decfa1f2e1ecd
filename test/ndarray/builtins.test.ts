import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as nd from "../../src/ndarray/index.js";
import { builtinNameOf } from "../../src/core/builtin.js";

// The public surface of `tessera/ndarray`: adding is fine, renaming breaks users and clusters.
const exportedNames = [
  "NDArray", "isNDArray", "empty", "allocate", "cStrides", "shapeSize", "dtypes", "dtypeInfo", "isDType", "toDType",
  "promoteTypes", "resultType", "zeros", "ones", "full", "arange", "array", "fromTypedArray", "random",
  "slice", "squeeze", "expandDims", "transpose", "reshape", "broadcastTo", "broadcastShapes",
  "copy", "ascontiguousarray", "astype", "setRegion", "concatenate", "stack", "pad", "take", "maskSelect",
  "add", "subtract", "multiply", "divide", "floorDivide", "remainder", "power", "maximum", "minimum",
  "negative", "abs", "sqrt", "exp", "log", "logicalNot",
  "sin", "cos", "tan", "arcsin", "arccos", "arctan", "sinh", "cosh", "tanh", "log1p", "expm1", "log2", "log10",
  "floor", "ceil", "trunc", "rint", "round", "sign", "isnan", "isinf", "isfinite",
  "linspace", "arangeBlock", "linspaceBlock", "coarsen", "coarsenView",
  "equal", "notEqual", "less", "lessEqual", "greater", "greaterEqual", "logicalAnd", "logicalOr", "where", "clip",
  "logicalXor", "bitwiseAnd", "bitwiseOr", "bitwiseXor", "invert", "bitwiseNot", "leftShift", "rightShift",
  "arctan2", "hypot", "copysign", "fmax", "fmin",
  "square", "reciprocal", "cbrt", "exp2", "degrees", "radians", "deg2rad", "rad2deg", "positive", "signbit", "isposinf", "isneginf",
  "fmod", "logaddexp", "logaddexp2", "nanToNum", "isclose", "allclose",
  "sum", "prod", "min", "max", "argmin", "argmax", "any", "all", "mean", "variance", "var", "std",
  "nansum", "nanprod", "nanmin", "nanmax", "nanargmin", "nanargmax", "nanmean", "nanvar", "nanstd",
  "cumsum", "cumprod", "nancumsum", "nancumprod", "cumulativeCarry", "isin", "digitize", "median", "nanmedian",
  "tensordot", "dot", "matmul", "outer", "einsum", "linalg",
  "rot90", "eye", "tril", "triu", "diag", "diagonal", "trace",
  "ptp", "average", "unravelIndex", "ravelMultiIndex", "searchsorted", "gradient", "choose", "select",
  "arcsinh", "arccosh", "arctanh", "sinc", "i0", "fabs", "floatPower", "ldexp", "nextafter", "spacing", "frexp", "modf",
  "absolute", "around", "trueDivide", "fix", "isnull", "notnull", "divmod",
  "tri", "trilIndices", "triuIndices", "trilIndicesFrom", "triuIndicesFrom", "triangleIndexRange", "ediff1d", "vdot", "piecewise", "fromfunction", "fromfunctionBlock",
  "unique", "union1d", "bincount", "nonzero", "argwhere", "flatnonzero", "extract",
  "cov", "corrcoef", "histogramdd", "histogram2d", "applyAlongAxis", "applyOverAxes",
  "MaskedNDArray", "defaultFillValue", "minimumFillValue", "maximumFillValue", "fillValueIn",
  "complex", "real", "imag", "conj", "conjugate", "angle", "iscomplex", "isreal", "iscomplexobj", "complexSupport",
  "complexDTypes", "isComplexDType", "fft",
];

// Functions that stay on the calling side (types, validation, factories of storage).
const notShipped = new Set(["NDArray", "isNDArray", "empty", "allocate", "cStrides", "shapeSize", "dtypes", "dtypeInfo",
  "isDType", "toDType", "promoteTypes", "resultType", "broadcastShapes", "fromTypedArray", "variance",
  // NumPy's and Dask's aliases: the functions they name, shipped under the original's name.
  "absolute", "around", "trueDivide", "fix", "isnull",
  // A namespace (np.linalg's), whose norm is composed of shipped functions.
  "linalg",
  // numpy.ma's eager result class and its fill-value rules.
  "MaskedNDArray", "defaultFillValue", "minimumFillValue", "maximumFillValue", "fillValueIn",
  // Complex helpers: conj is conjugate's alias; the others are values or run on the calling side.
  "conj", "iscomplexobj", "complexSupport", "complexDTypes", "isComplexDType",
  // numpy.fft's namespace: its functions are tagged "ndarray.fft.<name>".
  "fft"]);

describe("tessera/ndarray entry point", () => {
  it("exports exactly the pinned names", () => {
    assert.deepEqual(Object.keys(nd).sort(), [...exportedNames].sort());
  });

  it('tags every shippable function as "ndarray.<name>" for the lazy layer', () => {
    const namespace = nd as unknown as Record<string, unknown>;
    const wrong = exportedNames
      .filter((name) => !notShipped.has(name))
      .filter((name) => builtinNameOf(namespace[name]) !== `ndarray.${name}`)
      .map((name) => `${name}: ${String(builtinNameOf(namespace[name]))}`);
    assert.deepEqual(wrong, []);
    assert.equal(builtinNameOf(nd.variance), "ndarray.var");
    for (const [alias, original] of [["absolute", "abs"], ["around", "round"], ["trueDivide", "divide"], ["fix", "trunc"], ["isnull", "isnan"]]) {
      assert.equal(builtinNameOf(namespace[alias]), `ndarray.${original}`, alias);
    }
  });

  it("lets the lazy layer call binary ops as fn(a, b) and reductions / casts as fn(a, options)", () => {
    const a = nd.arange(6, "uint16");
    const b = nd.full([6], 1, "uint16");
    assert.equal(nd.subtract(a, b).dtype, "uint16");
    assert.deepEqual(nd.sum(a, { axis: 0, keepdims: true, dtype: "float32" }).shape, [1]);
    assert.equal(nd.sum(a, { dtype: "float32" }).dtype, "float32");
    assert.equal(nd.astype(a, { dtype: "float32" }).dtype, "float32");
    assert.equal(nd.var(a, { ddof: 1 }).dtype, "float64");
  });
});
