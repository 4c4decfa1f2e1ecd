// The per-tile pipeline users port from Dask: delayed per-tile processing, da.from_delayed, then
// concatenate / stack (and a reduction after), against Dask 2022.12 run on the same tiles:
// values bit for bit, dtype, shape and chunks. And to_delayed's blocks, in Dask's block order.
// Several dtypes, uneven tiles, many blocks. DIFFERENTIAL_SEED=n reruns another seed.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Delayed, compute, delayed } from "../../src/index.js";
import * as ta from "../../src/array/index.js";
import * as nd from "../../src/ndarray/index.js";
import { assertSameArray, evaluatePython } from "./python-eval.js";
import { integer, pick, pyChunks, randomArray, rngOf } from "./differential-inputs.js";
import { describeOnCluster } from "./cluster-sample.js";

const seed = Number(process.env.DIFFERENTIAL_SEED ?? 20261205);
const dtypes: nd.DType[] = ["int8", "uint8", "int16", "int32", "int64", "float32", "float64"];
const pyDelayed = "__import__('dask').delayed";

/** The per-tile step, as self-contained source (it travels to workers) and as its Python twin. */
const twice = (tile: nd.NDArray) => nd.add(tile, tile);
const pyTwice = "(lambda t: t + t)";

interface Case {
  label: string;
  python: string;
  ours: () => ta.Array;
}

function drawCases(): { inputs: Record<string, nd.NDArray>; cases: Case[] } {
  const rng = rngOf(seed);
  const inputs: Record<string, nd.NDArray> = {};
  const cases: Case[] = [];
  const tileOf = (name: string, dtype: nd.DType, shape: number[]) => {
    inputs[name] = randomArray(rng, dtype, shape);
    const tile = inputs[name];
    return {
      ours: () => ta.fromDelayed(delayed(twice)(tile), tile.shape, { dtype: tile.dtype }),
      python: `da.from_delayed(${pyDelayed}(${pyTwice})(${name}), ${name}.shape, dtype=${name}.dtype)`,
    };
  };
  for (let c = 0; c < 6; c++) {
    const dtype = pick(rng, dtypes);
    const count = integer(rng, 4, 12);
    const width = integer(rng, 1, 6);
    const axis = c % 2;
    // Uneven tiles along the concatenation axis (a zero-length one now and then).
    const tiles = Array.from({ length: count }, (_, t) => {
      const length = rng() < 0.1 ? 0 : integer(rng, 1, 9);
      return tileOf(`c${c}_${t}`, dtype, axis === 0 ? [length, width] : [width, length]);
    });
    const python = `da.concatenate([${tiles.map((t) => t.python).join(", ")}], axis=${axis})`;
    cases.push({ label: `c${c}_concatenate_${dtype}`, python, ours: () => ta.concatenate(tiles.map((t) => t.ours()), axis) });
    cases.push({ label: `c${c}_concatenate_sum_${dtype}`, python: `${python}.sum(axis=${1 - axis})`, ours: () => ta.concatenate(tiles.map((t) => t.ours()), axis).sum({ axis: 1 - axis }) });
  }
  for (let c = 0; c < 4; c++) {
    const dtype = pick(rng, dtypes);
    const shape = [integer(rng, 1, 5), integer(rng, 1, 5)];
    const tiles = Array.from({ length: integer(rng, 3, 10) }, (_, t) => tileOf(`s${c}_${t}`, dtype, shape));
    const axis = integer(rng, 0, 2);
    cases.push({ label: `s${c}_stack_${axis}_${dtype}`, python: `da.stack([${tiles.map((t) => t.python).join(", ")}], axis=${axis})`, ours: () => ta.stack(tiles.map((t) => t.ours()), axis) });
  }
  return { inputs, cases };
}

describe("fromDelayed pipelines against Dask", () => {
  const { inputs, cases } = drawCases();

  it("concatenate and stack of delayed tiles (and a sum after) give Dask's values, dtype, shape and chunks", async () => {
    const expected = evaluatePython(inputs, Object.fromEntries(cases.map((c) => [c.label, c.python])));
    const arrays = cases.map((c) => c.ours());
    const results = await ta.compute(arrays);
    cases.forEach((c, i) => {
      const reference = expected[c.label];
      assert.equal(reference.error, undefined, `${c.label}: Dask raised ${reference.error}`);
      assertSameArray(results[i], reference.array as nd.NDArray, c.label);
      assert.deepEqual(arrays[i].chunks, reference.chunks, `${c.label}: chunks`);
    });
  });

  it("to_delayed gives Dask's blocks in Dask's order", async () => {
    const rng = rngOf(seed + 1);
    const data = randomArray(rng, "float32", [13, 10]);
    const chunks = [[4, 4, 4, 1], [3, 3, 3, 1]];
    const python = `np.concatenate([b.compute().ravel() for b in da.from_array(x, chunks=${pyChunks(chunks)}).to_delayed().ravel()])`;
    const expected = evaluatePython({ x: data }, { blocks: python }).blocks;
    const blocks = (ta.fromArray(data, { chunks }).toDelayed() as Delayed[][]).flat();
    const values = (await compute(...blocks)) as nd.NDArray[];
    assertSameArray(nd.concatenate(values.map((v) => nd.reshape(v, [-1]))), expected.array as nd.NDArray, "blocks in order");
  });

  describeOnCluster("fromDelayed pipelines", () => cases.slice(0, 4).map((c) => c.ours()));
});
