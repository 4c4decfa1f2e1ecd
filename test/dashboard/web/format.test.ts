/**
 * The dashboard's numbers as people read them (src/dashboard/web/format.ts, run in the
 * browser): units that step at 1024, durations that never show "60 s" or lose their sign,
 * and a dash for what is not a number.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { formatAgo, formatBytes, formatCount, formatPercent, formatSeconds } from "../../../src/dashboard/web/format.js";

describe("dashboard number formats", () => {
  it("bytes step at 1024 with 3 significant digits, keep the sign, and show a dash for NaN", () => {
    assert.equal(formatBytes(0), "0 B");
    assert.equal(formatBytes(1023), "1023 B");
    assert.equal(formatBytes(1024), "1.00 KiB");
    assert.equal(formatBytes(15.5 * 2 ** 20), "15.5 MiB");
    assert.equal(formatBytes(300 * 2 ** 30), "300 GiB");
    assert.equal(formatBytes(-2048), "-2.00 KiB");
    assert.equal(formatBytes(2 ** 70), "1048576 PiB");
    assert.equal(formatBytes(Number.NaN), "–");
  });

  it("durations from microseconds to hours, rounded before they are split", () => {
    assert.equal(formatSeconds(0.0000425), "43 µs");
    assert.equal(formatSeconds(0.00525), "5.25 ms");
    assert.equal(formatSeconds(0.25), "250.0 ms");
    assert.equal(formatSeconds(3.14159), "3.14 s");
    assert.equal(formatSeconds(42.42), "42.4 s");
    assert.equal(formatSeconds(59.97), "1 min 0 s");
    assert.equal(formatSeconds(90), "1 min 30 s");
    assert.equal(formatSeconds(3599.6), "1 h 0 min");
    assert.equal(formatSeconds(7260), "2 h 1 min");
    assert.equal(formatSeconds(-90), "-1 min 30 s");
    assert.equal(formatSeconds(Number.POSITIVE_INFINITY), "–");
  });

  it("percentages, counts and ages", () => {
    assert.equal(formatPercent(5.55), "5.5 %");
    assert.equal(formatPercent(99.6), "100 %");
    assert.equal(formatPercent(Number.NaN), "–");
    assert.equal(formatCount(1234567.4), "1,234,567");
    assert.equal(formatCount(Number.NaN), "–");
    assert.equal(formatAgo(1000, 1000.5), "now");
    assert.equal(formatAgo(1000, 1012.4), "12 s ago");
    assert.equal(formatAgo(1000, 1000 + 125.2), "2 min 5 s ago");
    assert.equal(formatAgo(1000, 1000 + 3600 * 3), "3 h 0 min ago");
    assert.equal(formatAgo(2000, 1000), "now", "a time in the future reads as now");
  });
});
