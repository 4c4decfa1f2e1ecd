import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { formatBytes, formatClock, parseBytes, parseDuration } from "../../src/core/units.js";
import { InvalidOptionError } from "../../src/core/errors.js";

describe("parseBytes", () => {
  const table: Array<[string | number, number]> = [
    ["128GB", 128e9], ["2GiB", 2 ** 31], ["1e6 kB", 1e9], ["4 GiB", 4 * 2 ** 30], ["12", 12],
    ["512MiB", 512 * 2 ** 20], ["1.5k", 1500], ["10Mi", 10 * 2 ** 20], [42, 42], ["3TB", 3e12],
  ];
  for (const [input, bytes] of table) {
    it(`reads ${JSON.stringify(input)} as ${bytes} bytes`, () => assert.equal(parseBytes(input), bytes));
  }
  for (const bad of ["", "GB", "12 parsecs", "-5GB", "1..2GB"]) {
    it(`refuses ${JSON.stringify(bad)} with an error naming the value`, () => {
      assert.throws(() => parseBytes(bad, "memory"), (e: Error) => e instanceof InvalidOptionError && e.message.includes(`"${bad}"`) && e.message.startsWith("memory"));
    });
  }
});

describe("formatBytes", () => {
  it("writes Dask's binary format", () => {
    assert.equal(formatBytes(128e9 / 6), "19.87 GiB");
    assert.equal(formatBytes(28e9 / 4), "6.52 GiB");
    assert.equal(formatBytes(2 ** 31), "2.00 GiB");
    assert.equal(formatBytes(12), "12 B");
  });
});

describe("parseDuration", () => {
  const table: Array<[string | number, number]> = [
    ["60s", 60], ["5m", 300], ["1h", 3600], ["100ms", 0.1], ["02:00:00", 7200], ["1-00:00:00", 86400],
    ["30:00", 1800], [12, 12], ["1.5h", 5400], ["3600", 3600],
  ];
  for (const [input, seconds] of table) {
    it(`reads ${JSON.stringify(input)} as ${seconds} s`, () => assert.equal(parseDuration(input), seconds));
  }
  it("refuses nonsense with the value in the message", () => {
    assert.throws(() => parseDuration("soon", "walltime"), /walltime: cannot parse "soon"/);
  });
  it("formats clocks", () => assert.equal(formatClock(7200), "02:00:00"));
});
