/**
 * Complex transforms along one axis of a C-ordered complex128 array, without moving the axis
 * last (a transpose copy there and back per axis cost as much as the transforms): the lines
 * along the axis are gathered a batch at a time into reused line buffers, transformed, and
 * scattered back multiplied by `fct`. A batch is `batchLimit` neighbouring lines of the
 * contiguous inner axes, so each gathered row reads (and each scattered row writes) adjacent
 * elements rather than one element per cache line.
 *
 * With n equal to the axis length the target may be the source (each batch is gathered whole
 * before it is written back, to the same places); otherwise the target has the axis resized
 * to n, the lines truncated or zero-padded as NumPy's `n` does.
 */
import { transformInPlace } from "./fft-core.js";
import { astype } from "./copy.js";
import { NDArray, empty } from "./ndarray.js";

const batchLimit = 16;

export function transformAxis(
  source: Float64Array, shape: readonly number[], axis: number, n: number, inverse: boolean, fct: number, target: Float64Array,
): void {
  const length = shape[axis];
  let outer = 1;
  for (let k = 0; k < axis; k++) outer *= shape[k];
  let inner = 1;
  for (let k = axis + 1; k < shape.length; k++) inner *= shape[k];
  if (outer === 0 || inner === 0 || n === 0) return;
  const used = Math.min(length, n);
  const batch = Math.min(batchLimit, inner);
  const re = new Float64Array(batch * n);
  const im = new Float64Array(batch * n);
  const linesRe = Array.from({ length: batch }, (_, t) => re.subarray(t * n, (t + 1) * n));
  const linesIm = Array.from({ length: batch }, (_, t) => im.subarray(t * n, (t + 1) * n));
  for (let o = 0; o < outer; o++) {
    const inBase = o * length * inner;
    const outBase = o * n * inner;
    for (let first = 0; first < inner; first += batch) {
      const count = Math.min(batch, inner - first);
      for (let j = 0; j < used; j++) {
        let from = 2 * (inBase + j * inner + first);
        for (let t = 0, slot = j; t < count; t++, slot += n, from += 2) {
          re[slot] = source[from];
          im[slot] = source[from + 1];
        }
      }
      for (let t = 0; t < count; t++) {
        if (used < n) {
          linesRe[t].fill(0, used);
          linesIm[t].fill(0, used);
        }
        transformInPlace(linesRe[t], linesIm[t], n, inverse);
      }
      for (let k = 0; k < n; k++) {
        let to = 2 * (outBase + k * inner + first);
        for (let t = 0, slot = k; t < count; t++, slot += n, to += 2) {
          target[to] = re[slot] * fct;
          target[to + 1] = im[slot] * fct;
        }
      }
    }
  }
}

/**
 * `a` as a C-ordered complex128 array: `a` itself when it already is one (then `owned` is false:
 * the caller reads it, never writes it), else a new one, filled by direct loops from contiguous
 * float or complex storage (astype's general cast is several times slower than the copy's
 * share of a transform should be).
 */
export function complexLayout(a: NDArray): { array: NDArray; owned: boolean } {
  const contiguous = a.isContiguous() && a.offset === 0;
  if (contiguous && a.dtype === "complex128") return { array: a, owned: false };
  if (!contiguous || !["complex64", "float64", "float32"].includes(a.dtype)) return { array: astype(a, "complex128"), owned: true };
  const array = empty(a.shape, "complex128");
  const target = array.storage as Float64Array;
  const source = a.storage as Float64Array | Float32Array;
  if (a.dtype === "complex64") for (let i = 0; i < target.length; i++) target[i] = source[i];
  else for (let i = 0; i < a.size; i++) target[2 * i] = source[i];
  return { array, owned: true };
}
