// Random pipelines of 2–6 operations against Dask 2022.12: elementwise (scalars, broadcast
// arrays, where, clip, astype, comparisons), axis moves, reshape, slicing, take, rechunk, joins,
// pad, repeat/tile, diff, reductions, cumulative ops, contractions, mapOverlap, coarsen and lazy
// boolean masks (unknown sizes), over inputs of 1–4 axes with size-1 and empty axes and odd
// chunks (pipeline-fuzz-run.ts says what is drawn and how results compare, and which
// differences are Dask's or tessera's documented choices). Fixed seeds here; explore others with
// TESSERA_FUZZ_SEED=n TESSERA_FUZZ_COUNT=n, and TESSERA_FUZZ_REPORT=1 to print every difference
// and the first step where chunks part from Dask's.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { describeOnCluster } from "./cluster-sample.js";
import { drawPipelines, firstChunkDivergence, runPipelines } from "./pipeline-fuzz-run.js";

const seed = Number(process.env.TESSERA_FUZZ_SEED ?? 20261205);
const count = Number(process.env.TESSERA_FUZZ_COUNT ?? 1200);

describe(`random pipelines against Dask (seeds ${seed}…${seed + count - 1})`, () => {
  it("match Dask's dtype, shape, values and chunks, or refuse where Dask refuses", async () => {
    const { pipelines, inputs } = drawPipelines(Array.from({ length: count }, (_, i) => seed + i));
    const found = await runPipelines(pipelines, inputs);
    const text = found.map((d) => `seed ${d.seed} ${d.kind}: ${d.detail}\n    ${d.steps.join("\n    ")}\n    ${d.py}`).join("\n");
    if (process.env.TESSERA_FUZZ_REPORT) {
      console.log(text);
      const seeds = new Set(found.filter((d) => d.kind === "chunks").map((d) => d.seed));
      console.log(firstChunkDivergence(pipelines.filter((p) => seeds.has(p.seed)), inputs).join("\n"));
    }
    assert.equal(found.length, 0, text);
  });
});

// Pipelines distribution could change: many blocks, carries, trees of partials, masks.
describeOnCluster("15 random pipelines", () => {
  const { pipelines } = drawPipelines(Array.from({ length: 60 }, (_, i) => 20261205 + i));
  const picked = pipelines.filter((p) => p.stage !== undefined && p.stage.lazy.numblocks.reduce((a, b) => a * b, 1) >= 3).slice(0, 15);
  assert.equal(picked.length, 15, "the cluster sample draws 15 pipelines of 3 or more blocks");
  return picked.map((p) => p.stage?.lazy as never);
});
