/**
 * How many neighbouring blocks of a mapOverlap pipeline one task computes (overlap-groups.ts):
 * a cost model of the filters' shrinking passes over a group's halo, of the copies and of
 * the per-block work, turned into an estimated wall time on the cluster's threads, minimised
 * over groups that fit the memory a task may use.
 *
 * Why groups pay: a block with core c and depth d reads c + 2d cells per axis. With shrinking
 * passes (ndimage/separable.ts) the first pass runs over the core of its own axis and the
 * halo of the others, the second over the core of two axes, and so on; so the halo costs
 * compute on every axis but the first pass's, and grouping blocks along the later axes is
 * what cuts it. Along the first pass's axis groups only save copying. Fewer, larger groups
 * do less work but leave threads idle when there are fewer groups than threads, or a last
 * wave with few groups: the estimate is ceil(groups ÷ threads) waves of the mean group, or
 * the largest group when that is longer.
 *
 * The model's constants are per-cell costs of this machine's kernels (WASM SIMD correlation,
 * region copies, elementwise loops, blosc-lz4 encoding); only their ratios matter.
 */
import { haloBox } from "./overlap.js";
import type { AxisBoundary } from "../ndarray/region-assembly.js";

/** One mapOverlap of the pipeline, as the model sees it. */
export interface OverlapCost {
  depth: readonly number[];
  boundary: readonly AxisBoundary[];
  /** The filter's radius per axis; passes run along the axes with a radius, in axis order. */
  radius: readonly number[];
  inItemsize: number;
  outItemsize: number;
}

export interface GroupModel {
  shape: readonly number[];
  /** The user's (regular) chunk size per axis: groups are whole multiples of it. */
  chunk: readonly number[];
  overlaps: readonly OverlapCost[];
  /** Elementwise steps per cell after the filters (a subtraction: 1). */
  elementwise: number;
  /** Bytes per cell of the written result. */
  outItemsize: number;
}

export interface GroupCapacity {
  /** Threads of the whole cluster. */
  threads: number;
  /** Bytes one task may hold at its peak. */
  memoryPerTask: number;
}

export interface GroupEstimate {
  /** Blocks per group along each axis. */
  factors: number[];
  groups: number;
  /** Estimated wall time on the cluster's threads, nanoseconds (for comparing choices only). */
  wallNs: number;
  /** Estimated peak bytes of the largest group's task. */
  memoryBytes: number;
  /** Cells read ÷ cells written, over all groups (the halo overhead; 1 without halos). */
  haloOverhead: number;
}

const tapNs = 0.15;
const copyNs = 1;
const elementwiseNs = 1.5;
const encodeNsPerByte = 7;
const taskNs = 1e6;

/** The sum and the largest of per-group extents along one axis. */
interface AxisSums {
  core: number;
  pass: number;
  halo: number;
  maxCore: number;
  maxPass: number;
  maxHalo: number;
  groups: number;
}

function axisSums(length: number, group: number, depth: number, boundary: AxisBoundary, radius: number): AxisSums {
  const sums: AxisSums = { core: 0, pass: 0, halo: 0, maxCore: 0, maxPass: 0, maxHalo: 0, groups: 0 };
  for (let lo = 0; lo < length; lo += group) {
    const hi = Math.min(length, lo + group);
    const [haloLo, haloHi] = haloBox(lo, hi, depth, boundary, length);
    const pass = Math.min(hi + radius, haloHi) - Math.max(lo - radius, haloLo);
    sums.core += hi - lo;
    sums.pass += pass;
    sums.halo += haloHi - haloLo;
    sums.maxCore = Math.max(sums.maxCore, hi - lo);
    sums.maxPass = Math.max(sums.maxPass, pass);
    sums.maxHalo = Math.max(sums.maxHalo, haloHi - haloLo);
    sums.groups++;
  }
  return sums;
}

const product = (values: readonly number[]): number => values.reduce((a, b) => a * b, 1);

