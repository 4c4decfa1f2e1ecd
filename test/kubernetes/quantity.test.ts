// Memory and CPU quantities in both spellings (src/kubernetes/quantity.ts).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { cpuCores, cpuQuantity, memoryBytes, memoryQuantity } from "../../src/kubernetes/quantity.js";

describe("memory quantities", () => {
  for (const [text, bytes] of [["4Gi", 4 * 2 ** 30], ["4GiB", 4 * 2 ** 30], ["4G", 4e9], ["4GB", 4e9], ["512Mi", 512 * 2 ** 20], ["1.5Gi", 1.5 * 2 ** 30], ["1e9", 1e9], ["100k", 1e5], ["2048", 2048]] as const) {
    it(`${text} is ${bytes} bytes`, () => assert.equal(memoryBytes(text, "m"), bytes));
  }
  it("keeps numbers as bytes", () => assert.equal(memoryBytes(1234, "m"), 1234));
  it("spells bytes with the largest binary unit that divides them", () => {
    assert.deepEqual([4 * 2 ** 30, 1.5 * 2 ** 30, 4e9, 1000].map(memoryQuantity), ["4Gi", "1536Mi", "3906250Ki", "1000"]);
  });
  it("refuses milli-bytes, unknown units and nonsense, naming the option", () => {
    assert.throws(() => memoryBytes("100m", "memoryLimit"), /memoryLimit: unknown memory unit "m" in "100m" \(Kubernetes reads "m" as thousandths of a byte\)/);
    assert.throws(() => memoryBytes("4 parsecs", "memoryLimit"), /memoryLimit: unknown memory unit "parsecs"/);
    assert.throws(() => memoryBytes("lots", "memoryLimit"), /memoryLimit: "lots" is not a memory quantity/);
    assert.throws(() => memoryBytes(0, "memoryLimit"), /must be above 0/);
  });
});

describe("CPU quantities", () => {
  it("keeps Kubernetes spellings and counts cores", () => {
    assert.deepEqual([2, 0.5, "500m", "1.5"].map((v) => cpuQuantity(v, "cpu")), ["2", "0.5", "500m", "1.5"]);
    assert.deepEqual(["2", "0.5", "500m", "250m"].map(cpuCores), [2, 0.5, 0.5, 0.25]);
  });
  it("refuses what is not a CPU quantity", () => {
    for (const bad of ["two", "-1", "0", "1Gi", "5 cores"]) assert.throws(() => cpuQuantity(bad, "cpuLimit"), /cpuLimit: .* is not a CPU quantity/);
  });
});
