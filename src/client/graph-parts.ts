/**
 * Sending a graph to the scheduler: a small one as one update-graph message, a large one in
 * parts of at most `partTasks` tasks, each sent once the scheduler has acknowledged the
 * previous one. So neither side ever holds the whole graph encoded as one message, and the
 * scheduler's event loop, which takes in one part at a time, keeps answering pings,
 * heartbeats and other clients while a graph of a million tasks arrives
 * (the scheduler stages each part's tasks as it arrives, inert, and computes the graph once
 * its last part is in: scheduler/state/graph-staging.ts).
 *
 * Each part is built (arguments packed) and checked as the scheduler will check it just
 * before it is sent, so the wire form of the whole graph never exists at once. What the
 * scheduler would refuse in the first part raises at the call, and nothing is sent; should a
 * later part be refused (here or there), the submission is abandoned: the scheduler drops
 * the parts it holds, nothing of the graph is registered, and the futures of this graph fail
 * with the reason, and only they.
 */
import type { Connection } from "../comm/connection.js";
import { randomHex } from "../core/ids.js";
import { InvalidOptionError } from "../core/errors.js";
import type { TaskSpec } from "../graph/task-graph.js";
import { parseMessage } from "../protocol/fast-validation.js";
import { keyProblem, type WireTask } from "../protocol/messages.js";
import type { FutureState } from "./future.js";
import { toWireTasks } from "./task-builder.js";
import { layerBlockCount, maxLayerBlocks, type BlockLayer } from "../protocol/block-layer.js";
import { layerKey, splitLayer } from "../graph/block-layer.js";
import { packPayload } from "../protocol/payload.js";

/** Tasks per update-graph part by default: a few megabytes, well under a second to take in. */
export const defaultGraphPartTasks = 20_000;

/**
 * Parts sent and not yet acknowledged, at most: the client builds the next while the
 * scheduler takes in the last. (Three were tried: no gain in either side's CPU or in wall
 * time that the load of a shared 2-core machine let show, so a ping still waits behind at
 * most two parts.)
 */
const partsInFlight = 2;

export interface GraphExtra {
  workers?: string[];
  allowOtherWorkers?: boolean;
}

interface Part {
  message: { op: "update-graph"; tasks: WireTask[]; layers?: BlockLayer[]; wanted: string[]; part?: { submission: string; index: number; last: boolean } };
  frames: Uint8Array[];
}

/** The number of tasks per part a client was given (`graphPartTasks`), checked. */
export function checkGraphPartTasks(value: unknown): number {
  if (value === undefined) return defaultGraphPartTasks;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
    throw new InvalidOptionError(`graphPartTasks must be a positive integer (tasks per update-graph message), not ${String(value)}`);
  }
  return value;
}

/**
 * Sends `specs` and `layers` (block layers: a task per block each, expanded by the scheduler;
 * their dependencies in the list or on the cluster), wanting `wanted`. Raises what the
 * scheduler would refuse in the first part; later failures fail this graph's futures.
 */
