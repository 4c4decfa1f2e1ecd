/**
 * The parameters of every public function of tessera/ndarray, as its signature names them, and
 * the check that refuses arguments beyond them (src/core/argument-count.ts). JavaScript drops
 * extra arguments unseen, so NumPy's keywords written as one more argument ran with the
 * defaults: `nd.add(x, y, { dtype: "float32" })` (np.add(x, y, dtype=...)) gave float64,
 * `nd.clip(x, 0, 1, { out })` and `nd.sin(x, { where })` ignored theirs, without a word.
 *
 * A built-in checks inside the very function its name resolves to (definePublicBuiltin), the one
 * workers run and the lazy layer ships: the graphs call it with at most these parameters. The
 * functions that are not built-ins are checked where index.ts exports them (public-functions.ts).
 * Functions taking any number of arguments are listed in variadicFunctions instead.
 * test/ndarray/argument-count walks every export against this table.
 */
import { namespaceArgumentChecks } from "../core/namespace-arguments.js";

const sharing = (params: readonly string[], ...names: string[]) => Object.fromEntries(names.map((name) => [name, params]));

export const publicParameters: Readonly<Record<string, readonly string[]>> = {
  ...sharing(["a"],
    "copy", "ascontiguousarray", "negative", "abs", "sqrt", "exp", "log", "logicalNot", "sin", "cos", "tan", "arcsin", "arccos", "arctan", "sinh",
    "cosh", "tanh", "log1p", "expm1", "log2", "log10", "floor", "ceil", "trunc", "rint", "sign", "isnan", "isinf", "isfinite", "invert",
    "bitwiseNot", "square", "reciprocal", "cbrt", "exp2", "degrees", "radians", "deg2rad", "rad2deg", "positive", "signbit", "isposinf",
    "isneginf", "arcsinh", "arccosh", "arctanh", "absolute", "fix", "isnull", "notnull", "nonzero", "argwhere", "flatnonzero", "real", "imag",
    "conj", "conjugate", "iscomplex", "isreal", "iscomplexobj"),
  ...sharing(["x"], "sinc", "i0", "fabs", "spacing", "frexp", "modf"),
  ...sharing(["a", "b"],
    "vdot", "add", "subtract", "multiply", "divide", "floorDivide", "remainder", "power", "maximum", "minimum", "equal", "notEqual", "less",
    "lessEqual", "greater", "greaterEqual", "logicalAnd", "logicalOr", "logicalXor", "bitwiseAnd", "bitwiseOr", "bitwiseXor", "leftShift",
    "rightShift", "arctan2", "hypot", "copysign", "fmax", "fmin", "fmod", "logaddexp", "logaddexp2", "floatPower", "nextafter", "trueDivide",
    "divmod", "dot", "outer", "matmul", "union1d"),
  ...sharing(["a", "options"],
    "median", "nanmedian", "coarsenView", "rot90", "tril", "triu", "diagonal", "trace", "sum", "prod", "min", "max", "argmin", "argmax", "any",
    "all", "mean", "variance", "var", "std", "nansum", "nanprod", "nanmin", "nanmax", "nanargmin", "nanargmax", "nanmean", "nanvar", "nanstd",
    "cumsum", "cumprod", "nancumsum", "nancumprod", "ptp", "average", "unique", "angle"),
  ...sharing(["value"], "isNDArray", "isDType"),
  ...sharing(["shape", "dtype"], "empty", "zeros", "ones"),
  ...sharing(["shape"], "cStrides", "shapeSize"),
  ...sharing(["dtype"], "dtypeInfo", "defaultFillValue", "minimumFillValue", "maximumFillValue", "isComplexDType"),
  ...sharing(["options"], "arangeBlock", "linspaceBlock"),
  ...sharing(["a", "axis"], "squeeze", "expandDims"),
  ...sharing(["a", "shape"], "reshape", "broadcastTo"),
  ...sharing(["arrays", "axis"], "concatenate", "stack"),
  ...sharing(["N", "options"], "eye", "tri"),
  ...sharing(["n", "options"], "trilIndices", "triuIndices"),
  ...sharing(["arr", "options"], "trilIndicesFrom", "triuIndicesFrom"),
  ...sharing(["a", "decimalsOrOptions"], "round", "around"),
  ...sharing(["x", "options"], "nanToNum", "bincount"),
  ...sharing(["a", "b", "options"], "isclose", "allclose"),
  allocate: ["dtype", "size", "shared"],
  toDType: ["value", "what"],
  promoteTypes: ["first", "second"],
  full: ["shape", "value", "dtype"],
  array: ["data", "options"],
  fromTypedArray: ["typed", "shape", "options"],
  random: ["shape", "options"],
  linspace: ["start", "stop", "num", "options"],
  transpose: ["a", "axes"],
  astype: ["a", "dtype"],
  setRegion: ["target", "start", "source"],
  take: ["a", "indices", "options"],
  maskSelect: ["a", "mask", "options"],
  isin: ["element", "testElements", "options"],
  digitize: ["x", "bins", "options"],
  coarsen: ["reduction", "a", "options"],
  pad: ["a", "padWidth", "options"],
  triangleIndexRange: ["spec", "start", "stop", "part"],
  ediff1d: ["ary", "options"],
  piecewise: ["x", "condlist", "funclist"],
  fromfunction: ["fn", "shape", "options"],
  fromfunctionBlock: ["fn", "box"],
  diag: ["v", "options"],
  ldexp: ["mantissa", "exponent"],
  where: ["condition", "a", "b"],
  clip: ["a", "lowerOrOptions", "upper"],
  select: ["condlist", "choicelist", "defaultValue"],
  tensordot: ["a", "b", "axes"],
  cumulativeCarry: ["previous", "block", "options"],
  unravelIndex: ["indices", "shape"],
  ravelMultiIndex: ["multiIndex", "dims", "options"],
  searchsorted: ["a", "v", "options"],
  extract: ["condition", "arr"],
  cov: ["m", "yOrOptions", "maybeOptions"],
  corrcoef: ["x", "yOrOptions", "maybeOptions"],
  histogramdd: ["sample", "options"],
  histogram2d: ["x", "y", "options"],
  applyAlongAxis: ["fn", "axis", "arr", "options"],
  applyOverAxes: ["fn", "a", "axes"],
  fillValueIn: ["value", "dtype", "what"],
  complex: ["re", "im"],
};

/**
 * Public functions that take any number of arguments, as NumPy's do (np.arange(start, stop, step),
 * np.einsum("ij,jk", a, b), np.gradient(f, *varargs)): no count to check; each reads what it gets.
 */
export const variadicFunctions: readonly string[] = ["arange", "resultType", "broadcastShapes", "slice", "choose", "einsum", "gradient"];

export const { parametersOf, withPublicParameters, definePublicBuiltin } = namespaceArgumentChecks({ label: "nd", builtin: "ndarray" }, publicParameters, "NumPy's");
