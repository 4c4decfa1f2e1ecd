/**
 * A separable chain (gaussianFilter, uniformFilter, sobel, prewitt, the terms of laplace and the
 * Gaussian derivatives, correlate1d) with an int64, uint64 or bool input or output. As in scipy,
 * every pass stores its result in the output dtype and the next pass reads it back as a double.
 * bool stores are the uint8 cast and read back as bytes, so a bool chain is a uint8 chain. An
 * int64/uint64 store is not a dtype the passes write: each pass runs on its own in float64 and
 * its result is cast and read back here (`(double)(npy_int64)x`); the last pass is stored
 * exactly. The intermediate passes are computed on the whole array (the shrinking passes of
 * separable.ts need a chain); the last one on the output region, so the result is the same.
 */
import type { DType } from "../ndarray/dtype.js";
import { NDArray } from "../ndarray/ndarray.js";
import type { Backend, OutputRegion } from "./options.js";
import type { AxisPass } from "./pass-geometry.js";
import { readAsLoopsDo, readBackInPlace, storeWide, withWideDtypes } from "./wide-cast.js";

type Runner = (input: NDArray, passes: readonly AxisPass[], outputDtype: DType, region: OutputRegion, backend: Backend) => NDArray;

export function runWideSeparable(
  input: NDArray, passes: readonly AxisPass[], outputDtype: DType, region: OutputRegion, backend: Backend, run: Runner,
): NDArray {
  if (outputDtype !== "int64" && outputDtype !== "uint64") {
    return withWideDtypes(input, outputDtype, "filter", (source, dtype) => run(source, passes, dtype, region, backend));
  }
  let current = readAsLoopsDo(input);
  const whole: OutputRegion = { start: input.shape.map(() => 0), stop: [...input.shape] };
  for (let k = 0; k < passes.length - 1; k++) {
    const pass = run(current, [passes[k]], "float64", whole, backend);
    const values = pass.toTypedArray() as Float64Array;
    readBackInPlace(values, outputDtype);
    current = new NDArray(values, pass.shape, { dtype: "float64" });
  }
  const last = run(current, [passes[passes.length - 1]], "float64", region, backend);
  return new NDArray(storeWide(last.toTypedArray() as Float64Array, outputDtype, "filter"), last.shape, { dtype: outputDtype });
}
