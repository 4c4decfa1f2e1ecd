/**
 * The scheduler orders a graph's new tasks on their linked TaskStates (task-order.ts), not by
 * key maps (issue 10: ordering was a large part of taking in a million-block graph). The
 * priorities must be exactly those graph/order.ts's computeOrder gives the graph's specs, as
 * the scheduler computed them before: checked here on random graphs sent whole and in parts
 * (dependents before their dependencies across parts), with dependencies on tasks already
 * known, re-sent known keys, partial, foreign, repeated and complete output lists, and graphs
 * without dependencies.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { computeOrder, type OrderInput } from "../../../src/graph/order.js";
import type { SubmittedTask } from "../../../src/scheduler/state/events.js";
import { Harness } from "./harness.js";

/** A small deterministic generator (mulberry32). */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const keyStyles = [
  (i: number) => `('x-ab12', ${i % 13}, ${Math.floor(i / 13)})`,
  (i: number) => `sum-3f2a-partial-0-${i % 11}.${Math.floor(i / 11)}`,
  (i: number) => `z-${i * 7}`,
  (i: number) => `load-${i}x`,
];

const spec = (key: string, deps: string[]): SubmittedTask => ({ key, fn: { builtin: "graph.noop" }, args: [], frames: [], deps });

interface Case {
  known: SubmittedTask[];
  graph: SubmittedTask[];
  wanted: string[];
}

/** A random graph over `size` new tasks, some of their dependencies on `known` tasks, some known keys sent again. */
function randomCase(seed: number, size: number): Case {
  const next = random(seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)];
  const style = pick(keyStyles);
  const known = Array.from({ length: 5 }, (_, i) => spec(`known-${seed}-${i}`, []));
  const independent = next() < 0.2;
  const keys = Array.from({ length: size }, (_, i) => style(i + seed * 1000));
  const graph: SubmittedTask[] = [];
  for (let i = 0; i < size; i++) {
    const deps: string[] = [];
    if (!independent) {
      const count = Math.floor(next() * 5);
      for (let d = 0; d < count && i > 0; d++) deps.push(keys[Math.floor(next() * i)]);
      if (next() < 0.1) deps.push(pick(known).key);
    }
    graph.push(spec(keys[i], deps));
  }
  // Dependencies listed in any order (computeOrder sorts them); sometimes a known key sent again.
  for (const task of graph) if (next() < 0.5) task.deps.reverse();
  if (next() < 0.3) graph.splice(Math.floor(next() * graph.length), 0, spec(known[0].key, []));
  const shuffled = [...graph].sort(() => next() - 0.5);
  if (next() < 0.5) graph.splice(0, graph.length, ...shuffled);
  const choice = next();
  const wanted = choice < 0.2 ? [] : choice < 0.4 ? keys.filter(() => next() < 0.1)
    : choice < 0.6 ? [...keys].sort(() => next() - 0.5)
    : [pick(keys), pick(keys), "nobody-has-this", known[1].key, pick(keys)];
  return { known, graph, wanted };
}

/** The priorities (minus the graph's base) computeOrder gives the new tasks of `graph`, as the scheduler used to ask it. */
function expectedOrder(known: ReadonlySet<string>, created: readonly SubmittedTask[], wanted: readonly string[], outputFilter: (key: string) => boolean): Map<string, number> {
  const specs = new Map<string, OrderInput>();
  for (const task of created) if (!known.has(task.key) && !specs.has(task.key)) specs.set(task.key, task);
  return computeOrder(specs, wanted.filter(outputFilter));
}

function ordersOf(harness: Harness, keys: Iterable<string>, base: number): Map<string, number> {
  return new Map([...keys].map((key) => [key, (harness.state.tasks.get(key)?.order ?? NaN) - base]));
}

describe("the order of a graph's new tasks", () => {
  for (let seed = 1; seed <= 60; seed++) {
    const size = 5 + (seed % 7) * 9;
    it(`is computeOrder's for random graph ${seed} (${size} tasks), sent whole and in parts`, () => {
      const { known, graph, wanted } = randomCase(seed, size);
      const knownKeys = new Set(known.map((task) => task.key));

      const whole = new Harness();
      whole.send({ type: "graph-submitted", clientId: "c1", tasks: known, wanted: [], now: 1 });
      const wholeBase = whole.state.nextOrder;
      whole.send({ type: "graph-submitted", clientId: "c1", tasks: graph, wanted, now: 2 });
      // Sent whole: the scheduler's outputs were the wanted keys the message listed, known or new.
      const listed = new Set(graph.map((task) => task.key));
      // The last spec of a key sent twice is the one computeOrder saw (a map of specs by key).
      const lastSpecs = [...new Map(graph.map((task) => [task.key, task])).values()];
      const firstKeys = [...new Set(graph.map((task) => task.key))].filter((key) => !knownKeys.has(key));
      const byFirst = firstKeys.map((key) => lastSpecs.find((task) => task.key === key) as SubmittedTask);
      const wholeExpected = expectedOrder(knownKeys, byFirst, wanted, (key) => listed.has(key));
      assert.deepEqual(ordersOf(whole, wholeExpected.keys(), wholeBase), wholeExpected);

      const parts = new Harness();
      parts.send({ type: "graph-submitted", clientId: "c1", tasks: known, wanted: [], now: 1 });
      const partsBase = parts.state.nextOrder;
      const cut = [0, Math.floor(graph.length / 3), Math.floor((2 * graph.length) / 3), graph.length];
      for (let p = 0; p < 3; p++) parts.send({ type: "graph-part", clientId: "c1", submission: "s", tasks: graph.slice(cut[p], cut[p + 1]), now: 2 });
      parts.send({ type: "graph-completed", clientId: "c1", submission: "s", wanted, now: 3 });
      // Staged: the first spec of a key counts, and the outputs are the graph's new tasks only.
      const first = new Map<string, SubmittedTask>();
      for (const task of graph) if (!first.has(task.key)) first.set(task.key, task);
      const firstSpecs = [...first.values()];
      const created = new Set(firstSpecs.filter((task) => !knownKeys.has(task.key)).map((task) => task.key));
      const partsExpected = expectedOrder(knownKeys, firstSpecs, wanted, (key) => created.has(key));
      assert.deepEqual(ordersOf(parts, partsExpected.keys(), partsBase), partsExpected);
    });
  }

  it("numbers each graph after the ones before it", () => {
    const harness = new Harness();
    harness.submit([{ key: "a-1" }, { key: "a-2", deps: ["a-1"] }], ["a-2"]);
    harness.submit([{ key: "b-1", deps: ["a-2"] }, { key: "b-2", deps: ["b-1"] }], ["b-2"]);
    assert.deepEqual(["a-1", "a-2", "b-1", "b-2"].map((key) => harness.state.tasks.get(key)?.order), [0, 1, 2, 3]);
  });
});
