// Differential test of genericFilter and genericFilter1d against scipy 1.10's generic_filter and
// generic_filter1d, bit for bit: TypeScript functions and their Python twins (the same float64
// operations in the same order) over seeded random 1–3-d inputs of every filter dtype, sizes and
// footprints (sparse, off-centre, wider than the array), origins, every mode, cval, output
// dtypes, extra arguments and keywords. A function weighting each value by its position shows
// the footprint order; the output casts show how the returned double is stored.
import { describe, it } from "node:test";
import * as ndimage from "../../src/ndimage/index.js";
import type * as nd from "../../src/ndarray/index.js";
import {
  type FilterCase, type Rng, allModes, differences, drawCval, drawFootprint, drawInput, drawOrigin, drawOutput, fuzzSeed, integer, kwargs, maybe, pick,
  report, rngOf,
} from "./filter-differential.js";
import { pythonExtra, twins } from "./generic-twins.js";

const gridShape = (grid: unknown): number[] => (Array.isArray(grid) ? [grid.length, ...gridShape(grid[0])] : []);

function drawWindow(rng: Rng, ndim: number): Record<string, unknown> {
  if (rng() < 0.5) {
    const sizes = Array.from({ length: ndim }, () => integer(rng, 1, 4));
    const scalar = rng() < 0.4;
    return { size: scalar ? sizes[0] : sizes, origin: maybe(rng, 0.5, () => (scalar ? drawOrigin(rng, sizes[0]) : sizes.map((s) => drawOrigin(rng, s)))) };
  }
  const footprint = drawFootprint(rng, ndim);
  return { footprint, origin: maybe(rng, 0.5, () => gridShape(footprint).map((s) => drawOrigin(rng, s))) };
}

function genericCase(rng: Rng, inputs: Record<string, nd.NDArray>, label: string): FilterCase {
  const [name, x] = drawInput(rng, inputs);
  const twin = pick(rng, twins);
  const extra = twin.extra?.(rng) ?? {};
  const options: Record<string, unknown> = {
    ...drawWindow(rng, x.ndim),
    mode: maybe(rng, 0.8, () => pick(rng, allModes)),
    cval: maybe(rng, 0.5, () => drawCval(rng)),
    output: drawOutput(rng),
  };
  return {
    label: `${label} ${twin.name} ${x.dtype}[${x.shape}] ${JSON.stringify(options)} ${JSON.stringify(extra)}`,
    run: () => ndimage.genericFilter(x, twin.ts, { ...options, ...extra }),
    python: `ndi.generic_filter(${[name, twin.python, kwargs(options), pythonExtra(extra)].filter(Boolean).join(", ")})`,
    // scipy refuses an empty footprint deep inside (a zero-size buffer); tessera says so first.
    refusalAllowed: /footprint has no true cell/,
  };
}

interface LineTwin {
  name: string;
  ts: (inputLine: Float64Array, outputLine: Float64Array, ...extra: never[]) => void;
  python: string;
  extra?: (rng: Rng) => { extraArguments?: number[]; extraKeywords?: Record<string, number> };
}

/** Each output reads the extended line's first, last and middle cells of its window, so every extension cell shows. */
const lineTwins: LineTwin[] = [
  {
    name: "window ends",
    ts: (i, o) => {
      const s = i.length - o.length;
      for (let k = 0; k < o.length; k++) o[k] = i[k] + 10 * i[k + s] + 100 * i[k + (s >> 1)];
    },
    python: "lambda i, o: o.__setitem__(slice(None), i[:len(o)] + 10 * i[len(i) - len(o):] + 100 * i[(len(i) - len(o)) // 2:][:len(o)])",
  },
  {
    name: "weighted window with arguments and keywords",
    ts: ((i: Float64Array, o: Float64Array, w: number, kw: { shift: number }) => {
      for (let k = 0; k < o.length; k++) {
        let s = 0;
        for (let j = 0; j <= i.length - o.length; j++) s += i[k + j] * (j + w);
        o[k] = s - kw.shift;
      }
    }) as LineTwin["ts"],
    python: "lambda i, o, w, shift: o.__setitem__(slice(None), [sum(i[k + j] * (j + w) for j in range(len(i) - len(o) + 1)) - shift for k in range(len(o))])",
    extra: (rng) => ({ extraArguments: [pick(rng, [1, -0.5])], extraKeywords: { shift: pick(rng, [0, 2.25]) } }),
  },
];

function generic1dCase(rng: Rng, inputs: Record<string, nd.NDArray>, label: string): FilterCase {
  const [name, x] = drawInput(rng, inputs);
  const twin = pick(rng, lineTwins);
  const extra = twin.extra?.(rng) ?? {};
  const size = integer(rng, 1, 7);
  const options: Record<string, unknown> = {
    axis: maybe(rng, 0.7, () => integer(rng, -x.ndim, x.ndim - 1)),
    origin: maybe(rng, 0.5, () => drawOrigin(rng, size)),
    mode: maybe(rng, 0.8, () => pick(rng, allModes)),
    cval: maybe(rng, 0.5, () => drawCval(rng)),
    output: drawOutput(rng),
  };
  return {
    label: `${label} ${twin.name} ${x.dtype}[${x.shape}] size ${size} ${JSON.stringify(options)} ${JSON.stringify(extra)}`,
    run: () => ndimage.genericFilter1d(x, twin.ts, size, { ...options, ...extra }),
    python: `ndi.generic_filter1d(${[name, twin.python, String(size), kwargs(options), pythonExtra(extra)].filter(Boolean).join(", ")})`,
  };
}

describe("genericFilter and genericFilter1d against scipy 1.10 (seeded differential, bit for bit)", () => {
  it("generic_filter: functions of the footprint's values, sizes, footprints, origins, modes, cval, output dtypes, extra arguments", async () => {
    const rng = rngOf(fuzzSeed + 40);
    const inputs: Record<string, nd.NDArray> = {};
    const cases: FilterCase[] = [];
    for (let i = 0; i < 200; i++) cases.push(genericCase(rng, inputs, `g${i}`));
    report(await differences(cases, inputs), "generic_filter", fuzzSeed + 40);
  });

  it("generic_filter1d: functions of the extended line, axes, sizes, origins, modes, cval, output dtypes, extra arguments", async () => {
    const rng = rngOf(fuzzSeed + 41);
    const inputs: Record<string, nd.NDArray> = {};
    const cases: FilterCase[] = [];
    for (let i = 0; i < 120; i++) cases.push(generic1dCase(rng, inputs, `l${i}`));
    report(await differences(cases, inputs), "generic_filter1d", fuzzSeed + 41);
  });
});
