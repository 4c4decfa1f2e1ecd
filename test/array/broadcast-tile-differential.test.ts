// Seeded differential test of broadcastTo, broadcastArrays, meshgrid, indices, tile and repeat
// against NumPy 1.24 (values bit for bit, dtype, shape) and Dask 2022.12 (chunks): every dtype,
// random chunkings with many blocks, new axes and growing length-1 axes, reps with zeros and
// more reps than axes, repeat counts that cut chunks into slabs. DIFFERENTIAL_SEED=n reruns another seed.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as ta from "../../src/array/index.js";
import * as nd from "../../src/ndarray/index.js";
import { describeOnCluster } from "./cluster-sample.js";
import { assertSameArray, evaluatePython } from "./python-eval.js";
import { Inputs, integer, numberDtypes, pick, pyChunks, pyTuple, randomArray, randomChunks, rngOf, type Rng } from "./differential-inputs.js";

const seed = Number(process.env.DIFFERENTIAL_SEED ?? 20261205);
const count = Number(process.env.DIFFERENTIAL_CASES ?? 250);

interface Case {
  label: string;
  /** Python giving a list of arrays (NumPy), and the same with Dask. */
  numpy: string;
  dask: string | null;
  ours: () => ta.Array[];
}

const py = (values: readonly number[]): string => pyTuple(values);

function drawCase(rng: Rng, index: number, inputs: Inputs): Case {
  const dtype = pick(rng, numberDtypes);
  const ndim = integer(rng, 1, 3);
  const shape = Array.from({ length: ndim }, () => pick(rng, [1, 1, 2, 3, 5]));
  if (rng() < 0.6) shape[integer(rng, 0, ndim - 1)] = integer(rng, 12, 30);
  const chunks = shape.map((n) => randomChunks(rng, n));
  const x = inputs.add(randomArray(rng, dtype, shape, { specials: true }), chunks);
  const label = (op: string): string => `c${index}_${op}_${dtype}_${shape.join("x")}`;
  const kind = pick(rng, ["broadcastTo", "broadcastTo", "broadcastArrays", "meshgrid", "indices", "tile", "tile", "repeat", "repeat"]);
  switch (kind) {
    case "broadcastTo": {
      const target = [...Array.from({ length: integer(rng, 0, 2) }, () => integer(rng, 0, 4)), ...shape.map((n) => (n === 1 ? pick(rng, [1, 3, 7]) : n))];
      return { label: label("broadcast_to"), numpy: `[np.broadcast_to(${x.name}, ${py(target)})]`, dask: `[da.broadcast_to(${x.py}, ${py(target)})]`, ours: () => [ta.broadcastTo(x.lazy(), target)] };
    }
    case "broadcastArrays": {
      // The second input shares the first's chunks on the axes both span (Dask refuses other mixes).
      const otherShape = shape.map((n) => (rng() < 0.4 ? 1 : n));
      const other = inputs.add(randomArray(rng, pick(rng, numberDtypes), otherShape, { specials: true }), otherShape.map((n, a) => (n === 1 ? [1] : chunks[a])));
      return {
        label: label("broadcast_arrays"), numpy: `list(np.broadcast_arrays(${x.name}, ${other.name}))`, dask: `list(da.broadcast_arrays(${x.py}, ${other.py}))`,
        ours: () => ta.broadcastArrays(x.lazy(), other.lazy()),
      };
    }
    case "meshgrid": {
      const n = integer(rng, 1, 3);
      const axes = Array.from({ length: n }, () => {
        const length = integer(rng, 1, 9);
        return inputs.add(randomArray(rng, dtype, [length]), [randomChunks(rng, length)]);
      });
      const indexing = pick(rng, ["xy", "ij"] as const);
      const sparse = rng() < 0.3;
      const args = axes.map((a) => a.name).join(", ");
      const pyArgs = `indexing='${indexing}', sparse=${sparse ? "True" : "False"}`;
      return {
        label: label(`meshgrid_${indexing}`), numpy: `list(np.meshgrid(${args}, ${pyArgs}))`, dask: `list(da.meshgrid(${axes.map((a) => a.py).join(", ")}, ${pyArgs}))`,
        ours: () => ta.meshgrid(...axes.map((a) => a.lazy()), { indexing, sparse }),
      };
    }
    case "indices": {
      const dims = Array.from({ length: integer(rng, 1, 3) }, () => integer(rng, rng() < 0.1 ? 0 : 1, 12));
      const dimChunks = dims.map((n) => randomChunks(rng, n));
      return {
        label: label("indices"), numpy: `[np.indices(${py(dims)})]`, dask: `[da.indices(${py(dims)}, chunks=${pyChunks(dimChunks)})]`,
        ours: () => [ta.indices(dims, { chunks: dimChunks })],
      };
    }
    case "tile": {
      const reps = Array.from({ length: integer(rng, 1, 4) }, () => integer(rng, rng() < 0.1 ? 0 : 1, 3));
      const given = reps.length === 1 && rng() < 0.5 ? reps[0] : reps;
      const pyReps = typeof given === "number" ? String(given) : py(given);
      return { label: label("tile"), numpy: `[np.tile(${x.name}, ${pyReps})]`, dask: `[da.tile(${x.py}, ${pyReps})]`, ours: () => [ta.tile(x.lazy(), given)] };
    }
    default: {
      const axis = integer(rng, -ndim, ndim - 1);
      const repeats = pick(rng, [0, 1, 2, 3, 4, 7]);
      return {
        label: label("repeat"), numpy: `[np.repeat(${x.name}, ${repeats}, axis=${axis})]`, dask: `[da.repeat(${x.py}, ${repeats}, axis=${axis})]`,
        ours: () => [ta.repeat(x.lazy(), repeats, axis)],
      };
    }
  }
}

