/**
 * Gathering a result that is lost on its worker while being gathered, and recomputed at once:
 * the scheduler answers the client's who-has ("no holder now") and announces the recomputed
 * result (key-in-memory) in the same batch, as it does when both happen in one event-loop
 * turn. The gather must take the key from where it was recomputed, never wait for an
 * announcement that has already come (the hang of spill-corruption.test under load).
 *
 * The scheduler and the worker here are scripted peers (real listeners and connections):
 * the race needs the scheduler's reply and its announcement to share one batch, which a real
 * scheduler does only by chance.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { Listener } from "../../src/comm/listener.js";
import { gatherValues } from "../../src/client/data-transfer.js";
import { FutureState } from "../../src/client/future.js";
import { packPayload } from "../../src/protocol/payload.js";
import { useScriptedPeers, type ScriptedPeers } from "./fixtures/scripted-peers.js";

const key = "block-(0, 1)";

/** A worker that has lost `key` at the first get-data (answering it missing) and holds its recomputed value after. */
async function workerLosingOnce(peers: ScriptedPeers, value: Float64Array): Promise<{ listener: Listener; requests: string[][] }> {
  const requests: string[][] = [];
  const listener = await peers.peer((message, _frames, conn) => {
    if (message.op !== "get-data") return;
    requests.push(message.keys);
    if (requests.length === 1) {
      conn.reply(message.reqId, { data: {}, missing: message.keys });
      return;
    }
    const frames: Uint8Array[] = [];
    conn.reply(message.reqId, { data: { [key]: packPayload(value, frames, "the test value") }, missing: [] }, frames);
  });
  return { listener, requests };
}

/** A scheduler whose reply to who-has (no holder: being recomputed) and key-in-memory (recomputed on `worker`) leave in one batch. */
async function schedulerRecomputingDuringWhoHas(peers: ScriptedPeers, worker: () => string): Promise<{ listener: Listener; whoHasCount: () => number }> {
  let count = 0;
  const listener = await peers.peer((message, _frames, conn) => {
    if (message.op !== "who-has") return;
    count++;
    conn.reply(message.reqId, Object.fromEntries(message.keys.map((k) => [k, []])));
    conn.send({ op: "key-in-memory", key, nbytes: 8 * 4, type: "Float64Array", whoHas: [worker()] });
  });
  return { listener, whoHasCount: () => count };
}

/** Rejects naming `what` when `promise` has not settled within `ms` (a bound on a wait that should end, not a timing check). */
function bounded<T>(promise: Promise<T>, what: string, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not end within ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

describe("gathering a key that is lost and recomputed meanwhile", () => {
  const peers = useScriptedPeers("c".repeat(64));

  it("takes the recomputed value when the scheduler's answer and its announcement arrive together", async () => {
    const value = new Float64Array([1, 3, 5, 7]);
    const worker = await workerLosingOnce(peers, value);
    const scheduler = await schedulerRecomputingDuringWhoHas(peers, () => worker.listener.address);

    const state = new FutureState(key);
    state.finish([worker.listener.address], value.byteLength, "Float64Array");
    // The client's side of the scheduler connection finishes futures on key-in-memory, as SchedulerSession does.
    const schedulerConnection = await peers.connectTo(scheduler.listener.address, (message) => {
      if (message.op === "key-in-memory" && message.key === state.key) state.finish(message.whoHas, message.nbytes, message.type);
    });
    const pool = peers.pool();

    const client = { pool, scheduler: schedulerConnection, refreshSchedulerInfo: () => Promise.reject(new Error("not used by gather")) };
    const [gathered] = await bounded(gatherValues(client, [state]), "the gather (it waits for a key-in-memory that has already come)", 30_000);

    assert.deepEqual(gathered, value);
    assert.deepEqual(worker.requests, [[key], [key]], "asked once, missing; asked again where it was recomputed");
    assert.equal(scheduler.whoHasCount(), 2, "one who-has before the first try, one after the miss");
    assert.equal(state.status, "finished");
  });
});
