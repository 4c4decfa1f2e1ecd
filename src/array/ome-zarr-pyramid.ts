/**
 * The plan of an OME-Zarr image pyramid, before any array is built: how many levels, which
 * axes each level halves, and each level's shape, storage chunks, pixel size and origin.
 *
 * Each level halves some space axes of the one before, dropping a last odd row (the length
 * becomes ⌊n / 2⌋, as ome-zarr-py's Scaler and Dask's coarsen with trim_excess do). Time and
 * channel axes are never downsampled. Which space axes:
 * - the image plane (the last two space axes, "y" and "x") at every level, as ome-zarr-py;
 * - a third space axis ("z") only while its pixels are at most √2 times as long as the
 *   plane's finest: halving it then leaves the voxels closer to cubes than keeping it does.
 *   An isotropic volume is halved on all three axes at every level; a stack with z steps 4×
 *   the xy pixel size keeps z for two levels, until xy has caught up, then halves all three.
 *   Pixel sizes are compared in meters when the axes carry NGFF units.
 * - or exactly the axes named in `downsampleAxes`.
 *
 * Pixel sizes: a halved axis's scale doubles. Origins: a reduced pixel (mean, max, min of a
 * pair) sits at the centre of the pair, half an old pixel further along than the pair's first
 * pixel, so its translation grows by half the old pixel size; a "nearest" pixel is the pair's
 * first and keeps the origin.
 *
 * `levels: "auto"` adds levels while the last one spans more than one storage chunk along
 * some halved axis (and every halved axis still has 2 or more pixels); a number of levels
 * that would shrink a halved axis to nothing is refused, naming the most that fit.
 */
import { InvalidOptionError } from "../core/errors.js";
import { type OmeAxis, metersPer } from "../zarr/index.js";

export const downsampleMethods = ["mean", "nearest", "max", "min"] as const;
export type DownsampleMethod = (typeof downsampleMethods)[number];

export interface PyramidPlanOptions {
  shape: readonly number[];
  axes: readonly OmeAxis[];
  /** Level 0's pixel size per axis. */
  scale: readonly number[];
  /** Level 0's origin per axis (zeros when not given). */
  translation: readonly number[];
  levels: number | "auto";
  downsample: DownsampleMethod;
  /** Names of the space axes halved at every level, instead of the rule above. */
  downsampleAxes?: readonly string[];
  /** One storage chunk shape for every level (cut to each level's shape). */
  storageChunks: readonly number[];
}

export interface PlannedLevel {
  /** The array's path in the image group: "0", "1", … */
  path: string;
  shape: number[];
  /** The factor each axis was divided by from the level before (all 1 at level 0). */
  factors: number[];
  chunks: number[];
  scale: number[];
  translation: number[];
}

/** A list of `ndim` finite numbers (positive for a scale), as an option is given. */
export function numbersPerAxis(value: unknown, ndim: number, what: string, positive: boolean): number[] {
  if (!Array.isArray(value) || value.length !== ndim || !value.every((n) => typeof n === "number" && Number.isFinite(n) && (!positive || n > 0))) {
    throw new InvalidOptionError(`${what}: ${JSON.stringify(value)} must list ${ndim} finite${positive ? " positive" : ""} numbers, one per axis`);
  }
  return [...(value as number[])];
}

/** Which axes the next level halves, from the current pixel sizes (see the module comment). */
function halvedAxes(axes: readonly OmeAxis[], scale: readonly number[], downsampleAxes: readonly string[] | undefined): boolean[] {
  if (downsampleAxes) return axes.map((axis) => downsampleAxes.includes(axis.name));
  const space = axes.flatMap((axis, i) => (axis.type === "space" ? [i] : []));
  const plane = space.slice(-2);
  const halved = axes.map((_, i) => plane.includes(i));
  if (space.length === 3) {
    const depth = space[0];
    const meters = space.map((i) => metersPer(axes[i].unit));
    // Units convert when every space axis has one; otherwise the numbers are taken as one unit.
    const size = (i: number): number => (meters.every((m) => m !== undefined) ? scale[i] * (metersPer(axes[i].unit) as number) : scale[i]);
    const finestPlane = Math.min(...plane.map(size));
    halved[depth] = size(depth) <= Math.SQRT2 * finestPlane * (1 + 1e-12);
  }
  return halved;
}

function checkDownsampleAxes(names: unknown, axes: readonly OmeAxis[]): string[] | undefined {
  if (names === undefined) return undefined;
  const space = axes.filter((axis) => axis.type === "space").map((axis) => axis.name);
  if (!Array.isArray(names) || names.length === 0 || !names.every((name) => typeof name === "string" && space.includes(name))) {
    throw new InvalidOptionError(`downsampleAxes: ${JSON.stringify(names)} must name one or more space axes (${space.join(", ")}); time and channel axes are never downsampled`);
  }
  return [...names] as string[];
}

export function planPyramid(options: PyramidPlanOptions): PlannedLevel[] {
  const { shape, axes, storageChunks, downsample } = options;
  const levels = options.levels;
  if (levels !== "auto" && (!Number.isSafeInteger(levels) || levels < 1)) {
    throw new InvalidOptionError(`levels: ${JSON.stringify(levels)} must be "auto" or a positive integer (the number of resolutions, full resolution included)`);
  }
  if (!(downsampleMethods as readonly string[]).includes(downsample)) {
    throw new InvalidOptionError(`downsample: ${JSON.stringify(downsample)} must be one of ${downsampleMethods.map((m) => `"${m}"`).join(", ")}`);
  }
  if (shape.some((n) => n === 0)) throw new InvalidOptionError(`an image of shape [${shape.join(", ")}] is empty; OME-Zarr pyramids need at least one pixel per axis`);
  const downsampleAxes = checkDownsampleAxes(options.downsampleAxes, axes);
  const chunksOf = (levelShape: readonly number[]) => levelShape.map((n, a) => Math.max(1, Math.min(storageChunks[a], n)));
  const planned: PlannedLevel[] = [
    { path: "0", shape: [...shape], factors: shape.map(() => 1), chunks: chunksOf(shape), scale: [...options.scale], translation: [...options.translation] },
  ];
  for (;;) {
    const last = planned[planned.length - 1];
    if (levels !== "auto" && planned.length >= levels) break;
    const halved = halvedAxes(axes, last.scale, downsampleAxes);
    const tooSmall = halved.findIndex((h, a) => h && last.shape[a] < 2);
    if (levels === "auto" && (tooSmall >= 0 || !halved.some((h, a) => h && last.shape[a] > storageChunks[a]))) break;
    if (tooSmall >= 0) {
      throw new InvalidOptionError(
        `levels: ${levels} would halve axis "${axes[tooSmall].name}" of length ${last.shape[tooSmall]} at level ${planned.length} to nothing; ` +
          `at most ${planned.length} levels fit an image of shape [${shape.join(", ")}] (or pass levels: "auto")`,
      );
    }
    const factors = halved.map((h) => (h ? 2 : 1));
    const levelShape = last.shape.map((n, a) => Math.floor(n / factors[a]));
    const offset = (a: number) => (downsample === "nearest" ? 0 : ((factors[a] - 1) / 2) * last.scale[a]);
    planned.push({
      path: String(planned.length),
      shape: levelShape,
      factors,
      chunks: chunksOf(levelShape),
      scale: last.scale.map((s, a) => s * factors[a]),
      translation: last.translation.map((t, a) => t + offset(a)),
    });
  }
  return planned;
}
