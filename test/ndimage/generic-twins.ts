/**
 * Filter functions for genericFilter and their Python twins for scipy's generic_filter: the same
 * float64 operations in the same order, so results agree bit for bit (Python's sum() of floats
 * adds left to right, as the loops here do). Each TypeScript function is self-contained, so it
 * also travels to workers by its source (ta.ndimage.genericFilter).
 */
import { type Rng, pick, py } from "./filter-differential.js";

export interface Twin {
  name: string;
  ts: (values: Float64Array, ...extra: never[]) => number;
  python: string;
  /** Extra arguments and keywords the pair takes, drawn per case. */
  extra?: (rng: Rng) => { extraArguments?: number[]; extraKeywords?: Record<string, number> };
}

/** Pairs computing the same doubles: Python's sum() of floats adds left to right, as the loops here do. */
export const twins: Twin[] = [
  {
    name: "position-weighted sum",
    ts: (v) => {
      let s = 0;
      for (let k = 0; k < v.length; k++) s += v[k] * (k + 1);
      return s;
    },
    python: "lambda v: sum(x * (k + 1) for k, x in enumerate(v.tolist()))",
  },
  { name: "range", ts: (v) => Math.max(...v) - Math.min(...v) + 0, python: "lambda v: float(v.max() - v.min()) + 0.0" },
  {
    name: "mean",
    ts: (v) => {
      let s = 0;
      for (const x of v) s += x;
      return s / v.length;
    },
    python: "lambda v: sum(v.tolist()) / len(v)",
  },
  {
    name: "count above a threshold",
    ts: ((v: Float64Array, threshold: number) => {
      let count = 0;
      for (const x of v) if (x > threshold) count++;
      return count;
    }) as Twin["ts"],
    python: "lambda v, t: float((v > t).sum())",
    extra: (rng) => ({ extraArguments: [pick(rng, [0, 2.5, -1, 100])] }),
  },
  {
    name: "first and last with arguments and keywords",
    ts: ((v: Float64Array, a: number, kw: { scale: number; shift: number }) => v[0] * a + v[v.length - 1] * kw.scale - kw.shift) as Twin["ts"],
    python: "lambda v, a, scale, shift: v[0] * a + v[-1] * scale - shift",
    extra: (rng) => ({ extraArguments: [pick(rng, [2, -0.5])], extraKeywords: { scale: pick(rng, [3, 0.25]), shift: pick(rng, [0, 1.5, -7]) } }),
  },
];

export function pythonExtra(extra: ReturnType<NonNullable<Twin["extra"]>>): string {
  const parts: string[] = [];
  if (extra.extraArguments) parts.push(`extra_arguments=(${extra.extraArguments.map(py).join(", ")},)`);
  if (extra.extraKeywords) parts.push(`extra_keywords={${Object.entries(extra.extraKeywords).map(([k, v]) => `'${k}': ${py(v)}`).join(", ")}}`);
  return parts.join(", ");
}

