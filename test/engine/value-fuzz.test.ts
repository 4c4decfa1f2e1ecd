/**
 * Random values through every path a value takes (issue 9, Tests): submit arguments, task
 * results, client.run, runOnScheduler, and keys, against a scheduler and two workers running
 * as real `tessera` processes. Values: BigInts small and huge, -0, NaN, Symbols, functions,
 * class instances, cycles, Maps, Sets, deep nesting, huge strings, NUL bytes, lone
 * surrogates, "__proto__" keys, typed arrays, NDArrays. For each call: a value that can
 * travel comes back exactly; one that cannot fails that call alone with an error naming it;
 * no call hangs, no process dies, no worker is replaced. The seed is printed; set
 * TESSERA_FUZZ_SEED to replay a run.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { Client } from "../../src/client/client.js";
import { InvalidOptionError } from "../../src/core/errors.js";
import * as nd from "../../src/ndarray/index.js";
import { isAlive, startSchedulerProcess, type SchedulerProcess } from "./cluster-processes.js";
import { seededRandom } from "../ndimage/helpers.js";

const seed = Number(process.env.TESSERA_FUZZ_SEED ?? 20261127);

/**
 * A recipe is plain data describing a value; realize() builds the value from it, on this side
 * (the expected value) and inside tasks, run functions and the scheduler (what travels back).
 */
type Recipe = { t: string; [field: string]: unknown };

/** Builds the value a recipe describes. Self-contained: it travels to workers by its source. */
const realize = (recipe: Recipe): unknown => {
  const text = (kind: string, length: number, start: number): string => {
    let state = start >>> 0;
    const next = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0);
    const alphabet: Record<string, string[]> = {
      ascii: ["a", "b", "Z", "0", " ", "~"], unicode: ["é", "字", "😀", "\u200b", "ß"],
      surrogate: ["a", "\ud800", "\udfff", "😀"], nul: ["a", "\u0000", "b"],
    };
    const letters = alphabet[kind];
    let out = "";
    for (let i = 0; i < length; i++) out += letters[next() % letters.length];
    return out;
  };
  const build = (r: Recipe): unknown => {
    switch (r.t) {
      case "num": return r.v;
      case "nan": return NaN;
      case "inf": return r.neg ? -Infinity : Infinity;
      case "negzero": return -0;
      case "big": return (r.neg ? -1n : 1n) * BigInt(`0x${r.hex as string}`);
      case "bool": return r.v;
      case "null": return null;
      case "undef": return undefined;
      case "str": return text(r.kind as string, r.length as number, r.start as number);
      case "huge": return `${"x".repeat(r.length as number)}\u0000end`;
      case "arr": return (r.items as Recipe[]).map(build);
      case "obj": {
        const out: Record<string, unknown> = {};
        for (const [key, item] of r.entries as Array<[string, Recipe]>) Object.defineProperty(out, key, { value: build(item), enumerable: true, writable: true, configurable: true });
        return out;
      }
      case "map": return new Map((r.entries as Array<[Recipe, Recipe]>).map(([k, v]) => [build(k), build(v)]));
      case "set": return new Set((r.items as Recipe[]).map(build));
      case "date": return new Date(r.ms as number);
      case "re": return new RegExp(r.source as string, r.flags as string);
      case "typed": {
        const type = r.type as string;
        const values = r.values as number[];
        if (type === "BigInt64Array") return new BigInt64Array(values.map((v) => BigInt(v) * -3n));
        if (type === "BigUint64Array") return new BigUint64Array(values.map((v) => BigInt(v) * 2n ** 40n));
        return new (globalThis as unknown as Record<string, new (v: number[]) => unknown>)[type](values);
      }
      case "buffer": return new Uint8Array(r.bytes as number[]).buffer;
      case "nd": return nd.reshape(nd.arange(0, (r.shape as number[]).reduce((a, b) => a * b, 1), 1, r.dtype as "float64"), r.shape as number[]);
      case "deep": {
        let value: unknown = "bottom";
        for (let i = 0; i < (r.levels as number); i++) value = [value];
        return value;
      }
      case "symbol": return Symbol("fuzz");
      case "function": return () => "fuzz";
      case "instance": return new (class FuzzParticle { x = 1; })();
      case "cycle": { const loop: Record<string, unknown> = { name: "loop" }; loop.self = loop; return loop; }
      default: throw new Error(`unknown recipe ${r.t}`);
    }
  };
  return build(recipe);
};

/** What the refusal of an unsendable recipe kind must say. */
const refusalOf: Record<string, RegExp> = {
  symbol: /a Symbol \(Symbol\(fuzz\)\)/, function: /a function/, instance: /an instance of FuzzParticle/,
  cycle: /contains itself/, deep: /nested too deeply/,
};

