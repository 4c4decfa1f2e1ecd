/**
 * client.map's `key` (issue 10 item 4: it was dropped in silence). As Dask's Client.map
 * (distributed 2022.12, run here as the reference): a list gives each task its key; a string
 * is the prefix in place of the function's name, followed by the task's token when pure and
 * by `<uuid>-<i>` (one uuid per call) when not; an empty string is the function's name. A
 * list of the wrong length, with a repeated key or a key that is no string is refused (Dask
 * zips it with the tasks: a short list drops tasks, a long one leaves futures no task ends).
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { Client, LocalCluster } from "../../src/index.js";
import { InvalidOptionError } from "../../src/core/errors.js";
import type { MapOptions } from "../../src/client/submission.js";

const script = fileURLToPath(new URL("../../../test/fixtures/client/dask-map-keys.py", import.meta.url));

function inc(x: number): number {
  return x + 1;
}

const cases: Record<string, MapOptions> = {
  default: {},
  prefix: { key: "name" },
  "prefix-impure": { key: "name", pure: false },
  impure: { pure: false },
  list: { key: ["a", "b", "c"] },
  "empty-prefix": { key: "" },
};

const uuidPattern = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

/** A key's shape: its token and uuid replaced by placeholders. */
function shapeOf(key: string): string {
  return key.replace(uuidPattern, "<uuid>").replace(/[0-9a-f]{32}/, "<token>");
}

describe("client.map key (Dask's Client.map as the reference)", () => {
  let cluster: LocalCluster;
  let client: Client;
  let dask: Record<string, { keys: string[]; values: number[] }>;
  before(async () => {
    dask = JSON.parse(execFileSync("/usr/bin/python3", ["-B", script], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] })) as typeof dask;
    cluster = await LocalCluster.start({ nWorkers: 1, threadsPerWorker: 1, dashboardAddress: false, processes: false });
    client = await Client.connect(cluster, { setAsDefault: false });
  });
  after(async () => {
    await client?.close();
    await cluster?.close();
  });

  for (const [name, options] of Object.entries(cases)) {
    it(`${name}: keys shaped as Dask's, values as Dask's`, async () => {
      const futures = client.map(inc, [1, 2, 3], options);
      const keys = futures.map((f) => f.key);
      assert.deepEqual(keys.map(shapeOf), dask[name].keys.map(shapeOf), `${name}: ${keys.join(", ")}`);
      assert.deepEqual(await client.gather(futures), dask[name].values);
      for (const future of futures) future.release();
    });
  }

  it("a prefix keeps the tokens of the default keys; an impure call uses one uuid, numbered by task, and a new one per call", () => {
    const tokens = (keys: string[]) => keys.map((key) => key.slice(key.lastIndexOf("-") + 1));
    const plain = client.map(inc, [1, 2, 3]).map((f) => f.key);
    const named = client.map(inc, [1, 2, 3], { key: "name" }).map((f) => f.key);
    assert.deepEqual(tokens(named), tokens(plain));
    assert.ok(named.every((key) => key.startsWith("name-")));
    const first = client.map(inc, [1, 2, 3], { key: "name", pure: false }).map((f) => f.key);
    const call = first[0].match(uuidPattern)?.[0];
    assert.deepEqual(first, [0, 1, 2].map((i) => `name-${call}-${i}`));
    const second = client.map(inc, [1, 2, 3], { key: "name", pure: false }).map((f) => f.key);
    assert.notEqual(second[0].match(uuidPattern)?.[0], call);
  });

  it("a listed key is the task's key, also with other options; zipped iterables take the shortest length", async () => {
    const futures = client.map((a: number, b: number) => a * b, [1, 2, 3, 4], [10, 20, 30], { key: ["p", "q", "r"], retries: 1 });
    assert.deepEqual(futures.map((f) => f.key), ["p", "q", "r"]);
    assert.deepEqual(await client.gather(futures), [10, 40, 90]);
  });

  it("refuses a key list of the wrong length, a repeated or non-string key, a key of another type, two options objects", () => {
    const refusals: Array<[string, () => unknown, RegExp]> = [
      ["short list", () => client.map(inc, [1, 2, 3], { key: ["x", "y"] }), /key lists 2 keys for 3 tasks/],
      ["long list", () => client.map(inc, [1, 2], { key: ["x", "y", "z"] }), /key lists 3 keys for 2 tasks/],
      ["repeated", () => client.map(inc, [1, 2], { key: ["x", "x"] }), /key "x" is listed twice/],
      ["not a string", () => client.map(inc, [1, 2], { key: ["x", 2 as unknown as string] }), /each key in the key list must be a non-empty string, got 2/],
      ["empty in a list", () => client.map(inc, [1, 2], { key: ["x", ""] }), /each key in the key list must be a non-empty string/],
      ["a number", () => client.map(inc, [1, 2], { key: 7 as unknown as string }), /key must be a list of keys \(one per task\) or a string prefix, got 7/],
      ["two options objects", () => client.map(inc, [1, 2], { retries: 1 }, { key: "k" }), /takes one options object beside its iterables, got 2/],
    ];
    for (const [name, call, message] of refusals) {
      assert.throws(call, (error: Error) => error instanceof InvalidOptionError && message.test(error.message), name);
    }
  });
});