/** The estimate for groups of `factors` blocks per axis. */
export function estimateGroups(model: GroupModel, factors: readonly number[], capacity: GroupCapacity): GroupEstimate {
  const ndim = model.shape.length;
  const group = factors.map((f, axis) => f * model.chunk[axis]);
  const groups = product(model.shape.map((n, axis) => Math.max(1, Math.ceil(n / group[axis]))));
  const cells = product(model.shape);
  let total = 0;
  let largest = 0;
  let memory = 0;
  let read = 0;
  for (const overlap of model.overlaps) {
    const sums = model.shape.map((n, axis) => axisSums(n, group[axis], overlap.depth[axis], overlap.boundary[axis], overlap.radius[axis]));
    const passes = [...Array(ndim).keys()].filter((axis) => overlap.radius[axis] > 0);
    passes.forEach((passAxis, j) => {
      const later = new Set(passes.slice(j + 1));
      const taps = (2 * overlap.radius[passAxis] + 1) * tapNs;
      total += taps * product(sums.map((s, axis) => (later.has(axis) ? s.pass : s.core)));
      largest += taps * product(sums.map((s, axis) => (later.has(axis) ? s.maxPass : s.maxCore)));
    });
    // The halo is assembled, then copied into the kernel's memory.
    const halo = product(sums.map((s) => s.halo));
    const maxHalo = product(sums.map((s) => s.maxHalo));
    read = Math.max(read, halo);
    total += 2 * copyNs * halo;
    largest += 2 * copyNs * maxHalo;
    // Peak: the halo, its copy in the kernel's memory, two pass results, the filtered group.
    const firstPassBox = product(sums.map((s, axis) => (axis === passes[0] || !passes.includes(axis) ? s.maxCore : s.maxPass)));
    memory = Math.max(memory, 2 * maxHalo * overlap.inItemsize + 2 * firstPassBox * overlap.outItemsize);
  }
  const coreCells = product(model.shape.map((n, axis) => Math.min(n, group[axis])));
  const perCell = model.elementwise * elementwiseNs + encodeNsPerByte * model.outItemsize;
  total += cells * perCell + groups * taskNs;
  largest += coreCells * perCell + taskNs;
  memory += coreCells * model.outItemsize * (model.overlaps.length + model.elementwise);
  const waves = Math.ceil(groups / Math.max(1, capacity.threads));
  return {
    factors: [...factors], groups, wallNs: Math.max((waves * total) / groups, largest), memoryBytes: memory,
    haloOverhead: cells > 0 ? read / cells : 1,
  };
}

/** Candidate multiples along an axis of `blocks` blocks: every small one, then powers of two, then all. */
function candidates(blocks: number): number[] {
  const out = new Set<number>([blocks]);
  for (let f = 1; f <= Math.min(blocks, 16); f++) out.add(f);
  for (let f = 32; f < blocks; f *= 2) out.add(f);
  return [...out].sort((a, b) => a - b);
}

/**
 * The grouping with the lowest estimated wall time among those whose task fits
 * `capacity.memoryPerTask` (one block per group always qualifies: it is what runs without
 * grouping).
 */
export function chooseGroups(model: GroupModel, capacity: GroupCapacity): GroupEstimate {
  const perAxis = model.shape.map((n, axis) => candidates(Math.max(1, Math.ceil(n / model.chunk[axis]))));
  let best = estimateGroups(model, model.shape.map(() => 1), capacity);
  const visit = (axis: number, factors: number[]): void => {
    if (axis === perAxis.length) {
      const estimate = estimateGroups(model, factors, capacity);
      if (estimate.memoryBytes <= capacity.memoryPerTask && estimate.wallNs < best.wallNs) best = estimate;
      return;
    }
    for (const f of perAxis[axis]) visit(axis + 1, [...factors, f]);
  };
  visit(0, []);
  return best;
}
