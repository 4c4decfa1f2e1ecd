/**
 * A delayed value (Dask's Delayed): the key of one task and what it takes to compute it.
 * Each Delayed holds its own task and the Delayed it reads; the whole graph is assembled only
 * when asked (compute, persist, `dask`), by one walk, so a chain of n calls costs n steps
 * instead of copying a growing graph at every call. A block of an array (toDelayed) holds the
 * array's lowered graph whole instead (`baseGraph`), shared by every block of it.
 *
 * TypeScript has no operator overloading: `d.add(1)` stands for `d + 1`, `d.get(0)` for
 * `d[0]`, `d.getattr("shape")` for `d.shape` and `d.getattr("sum").call()` for `d.sum()`.
 */
import { InvalidOptionError } from "../core/errors.js";
import { randomHex } from "../core/ids.js";
import { markPersisted, refuseCancelled } from "../core/persisted-collection.js";
import { executeOptionKeys, getDefaultExecutor, type ComputeOptions, type GraphExecutor, type PersistedKeys } from "../graph/executor.js";
import { sharedLocalExecutor } from "../graph/local-executor.js";
import { TaskGraph, makeTask, type TaskSpec } from "../graph/task-graph.js";
import { refuseUnknownKeys } from "../ndarray/option-keys.js";
import { payloadToken } from "../protocol/payload-token.js";
import { TaskRef } from "../protocol/payload.js";

export interface DelayedExecuteOptions extends ComputeOptions {
  /** Where the graph runs: a Client, or by default the connected Client, else this thread. */
  executor?: GraphExecutor;
}

/** How a Delayed came about, when a later step needs it (`getattr(name).call()` calls the method where the value is). */
interface AttributeOrigin {
  target: Delayed;
  name: string;
}

type BinaryName = "add" | "subtract" | "multiply" | "divide";

/**
 * A collection that stands for one value among a delayed call's arguments implements this
 * method, giving that value's Delayed: a lazy array gives its whole NDArray (as Dask computes
 * a dask array passed to a delayed function). The delayed layer is below the array layer, so
 * arrays come to it through this, never by import.
 */
export const asDelayedValue = Symbol.for("tessera.as-delayed-value");

interface StandsForValue {
  [asDelayedValue](): Delayed;
}

export class Delayed {
  /**
   * `task`: the task computing this value (null: the value is a result the executor holds,
   * persisted earlier, or a task of `baseGraph`); `dependencies`: the Delayed its task reads;
   * `length`: the number of outputs (nout) when declared, which makes it unpackable.
   */
  constructor(
    readonly key: string,
    readonly task: TaskSpec | null,
    readonly dependencies: readonly Delayed[],
    readonly length?: number,
    readonly baseGraph?: TaskGraph,
    private readonly attribute?: AttributeOrigin,
  ) {}

  /** The task graph computing this value (Dask's `.dask`): built on each access, one walk. */
  get dask(): TaskGraph {
    return graphOf([this]);
  }

  toString(): string {
    return `Delayed('${this.key}')`;
  }

  /** The value, computed on the executor (Dask's `compute()`). */
  async compute(options: DelayedExecuteOptions = {}): Promise<unknown> {
    const [value] = await computeDelayed([this], options);
    return value;
  }

  /** Computes the value and keeps it where it was computed; the Delayed returned reads it from there. */
  async persist(options: DelayedExecuteOptions = {}): Promise<Delayed> {
    const [persisted] = await persistDelayed([this], options);
    return persisted;
  }

  /** `value[index]` as a task (Dask's `d[i]`); the key is deterministic. */
  get(index: string | number): Delayed {
    if (typeof index !== "string" && !Number.isInteger(index)) throw new InvalidOptionError(`Delayed.get: an index is an integer or a string, got ${String(index)}`);
    return derived("getitem", "delayed.getItem", [this.ref(), index], [this]);
  }

  /** `value.name` as a task (Dask's `d.name`); `.call(...)` on the result calls the method. */
  getattr(name: string): Delayed {
    if (typeof name !== "string") throw new InvalidOptionError(`Delayed.getattr: the name is a string, got ${String(name)}`);
    const plain = derived("getattr", "delayed.getAttribute", [this.ref(), name], [this]);
    return new Delayed(plain.key, plain.task, plain.dependencies, undefined, undefined, { target: this, name });
  }

