/**
 * Independent root tasks (a persist's blocks) go to the workers in contiguous runs of their
 * priority order, as Dask's co-assignment did before queuing, so that neighbouring blocks (a
 * reduction's group) live on one worker; a worker whose run is empty takes from the end of
 * the longest other run, and roots with siblings keep the sibling rule.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Harness } from "./harness.js";

/** Finishes, round after round, the first task each worker processes, in `speeds` turns per worker, until none is left. */
function playUntilDone(h: Harness, keys: readonly string[], turns: Record<string, number>): Map<string, string> {
  const ranOn = new Map<string, string>();
  for (let round = 0; round < 10_000 && ranOn.size < keys.length; round++) {
    for (const [address, n] of Object.entries(turns)) {
      for (let t = 0; t < n; t++) {
        const worker = h.state.workers.get(address);
        const task = worker ? [...worker.processing][0] : undefined;
        if (!task) break;
        ranOn.set(task.key, address);
        h.finish(task.key);
      }
    }
  }
  return ranOn;
}

/** The workers' sequences in priority order, as runs: [worker, length][]. */
function runsInOrder(h: Harness, keys: readonly string[], ranOn: Map<string, string>): Array<[string, number]> {
  const ordered = [...keys].sort((a, b) => (h.state.tasks.get(a)?.order ?? 0) - (h.state.tasks.get(b)?.order ?? 0));
  const runs: Array<[string, number]> = [];
  for (const key of ordered) {
    const worker = ranOn.get(key) as string;
    if (runs.length > 0 && runs[runs.length - 1][0] === worker) runs[runs.length - 1][1]++;
    else runs.push([worker, 1]);
  }
  return runs;
}

