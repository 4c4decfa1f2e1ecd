/**
 * The block steps of distanceTransformEdt on chunked arrays. The fast form of scipy's feature
 * transform (edt-passes.ts) carries each cell's squared distance from one axis's pass to the
 * next, and a pass along axis d only reads whole lines along d: so a chunked array runs each
 * pass on blocks holding whole lines along d (the lazy layer rechunks between passes), with the
 * same float operations on every line, hence scipy's values.
 */
import { defineBuiltin } from "../core/builtin.js";
import { astype } from "../ndarray/copy.js";
import { NDArray, allocate } from "../ndarray/ndarray.js";
import { envelopePass } from "./edt-passes.js";
import { valuesOf } from "./label-groups.js";

/** Squared distances before the first pass: 0 on zero cells, −1 (none yet) on the others. */
export const edtStart = defineBuiltin("ndimage.edtStart", function edtStart(block: NDArray): NDArray {
  const values = valuesOf(block);
  const out = allocate("float64", values.length) as Float64Array;
  for (let p = 0; p < values.length; p++) out[p] = values[p] !== 0 ? -1 : 0;
  return new NDArray(out, [...block.shape], { dtype: "float64" });
});

/** The pass along `axis` of every line of a block that holds whole lines along it. */
export const edtLinePass = defineBuiltin("ndimage.edtLinePass", function edtLinePass(block: NDArray, options: { axis: number; spacing: number }): NDArray {
  const squared = Float64Array.from(astype(block, "float64").toTypedArray() as Float64Array);
  if (squared.length > 0) envelopePass(squared, null, block.shape, options.axis, options.spacing);
  return new NDArray(squared, [...block.shape], { dtype: "float64" });
});

/**
 * The square roots. A cell still at −1 means the array has no zero cell at all (every pass
 * reaches every cell); scipy then measures from the feature (−1, 0, …, 0), which this does too.
 */
export const edtFinish = defineBuiltin("ndimage.edtFinish", function edtFinish(
  block: NDArray, options: { sampling: number[] | null; blockInfo: { output: { "array-location": number[][] } } },
): NDArray {
  const squared = astype(block, "float64").toTypedArray() as Float64Array;
  const out = allocate("float64", squared.length) as Float64Array;
  const ndim = block.ndim;
  const origin = options.blockInfo.output["array-location"].map(([start]) => start);
  const position = new Array<number>(ndim).fill(0);
  for (let p = 0; p < out.length; p++) {
    if (squared[p] >= 0) out[p] = Math.sqrt(squared[p]);
    else {
      let sum = 0;
      for (let a = 0; a < ndim; a++) {
        let t = ((a === 0 ? -1 : 0) - (origin[a] + position[a])) | 0;
        if (options.sampling !== null) t *= options.sampling[a];
        const square = t * t;
        sum = a === 0 ? square : sum + square;
      }
      out[p] = Math.sqrt(sum);
    }
    for (let a = ndim - 1; a >= 0; a--) {
      if (++position[a] < block.shape[a]) break;
      position[a] = 0;
    }
  }
  return new NDArray(out, [...block.shape], { dtype: "float64" });
});