  /**
   * Calls the method got by `getattr(name)` on the value (Dask's `d.name(*args)`), in one task
   * where the value is: a function cannot travel as a result. Arguments may hold Delayed.
   * As Dask's method calls, impure: every call is a new key.
   */
  call(...args: unknown[]): Delayed {
    if (!this.attribute) {
      throw new InvalidOptionError(`Delayed.call: ${this.key} is not a method got with getattr(name); to call a function lazily, wrap it: delayed(fn)(...args)`);
    }
    const { target, name } = this.attribute;
    const unpacked = unpackArguments(args, true, `the arguments of ${name}`);
    const key = `${name}-${randomHex()}`;
    const task = makeTask(key, { builtin: "delayed.callMethod" }, [target.ref(), name, unpacked.args]);
    return new Delayed(key, task, [target, ...unpacked.dependencies]);
  }

  /** The `length` (nout) outputs of a call declared with nout, each a Delayed; refused without nout, as Dask refuses to iterate. */
  unpack(): Delayed[] {
    if (this.length === undefined) {
      throw new InvalidOptionError(`Delayed ${this.key} has no declared length: declare it with delayed(fn, { nout: n }) to unpack its outputs`);
    }
    return Array.from({ length: this.length }, (_, i) => this.output(i));
  }

  /**
   * `const [a, b] = delayed(f, { nout: 2 })(x)`: the outputs of unpack(), made one at a time
   * as Dask's `__iter__` yields them, so that destructuring the first few of a large nout does
   * not make (and hash) all of them first.
   */
  [Symbol.iterator](): Iterator<Delayed> {
    if (this.length === undefined) this.unpack(); // refused there, at once, with its message
    const length = this.length as number;
    const outputs = function* (self: Delayed): Generator<Delayed> {
      for (let i = 0; i < length; i++) yield self.output(i);
    };
    return outputs(this);
  }

  /** Output `i` of a call declared with nout, checked on the worker (graph/delayed-ops.ts unpackItem). */
  private output(i: number): Delayed {
    const fnName = this.key.replace(/-[0-9a-f]{32}$/, "");
    return derived("getitem", "delayed.unpackItem", [this.ref(), i, this.length, fnName], [this]);
  }

  add(other: unknown): Delayed { return this.binary("add", other); }
  sub(other: unknown): Delayed { return this.binary("subtract", other); }
  mul(other: unknown): Delayed { return this.binary("multiply", other); }
  div(other: unknown): Delayed { return this.binary("divide", other); }

  /** A marker for this value inside a task's arguments. */
  ref(): TaskRef {
    return new TaskRef(this.key);
  }

  private binary(op: BinaryName, other: unknown): Delayed {
    const { args, dependencies } = unpackArguments([other], true, `the operand of ${op}`);
    return derived(op, "delayed.binary", [op, this.ref(), args[0]], [this, ...dependencies]);
  }
}

/** A pure task (Dask's operators and item access are pure): its key is a token of what it does. */
function derived(prefix: string, builtin: string, args: unknown[], dependencies: Delayed[]): Delayed {
  const key = `${prefix}-${payloadToken([builtin, args], `the arguments of ${prefix}`)}`;
  return new Delayed(key, makeTask(key, { builtin }, args), dependencies);
}

export function isDelayed(value: unknown): value is Delayed {
  return value instanceof Delayed;
}

/**
 * Arguments with every Delayed replaced by a marker of its key (at any depth in arrays and
 * plain objects when `traverse`, else at the top level only, as Dask's traverse=False), and
 * the Delayed found. What cannot travel is refused here, at call time, naming where it is.
 */
