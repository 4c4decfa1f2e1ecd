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

/** The axis sums of overlap `o` along `axis` for groups of `group` cells. */
type SumsOf = (o: number, axis: number, group: number) => AxisSums;

/**
 * axisSums for `model`, each computed once: the sums along one axis depend on that axis's
 * group size only, so chooseGroups' search over every combination of factors asks for the same
 * few again and again (at 128×512×512, 256 combinations of 4 + 8 + 8 sizes per overlap).
 */
function sumsTable(model: GroupModel): SumsOf {
  const table = model.overlaps.map(() => model.shape.map(() => new Map<number, AxisSums>()));
  return (o, axis, group) => {
    let sums = table[o][axis].get(group);
    if (!sums) {
      const overlap = model.overlaps[o];
      sums = axisSums(model.shape[axis], group, overlap.depth[axis], overlap.boundary[axis], overlap.radius[axis]);
      table[o][axis].set(group, sums);
    }
    return sums;
  };
}

/** The estimate for groups of `factors` blocks per axis. */
export function estimateGroups(model: GroupModel, factors: readonly number[], capacity: GroupCapacity, sumsOf: SumsOf = sumsTable(model)): GroupEstimate {
  const ndim = model.shape.length;
  const group = factors.map((f, axis) => f * model.chunk[axis]);
  const groups = product(model.shape.map((n, axis) => Math.max(1, Math.ceil(n / group[axis]))));
  const cells = product(model.shape);
  let total = 0;
  let largest = 0;
  let memory = 0;
  let read = 0;
  // Plain loops: the search calls this for every combination of factors (hundreds at
  // 128×512×512), and the products are taken in the same order as a reduce over the axes.
  const sums = new Array<AxisSums>(ndim);
  for (let o = 0; o < model.overlaps.length; o++) {
    const overlap = model.overlaps[o];
    for (let axis = 0; axis < ndim; axis++) sums[axis] = sumsOf(o, axis, group[axis]);
    // Passes run along the axes with a radius, in axis order; a pass computes the core of its
    // own and the earlier passes' axes and the pass extent of the later ones.
    let firstPass = -1;
    for (let passAxis = 0; passAxis < ndim; passAxis++) {
      if (!(overlap.radius[passAxis] > 0)) continue;
      if (firstPass < 0) firstPass = passAxis;
      const taps = (2 * overlap.radius[passAxis] + 1) * tapNs;
      let passCells = 1;
      let largestPassCells = 1;
      for (let axis = 0; axis < ndim; axis++) {
        const later = axis > passAxis && overlap.radius[axis] > 0;
        passCells *= later ? sums[axis].pass : sums[axis].core;
        largestPassCells *= later ? sums[axis].maxPass : sums[axis].maxCore;
      }
      total += taps * passCells;
      largest += taps * largestPassCells;
    }
    // The halo is assembled, then copied into the kernel's memory.
    let halo = 1;
    let maxHalo = 1;
    // Peak: the halo, its copy in the kernel's memory, two pass results, the filtered group.
    let firstPassBox = 1;
    for (let axis = 0; axis < ndim; axis++) {
      halo *= sums[axis].halo;
      maxHalo *= sums[axis].maxHalo;
      firstPassBox *= axis === firstPass || !(overlap.radius[axis] > 0) ? sums[axis].maxCore : sums[axis].maxPass;
    }
    read = Math.max(read, halo);
    total += 2 * copyNs * halo;
    largest += 2 * copyNs * maxHalo;
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
  const sumsOf = sumsTable(model);
  let best = estimateGroups(model, model.shape.map(() => 1), capacity, sumsOf);
  const visit = (axis: number, factors: number[]): void => {
    if (axis === perAxis.length) {
      const estimate = estimateGroups(model, factors, capacity, sumsOf);
      if (estimate.memoryBytes <= capacity.memoryPerTask && estimate.wallNs < best.wallNs) best = estimate;
      return;
    }
    for (const f of perAxis[axis]) visit(axis + 1, [...factors, f]);
  };
  visit(0, []);
  return best;
}