describe("contiguous runs of independent root tasks", () => {
  it("hands a persist's 256 blocks to 2 workers as two contiguous halves", () => {
    const h = new Harness();
    h.addWorker("a");
    h.addWorker("b");
    const keys = Array.from({ length: 256 }, (_, i) => `x-${Math.floor(i / 16)}.${i % 16}`);
    h.submit(keys.map((key) => ({ key })), keys);
    // Tasks handed out leave the runs at once (not when the queue empties).
    for (let i = 0; i < 50; i++) for (const address of ["a", "b"]) h.finish([...(h.state.workers.get(address)?.processing ?? [])][0].key);
    assert.ok(h.state.rootRuns.queuedInRuns <= h.state.queued.size, `runs hold ${h.state.rootRuns.queuedInRuns}, ${h.state.queued.size} queued`);
    const ranOn = playUntilDone(h, keys, { a: 1, b: 1 });
    for (const task of h.state.tasks.values()) if (task.status === "memory" && !ranOn.has(task.key)) ranOn.set(task.key, [...task.whoHas][0].address);
    assert.equal(ranOn.size, 256);
    const runs = runsInOrder(h, keys, ranOn);
    assert.equal(runs.length, 2, `runs ${JSON.stringify(runs)}`);
    for (const [, length] of runs) assert.ok(length >= 120, `runs ${JSON.stringify(runs)}`);
    // Each 4 × 4 group of the 16 × 16 grid (a reduction's first level) lives on one worker.
    for (let gi = 0; gi < 4; gi++) {
      for (let gj = 0; gj < 4; gj++) {
        const holders = new Set<string>();
        for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) holders.add(ranOn.get(`x-${gi * 4 + i}.${gj * 4 + j}`) as string);
        assert.equal(holders.size, 1, `group ${gi}.${gj} on ${[...holders].join(", ")}`);
      }
    }
  });

  it("keeps both workers busy: an idle worker whose run is done takes from the end of the other's", () => {
    const h = new Harness();
    h.addWorker("fast");
    h.addWorker("slow");
    const keys = Array.from({ length: 64 }, (_, i) => `y-${i}`);
    h.submit(keys.map((key) => ({ key })), keys);
    // The fast worker finishes three tasks per task of the slow one.
    const ranOn = playUntilDone(h, keys, { fast: 3, slow: 1 });
    const counts = { fast: 0, slow: 0 } as Record<string, number>;
    for (const worker of ranOn.values()) counts[worker]++;
    assert.ok(counts.fast >= 40, `fast ran ${counts.fast}, slow ${counts.slow}`);
    // Still runs, not interleaving: the fast worker's run, then the slow one's, then the tail it took back.
    const runs = runsInOrder(h, keys, ranOn);
    assert.ok(runs.length <= 3, `runs ${JSON.stringify(runs)}`);
    assert.equal(runs[runs.length - 1][0], "fast", `runs ${JSON.stringify(runs)}`);
  });

  it("leaves roots with siblings to the sibling rule: pairs far apart in priority meet on one worker", () => {
    const h = new Harness();
    h.addWorker("a");
    h.addWorker("b");
    // x-i and x-(i + 32) are read together by pair-i but 32 places apart in priority (each
    // also has a dependent of its own, one-i, ordered first): contiguous runs would split
    // every pair over the two workers.
    const m = 64;
    const tasks: Array<{ key: string; deps?: string[] }> = [];
    const wanted: string[] = [];
    for (let i = 0; i < m; i++) tasks.push({ key: `x-${i}` });
    for (let i = 0; i < m; i++) {
      tasks.push({ key: `one-${i}`, deps: [`x-${i}`] });
      wanted.push(`one-${i}`);
    }
    for (let i = 0; i < m / 2; i++) {
      tasks.push({ key: `pair-${i}`, deps: [`x-${i}`, `x-${i + m / 2}`] });
      wanted.push(`pair-${i}`);
    }
    h.submit(tasks, wanted);
    const order = (key: string) => h.state.tasks.get(key)?.order ?? 0;
    assert.ok(order("x-32") - order("x-0") >= 32, "the pair's blocks are far apart in priority");
    const bigBlock = 2 * 1024 * 1024;
    const ranOn = new Map<string, string>();
    for (let round = 0; round < 1000 && ranOn.size < tasks.length; round++) {
      for (const address of ["a", "b"]) {
        const task = [...(h.state.workers.get(address)?.processing ?? [])][0];
        if (!task) continue;
        ranOn.set(task.key, address);
        h.finish(task.key, task.key.startsWith("x-") ? bigBlock : 8);
      }
    }
    assert.equal(ranOn.size, tasks.length);
    let split = 0;
    for (let i = 0; i < m / 2; i++) if (ranOn.get(`x-${i}`) !== ranOn.get(`x-${i + m / 2}`)) split++;
    assert.ok(split <= 2, `${split} of ${m / 2} pairs split over the workers`);
    assert.equal(new Set(ranOn.values()).size, 2, "both workers ran blocks");
  });

  it("hands an urgent root out at once during a large persist without cutting the queue again", () => {
    const h = new Harness();
    h.addWorker("a");
    h.addWorker("b");
    const keys = Array.from({ length: 20_000 }, (_, i) => `big-${i}`);
    h.submit(keys.map((key) => ({ key })), keys);
    const afterFirstCut = h.state.rootRuns.cutWork;
    assert.ok(afterFirstCut >= keys.length, `first cut looked at ${afterFirstCut}`);
    for (let i = 0; i < 50; i++) {
      h.submit([{ key: `urgent-${i}`, priority: 10 }], [`urgent-${i}`]);
      h.finish([...(h.state.workers.get("a")?.processing ?? [])][0].key);
      assert.equal(h.status(`urgent-${i}`), "processing", `urgent-${i} waits behind the persist`);
      h.finish(`urgent-${i}`);
    }
    // Each urgent root went out the normal way: no new cut of the 20 000 still queued.
    assert.ok(h.state.rootRuns.cutWork - afterFirstCut <= 100, `cuts looked at ${h.state.rootRuns.cutWork - afterFirstCut} more tasks`);
    // And the persist's runs went on where they were: a's tasks are still one run.
    const ranOn = playUntilDone(h, keys, { a: 1, b: 1 });
    const runs = runsInOrder(h, keys.filter((key) => ranOn.has(key)), ranOn);
    assert.ok(runs.length <= 3, `runs ${JSON.stringify(runs.slice(0, 10))}`);
  });

  it("hands the tasks of a worker that died out next, in the queue's order", () => {
    const h = new Harness();
    h.addWorker("a");
    h.addWorker("b");
    h.addWorker("c");
    const keys = Array.from({ length: 266 }, (_, i) => `p-${i}`);
    h.submit(keys.map((key) => ({ key })), keys);
    for (let round = 0; round < 10; round++) {
      for (const address of ["a", "b", "c"]) h.finish([...(h.state.workers.get(address)?.processing ?? [])][0].key);
    }
    // What c ran and what it was running: all computed again.
    const c = h.state.workers.get("c");
    const lost = [...(c?.processing ?? []), ...(c?.hasWhat ?? [])].map((task) => task.key);
    assert.ok(lost.length >= 10, `c lost ${lost.length}`);
    h.kill("c");
    for (const key of lost) assert.equal(h.status(key), "queued");
    // The next tasks handed out are the lost ones, in priority order (not after every run).
    const handedOut: string[] = [];
    for (let round = 0; handedOut.length < lost.length && round < 20; round++) {
      for (const address of ["a", "b"]) {
        const from = h.log.length;
        h.finish([...(h.state.workers.get(address)?.processing ?? [])][0].key);
        for (const message of [...h.workerMessages("a", "compute-task", from), ...h.workerMessages("b", "compute-task", from)]) handedOut.push(message.key as string);
      }
    }
    const byOrder = (keys: readonly string[]): string[] => [...keys].sort((x, y) => (h.state.tasks.get(x)?.order ?? 0) - (h.state.tasks.get(y)?.order ?? 0));
    assert.deepEqual(handedOut.slice(0, lost.length), byOrder(lost), `handed out ${handedOut.join(", ")}`);
  });

  it("gives workers that join after the cut contiguous runs of their own", () => {
    const h = new Harness();
    h.addWorker("a");
    const keys = Array.from({ length: 256 }, (_, i) => `x-${Math.floor(i / 16)}.${i % 16}`);
    h.submit(keys.map((key) => ({ key })), keys);
    for (const address of ["b", "c", "d"]) h.addWorker(address);
    const ranOn = playUntilDone(h, keys, { a: 1, b: 1, c: 1, d: 1 });
    assert.equal(ranOn.size, 256);
    let whole = 0;
    for (let gi = 0; gi < 4; gi++) {
      for (let gj = 0; gj < 4; gj++) {
        const holders = new Set<string>();
        for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) holders.add(ranOn.get(`x-${gi * 4 + i}.${gj * 4 + j}`) as string);
        if (holders.size === 1) whole++;
      }
    }
    const runs = runsInOrder(h, keys, ranOn);
    assert.ok(whole >= 12, `${whole} of 16 groups on one worker; runs ${JSON.stringify(runs)}`);
    assert.ok(runs.length <= 8, `runs ${JSON.stringify(runs)}`);
  });

  it("lists the running workers only to cut runs, not for every task taken", () => {
    const h = new Harness();
    for (const address of ["a", "b", "c", "d"]) h.addWorker(address);
    let listed = 0;
    const runningWorkers = h.state.runningWorkers.bind(h.state);
    h.state.runningWorkers = () => {
      listed++;
      return runningWorkers();
    };
    const keys = Array.from({ length: 2000 }, (_, i) => `z-${i}`);
    h.submit(keys.map((key) => ({ key })), keys);
    const ranOn = playUntilDone(h, keys, { a: 1, b: 1, c: 1, d: 1 });
    assert.equal(ranOn.size, keys.length);
    assert.ok(listed <= 20, `the running workers were listed ${listed} times for ${keys.length} tasks`);
  });
});