/** The unsendable kind inside a recipe (the first met), or undefined when it can all travel. */
function unsendable(recipe: Recipe): string | undefined {
  if (recipe.t in refusalOf && (recipe.t !== "deep" || (recipe.levels as number) > 1000)) return recipe.t;
  const children: Recipe[] = [
    ...((recipe.items as Recipe[] | undefined) ?? []),
    ...((recipe.entries as Array<[unknown, Recipe]> | undefined) ?? []).flatMap(([k, v]) => (recipe.t === "map" ? [k as Recipe, v] : [v])),
  ];
  for (const child of children) {
    const found = unsendable(child);
    if (found) return found;
  }
  return undefined;
}

function makeRecipe(random: () => number, depth = 0): Recipe {
  const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)];
  const int = (n: number) => Math.floor(random() * n);
  const leaves: Array<() => Recipe> = [
    () => ({ t: "num", v: pick([0, 1, -1, 0.5, 2 ** 53, -(2 ** 31), 1e308, 5e-324, int(1e6)]) }),
    () => ({ t: "nan" }), () => ({ t: "inf", neg: random() < 0.5 }), () => ({ t: "negzero" }),
    () => ({ t: "big", neg: random() < 0.5, hex: Array.from({ length: 1 + int(pick([4, 16, 40, 500])) }, () => "0123456789abcdef"[int(16)]).join("").replace(/^0+(?=.)/, "") }),
    () => ({ t: "bool", v: random() < 0.5 }), () => ({ t: "null" }), () => ({ t: "undef" }),
    () => ({ t: "str", kind: pick(["ascii", "unicode", "surrogate", "nul"]), length: int(pick([1, 10, 300])), start: int(2 ** 31) }),
    () => ({ t: "date", ms: pick([0, -1, 1.7e12, 8.64e15]) }),
    () => ({ t: "re", source: pick(["a+b", "^\\d{2,}$", "[\\u{1F600}]"]), flags: pick(["", "gi", "u", "ys"]) }),
    () => ({ t: "typed", type: pick(["Int8Array", "Uint8Array", "Uint8ClampedArray", "Int16Array", "Uint16Array", "Int32Array", "Uint32Array", "Float32Array", "Float64Array", "BigInt64Array", "BigUint64Array"]), values: Array.from({ length: int(20) }, () => int(100)) }),
    () => ({ t: "buffer", bytes: Array.from({ length: int(16) }, () => int(256)) }),
    () => ({ t: "nd", dtype: pick(["float64", "float32", "int32", "uint8", "int16", "uint16"]), shape: Array.from({ length: 1 + int(3) }, () => 1 + int(5)) }),
    () => ({ t: "deep", levels: pick([5, 100, 2000]) }),
    () => ({ t: pick(["symbol", "function", "instance", "cycle"]) }),
    () => ({ t: "huge", length: pick([1e5, 4e6]) }),
  ];
  if (depth >= 3 || random() < 0.45) return pick(leaves)();
  const key = () => pick(["a", "b", "__proto__", "$nd", "$map", "", "with space", "k\ud800", "日本"]) + (random() < 0.3 ? String(int(9)) : "");
  const children = () => Array.from({ length: int(4) }, () => makeRecipe(random, depth + 1));
  switch (int(4)) {
    case 0: return { t: "arr", items: children() };
    case 1: return { t: "obj", entries: [...new Map(children().map((child) => [key(), child])).entries()] };
    // Map keys are unique (a repeated key would keep only its last value): numbers, or objects.
    case 2: return { t: "map", entries: children().map((child, i) => [random() < 0.5 ? { t: "num", v: i } : { t: "obj", entries: [["i", { t: "num", v: i }]] }, child]) };
    default: return { t: "set", items: children() };
  }
}