describe(`broadcasting, tile and repeat against NumPy and Dask (seed ${seed})`, () => {
  it(`${count} random cases: NumPy's values, dtype and shape; Dask's chunks`, async () => {
    const inputs = new Inputs();
    const cases = Array.from({ length: count }, (_, i) => drawCase(rngOf(seed + i), i, inputs));
    const expressions: Record<string, string> = {};
    for (const c of cases) {
      const parts = c.ours().length;
      for (let k = 0; k < parts; k++) {
        expressions[`${c.label}_np${k}`] = `(${c.numpy})[${k}]`;
        if (c.dask) expressions[`${c.label}_da${k}`] = `(${c.dask})[${k}]`;
      }
    }
    const python = evaluatePython(inputs.arrays, expressions);
    for (const c of cases) {
      const ours = c.ours();
      for (let k = 0; k < ours.length; k++) {
        const numpy = python[`${c.label}_np${k}`];
        const dask = python[`${c.label}_da${k}`];
        const where = `${c.label}[${k}] (seed ${seed}: ${c.dask ?? c.numpy})`;
        assert.ok(numpy?.array, `${where}: NumPy refused: ${numpy?.error}`);
        assertSameArray(await ours[k].compute(), numpy.array, `${where} vs NumPy`);
        if (!dask || ours[k].size === 0) continue;
        assert.ok(dask.array, `${where}: Dask refused: ${dask.error}`);
        assert.deepEqual(ours[k].chunks, dask.chunks, `${where}: chunks vs Dask`);
      }
    }
  });

  it("refuses bad input by name", () => {
    const x = ta.fromArray(nd.reshape(nd.arange(12), [3, 4]), { chunks: 2 });
    assert.throws(() => ta.broadcastTo(x, [4, 4]), /broadcastTo: cannot broadcast shape \[3, 4\] to shape \[4, 4\]/);
    assert.throws(() => ta.broadcastTo(x, [4]), /broadcastTo: cannot broadcast shape \[3, 4\] to shape \[4\]/);
    assert.throws(() => ta.broadcastTo(x, [2, 3, 4], { chunks: [1, 3, 4] }), /broadcastTo: cannot broadcast chunks/);
    assert.throws(() => ta.broadcastTo(x, [3, 4], { chunk: 2 } as never), /broadcastTo: unknown option "chunk"/);
    assert.throws(() => ta.broadcastArrays(x, ta.ones([5])), /broadcastArrays: operands could not be broadcast together/);
    assert.throws(() => ta.meshgrid(x, { indexing: "xyz" as never }), /meshgrid: indexing must be "xy" or "ij"/);
    assert.throws(() => ta.meshgrid(x, { copy: false } as never), /meshgrid: unknown option "copy"/);
    assert.throws(() => ta.indices([2, -1]), /indices: dimensions \[2,-1\] must be a list of non-negative integers/);
    assert.throws(() => ta.tile(x, [2, -1]), /tile: negative reps are not allowed/);
    assert.throws(() => ta.repeat(x, 2), /repeat: give an axis/);
    assert.throws(() => ta.repeat(x, [1, 2] as never, 0), /repeat: repeats must be a non-negative integer/);
    assert.throws(() => ta.repeat(x, 2, 2), /repeat: axis 2 is out of bounds/);
  });
});

// Broadcast blocks are zero-stride views: they travel to the other worker and are summed there.
describeOnCluster("broadcasting, tile and repeat", () => {
  const x = ta.fromArray(randomArray(rngOf(seed), "float32", [1, 23, 5], { specials: true }), { chunks: [1, 4, 2] });
  return [
    ta.broadcastTo(x, [3, 6, 23, 5]).add(ta.tile(x, [3, 6, 1, 1])).sum({ axis: [0, 1] }),
    ta.repeat(x, 3, 1).sum({ axis: 1 }),
    ta.indices([5, 7], { chunks: [2, 3] }).sum({ axis: 1 }),
  ];
});
