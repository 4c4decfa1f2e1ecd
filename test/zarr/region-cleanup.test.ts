// When a region write's start removes killed writers' temporary files (src/zarr/region-cleanup.ts):
// once an hour per array, with a memory of the arrays cleaned that stays bounded however many
// arrays a long-running process writes regions of.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { regionCleanupDue, regionCleanupEveryMs, regionCleanupMemoryLimit, regionCleanupsRemembered } from "../../src/zarr/region-cleanup.js";

describe("region writes' cleanup of abandoned temporary files", () => {
  it("is due once an hour per array, and remembers a bounded number of arrays", () => {
    const start = 1_000_000_000_000;
    assert.equal(regionCleanupDue("/data/a.zarr", start), true);
    assert.equal(regionCleanupDue("/data/a.zarr", start + 1), false, "due again at the next write");
    assert.equal(regionCleanupDue("/data/a.zarr", start + regionCleanupEveryMs - 1), false);
    assert.equal(regionCleanupDue("/data/a.zarr", start + regionCleanupEveryMs), true, "not due an hour on");

    // A process writing regions of ever new arrays (one per time point) within the hour.
    const later = start + regionCleanupEveryMs + 1;
    for (let t = 0; t < regionCleanupMemoryLimit + 100; t++) assert.equal(regionCleanupDue(`/data/t${t}.zarr`, later + t), true);
    assert.equal(regionCleanupsRemembered(), regionCleanupMemoryLimit, "the memory grows with every array written");
    assert.equal(regionCleanupDue(`/data/t${regionCleanupMemoryLimit + 99}.zarr`, later + regionCleanupMemoryLimit + 100), false, "the most recent array was forgotten");
    assert.equal(regionCleanupDue("/data/t0.zarr", later + regionCleanupMemoryLimit + 100), true, "the least recent array is cleaned again");

    // An hour after the last of them, what is remembered is only what is not due yet.
    assert.equal(regionCleanupDue("/data/next.zarr", later + regionCleanupMemoryLimit + 100 + regionCleanupEveryMs), true);
    assert.equal(regionCleanupsRemembered(), 1, "arrays an hour past their cleanup are still remembered");
  });
});
