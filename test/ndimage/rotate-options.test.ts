// ndimage.rotate's own refusals (where scipy would accept nonsense or ignore an option) and
// the geometry against scipy.special.cosdg/sindg and NumPy's matmul, bit for bit.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as ndimage from "../../src/ndimage/index.js";
import { cosDegrees, sinDegrees } from "../../src/ndimage/degree-trig.js";
import { rotationGeometry } from "../../src/ndimage/rotation-geometry.js";
import { assertInvalidOption, randomArray, seededRandom } from "./helpers.js";

const volume = randomArray([4, 5, 6], "float64", seededRandom(2));

describe("ndimage.rotate options", () => {
  it("refuses unknown options, a repeated axis, non-finite angles and a bad reshape, naming them", () => {
    assertInvalidOption(() => ndimage.rotate(volume, 10, { axis: [0, 1] } as never), "axis");
    assertInvalidOption(() => ndimage.rotate(volume, 10, { axes: [1, 1] }), "axes");
    assertInvalidOption(() => ndimage.rotate(volume, 10, { axes: [0, -3] }), "axes");
    assertInvalidOption(() => ndimage.rotate(volume, Number.NaN), "angle");
    assertInvalidOption(() => ndimage.rotate(volume, Number.POSITIVE_INFINITY), "angle");
    assertInvalidOption(() => ndimage.rotate(volume, "30" as never), "angle");
    assertInvalidOption(() => ndimage.rotate(volume, 30, { reshape: 1 } as never), "reshape");
    assertInvalidOption(() => ndimage.rotate(volume, 30, { outputRegion: { start: [0, 0, 0], stop: [1, 1, 1] } } as never), "outputRegion");
  });

  it("rotates by multiples of 90° exactly (sin and cos are exactly 0 and ±1)", () => {
    for (const angle of [90, 180, 270, -90, 360, 450, -720]) {
      const geometry = rotationGeometry([5, 7], angle, [0, 1], true);
      for (const value of geometry.matrix.flat()) assert.ok(value === 0 || Math.abs(value) === 1, `angle ${angle}: ${value}`);
    }
    assert.deepEqual(rotationGeometry([5, 7], 90, [0, 1], true).outputShape, [7, 5]);
  });

  it("builds scipy's cosdg, sindg, output plane and offset bit for bit", () => {
    const rng = seededRandom(5);
    const cases = Array.from({ length: 1500 }, (_, i) => [
      i < 12 ? [0, 90, 180, -30, 45.5, 360, 405, -720.25, 1e6 + 0.3, 1e-9, 89.99999, -1e15][i] : Math.round((rng() * 1440 - 720) * 1000) / 1000,
      1 + Math.floor(rng() * 300), 1 + Math.floor(rng() * 300), rng() < 0.8,
    ] as [number, number, number, boolean]);
    const script = [
      "import json, sys, numpy as np", "from scipy import special", "out = []",
      "for angle, iy, ix, reshape in json.load(sys.stdin):",
      "    c, s = special.cosdg(angle), special.sindg(angle)",
      "    r = np.array([[c, s], [-s, c]]); ips = np.asarray([iy, ix])",
      "    ops = (r @ [[0, 0, iy, iy], [0, ix, 0, ix]]).ptp(axis=1) + 0.5 if reshape else ips",
      "    ops = np.asarray(ops).astype(int); off = (ips - 1) / 2 - r @ ((ops - 1) / 2)",
      "    out.append([c.hex(), s.hex(), int(ops[0]), int(ops[1]), off[0].hex(), off[1].hex()])",
      "print(json.dumps(out))",
    ].join("\n");
    const expected = JSON.parse(execFileSync("/usr/bin/python3", ["-c", script], { input: JSON.stringify(cases) }).toString()) as Array<[string, string, number, number, string, string]>;
    const fromHex = (hex: string): number => {
      const m = /^(-?)0x([01])\.([0-9a-f]*)p([+-]\d+)$/.exec(hex) as RegExpExecArray;
      const fraction = m[3] === "" ? 0 : Number(BigInt(`0x${m[3]}`)) / 16 ** m[3].length;
      return (m[1] === "-" ? -1 : 1) * (Number(m[2]) + fraction) * 2 ** Number(m[4]);
    };
    const problems: string[] = [];
    cases.forEach(([angle, iy, ix, reshape], k) => {
      const [c, s, o0, o1, f0, f1] = expected[k];
      const geometry = rotationGeometry([iy, ix], angle, [0, 1], reshape);
      const got = [cosDegrees(angle), sinDegrees(angle), geometry.outputShape[0], geometry.outputShape[1], geometry.offset[0], geometry.offset[1]];
      const want = [fromHex(c), fromHex(s), o0, o1, fromHex(f0), fromHex(f1)];
      got.forEach((value, i) => {
        if (!Object.is(value, want[i])) problems.push(`angle ${angle} plane [${iy}, ${ix}] reshape ${reshape}: item ${i} is ${value}, scipy ${want[i]}`);
      });
    });
    assert.deepEqual(problems.slice(0, 10), []);
  });
});
