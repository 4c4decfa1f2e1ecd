/**
 * Block layers at the edge (issue 10, the million-block figure): a layer is one closed kind of
 * record, and anything else a peer sends in its place is refused with the field named, by the
 * fast check and by the schema alike (a scheduler expands only what passes).
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { blockLayerProblem, layerBlockCount, type BlockLayer } from "../../src/protocol/block-layer.js";
import { fastValidate, parseMessage } from "../../src/protocol/fast-validation.js";

const good = (): BlockLayer => ({
  kind: "blocks",
  keyPrefix: "sum-abc-partial-0-",
  axes: [{ size: 2, extent: 7 }, { size: 3, extent: 9 }],
  start: [0, 0],
  stop: [4, 3],
  steps: [
    { builtin: "ndarray.full", args: [[2, 3], 1, "float64"], holes: [{ path: [0], fill: "chunk-shape" }] },
    { builtin: "ndarray.reducePartial", args: [{ $step: 0 }, { op: "sum", axes: [0, 1] }], holes: [] },
  ],
});

const message = (layers: unknown[]) => ({ op: "update-graph", reqId: 1, tasks: [], layers, wanted: [] });

describe("block layers on the wire", () => {
  it("accepts a well-formed layer and counts its blocks", () => {
    assert.equal(blockLayerProblem(good()), undefined);
    assert.equal(layerBlockCount(good()), 12);
    assert.ok(fastValidate(message([good()])));
    assert.ok("message" in parseMessage(message([good()])));
  });

  const broken: Array<[string, (layer: Record<string, unknown>) => void, RegExp]> = [
    ["another kind", (l) => { l.kind = "blockwise"; }, /kind must be "blocks"/],
    ["an unknown field", (l) => { l.deps = ["x"]; }, /unknown field "deps"/],
    ["a function sent as source instead of a built-in name", (l) => { (l.steps as Array<Record<string, unknown>>)[0].builtin = "(x) => process.exit(1)"; }, /builtin must name a built-in function/],
    ["a step with a source field", (l) => { (l.steps as Array<Record<string, unknown>>)[0].source = "() => 1"; }, /unknown field "source"/],
    ["a box past the grid", (l) => { (l.stop as number[])[0] = 5; }, /0 ≤ start < stop ≤ 4/],
    ["an empty box", (l) => { (l.start as number[])[1] = 3; }, /start < stop/],
    ["a fractional chunk size", (l) => { (l.axes as Array<Record<string, unknown>>)[0].size = 1.5; }, /axis 0 .* positive integers/],
    ["a start of the wrong length", (l) => { l.start = [0]; }, /one block index per axis/],
    ["a hole outside the arguments", (l) => { (l.steps as Array<{ holes: unknown[] }>)[0].holes = [{ path: [5], fill: "chunk-shape" }]; }, /does not lead into/],
    ["an unknown hole", (l) => { (l.steps as Array<{ holes: unknown[] }>)[0].holes = [{ path: [0], fill: "eval" }]; }, /fill must be/],
    ["no steps", (l) => { l.steps = []; }, /steps must be a list of 1/],
    ["an empty key prefix", (l) => { l.keyPrefix = ""; }, /keyPrefix/],
    ["too many blocks", (l) => { l.axes = [{ size: 1, extent: 1e9 }]; l.start = [0]; l.stop = [1e9]; }, /at most 1000000 blocks/],
  ];
  it("refuses layers that stand for more blocks together than one message may, and gathers past the bound", () => {
    const half = (): BlockLayer => ({ ...good(), axes: [{ size: 1, extent: 600_000 }], start: [0], stop: [600_000], steps: [{ builtin: "ndarray.full", args: [[1], 1, "float64"], holes: [] }] });
    assert.equal(blockLayerProblem(half()), undefined);
    assert.equal(fastValidate(message([half(), half()])), undefined);
    const parsed = parseMessage(message([half(), half()]));
    assert.ok("problem" in parsed);
    assert.match(parsed.problem, /at most 1000000 blocks together, these 1200000/);
    const gathering: BlockLayer = {
      ...good(), axes: [{ size: 1, extent: 500_000 }], start: [0], stop: [500_000],
      steps: [{ builtin: "ndarray.combinePartials", args: [[], {}], holes: [{ path: [0], fill: "refs", prefix: "p-", factor: [64], counts: [32_000_000] }] }],
    };
    assert.match(blockLayerProblem(gathering) ?? "", /gather at most 16000000 blocks together/);
  });

  for (const [what, breakIt, expected] of broken) {
    it(`refuses ${what}, naming it`, () => {
      const layer = good() as unknown as Record<string, unknown>;
      breakIt(layer);
      const problem = blockLayerProblem(layer);
      assert.match(problem ?? "", expected);
      assert.equal(fastValidate(message([layer])), undefined, "the fast check refuses it too");
      const parsed = parseMessage(message([layer]));
      assert.ok("problem" in parsed);
      assert.match(parsed.problem, expected);
      assert.match(parsed.problem, /at layers\.0/);
    });
  }
});
