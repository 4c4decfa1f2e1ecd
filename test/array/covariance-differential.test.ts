// Seeded differential test of cov and corrcoef: eager nd.cov / nd.corrcoef against NumPy 1.24,
// lazy ta.cov / ta.corrcoef against Dask 2022.12 (chunks exact; dtype and shape exact). Values
// within the rounding error of a dot product: NumPy's and Dask's dot is OpenBLAS's, whose sums
// run in another order than tessera's, so element (i, j) may differ by up to about
// N·ε·‖xᵢ‖·‖xⱼ‖ / fact = N·ε·√(cᵢᵢ·cⱼⱼ) (Higham's bound for a length-N dot product, the
// centred rows xᵢ): the check allows 4·N·ε·√(cᵢᵢ·cⱼⱼ), and NaN / ±inf exactly where NumPy has them.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as ta from "../../src/array/index.js";
import * as nd from "../../src/ndarray/index.js";
import { evaluatePython } from "./python-eval.js";
import { Inputs, integer, numberDtypes, pick, pyBool, randomArray, randomChunks, rngOf, type Rng } from "./differential-inputs.js";

const seed = Number(process.env.DIFFERENTIAL_SEED ?? 20261205);
const count = Number(process.env.DIFFERENTIAL_CASES ?? 80);

interface Case {
  label: string;
  fn: "cov" | "corrcoef";
  observations: number;
  numpy: string;
  dask: string;
  eager: () => nd.NDArray;
  lazy: () => ta.Array;
}

/** Values equal within the dot product's bound (scaled by the diagonal `scale`), specials exact. */
export function assertCloseCovariance(actual: nd.NDArray, expected: nd.NDArray, observations: number, fn: "cov" | "corrcoef", label: string): void {
  assert.equal(actual.dtype, expected.dtype, `${label}: dtype`);
  assert.deepEqual([...actual.shape], [...expected.shape], `${label}: shape`);
  const a = actual.toTypedArray() as Float64Array;
  const b = expected.toTypedArray() as Float64Array;
  const n = actual.shape.length === 2 ? actual.shape[0] : 1;
  const diagonal = (i: number) => Math.abs(fn === "cov" ? b[i * n + i] : 1);
  for (let k = 0; k < b.length; k++) {
    if (!Number.isFinite(b[k])) {
      assert.ok(Object.is(a[k], b[k]) || (Number.isNaN(a[k]) && Number.isNaN(b[k])), `${label}: [${k}] is ${a[k]}, expected ${b[k]}`);
      continue;
    }
    const [i, j] = n === 1 ? [0, 0] : [Math.floor(k / n), k % n];
    const bound = 4 * Math.max(observations, 1) * Number.EPSILON * Math.sqrt(diagonal(i) * diagonal(j)) + 1e-300;
    assert.ok(Math.abs(a[k] - b[k]) <= bound, `${label}: [${k}] is ${a[k]}, expected ${b[k]} (bound ${bound})`);
  }
}

function drawCase(rng: Rng, index: number, inputs: Inputs): Case {
  const dtype = pick(rng, numberDtypes);
  const variables = integer(rng, 1, 5);
  const observations = integer(rng, 2, 60);
  const oneD = variables === 1 && rng() < 0.5;
  const rowvar = rng() < 0.6;
  const shape = oneD ? [observations] : rowvar ? [variables, observations] : [observations, variables];
  const values = randomArray(rng, dtype, shape, { specials: rng() < 0.2, small: rng() < 0.5 });
  const x = inputs.add(values, shape.map((n) => randomChunks(rng, n)));
  const withY = rng() < 0.3;
  const yShape = oneD ? [observations] : rowvar ? [integer(rng, 1, 3), observations] : [observations, integer(rng, 1, 3)];
  const yValues = randomArray(rng, pick(rng, ["float64", "int32", "float32"] as nd.DType[]), yShape, { small: true });
  const y = inputs.add(yValues, yShape.map((n) => randomChunks(rng, n)));
  const fn = rng() < 0.5 ? "cov" : "corrcoef";
  const bias = rng() < 0.3;
  const ddof = rng() < 0.3 ? integer(rng, 0, 3) : undefined;
  const options = fn === "cov" ? { rowvar, bias, ...(ddof === undefined ? {} : { ddof }) } : { rowvar };
  const pyOptions = fn === "cov" ? `rowvar=${pyBool(rowvar)}, bias=${pyBool(bias)}${ddof === undefined ? "" : `, ddof=${ddof}`}` : `rowvar=${pyBool(rowvar)}`;
  const pyY = (spelling: string) => (withY ? `${spelling}, ` : "");
  return {
    label: `c${index}_${fn}_${dtype}_${shape.join("x")}${withY ? "_y" : ""}`,
    fn,
    observations,
    numpy: `np.${fn}(${x.name}, ${pyY(y.name)}${pyOptions})`,
    dask: `da.${fn}(${x.py}, ${pyY(y.py)}${pyOptions})`,
    eager: () => (withY ? nd[fn](values, yValues, options) : nd[fn](values, options)),
    lazy: () => (withY ? ta[fn](x.lazy(), y.lazy(), options) : ta[fn](x.lazy(), options)),
  };
}

