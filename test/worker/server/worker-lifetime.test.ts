// lifetimeEnd: the option, else the configuration; the stagger spreads retirements over ± stagger; at least a second.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { lifetimeEnd } from "../../../src/worker/server/worker-lifetime.js";

describe("lifetimeEnd", () => {
  it("is now + lifetime ± stagger, never under a second, and undefined without a lifetime", () => {
    assert.equal(lifetimeEnd({ lifetime: 60, lifetimeStagger: 0 }, 1000), 1060);
    const ends = Array.from({ length: 200 }, () => lifetimeEnd({ lifetime: 60, lifetimeStagger: 10 }, 1000) as number);
    assert.ok(ends.every((end) => end >= 1050 && end <= 1070), "within ± stagger");
    assert.ok(new Set(ends).size > 100, "spread, not one value");
    assert.equal(lifetimeEnd({ lifetime: 2, lifetimeStagger: 30 }, 1000)! >= 1001, true, "at least a second");
    assert.equal(lifetimeEnd({}, 1000), undefined, "the default configuration sets no lifetime");
  });
});
