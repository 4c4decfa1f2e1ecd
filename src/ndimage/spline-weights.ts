/**
 * The B-spline weights of the order + 1 taps around a coordinate: a port of
 * `get_spline_interpolation_weights` (scipy 1.10, ni_splines.c) with the same expressions in
 * the same order, so every weight is the same double. The last weight is 1 minus the others,
 * subtracted one by one, as scipy does.
 */

/**
 * Order 3 alone (the default order), small enough for the compiler to inline into the tap
 * loops: the same expressions as the general function below.
 */
export function cubicWeights(x: number, out: Float64Array, at: number): void {
  x -= Math.floor(x);
  const z = 1.0 - x;
  const w1 = (x * x * (x - 2.0) * 3.0 + 4.0) / 6.0;
  const w2 = (z * z * (z - 2.0) * 3.0 + 4.0) / 6.0;
  const w0 = z * z * z / 6.0;
  out[at] = w0;
  out[at + 1] = w1;
  out[at + 2] = w2;
  out[at + 3] = ((1.0 - w0) - w1) - w2;
}

/** Writes the weights for coordinate `x` into `out[at … at + order]` (order 1–5). */
export function splineWeights(x: number, order: number, out: Float64Array, at: number): void {
  if (order === 3) {
    cubicWeights(x, out, at);
    return;
  }
  // The distance to the middle knot.
  x -= Math.floor(order & 1 ? x : x + 0.5);
  let y = x;
  let z = 1.0 - x;
  let t: number;
  switch (order) {
    case 1:
      out[at] = 1.0 - x;
      break;
    case 2:
      out[at + 1] = 0.75 - x * x;
      y = 0.5 - x;
      out[at] = 0.5 * y * y;
      break;
    case 4:
      t = x * x;
      out[at + 2] = t * (t * 0.25 - 0.625) + 115.0 / 192.0;
      y = 1.0 + x;
      out[at + 1] = y * (y * (y * (5.0 - y) / 6.0 - 1.25) + 5.0 / 24.0) + 55.0 / 96.0;
      out[at + 3] = z * (z * (z * (5.0 - z) / 6.0 - 1.25) + 5.0 / 24.0) + 55.0 / 96.0;
      y = 0.5 - x;
      t = y * y;
      out[at] = t * t / 24.0;
      break;
    case 5:
      t = y * y;
      out[at + 2] = t * (t * (0.25 - y / 12.0) - 0.5) + 0.55;
      t = z * z;
      out[at + 3] = t * (t * (0.25 - z / 12.0) - 0.5) + 0.55;
      y += 1.0;
      out[at + 1] = y * (y * (y * (y * (y / 24.0 - 0.375) + 1.25) - 1.75) + 0.625) + 0.425;
      z += 1.0;
      out[at + 4] = z * (z * (z * (z * (z / 24.0 - 0.375) + 1.25) - 1.75) + 0.625) + 0.425;
      y = 1.0 - x;
      t = y * y;
      out[at] = y * t * t / 120.0;
      break;
    default:
      throw new RangeError(`spline order ${order} has no interpolation weights (1–5)`);
  }
  let last = 1.0;
  for (let i = 0; i < order; i++) last -= out[at + i];
  out[at + order] = last;
}