/** Fails the test, naming the call and the seed, if `call` does not settle within `ms`. */
async function settles<T>(call: Promise<T>, what: string, ms = 120_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} hung (seed ${seed})`)), ms);
  });
  try {
    return await Promise.race([call, hung]);
  } finally {
    clearTimeout(timer);
  }
}

const identity = (value: unknown) => value;

describe(`random values through every path (seed ${seed})`, { timeout: 900_000 }, () => {
  let cluster: SchedulerProcess;
  let client: Client;
  let workersAtStart: string[];
  const tally = { tried: 0, travelled: 0, refused: 0, keysRefused: 0 };
  before(async () => {
    cluster = await startSchedulerProcess();
    cluster.startWorker();
    cluster.startWorker();
    client = await Client.connect({ schedulerFile: cluster.schedulerFile }, { setAsDefault: false });
    await client.waitForWorkers(2, { timeout: 60 });
    workersAtStart = Object.keys(client.schedulerInfo().workers).sort();
  });
  after(async () => {
    await client?.close();
    await cluster?.stop();
  });

  it("each value travels exactly or fails its call alone, naming what it is", async (t) => {
    t.diagnostic(`seed ${seed}`);
    const random = seededRandom(seed);
    for (let sample = 0; sample < 200; sample++) {
      // The first sample is one huge string (30 million characters); the rest are random.
      const recipe = sample === 0 ? { t: "huge", length: 3e7 } : makeRecipe(random);
      const expected = realize(recipe);
      const refusedKind = unsendable(recipe);
      const label = `sample ${sample} (${JSON.stringify(recipe).slice(0, 120)})`;
      const paths: Array<[string, () => Promise<unknown>]> = [
        ["submit argument", () => client.submit({ fn: identity, args: [expected], pure: false }).result()],
        ["task result", () => client.submit({ fn: realize, args: [recipe], pure: false }).result()],
        ["client.run", async () => Object.values(await client.run(realize, recipe))],
        ["runOnScheduler", () => client.runOnScheduler(realize, recipe)],
      ];
      for (const [path, call] of paths) {
        tally.tried++;
        let outcome: { value: unknown } | { error: Error };
        try {
          outcome = { value: await settles(call(), `${path} of ${label}`) };
        } catch (error) {
          if ((error as Error).message.includes("hung (seed")) throw error;
          outcome = { error: error as Error };
        }
        if (refusedKind) {
          assert.ok("error" in outcome, `${path} of ${label}: a ${refusedKind} must be refused`);
          assert.equal(outcome.error.name, "PayloadError", `${path} of ${label}: ${outcome.error.message}`);
          assert.match(outcome.error.message, refusalOf[refusedKind], `${path} of ${label}`);
          tally.refused++;
        } else {
          assert.ok("value" in outcome, `${path} of ${label}: ${"error" in outcome ? outcome.error.stack : ""}`);
          const values = path === "client.run" ? outcome.value as unknown[] : [outcome.value];
          assert.equal(values.length, path === "client.run" ? 2 : 1);
          for (const value of values) assert.deepStrictEqual(value, expected, `${path} of ${label} came back changed`);
          tally.travelled++;
        }
      }
    }
    t.diagnostic(`${tally.tried} calls: ${tally.travelled} values travelled exactly, ${tally.refused} refused alone`);
  });

  it("each key is taken as given or refused alone", async (t) => {
    const random = seededRandom(seed + 1);
    const used = new Set<string>();
    let accepted = 0;
    let refused = 0;
    for (let sample = 0; sample < 100; sample++) {
      const length = [0, 1, 2, 40, 4095, 4096, 4097, 20_000][Math.floor(random() * 8)];
      const letters = random() < 0.5 ? ["a", "-", "\u0000", "\ud800", "\udc00", "😀", "字", "/", ".."] : ["a", "-", "\u0000", "😀", "字", "/", ".."];
      let key: unknown = Array.from({ length }, () => letters[Math.floor(random() * letters.length)]).join("").slice(0, length);
      if (random() < 0.1) key = [42, { k: 1 }, true][Math.floor(random() * 3)];
      if (typeof key === "string" && used.has(key)) continue;
      const valid = typeof key === "string" && key.length >= 1 && key.length <= 4096 && !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(key);
      if (!valid) {
        assert.throws(() => client.submit({ fn: identity, args: [sample], key: key as string }), InvalidOptionError, `key ${JSON.stringify(key)?.slice(0, 40)}`);
        refused++;
        continue;
      }
      used.add(key as string);
      const future = client.submit({ fn: identity, args: [sample], key: key as string });
      assert.equal(future.key, key);
      assert.equal(await settles(future.result(), `key sample ${sample}`), sample);
      accepted++;
    }
    t.diagnostic(`keys: ${accepted} accepted, ${refused} refused`);
    tally.keysRefused = refused;
    assert.ok(accepted > 10 && refused > 10, "both kinds were tried");
  });

  it("left every process alive, no worker replaced, the client usable", async (t) => {
    assert.ok(isAlive(cluster.child.pid), "the scheduler process is alive");
    const info = await client.refreshSchedulerInfo();
    assert.deepEqual(Object.keys(info.workers).sort(), workersAtStart, "the same two workers, none restarted");
    assert.equal(await client.submit((x: number) => x + 1, 41).result(), 42);
    t.diagnostic(`bad inputs tried: ${tally.refused + tally.keysRefused} (values that cannot travel, keys the protocol refuses), each refused alone; processes that died: 0; calls that hung: 0`);
  });
});
