// The public entry point `tessera/cloud` (src/cloud/index.ts, package.json "./cloud"): its runtime exports are a contract.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import * as cloud from "../../src/cloud/index.js";

describe("tessera/cloud exports", () => {
  it("names exactly these values", () => {
    assert.deepEqual(Object.keys(cloud).sort(), ["EcsError", "FargateCluster", "checkFargateSize"]);
    assert.equal(typeof cloud.FargateCluster.start, "function");
  });

  it("is the package's ./cloud export", () => {
    const manifest = JSON.parse(readFileSync(fileURLToPath(new URL("../../../package.json", import.meta.url)), "utf8")) as { exports: Record<string, unknown> };
    assert.deepEqual(manifest.exports["./cloud"], { types: "./src/cloud/index.ts", default: "./dist/src/cloud/index.js" });
  });
});
