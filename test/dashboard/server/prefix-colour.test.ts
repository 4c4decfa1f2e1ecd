import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { prefixColour, viridis18 } from "../../../src/dashboard/server/prefix-colour.js";

describe("task prefix colours", () => {
  it("match Dask's dashboard colours (distributed.utils.color_of, viridis 18)", () => {
    const prefixes = ["inc", "sum", "gaussian-filter", "store", "from-zarr", "data", "rechunk-merge", "sub", "make-block", "x"];
    const script = "import json,sys\nfrom distributed.utils import color_of\nprint(json.dumps([color_of(p) for p in json.loads(sys.argv[1])]))";
    const expected = JSON.parse(execFileSync("/usr/bin/python3", ["-c", script, JSON.stringify(prefixes)], { encoding: "utf8" })) as string[];
    assert.deepEqual(prefixes.map(prefixColour).map((c) => c.toLowerCase()), expected.map((c) => c.toLowerCase()));
  });

  it("uses Dask's 18-colour palette", () => {
    const script = "import json\nfrom distributed.utils import palette\nprint(json.dumps(list(palette)))";
    const palette = JSON.parse(execFileSync("/usr/bin/python3", ["-c", script], { encoding: "utf8" })) as string[];
    assert.deepEqual(viridis18.map((c) => c.toLowerCase()), palette.map((c) => c.toLowerCase()));
  });
});