export function sendGraph(scheduler: Connection, futures: ReadonlyMap<string, FutureState>, specs: readonly TaskSpec[], wanted: string[], extra: GraphExtra, partTasks = defaultGraphPartTasks, layers: readonly BlockLayer[] = []): void {
  for (const spec of specs) {
    assertKey(spec.key, "task key");
    for (const dep of spec.deps) assertKey(dep, `dependency of task ${spec.key}`);
  }
  for (const layer of layers) assertKey(layerKey(layer, layer.stop.map((n) => n - 1)), "block layer key");
  for (const key of wanted) assertKey(key, "key");
  const failAll = (error: Error) => {
    for (const key of new Set([...wanted, ...specs.map((spec) => spec.key)])) {
      const state = futures.get(key);
      if (state && !state.done) state.failWith(error);
    }
  };
  let layerTasks = 0;
  for (const layer of layers) layerTasks += layerBlockCount(layer);
  // Layers travel in parts of at most `partTasks` blocks, and of no more than a message may carry.
  const partBlocks = Math.min(partTasks, maxLayerBlocks);
  if (specs.length + layerTasks <= partTasks && layerTasks <= partBlocks) {
    const whole = buildPart(specs, layers, wanted, extra, undefined);
    scheduler.request(whole.message, whole.frames).catch(failAll);
    return;
  }
  // Layers first (their tasks depend on nothing), in parts of at most `partTasks` blocks; then the tasks.
  const layerParts: BlockLayer[][] = [];
  let filling = partBlocks;
  for (const piece of layers.flatMap((layer) => splitLayer(layer, partBlocks))) {
    const blocks = layerBlockCount(piece);
    if (filling + blocks > partBlocks) {
      layerParts.push([]);
      filling = 0;
    }
    layerParts[layerParts.length - 1].push(piece);
    filling += blocks;
  }
  const submission = randomHex();
  const count = layerParts.length + Math.ceil(specs.length / partTasks);
  const partAt = (index: number) => {
    const last = index === count - 1;
    const part = { submission, index, last };
    if (index < layerParts.length) return buildPart([], layerParts[index], last ? wanted : [], extra, part);
    const at = index - layerParts.length;
    return buildPart(specs.slice(at * partTasks, (at + 1) * partTasks), [], last ? wanted : [], extra, part);
  };
  const first = partAt(0); // raises at the call: nothing has been sent
  void (async () => {
    // Up to `partsInFlight` parts unacknowledged: the next part is built and sent while the
    // scheduler takes in the previous one.
    const inFlight: Array<{ index: number; acknowledged: Promise<unknown> }> = [];
    let index = 0;
    const settle = async (entry: { index: number; acknowledged: Promise<unknown> }) => {
      index = entry.index; // named if it fails
      await entry.acknowledged;
    };
    try {
      for (let part: Part | null = first; part; ) {
        const acknowledged = scheduler.request(part.message, part.frames);
        acknowledged.catch(() => {}); // awaited below, in order
        inFlight.push({ index, acknowledged });
        scheduler.flush(); // on its way while the next part is built
        if (index + 1 === count) break;
        if (inFlight.length >= partsInFlight) await settle(inFlight.shift() as (typeof inFlight)[number]);
        index = inFlight[inFlight.length - 1].index + 1;
        part = partAt(index);
      }
      for (const entry of inFlight) await settle(entry); // the last: the answer to the whole graph
    } catch (error) {
      if (!scheduler.isClosed) scheduler.send({ op: "abandon-graph", submission });
      const reason = (error as Error).message;
      failAll(new InvalidOptionError(`the graph was not submitted (${specs.length + layerTasks} tasks in ${count} parts; part ${index} failed, and nothing of the graph was registered): ${reason}`, { cause: error }));
    }
  })();
}

/** One update-graph message (a part when `part` is given); raises what the scheduler would refuse. */
function buildPart(specs: readonly TaskSpec[], layers: readonly BlockLayer[], wanted: string[], extra: GraphExtra, part: Part["message"]["part"]): Part {
  const { tasks, frames } = toWireTasks(specs, extra);
  const message: Part["message"] = { op: "update-graph", tasks, wanted, ...(layers.length > 0 ? { layers: layers.map(wireLayer) } : {}), ...(part ? { part } : {}) };
  const checked = parseMessage({ ...message, reqId: 0 }); // as it will travel: request() adds the id
  if ("problem" in checked) {
    const at = /at tasks\.(\d+)/.exec(checked.problem);
    const task = at ? ` (task ${specs[Number(at[1])]?.key})` : "";
    throw new InvalidOptionError(`the scheduler would refuse this graph: ${checked.problem}${task}`);
  }
  return { message, frames };
}

/** A layer as it travels: its steps' arguments packed (plain data only: a layer carries no binary frames). */
export function wireLayer(layer: BlockLayer): BlockLayer {
  return {
    ...layer,
    steps: layer.steps.map((step) => {
      const frames: Uint8Array[] = [];
      const args = packPayload(step.args, frames, `the arguments of block layer ${layer.keyPrefix}`) as unknown[];
      if (frames.length > 0) throw new InvalidOptionError(`block layer ${layer.keyPrefix} carries binary data in its arguments, which layers cannot carry`);
      return { ...step, args };
    }),
  };
}

/** Raises a clear error for a key the protocol would refuse (the scheduler would drop the whole graph). */
function assertKey(key: unknown, what: string): void {
  const problem = keyProblem(key);
  if (!problem) return;
  const shown = typeof key === "string" ? JSON.stringify(key.length > 60 ? `${key.slice(0, 60)}…` : key) : String(key);
  throw new InvalidOptionError(`${what} ${shown} cannot be used: ${problem}`);
}
