// ta.ndimage.genericFilter (dask-image's generic_filter) against scipy 1.10's generic_filter on the
// whole array, bit for bit: seeded random chunkings with many blocks per axis and blocks smaller
// than the footprint's reach, sizes and footprints with origins, every mode, cval, output dtypes
// (int64, uint64 and bool among them) and extra arguments, on the local executor; then on a LocalCluster of 2 workers × 1 thread,
// where the user's function must travel to the worker processes and run there. Refusals: what
// cannot travel (closures, module exports, functions among the extra arguments) and bad options.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as ta from "../../src/array/index.js";
import * as nd from "../../src/ndarray/index.js";
import type { DType } from "../../src/ndarray/dtype.js";
import { exportedFunctions, FunctionTravelError } from "../../src/graph/function-travel.js";
import { InvalidOptionError } from "../../src/core/errors.js";
import { randomArray, randomChunks } from "./differential-inputs.js";
import { evaluatePython, assertSameArray } from "./python-eval.js";
import {
  type FilterCase, type Rng, allModes, differences, drawCval, drawFootprint, drawOrigin, fuzzSeed, integer, kwargs, maybe, pick, report, rngOf,
} from "../ndimage/filter-differential.js";
import { pythonExtra, twins } from "../ndimage/generic-twins.js";
import { useCluster2x1 } from "./cluster-sample.js";

const dtypes: readonly DType[] = ["uint8", "uint16", "int32", "float32", "float64", "int64", "uint64", "bool"];

function lazyGenericCase(rng: Rng, inputs: Record<string, nd.NDArray>, label: string): FilterCase {
  const shape = Array.from({ length: integer(rng, 1, 3) }, () => pick(rng, [1, 3, 6, 11, 17]));
  const name = `x${Object.keys(inputs).length}`;
  const x = randomArray(rng, pick(rng, dtypes), shape, { specials: rng() < 0.3 });
  inputs[name] = x;
  const chunks = shape.map((n) => randomChunks(rng, n));
  const twin = pick(rng, twins);
  const extra = twin.extra?.(rng) ?? {};
  const window: Record<string, unknown> = {};
  if (rng() < 0.5) {
    const sizes = Array.from({ length: x.ndim }, () => integer(rng, 1, 4));
    window.size = sizes;
    window.origin = maybe(rng, 0.5, () => sizes.map((s) => drawOrigin(rng, s, 0)));
  } else {
    let footprint = drawFootprint(rng, x.ndim);
    while (!JSON.stringify(footprint).includes("true")) footprint = drawFootprint(rng, x.ndim);
    window.footprint = footprint;
    const fshape: number[] = [];
    for (let level: unknown = footprint; Array.isArray(level); level = level[0]) fshape.push(level.length);
    window.origin = maybe(rng, 0.5, () => fshape.map((s) => drawOrigin(rng, s, 0)));
  }
  const options: Record<string, unknown> = {
    ...window,
    mode: maybe(rng, 0.8, () => pick(rng, allModes)),
    cval: maybe(rng, 0.5, () => drawCval(rng)),
    output: maybe(rng, 0.3, () => pick(rng, dtypes)),
  };
  return {
    label: `${label} ${twin.name} ${x.dtype}[${x.shape}] chunks ${JSON.stringify(chunks)} ${JSON.stringify(options)} ${JSON.stringify(extra)}`,
    run: () => ta.ndimage.genericFilter(ta.fromArray(x, { chunks }), twin.ts, { ...options, ...extra }).compute(),
    python: `ndi.generic_filter(${[name, twin.python, kwargs(options), pythonExtra(extra)].filter(Boolean).join(", ")})`,
  };
}

/** Self-contained: it travels by source. */
const range = (v: Float64Array): number => Math.max(...v) - Math.min(...v);
/** Which process computed the cell: a worker's, not the client's. */
const processId = (): number => process.pid;

describe("ta.ndimage.genericFilter against scipy 1.10 on the whole array (local executor)", () => {
  it("equals generic_filter bit for bit on random chunkings, windows, modes, cval, outputs and extra arguments", async () => {
    const rng = rngOf(fuzzSeed + 42);
    const inputs: Record<string, nd.NDArray> = {};
    const cases: FilterCase[] = [];
    for (let i = 0; i < 80; i++) cases.push(lazyGenericCase(rng, inputs, `c${i}`));
    report(await differences(cases, inputs), "chunked generic_filter", fuzzSeed + 42);
  });

  it("states the footprint's reach as its overlap depth, and names its graph genericFilter", () => {
    const x = ta.fromArray(nd.zeros([20, 20]), { chunks: [5, 5] });
    const y = ta.ndimage.genericFilter(x, range, { size: [3, 5], origin: [0, 1] });
    assert.match(y.name, /^genericFilter-/);
    assert.deepEqual(y.chunks, x.chunks);
    assert.equal(ta.ndimage.genericFilter(x, range, { size: 3, output: "uint8" }).dtype, "uint8");
    assert.notEqual(ta.ndimage.genericFilter(x, range, { size: 3 }).name, ta.ndimage.genericFilter(x, (v) => v[0], { size: 3 }).name);
  });
});

