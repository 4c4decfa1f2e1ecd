/**
 * More of NumPy's elementwise functions on lazy arrays (dask.array's names): the comparisons as
 * functions (the methods eq, gt… are these), the inverse hyperbolic functions, sinc, i0,
 * float_power, ldexp, nextafter, spacing, fabs, and the aliases absolute, around, true_divide,
 * fix, isnull, notnull (true_divide: index.ts, beside divide). Each is its ndarray function applied block by block (elementwise.ts):
 * NumPy's dtypes, values and refusals, Dask's chunks. The aliases are the functions they name.
 *
 * sinc and i0 are Python functions in NumPy, not ufuncs; Dask maps them over blocks the same
 * way (da.sinc, da.i0: elemwise / map_blocks), so the chunks agree.
 */
import * as nd from "../ndarray/index.js";
import { refuseExtraArguments } from "../ndarray/binary-builtin.js";
import { LazyArray } from "./array.js";
import { elementwiseNode } from "./elementwise.js";
import { abs, round, trunc, isnan } from "./ufuncs.js";

type Operand = LazyArray | number | bigint | boolean;

const binary = (name: string, fn: (a: nd.NDArray, b: nd.NDArray) => nd.NDArray) => (a: Operand, b: Operand, ...extra: unknown[]): LazyArray => {
  refuseExtraArguments(name, 2, extra);
  return LazyArray.of(elementwiseNode(fn, [a, b]));
};
const unary = (name: string, fn: (a: nd.NDArray) => nd.NDArray) => (x: LazyArray, ...extra: unknown[]): LazyArray => {
  refuseExtraArguments(name, 1, extra);
  return LazyArray.of(elementwiseNode(fn, [x]));
};

/** a == b elementwise (np.equal; NaN is unequal to everything). */
export const equal = binary("equal", nd.equal);
export const notEqual = binary("notEqual", nd.notEqual);
export const greater = binary("greater", nd.greater);
export const greaterEqual = binary("greaterEqual", nd.greaterEqual);
export const less = binary("less", nd.less);
export const lessEqual = binary("lessEqual", nd.lessEqual);

export const arcsinh = unary("arcsinh", nd.arcsinh);
export const arccosh = unary("arccosh", nd.arccosh);
export const arctanh = unary("arctanh", nd.arctanh);
/** sin(πx)/(πx), 1 at 0 (np.sinc). */
export const sinc = unary("sinc", nd.sinc);
/** The modified Bessel function of order 0 (np.i0, its Chebyshev series step by step). */
export const i0 = unary("i0", nd.i0);
/** |x| as a float (np.fabs). */
export const fabs = unary("fabs", nd.fabs);
/** The distance to the next value away from zero (np.spacing). */
export const spacing = unary("spacing", nd.spacing);
/** da.notnull: not NaN (integers and bools: all true). */
export const notnull = unary("notnull", nd.notnull);
/** a ** b in float64 whatever the dtypes (np.float_power). */
export const floatPower = binary("floatPower", nd.floatPower);
/** x·2^e exactly; e of an integer dtype (np.ldexp; a float exponent is refused, as NumPy does). */
export const ldexp = binary("ldexp", nd.ldexp);
/** The next float after a towards b (np.nextafter). */
export const nextafter = binary("nextafter", nd.nextafter);

export const absolute = abs;
export const around = round;
/** np.fix: towards zero, which is trunc in every value and dtype (ndarray/numpy-aliases.ts). */
export const fix = trunc;
/** da.isnull: NaN (isnan). */
export const isnull = isnan;
