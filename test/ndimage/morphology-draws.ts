/**
 * Draws shared by the differential tests of the rank filters and the morphology: windows (size or
 * footprint, with origins) and grey structures.
 */
import { type Rng, drawFootprint, drawOrigin, integer, maybe, pick } from "./filter-differential.js";

export const gridShape = (grid: unknown): number[] => (Array.isArray(grid) ? [grid.length, ...gridShape(grid[0])] : []);

/** size (scalar or per axis) or footprint, and origins for that window. */
export function drawWindow(rng: Rng, ndim: number): Record<string, unknown> {
  if (rng() < 0.5) {
    const sizes = Array.from({ length: ndim }, () => integer(rng, 1, 5));
    const scalar = rng() < 0.4;
    return {
      size: scalar ? sizes[0] : sizes,
      origin: maybe(rng, 0.5, () => (scalar ? drawOrigin(rng, sizes[0]) : sizes.map((s) => drawOrigin(rng, s)))),
    };
  }
  const footprint = drawFootprint(rng, ndim);
  const shape = gridShape(footprint);
  return { footprint, origin: maybe(rng, 0.5, () => shape.map((s) => drawOrigin(rng, s))) };
}

/**
 * scipy skips the axes of a box whose size is 1 in minimum/maximum filters and grey morphology,
 * so an origin of ±1 there is ignored; tessera refuses it as outside −⌊n/2⌋…⌊(n−1)/2⌋ (a
 * documented difference: the origin cannot mean anything).
 */
export const sizeOneOrigin = /origin -?\d+ is invalid for a footprint of length 1/;

/** A window (drawWindow), or now and then a grey structure (added to / subtracted from the values) with origins. */
export function drawGreyWindow(rng: Rng, ndim: number): Record<string, unknown> {
  const window = drawWindow(rng, ndim);
  if (rng() >= 0.35) return window;
  const shape = Array.from({ length: ndim }, () => integer(rng, 1, 3));
  const build = (axis: number): unknown[] => Array.from({ length: shape[axis] }, () => (axis === ndim - 1 ? pick(rng, [0, 1, 2, -1, 0.5, 3]) : build(axis + 1)));
  return { structure: build(0), origin: maybe(rng, 0.4, () => shape.map((s) => drawOrigin(rng, s))) };
}