describe("ta.ndimage.genericFilter refusals", () => {
  const x = ta.fromArray(nd.zeros([8, 8]), { chunks: [4, 4] });
  const refuses = (call: () => unknown, kind: new (...args: never[]) => Error, says: RegExp): void => {
    assert.throws(call, (error: unknown) => {
      assert.ok(error instanceof kind, String(error));
      assert.match((error as Error).message, says);
      return true;
    });
  };

  it("refuses a closure over a variable, as mapBlocks does, naming the variable", () => {
    const threshold = 3;
    refuses(() => ta.ndimage.genericFilter(x, (v) => v.filter((e) => e > threshold).length, { size: 3 }), FunctionTravelError, /uses "threshold" from its surroundings/);
    // The same function with the value as an extra argument travels.
    ta.ndimage.genericFilter(x, ((v: Float64Array, t: number) => v.filter((e) => e > t).length) as never, { size: 3, extraArguments: [threshold] });
  });

  it("refuses module exports and built-ins (the block function travels by source), and values that cannot travel", () => {
    const registered = exportedFunctions(import.meta.url, { moduleRange: (v: Float64Array) => v[0] });
    refuses(() => ta.ndimage.genericFilter(x, registered.moduleRange, { size: 3 }), InvalidOptionError, /registered as export "moduleRange".*self-contained/);
    refuses(() => ta.ndimage.genericFilter(x, nd.sum as never, { size: 3 }), InvalidOptionError, /the built-in "ndarray.sum"/);
    refuses(() => ta.ndimage.genericFilter(x, 3 as never, { size: 3 }), InvalidOptionError, /function must be a function, got number/);
    refuses(() => ta.ndimage.genericFilter(x, range, { size: 3, extraArguments: [1, () => 2] }), InvalidOptionError, /extraArguments\[1\] is a function/);
    refuses(() => ta.ndimage.genericFilter(x, range, { size: 3, extraKeywords: { at: new Date() } }), InvalidOptionError, /extraKeywords.at is an object that is not plain data/);
  });

  it("refuses bad options before building a graph", () => {
    refuses(() => ta.ndimage.genericFilter(x, range, { size: 3, sigma: 2 } as never), InvalidOptionError, /unknown option "sigma"/);
    refuses(() => ta.ndimage.genericFilter(x, range, {}), InvalidOptionError, /needs size or footprint/);
    refuses(() => ta.ndimage.genericFilter(x, range, { size: 3, footprint: [[1]] }), InvalidOptionError, /size or footprint, not both/);
    refuses(() => ta.ndimage.genericFilter(x, range, { size: 3, outputRegion: { start: [0, 0], stop: [1, 1] } } as never), InvalidOptionError, /outputRegion/);
    refuses(() => ta.ndimage.genericFilter(x, range, { size: 3, mode: ["wrap", "wrap"] as never }), InvalidOptionError, /one mode/);
    refuses(() => ta.ndimage.genericFilter(x, range, { size: 3, origin: 5 }), InvalidOptionError, /origin 5/);
    refuses(() => ta.ndimage.genericFilter(nd.zeros([3]) as never, range, { size: 3 }), InvalidOptionError, /lazy array/);
  });
});

describe("ta.ndimage.genericFilter on a LocalCluster of 2 workers × 1 thread", () => {
  useCluster2x1();

  it("runs the user's function on the workers and equals scipy's generic_filter", async () => {
    const rng = rngOf(fuzzSeed + 43);
    const image = randomArray(rng, "uint16", [13, 10], { small: false });
    const lazy = ta.fromArray(image, { chunks: [[4, 4, 5], [3, 3, 4]] });
    const count = twins.find((t) => t.name === "count above a threshold");
    assert.ok(count);
    const [weighted, counted] = await Promise.all([
      ta.ndimage.genericFilter(lazy, twins[0].ts, { footprint: [[1, 0, 1], [0, 1, 1]], mode: "mirror", origin: [0, -1], output: "float32" }).compute(),
      ta.ndimage.genericFilter(lazy, count.ts, { size: 3, mode: "wrap", extraArguments: [30000] }).compute(),
    ]);
    const scipy = evaluatePython({ image }, {
      weighted: `ndi.generic_filter(image, ${twins[0].python}, footprint=np.array([[1, 0, 1], [0, 1, 1]], dtype=bool), mode='mirror', origin=[0, -1], output=np.float32)`,
      counted: `ndi.generic_filter(image, ${count.python}, size=3, mode='wrap', extra_arguments=(30000,))`,
    });
    assertSameArray(weighted, scipy.weighted.array as nd.NDArray, "weighted sum on the cluster");
    assertSameArray(counted, scipy.counted.array as nd.NDArray, "count on the cluster");
    const pids = await ta.ndimage.genericFilter(lazy, processId, { size: 1, output: "float64" }).compute();
    const seen = new Set(pids.toTypedArray() as Float64Array);
    assert.ok(!seen.has(process.pid), "every cell was computed in a worker process, not the client()'s");
  });
});
