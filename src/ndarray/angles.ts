/**
 * NumPy's degrees / rad2deg and radians / deg2rad: float loops only, so integers give float32
 * (int16/uint16) or float64 (wider), and bool/int8/uint8 float32 where NumPy gives float16.
 * The value is x times NumPy's constant computed in the loop's own type (npy_rad2degf uses
 * 180f / πf, which is not 180 / π rounded to float32): bit for bit NumPy's.
 */
import { type ElementwiseOperation, inCommonDType } from "./elementwise.js";
import { allowWritingOverOperands } from "./operand-reuse.js";
import { defineUnary } from "./binary-builtin.js";
import { transcendentalDType } from "./unary.js";

// NumPy's npy_rad2deg(f) / npy_deg2rad(f): x times a constant computed in the loop's own type.
const toDegrees64 = 180 / Math.PI;
const toDegrees32 = Math.fround(180 / Math.fround(Math.PI));
const toRadians64 = Math.PI / 180;
const toRadians32 = Math.fround(Math.fround(Math.PI) / 180);

function angleConversion(name: string, factor64: number, factor32: number): ElementwiseOperation {
  return {
    name,
    resolve: (common) => inCommonDType(transcendentalDType(common)),
    // The product of two float32 values is exact in a double: the float32 store rounds it once, as float32 arithmetic does.
    expression: ([a], { loop }) => `(${a} * ${loop === "float32" ? factor32 : factor64})`,
  };
}

allowWritingOverOperands("ndarray.degrees", "ndarray.radians", "ndarray.deg2rad", "ndarray.rad2deg");

/** Radians to degrees. */
export const degrees = defineUnary("degrees", angleConversion("degrees", toDegrees64, toDegrees32));
/** NumPy's other name of degrees. */
export const rad2deg = defineUnary("rad2deg", angleConversion("rad2deg", toDegrees64, toDegrees32));
/** Degrees to radians. */
export const radians = defineUnary("radians", angleConversion("radians", toRadians64, toRadians32));
/** NumPy's other name of radians. */
export const deg2rad = defineUnary("deg2rad", angleConversion("deg2rad", toRadians64, toRadians32));
