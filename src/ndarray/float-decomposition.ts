/**
 * NumPy's ufuncs that take floats apart or step between them: ldexp, frexp, modf, nextafter,
 * spacing (values exact, float-bits.ts).
 *
 * dtypes, as NumPy 1.24's loops (e, f, d only; float16 is float32 here, as for sqrt): a
 * float operand keeps its dtype, int16/uint16 give float32, wider integers float64, bool,
 * int8 and uint8 float32 (NumPy: float16). nextafter's two operands each ask for their own
 * float and the wider wins (float-binary.ts's rule). frexp's exponent is int32.
 *
 * ldexp's exponent has only integer loops (int32 and int64): a float exponent, or a uint64 one
 * (no safe cast to int64), is refused as NumPy raises TypeError; bool and the other integers
 * are taken. Its mantissa picks its float loop from its own dtype, not the promotion with the
 * exponent (ldexp(float32, int64) is float32). A JS number as mantissa is a float64 0-d
 * operand; as exponent an integral number must be, and it is read as int64.
 */
import { InvalidOptionError } from "../core/errors.js";
import { definePublicBuiltin } from "./public-parameters.js";
import { type DType, dtypeInfo } from "./dtype.js";
import { type ElementwiseOperation, inCommonDType, prepareOperands, runOperation, scalarArray } from "./elementwise.js";
import { defineBinary } from "./binary-builtin.js";
import { applyFloatLoop } from "./float-binary.js";
import { NDArray } from "./ndarray.js";
import type { Operand } from "./promotion.js";
import { transcendentalDType } from "./unary.js";
import {
  frexpExponent, frexpMantissa, ldexpFloat, modfFraction, modfIntegral, nextafterFloat32, nextafterFloat64, spacingFloat32, spacingFloat64,
} from "./float-bits.js";

function unaryFloat(name: string, float64: string, float32: string, helpers: Record<string, unknown>): ElementwiseOperation {
  return {
    name,
    resolve: (common) => inCommonDType(transcendentalDType(common)),
    expression: ([a], { loop }) => `${loop === "float32" ? float32 : float64}(${a})`,
    helpers,
  };
}

const spacingOperation = unaryFloat("spacing", "spacingFloat64", "spacingFloat32", { spacingFloat64, spacingFloat32 });
const mantissaOperation = unaryFloat("frexp", "frexpMantissa", "frexpMantissa", { frexpMantissa });
const exponentOperation: ElementwiseOperation = {
  name: "frexp_exponent",
  resolve: (common) => ({ loop: transcendentalDType(common), result: "int32" }),
  expression: ([a]) => `frexpExponent(${a})`,
  helpers: { frexpExponent },
};
const fractionOperation = unaryFloat("modf", "modfFraction", "modfFraction", { modfFraction });
const integralOperation = unaryFloat("modf_integral", "modfIntegral", "modfIntegral", { modfIntegral });

const nextafterOperation: ElementwiseOperation = {
  name: "nextafter",
  resolve: inCommonDType,
  expression: ([a, b], { loop }) => `${loop === "float32" ? "nextafterFloat32" : "nextafterFloat64"}(${a}, ${b})`,
  helpers: { nextafterFloat32, nextafterFloat64 },
};

const ldexpOperation: ElementwiseOperation = {
  name: "ldexp",
  resolve: inCommonDType,
  expression: ([a, b]) => `ldexpFloat(${a}, ${b})`,
  helpers: { ldexpFloat },
};

function runUnary(operation: ElementwiseOperation, a: Operand): NDArray {
  const { arrays, common } = prepareOperands(operation.name, [a]);
  return runOperation(operation, arrays, operation.resolve(common));
}

/** ldexp's exponent operand: integer arrays as they are, integral JS numbers as int64; the rest refused as NumPy refuses them. */
function exponentOperand(exponent: Operand): NDArray {
  if (exponent instanceof NDArray) {
    const kind = dtypeInfo(exponent.dtype).kind;
    if (kind === "f" || exponent.dtype === "uint64") {
      throw new InvalidOptionError(
        `ldexp (np.ldexp): the exponent must be of an integer dtype that casts safely to int64, got ${exponent.dtype} ` +
          "(NumPy raises TypeError: ufunc 'ldexp' not supported for the input types); astype int32 or int64 first",
      );
    }
    return exponent;
  }
  if (typeof exponent === "boolean") return scalarArray(exponent, "bool", "ldexp");
  // −0 is a Python float here (promotion.ts), and NumPy refuses a float exponent.
  if ((typeof exponent === "number" && Number.isInteger(exponent) && !Object.is(exponent, -0)) || typeof exponent === "bigint") return scalarArray(exponent, "int64", "ldexp");
  throw new InvalidOptionError(`ldexp (np.ldexp): the exponent must be an integer, got ${String(exponent)} (NumPy raises TypeError for a float exponent)`);
}

function ldexpOf(mantissa: Operand, exponent: Operand): NDArray {
  const exponents = exponentOperand(exponent);
  const { arrays } = prepareOperands("ldexp", [typeof mantissa === "number" || typeof mantissa === "bigint" ? scalarArray(Number(mantissa), "float64", "ldexp") : mantissa]);
  const loop: DType = transcendentalDType(arrays[0].dtype);
  return runOperation(ldexpOperation, [arrays[0], exponents], inCommonDType(loop));
}

/** x·2^e, exactly (rounded once where it underflows or overflows); e of an integer dtype. */
export const ldexp = definePublicBuiltin("ldexp", ldexpOf);

/** The next representable value after a towards b, in the float loop of the two (np.nextafter). */
export const nextafter = defineBinary("nextafter", nextafterOperation, applyFloatLoop);

/** The distance from x to the next value away from zero (negative for negative x; np.spacing). */
export const spacing = definePublicBuiltin("spacing", function spacing(x: Operand): NDArray {
  return runUnary(spacingOperation, x);
});

/** [mantissa, exponent] with x = mantissa·2^exponent, 0.5 ≤ |mantissa| < 1, exponent int32 (np.frexp). */
export const frexp = definePublicBuiltin("frexp", function frexp(x: Operand): [NDArray, NDArray] {
  return [runUnary(mantissaOperation, x), runUnary(exponentOperation, x)];
});

/** [fractional part, integral part], both with x's sign (np.modf). */
export const modf = definePublicBuiltin("modf", function modf(x: Operand): [NDArray, NDArray] {
  return [runUnary(fractionOperation, x), runUnary(integralOperation, x)];
});