export function unpackArguments(args: readonly unknown[], traverse: boolean, what: string): { args: unknown[]; dependencies: Delayed[] } {
  const dependencies: Delayed[] = [];
  const replace = (value: unknown, depth: number, ancestors: Set<object>): unknown => {
    if (!traverse && depth > 0) return value;
    if (value instanceof Delayed) {
      dependencies.push(value);
      return value.ref();
    }
    if (value !== null && typeof value === "object" && asDelayedValue in value) return replace((value as StandsForValue)[asDelayedValue](), depth, ancestors);
    if (typeof value === "function") {
      throw new InvalidOptionError(`${what}: a function (${value.name || "anonymous"}) cannot be an argument of a delayed task; call it inside the task's function, or wrap it with delayed(fn) and pass its result`);
    }
    if (value === null || typeof value !== "object" || ancestors.has(value)) return value;
    if (value instanceof Map || value instanceof Set) {
      for (const item of value instanceof Map ? [...value.keys(), ...value.values()] : value) {
        if (item instanceof Delayed) throw new InvalidOptionError(`${what}: a Delayed inside a ${value.constructor.name} is not looked for; put it in an array or a plain object`);
      }
      return value;
    }
    const plainObject = [Object.prototype, null].includes(Object.getPrototypeOf(value));
    if (!Array.isArray(value) && !plainObject) return value;
    ancestors.add(value);
    let out: unknown;
    if (Array.isArray(value)) out = value.map((item) => replace(item, depth + 1, ancestors));
    else {
      const copy: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) {
        Object.defineProperty(copy, key, { value: replace(item, depth + 1, ancestors), enumerable: true, writable: true, configurable: true });
      }
      out = copy;
    }
    ancestors.delete(value);
    return out;
  };
  const replaced = args.map((arg) => replace(arg, 0, new Set()));
  return { args: replaced, dependencies };
}

/** The graph of several Delayed: every task they need, each once (one walk; shared dependencies meet by identity and by key). */
export function graphOf(roots: readonly Delayed[]): TaskGraph {
  const graph = new TaskGraph();
  const seen = new Set<Delayed>();
  const bases = new Set<TaskGraph>();
  const stack = [...roots];
  while (stack.length > 0) {
    const node = stack.pop() as Delayed;
    if (seen.has(node)) continue;
    seen.add(node);
    refuseCancelled(node, `delayed ${node.key}`);
    if (node.task && !graph.taskList.has(node.key)) graph.add(node.task);
    if (node.baseGraph) bases.add(node.baseGraph);
    for (const dependency of node.dependencies) if (!seen.has(dependency)) stack.push(dependency);
  }
  for (const base of bases) graph.merge(base);
  return graph;
}

/** The executor given, else the connected Client, else the shared local one (the arrays' too). */
export function delayedExecutor(options: DelayedExecuteOptions): GraphExecutor {
  return options.executor ?? getDefaultExecutor() ?? sharedLocalExecutor();
}

export function checkExecuteOptions(what: string, options: unknown): asserts options is DelayedExecuteOptions {
  if (options === null || typeof options !== "object" || Array.isArray(options)) throw new InvalidOptionError(`${what}: options must be an object, got ${JSON.stringify(options)}`);
  refuseUnknownKeys(options, executeOptionKeys, what);
}

/** Computes several Delayed in one graph, so what they share runs once (dask.compute of delayed values). */
export async function computeDelayed(values: readonly Delayed[], options: DelayedExecuteOptions = {}): Promise<unknown[]> {
  checkExecuteOptions("compute", options);
  const { executor, ...rest } = options;
  return delayedExecutor({ executor }).compute(graphOf(values), values.map((value) => value.key), { ...rest, label: rest.label ?? "compute" });
}

/** Persists several Delayed in one graph; each Delayed returned reads its result where it stays. */
export async function persistDelayed(values: readonly Delayed[], options: DelayedExecuteOptions = {}): Promise<Delayed[]> {
  checkExecuteOptions("persist", options);
  const { executor, ...rest } = options;
  const persisted = await delayedExecutor({ executor }).persist(graphOf(values), values.map((value) => value.key), { ...rest, label: rest.label ?? "persist" });
  return values.map((value) => persistedDelayed(value, persisted));
}

/**
 * What each Delayed keeps alive beyond its dependencies. Results held on a cluster stay only
 * while something holds their futures (garbage-collected futures release their keys:
 * client/future-registry.ts): a persisted Delayed holds its persist handle, and a block of an
 * array (toDelayed) the array, whose persisted inputs hold theirs, as Dask's persisted
 * collections hold their futures in their graphs.
 */
const lifelines = new WeakMap<Delayed, unknown>();

/** `value`, keeping `holder` alive for as long as `value` lives. */
export function keepAlive(value: Delayed, holder: unknown): Delayed {
  lifelines.set(value, holder);
  return value;
}

/** The Delayed reading `value`'s persisted result, keeping `handle` (and so the result) alive while it lives. */
export function persistedDelayed(value: Delayed, handle: PersistedKeys): Delayed {
  return markPersisted(keepAlive(new Delayed(value.key, null, [], value.length), handle), [value.key]);
}