describe(`cov and corrcoef against NumPy and Dask (seed ${seed})`, () => {
  it(`${count} random cases: eager within a dot product's rounding of NumPy; lazy of Dask, with Dask's chunks`, async () => {
    const inputs = new Inputs();
    const cases = Array.from({ length: count }, (_, i) => drawCase(rngOf(seed + i), i, inputs));
    const expressions: Record<string, string> = {};
    for (const c of cases) {
      expressions[`${c.label}_np`] = c.numpy;
      expressions[`${c.label}_da`] = c.dask;
    }
    const python = evaluatePython(inputs.arrays, expressions);
    let compared = 0;
    for (const c of cases) {
      const numpy = python[`${c.label}_np`];
      const dask = python[`${c.label}_da`];
      const where = `${c.label} (seed ${seed}: ${c.dask})`;
      // NumPy and Dask differ on rowvar=False with one variable in y: compare each where it answers.
      if (numpy.array) {
        assertCloseCovariance(c.eager(), numpy.array, c.observations, c.fn, `${where}: eager vs NumPy`);
        compared++;
      }
      assert.ok(dask.array, `${where}: Dask refused: ${dask.error}`);
      const lazy = c.lazy();
      assertCloseCovariance(await lazy.compute(), dask.array, c.observations, c.fn, `${where}: lazy vs Dask`);
      assert.deepEqual(lazy.chunks, dask.chunks, `${where}: chunks vs Dask`);
    }
    assert.ok(compared > count / 2, `only ${compared} cases compared with NumPy`);
  });

  it("clips corrcoef to [−1, 1] as NumPy does (Dask does not)", () => {
    // Seed 1: the unclipped ratio of these perfectly correlated rows comes out 1.0000000000000002.
    const x = nd.random([7], { seed: 1 });
    const r = nd.corrcoef(nd.stack([x, nd.add(nd.multiply(x, 3), 0.1)]));
    assert.deepEqual(Array.from(r.toTypedArray() as Float64Array), [1, 1, 1, 1]);
  });

  it("refuses what NumPy refuses and unknown options, by name", () => {
    const x = nd.ones([2, 3, 4]);
    assert.throws(() => nd.cov(x), /cov: m has more than 2 dimensions/);
    assert.throws(() => ta.cov(ta.fromArray(x)), /cov: m has more than 2 dimensions/);
    assert.throws(() => nd.cov(nd.ones([3, 4]), { rowVar: false } as never), /cov: unknown option "rowVar"/);
    assert.throws(() => ta.cov(ta.fromArray(nd.ones([3, 4])), { ddof: 1.5 }), /cov: ddof must be an integer/);
    assert.throws(() => ta.corrcoef(ta.fromArray(nd.ones([3, 4])), { bias: true } as never), /corrcoef: unknown option "bias"/);
    assert.throws(() => nd.cov(nd.ones([3, 4]), nd.ones([2, 5])), /cov: m and y have 4 and 5 observations/);
    assert.throws(() => ta.cov(ta.fromArray(nd.ones([3, 4])), nd.ones([2, 4]) as never), /cov: y must be a chunked array/);
  });
});
