/**
 * Runs test/fixtures/graph/dask_graph_shape.py (Debian's dask 2022.12) at test time: the
 * shape of Dask's optimised graph for the same expressions the tests lower with tessera.
 */
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { GraphShape } from "../../src/graph/graph-shape.js";

const script = fileURLToPath(new URL("../../../test/fixtures/graph/dask_graph_shape.py", import.meta.url));

export type DaskCase =
  | { kind: "reduce"; op: string; shape: number[]; chunks: number[]; axis?: number | number[] | null; split_every: number | Record<number, number>; source?: "ones" | "random" }
  | { kind: "x-plus-transpose-sum"; shape: number[]; chunks: number[]; split_every: number; source?: "ones" | "random" }
  | { kind: "dog-sum"; shape: number[]; chunks: number[]; depth: number; sigma: [number, number]; split_every: number };

export function daskGraphShapes(cases: readonly DaskCase[]): GraphShape[] {
  const out = execFileSync("/usr/bin/python3", [script, JSON.stringify(cases)], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  return JSON.parse(out.trim().split("\n").pop() as string) as GraphShape[];
}
