/**
 * The Client's and the Future's methods, and `wait`, refuse arguments beyond their own
 * (src/client/method-parameters.ts): Dask's keywords written as an options object where a
 * method takes none (`client.uploadFile(path, { load: false })`, `client.close({ timeout: 10 })`,
 * `client.getDataset(name, { default: 0 })`) ran with the defaults. Every public method is
 * either in the table or takes any number of arguments, so a new method cannot slip past. A
 * timeout that is not a number or a duration string is refused by name, also when the result
 * is already in.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client, LocalCluster, wait, type Future } from "../../src/index.js";
import { InvalidOptionError } from "../../src/core/errors.js";
import { clientMethodParameters, futureMethodParameters } from "../../src/client/method-parameters.js";

function inc(x: number): number {
  return x + 1;
}

/** Methods whose arguments go to the user's function, or are keys: any number is theirs. */
const variadic = new Set(["submit", "map", "run", "runOnScheduler", "story"]);
/** Methods the array and delayed layers and the futures call, not the user. */
const internal = new Set(["handleReleased", "releaseKey", "cancelKeys", "fetchResult", "submitSpecs", "holds", "holders", "adoptFuture", "onSchedulerMessage"]);

function publicMethods(prototype: object): string[] {
  return Object.getOwnPropertyNames(prototype).filter((name) => {
    const descriptor = Object.getOwnPropertyDescriptor(prototype, name);
    return name !== "constructor" && typeof descriptor?.value === "function";
  });
}

/** Calls `target[name](...args)` as plain JavaScript would (TypeScript refuses the extra argument at compile time). */
const callAsJavaScript = (target: object, name: string, ...args: unknown[]): unknown => Reflect.apply((target as Record<string, (...a: unknown[]) => unknown>)[name], target, args);

const refusal = (label: string, count: number) => (error: Error) => {
  assert.ok(error instanceof InvalidOptionError, `${label}: ${error.name}: ${error.message}`);
  assert.match(error.message, new RegExp(`^${label.replace(/[.()]/g, "\\$&")}\\(.*\\) takes ${count === 0 ? "no arguments" : `at most ${count} argument`}`), error.message);
  assert.match(error.message, /got also an object with \["extra"\], which it would ignore/);
  return true;
};

describe("Client and Future methods refuse arguments they would ignore", () => {
  let cluster: LocalCluster;
  let client: Client;
  let future: Future<number>;
  let directory: string;
  before(async () => {
    cluster = await LocalCluster.start({ nWorkers: 1, threadsPerWorker: 1, dashboardAddress: false, processes: false });
    client = await Client.connect(cluster, { setAsDefault: false });
    future = client.submit(inc, 1) as Future<number>;
    await future.result();
    directory = mkdtempSync(join(tmpdir(), "tessera-method-arguments-"));
  });
  after(async () => {
    await client?.close();
    await cluster?.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it("lists every public method of Client and Future, or knows it takes any number of arguments", () => {
    const unlisted = publicMethods(Client.prototype).filter((name) => !(name in clientMethodParameters) && !variadic.has(name) && !internal.has(name));
    assert.deepEqual(unlisted, [], "Client methods in neither list");
    const futureUnlisted = publicMethods(Object.getPrototypeOf(future) as object).filter((name) => !(name in futureMethodParameters) && name !== "toString");
    assert.deepEqual(futureUnlisted, [], "Future methods not listed");
  });

  it("refuses one argument too many on every listed Client method, before it does anything", async () => {
    const tasks = cluster.scheduler.state.tasks.size;
    for (const [name, params] of Object.entries(clientMethodParameters)) {
      const method = (client as unknown as Record<string, (...args: unknown[]) => unknown>)[name];
      const call = () => method.call(client, ...params.map(() => undefined), { extra: 1 });
      // Async methods reject; the others throw.
      await assert.rejects(async () => call(), refusal(`client.${name}`, params.length), name);
    }
    assert.equal(cluster.scheduler.state.tasks.size, tasks, "nothing reached the scheduler");
  });

  it("refuses one argument too many on every Future method and on wait", async () => {
    for (const [name, params] of Object.entries(futureMethodParameters)) {
      const method = (future as unknown as Record<string, (...args: unknown[]) => unknown>)[name];
      await assert.rejects(async () => method.call(future, ...params.map(() => undefined), { extra: 1 }), refusal(`future.${name}`, params.length), name);
    }
    await assert.rejects(async () => Reflect.apply(wait, undefined, [[future], {}, { extra: 1 }]), refusal("wait", 2));
    assert.equal(future.status, "finished", "the refused cancel did not cancel");
  });

  it("refuses what users write from Dask, naming it, and still runs the calls as written", async () => {
    const file = join(directory, "helper.mjs");
    writeFileSync(file, "export const value = 1;\n");
    await assert.rejects(async () => callAsJavaScript(client, "uploadFile", file, { load: false }), /client\.uploadFile\(path\) takes at most 1 argument; got also an object with \["load"\]/);
    await assert.rejects(async () => callAsJavaScript(client, "getDataset", "missing", { default: 0 }, { timeout: 5 }), /client\.getDataset\(name, options\) takes at most 2 arguments; got also an object with \["timeout"\]/);
    await assert.rejects(async () => callAsJavaScript(client, "close", { timeout: 10 }), /client\.close\(\) takes no arguments; got also an object with \["timeout"\]/);
    await assert.rejects(async () => callAsJavaScript(future, "result", 5, { raiseErrors: false }), /future\.result\(timeout\) takes at most 1 argument/);
    // Still open and working after the refusals; a trailing undefined is not an argument.
    assert.equal(await future.result(5), 2);
    assert.equal(await future.result(undefined), 2);
    assert.deepEqual(await client.gather([future], undefined), [2]);
    const { done } = await wait([future], { timeout: 5 });
    assert.equal(done.length, 1);
  });

  it("refuses a timeout that is not one, naming it, even once the result is in", async () => {
    await assert.rejects(future.result({ timeout: 5 } as never), (error: Error) => {
      assert.ok(error instanceof InvalidOptionError);
      assert.match(error.message, /^timeout: expected a number of seconds or a string such as "30s".*got an object with \["timeout"\]/);
      return true;
    });
    await assert.rejects(future.exception([5] as never), /timeout: expected a number of seconds/);
    await assert.rejects(client.waitForWorkers(1, { timeout: { seconds: 5 } } as never), /timeout: expected a number of seconds/);
  });
});
