/**
 * `client.cancel(x)` on what persist() returned, as Dask's `client.cancel(collection)`: its
 * results leave the workers at once. In JavaScript nothing else lets them go until the
 * client's garbage collector finalizes the futures (Dask's `del x`), which on a long-lived
 * cluster can be many rounds of persisted data later. A later use of the cancelled collection
 * says so; anything cancel cannot cancel is refused by name instead of doing nothing. whoHas,
 * replicate and rebalance take the same (Dask's who_has / replicate / rebalance of a collection).
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { CancelledCollectionError, delayed, persist, type Client } from "../../src/index.js";
import * as ta from "../../src/array/index.js";
import * as nd from "../../src/ndarray/index.js";
import { useLocalCluster2x1 } from "../deploy/cluster-2x1.js";

/** How many of `keys` the workers hold, by their own account (hasWhat). */
async function heldOf(client: Client, keys: readonly string[]): Promise<number> {
  const wanted = new Set(keys);
  return Object.values(await client.hasWhat()).flat().filter((key) => wanted.has(key)).length;
}

/** Waits until the workers hold none of `keys` (the release reaches them after cancel resolves); fails after a minute. */
async function untilReleased(client: Client, keys: readonly string[]): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (let held = await heldOf(client, keys); held > 0; held = await heldOf(client, keys)) {
    assert.ok(Date.now() < deadline, `the workers still hold ${held} of the ${keys.length} cancelled keys after a minute`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe("Client.cancel, whoHas, replicate and rebalance on persisted collections", () => {
  const { client } = useLocalCluster2x1();

  it("lets a persisted array's blocks go from both workers and refuses its later use, keeping what was persisted with it", async () => {
    const [x, kept] = await persist(ta.random([1200, 1100], { chunks: [100, 100], seed: 3 }), ta.arange(1000, { chunks: 90 }));
    const keys = (x as ta.Array).blockKeys();
    assert.equal(keys.length, 132, "12 × 11 blocks");
    assert.equal(await heldOf(client(), keys), 132);
    const workersHolding = Object.values(await client().hasWhat()).filter((held) => held.some((key) => keys.includes(key))).length;
    assert.equal(workersHolding, 2, "the persisted blocks are spread over both workers");

    const holders = await client().whoHas(x as ta.Array);
    assert.deepEqual(Object.keys(holders).sort(), [...keys].sort(), "whoHas takes the persisted array, as Dask's who_has(collection)");
    assert.ok(Object.values(holders).every((workers) => workers.length === 1));

    await client().cancel(x as ta.Array);
    await untilReleased(client(), keys);
    await assert.rejects((x as ta.Array).sum().compute(), (error: Error) => error instanceof CancelledCollectionError && error.message.includes((x as ta.Array).name) && /persist the expression it came from again/.test(error.message));
    await assert.rejects((x as ta.Array).add(1).mean().compute(), CancelledCollectionError, "an array made from the cancelled one");
    assert.equal(Number((await (kept as ta.Array).sum().compute()).item()), 499_500, "persisted in the same call, not cancelled");
    assert.equal(await heldOf(client(), (kept as ta.Array).blockKeys()), 12);
  });

  it("cancels a persisted Delayed and a list mixing futures and collections", async () => {
    const [value] = await persist(delayed((n: number) => nd.full([n], n))(4));
    const future = client().submit((a: number) => a * 2, 21);
    assert.equal(await future.result(), 42);
    const array = (await ta.ones([40], { chunks: 10 }).persist());
    await client().cancel([future, value, array]);
    await untilReleased(client(), [future.key, ...array.blockKeys()]);
    await assert.rejects((value as { compute(): Promise<unknown> }).compute(), CancelledCollectionError);
    await assert.rejects(future.result(), /cancelled/);
  });

  it("replicates and rebalances a persisted array as Dask's replicate(collection) does", async () => {
    const x = await ta.arange(2400, { chunks: 100 }).persist();
    const keys = x.blockKeys();
    const replicas = await client().replicate(x, { n: 2 });
    assert.deepEqual(Object.keys(replicas).sort(), [...keys].sort());
    const holders = await client().whoHas(x);
    assert.ok(keys.every((key) => holders[key].length === 2), "each of the 24 blocks on both workers");
    await client().rebalance(x);
    assert.equal(Number((await x.sum().compute()).item()), 2_878_800);
    await assert.rejects(client().replicate(ta.arange(10, { chunks: 5 })), /Client\.replicate takes futures or what persist\(\) returned .*got a LazyArray/);
    await client().cancel(x);
  });

  it("refuses what it cannot cancel, naming it, and cancels nothing then", async () => {
    const persisted = await ta.ones([30], { chunks: 10 }).persist();
    await assert.rejects(client().cancel(ta.ones([30], { chunks: 10 })), /Client\.cancel takes futures or what persist\(\) returned .*got a LazyArray: an array or Delayed that was not persisted holds nothing/);
    await assert.rejects(client().cancel([persisted, 7 as never]), /Client\.cancel takes futures .*got 7 at position 1/);
    await assert.rejects(client().whoHas([persisted.blockKeys()[0] as never]), /Client\.whoHas takes futures or what persist\(\) returned .* at position 0/, "a key name is not a future (the scheduler answered 'Required at keys.0')");
    assert.equal(Number((await persisted.sum().compute()).item()), 30, "the valid item of a refused list was not cancelled");
  });
});
