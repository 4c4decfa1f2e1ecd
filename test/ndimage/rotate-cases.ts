/**
 * Random cases of rotate for the eager and the chunked differential tests: scipy's own angles
 * of interest (0, multiples of 90, negative, fractional, past 360), 2-d and 3-d inputs with
 * every pair of axes in either order and negative spellings, reshape on and off, orders, modes,
 * input and output dtypes.
 */
import * as nd from "../../src/ndarray/index.js";
import { type Rng, integer, pick } from "../array/differential-inputs.js";
import { modes, randomInput } from "./interpolation-cases.js";
import { py } from "./differential-harness.js";

export interface RotateCase {
  angle: number;
  options: Record<string, unknown>;
  input: string;
  python: string;
  label: string;
  /** Orders > 1 with the prefilter: the chunked result is prefiltered window by window. */
  prefiltered: boolean;
}

export const angles = [0, 90, 180, 270, -90, -30, 45.5, 360, 405, 725.25, 1e-7, 12.345, -181, 30, 60];
const dtypes: nd.DType[] = ["uint8", "uint16", "float32", "float64", "int16"];

export function drawRotateCase(rng: Rng, inputs: Record<string, nd.NDArray>, name: string, orders = [0, 1, 3, 0, 1, 3, 2, 4, 5]): RotateCase {
  const ndim = integer(rng, 2, 3);
  const shape = Array.from({ length: ndim }, () => integer(rng, ndim === 2 ? 1 : 1, ndim === 2 ? 13 : 7));
  const dtype = pick(rng, dtypes);
  inputs[name] = randomInput(rng, shape, dtype);
  const first = integer(rng, 0, ndim - 1);
  let second = integer(rng, 0, ndim - 2);
  if (second >= first) second++;
  const spell = (axis: number): number => (rng() < 0.3 ? axis - ndim : axis);
  const options: Record<string, unknown> = {};
  const kw: string[] = [];
  if (!(ndim === 2 && first === 1 && second === 0 && rng() < 0.5)) {
    options.axes = [spell(first), spell(second)];
    kw.push(`axes=(${(options.axes as number[]).join(", ")})`);
  }
  const angle = rng() < 0.7 ? pick(rng, angles) : Math.round((rng() * 720 - 360) * 100) / 100;
  if (rng() < 0.4) options.reshape = false;
  const order = pick(rng, orders);
  if (order !== 3 || rng() < 0.5) options.order = order;
  if (rng() < 0.7) options.mode = pick(rng, modes);
  if (rng() < 0.3) options.cval = pick(rng, [1.5, -2, 100]);
  if (rng() < 0.2) options.prefilter = false;
  if (rng() < 0.25) options.output = pick(rng, ["float64", "float32", "int32", "uint8"]);
  for (const [key, value] of Object.entries(options)) {
    if (key === "axes") continue;
    kw.push(key === "output" ? `output=np.${String(value)}` : `${key}=${py(value)}`);
  }
  const python = `ndi.rotate(${name}, ${py(angle)}${kw.map((k) => `, ${k}`).join("")})`;
  return {
    angle, options, input: name, python,
    label: `rotate ${dtype} [${shape.join(", ")}] angle ${angle} ${JSON.stringify(options)}`,
    prefiltered: order > 1 && options.prefilter !== false,
  };
}
