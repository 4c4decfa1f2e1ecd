// Differential test of ndimage.rotate against Debian's scipy.ndimage.rotate (1.10): random
// cases (rotate-cases.ts) and every axes pair of a 3-d volume at the angles of interest, bit for
// bit (the geometry reproduces scipy's matrix and offset bits, and each plane runs the
// bit-exact affineTransform); scipy's refusals refused with an error naming the argument.
import { describe, it } from "node:test";
import * as nd from "../../src/ndarray/index.js";
import * as ndimage from "../../src/ndimage/index.js";
import { seededRandom } from "./helpers.js";
import { type DiffCase, differences, fuzzSeed, py, report } from "./differential-harness.js";
import { randomInput } from "./interpolation-cases.js";
import { angles, drawRotateCase } from "./rotate-cases.js";

type Inputs = Record<string, nd.NDArray>;

describe("ndimage.rotate against scipy.ndimage.rotate", () => {
  it("matches random cases bit for bit", async () => {
    const rng = seededRandom(fuzzSeed);
    const inputs: Inputs = {};
    const cases: DiffCase[] = [];
    for (let i = 0; i < 160; i++) {
      const kase = drawRotateCase(rng, inputs, `r${i}`);
      cases.push({ label: kase.label, python: kase.python, run: () => ndimage.rotate(inputs[kase.input], kase.angle, kase.options as never) });
    }
    report(await differences(cases, inputs), "rotate", fuzzSeed);
  });

  it("matches every axes pair of a 3-d volume at every angle of interest, reshape on and off, orders 0, 1 and 3", async () => {
    const rng = seededRandom(fuzzSeed + 1);
    const inputs: Inputs = { v: randomInput(rng, [5, 6, 7], "float64"), u: randomInput(rng, [4, 9, 6], "uint16") };
    const cases: DiffCase[] = [];
    const pairs = [[0, 1], [1, 0], [0, 2], [2, 0], [1, 2], [2, 1], [-1, -3], [1, -1]];
    for (const angle of angles) {
      for (const [k, axes] of pairs.entries()) {
        const input = k % 2 === 0 ? "v" : "u";
        const reshape = (k + Math.round(angle)) % 3 !== 0;
        const order = [0, 1, 3][k % 3];
        const options = { axes, reshape, order };
        cases.push({
          label: `${input} angle ${angle} ${JSON.stringify(options)}`,
          python: `ndi.rotate(${input}, ${py(angle)}, axes=(${axes.join(", ")}), reshape=${py(reshape)}, order=${order})`,
          run: () => ndimage.rotate(inputs[input], angle, options as never),
        });
      }
    }
    report(await differences(cases, inputs), "rotate axes pairs", fuzzSeed);
  });

  it("refuses what scipy refuses, naming the argument", async () => {
    const inputs: Inputs = { a: randomInput(seededRandom(3), [4, 5, 3], "float32"), line: randomInput(seededRandom(4), [6], "float32") };
    const refusals: Array<[string, string, () => unknown, RegExp]> = [
      ["3 axes", "ndi.rotate(a, 30, axes=(0, 1, 2))", () => ndimage.rotate(inputs.a, 30, { axes: [0, 1, 2] as never }), /axes/],
      ["axis out of range", "ndi.rotate(a, 30, axes=(0, 3))", () => ndimage.rotate(inputs.a, 30, { axes: [0, 3] }), /axes/],
      ["negative axis out of range", "ndi.rotate(a, 30, axes=(-4, 1))", () => ndimage.rotate(inputs.a, 30, { axes: [-4, 1] }), /axes/],
      ["fractional axis", "ndi.rotate(a, 30, axes=(0.5, 1))", () => ndimage.rotate(inputs.a, 30, { axes: [0.5, 1] }), /axes/],
      ["1-d input", "ndi.rotate(line, 30)", () => ndimage.rotate(inputs.line, 30), /2 axes/],
      ["order 6", "ndi.rotate(a, 30, order=6)", () => ndimage.rotate(inputs.a, 30, { order: 6 }), /order/],
      ["unknown mode", "ndi.rotate(a, 30, mode='edge')", () => ndimage.rotate(inputs.a, 30, { mode: "edge" as never }), /mode/],
    ];
    const cases: DiffCase[] = refusals.map(([label, python, run, errorNames]) => ({ label, python, run: run as never, errorNames }));
    report(await differences(cases, inputs), "rotate refusals", fuzzSeed);
  });
});
