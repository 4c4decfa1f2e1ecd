/** `tessera worker --resources`: a malformed spec is a usage error naming the pair, before anything starts. */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { startTessera } from "../engine/cluster-processes.js";

describe("tessera worker --resources", () => {
  for (const [spec, message] of [
    ["GPU=-1", /resource GPU: the amount must not be negative, got -1/],
    ["GPU", /"GPU" is not NAME=amount/],
    ["GPU=1,GPU=2", /resource GPU is given twice/],
    ["MEM=lots", /resource MEM has amount "lots", which is not a number/],
  ] as const) {
    it(`refuses --resources "${spec}" with exit code 2`, async () => {
      const worker = startTessera(["worker", "tcp://127.0.0.1:1", "--resources", spec]);
      const exit = await worker.exited;
      assert.equal(exit.code, 2);
      assert.match(worker.output(), message);
    });
  }
});
