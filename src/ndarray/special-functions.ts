/**
 * NumPy's sinc, i0, float_power and fabs.
 *
 * sinc and i0 are Python functions in NumPy, not ufuncs: their dtypes follow the Python
 * arithmetic (float32 stays float32, everything else computes in float64), and their values
 * follow its steps, reproduced here one operation at a time (rounded to float32 after each for
 * float32, where NumPy 1.24's value-based casting keeps the Python constants in float32):
 * - sinc: y = π·(x == 0 ? 1e-20 : x); sin(y) / y;
 * - i0: |x|, then Cephes's Chebyshev series (_chbevl, the coefficients of function_base.py)
 *   exp(x)·chbevl(x/2 − 2, A) for x ≤ 8, exp(x)·chbevl(32/x − 2, B)/sqrt(x) above (NaN too).
 * Their sin and exp are V8's; NumPy 1.24 on AVX-512 uses its SIMD sin/exp loops: the results
 * may differ in the last bits (the tests allow 4 ulps, as for the other transcendental functions).
 *
 * float_power has only a float64 loop: every operand computes in float64 (float32 too); JS
 * numbers are float64 operands. Its pow is C's (scalar-math.ts's powerFloat: V8's Math.pow but for ±1 ** NaN or ±inf), 1 ulp from glibc's pow, as power.
 * fabs is |x| in the float loop NumPy picks (float16, i.e. float32 here, for bool/int8/uint8).
 */
import { definePublicBuiltin } from "./public-parameters.js";
import { type ElementwiseOperation, inCommonDType, prepareOperands, runOperation, scalarArray } from "./elementwise.js";
import { NDArray } from "./ndarray.js";
import type { Operand } from "./promotion.js";
import { transcendentalDType } from "./unary.js";

const i0A = [
  -4.41534164647933937950e-18, 3.33079451882223809783e-17, -2.43127984654795469359e-16, 1.71539128555513303061e-15, -1.16853328779934516808e-14,
  7.67618549860493561688e-14, -4.85644678311192946090e-13, 2.95505266312963983461e-12, -1.72682629144155570723e-11, 9.67580903537323691224e-11,
  -5.18979560163526290666e-10, 2.65982372468238665035e-9, -1.30002500998624804212e-8, 6.04699502254191894932e-8, -2.67079385394061173391e-7,
  1.11738753912010371815e-6, -4.41673835845875056359e-6, 1.64484480707288970893e-5, -5.75419501008210370398e-5, 1.88502885095841655729e-4,
  -5.76375574538582365885e-4, 1.63947561694133579842e-3, -4.32430999505057594430e-3, 1.05464603945949983183e-2, -2.37374148058994688156e-2,
  4.93052842396707084878e-2, -9.49010970480476444210e-2, 1.71620901522208775349e-1, -3.04682672343198398683e-1, 6.76795274409476084995e-1,
];
const i0B = [
  -7.23318048787475395456e-18, -4.83050448594418207126e-18, 4.46562142029675999901e-17, 3.46122286769746109310e-17, -2.82762398051658348494e-16,
  -3.42548561967721913462e-16, 1.77256013305652638360e-15, 3.81168066935262242075e-15, -9.55484669882830764870e-15, -4.15056934728722208663e-14,
  1.54008621752140982691e-14, 3.85277838274214270114e-13, 7.18012445138366623367e-13, -1.79417853150680611778e-12, -1.32158118404477131188e-11,
  -3.14991652796324136454e-11, 1.18891471078464383424e-11, 4.94060238822496958910e-10, 3.39623202570838634515e-9, 2.26666899049817806459e-8,
  2.04891858946906374183e-7, 2.89137052083475648297e-6, 6.88975834691682398426e-5, 3.36911647825569408990e-3, 8.04490411014108831608e-1,
];

type Rounding = (value: number) => number;
const asDouble: Rounding = (value) => value;

/** NumPy's _chbevl, each operation rounded by `r` (the constants too, as NumPy casts them to the array's dtype). */
function chbevl(x: number, vals: readonly number[], r: Rounding): number {
  let b0 = r(vals[0]);
  let b1 = 0;
  let b2 = 0;
  for (let i = 1; i < vals.length; i++) {
    b2 = b1;
    b1 = b0;
    b0 = r(r(r(x * b1) - b2) + r(vals[i]));
  }
  return r(0.5 * r(b0 - b2));
}

function i0With(value: number, r: Rounding): number {
  const x = Math.abs(value);
  if (x <= 8) return r(r(Math.exp(x)) * chbevl(r(r(x / 2) - 2), i0A, r));
  return r(r(r(Math.exp(x)) * chbevl(r(r(32 / x) - 2), i0B, r)) / r(Math.sqrt(x)));
}

export const i0Float64 = (x: number): number => i0With(x, asDouble);
export const i0Float32 = (x: number): number => i0With(x, Math.fround);

const pi32 = Math.fround(Math.PI);
const tiny32 = Math.fround(1e-20);

export function sincFloat64(x: number): number {
  const y = Math.PI * (x === 0 ? 1e-20 : x);
  return Math.sin(y) / y;
}

export function sincFloat32(x: number): number {
  const y = Math.fround(pi32 * (x === 0 ? tiny32 : x));
  return Math.fround(Math.fround(Math.sin(y)) / y);
}

/** The Python functions' dtype: float32 stays, every other dtype computes in float64. */
function pythonFloat(name: string, float64: string, float32: string, helpers: Record<string, unknown>): ElementwiseOperation {
  return {
    name,
    resolve: (common) => inCommonDType(common === "float32" ? "float32" : "float64"),
    expression: ([a], { loop }) => `${loop === "float32" ? float32 : float64}(${a})`,
    helpers,
  };
}

const sincOperation = pythonFloat("sinc", "sincFloat64", "sincFloat32", { sincFloat64, sincFloat32 });
const i0Operation = pythonFloat("i0", "i0Float64", "i0Float32", { i0Float64, i0Float32 });
const fabsOperation: ElementwiseOperation = { name: "fabs", resolve: (common) => inCommonDType(transcendentalDType(common)), expression: ([a]) => `Math.abs(${a})` };
const floatPowerOperation: ElementwiseOperation = { name: "float_power", resolve: () => inCommonDType("float64"), expression: ([a, b]) => `powerFloat(${a}, ${b})` };

function unary(name: string, operation: ElementwiseOperation) {
  const fn = (x: Operand): NDArray => {
    const { arrays, common } = prepareOperands(operation.name, [x]);
    return runOperation(operation, arrays, operation.resolve(common));
  };
  Object.defineProperty(fn, "name", { value: name });
  return definePublicBuiltin(name, fn);
}

/** sin(πx)/(πx), 1 at 0 (np.sinc, the normalized sinc). */
export const sinc = unary("sinc", sincOperation);
/** The modified Bessel function of the first kind, order 0 (np.i0). */
export const i0 = unary("i0", i0Operation);
/** |x| as a float (np.fabs). */
export const fabs = unary("fabs", fabsOperation);

/** a ** b computed in float64 whatever the operands' dtypes (np.float_power). */
export const floatPower = definePublicBuiltin("floatPower", function floatPower(a: Operand, b: Operand): NDArray {
  // JS numbers are float64 operands directly: the loop is float64 whatever the array's dtype.
  const operands = [a, b].map((operand) => (typeof operand === "number" || typeof operand === "bigint" ? scalarArray(Number(operand), "float64", "float_power") : operand));
  const { arrays } = prepareOperands("float_power", operands);
  return runOperation(floatPowerOperation, arrays, inCommonDType("float64"));
});
