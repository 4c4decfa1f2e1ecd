/**
 * Every message tessera peers exchange, as one discriminated union on `op` (kebab-case, one
 * spelling each), with zod schemas used to validate whatever arrives from the network before
 * a handler sees it. Binary payloads travel as frames next to the message: `f` lists the
 * indices (into the message's own frames) that a packed payload refers to.
 */
import { blockLayerProblem, layersProblem, type BlockLayer } from "./block-layer.js";
import { z } from "zod";
import type { FunctionRef } from "./function-ref.js";
import { isWellFormedText } from "./payload.js";

/** The longest key a message may carry (Dask has no limit; ours bounds what a peer can make us hold). */
export const maxKeyLength = 4096;
/** The longest function source that may travel (a bigger function belongs in a module). */
export const maxFunctionSourceLength = 1_000_000;

/**
 * Why `key` cannot be a task key, or undefined when it can. Besides the schema's length
 * bounds, a key must be well-formed UTF-16: msgpack would replace a lone surrogate, and the
 * result would come back under a key nobody asked for.
 */
export function keyProblem(key: unknown): string | undefined {
  if (typeof key !== "string") return `a key must be a string, not ${key === null ? "null" : typeof key}`;
  if (key.length === 0) return "a key must not be empty";
  if (key.length > maxKeyLength) return `a key may have at most ${maxKeyLength} characters, this one has ${key.length}`;
  if (!isWellFormedText(key)) return "a key must be well-formed text (it holds a lone UTF-16 surrogate)";
  return undefined;
}

const key = z.string().min(1).max(maxKeyLength);
const keys = z.array(key);
const count = z.number().int().nonnegative();
const bytes = z.number().nonnegative();
const frameIndices = z.array(count).default([]);
/** Amounts of abstract resources (resources.ts): finite, not negative. */
const resourcesSchema = z.record(z.number().finite().nonnegative());

/** Checked by hand: a zod union builds an issue for every failed alternative, per task. */
export function isFunctionRef(value: unknown): value is FunctionRef {
  if (value === null || typeof value !== "object") return false;
  const ref = value as Record<string, unknown>;
  const fields = Object.keys(ref).length;
  if (typeof ref.builtin === "string") return fields === 1 && ref.builtin.length > 0;
  if (typeof ref.module === "string") return fields === 2 && typeof ref.export === "string" && ref.export.length > 0;
  if (typeof ref.source === "string") return fields === 2 && typeof ref.name === "string" && ref.source.length > 0 && ref.source.length <= maxFunctionSourceLength;
  return false;
}

const functionRefSchema = z.custom<FunctionRef>(isFunctionRef, { message: "not a function reference ({builtin} | {module, export} | {source, name})" });

const wireError = z.object({
  name: z.string(),
  message: z.string(),
  stack: z.string(),
  taskKey: z.string().optional(),
});

/** What a worker's start/stop records time: the phases of a task's life on a worker. */
export const startStopActions = ["compute", "transfer", "disk-read", "disk-write", "deserialize"] as const;

const startStopSchema = z.object({
  action: z.enum(startStopActions),
  start: z.number(),
  stop: z.number(),
  source: z.string().optional(),
});

/** A task as the client submits it. `args` is a packed payload tree; `f` its frames. */
const wireTaskSchema = z.object({
  key,
  fn: functionRefSchema,
  args: z.unknown(),
  f: frameIndices,
  deps: keys,
  retries: count.optional(),
  priority: z.number().optional(),
  workers: z.array(z.string()).optional(),
  allowOtherWorkers: z.boolean().optional(),
  resources: resourcesSchema.optional(),
});

const depLocation = z.object({ key, whoHas: z.array(z.string()), nbytes: bytes });

const workerMetrics = z.object({
  cpu: z.number(),
  memory: bytes,
  managedBytes: bytes,
  spilledBytes: bytes,
  executing: count,
  ready: count,
  inFlight: count,
  transferIncomingBytes: bytes,
  transferOutgoingBytes: bytes,
  eventLoopDelay: z.number(),
  status: z.string(),
}).partial().passthrough();

const request = { reqId: count };
/** The id a client gives one submission sent in parts (unique among its submissions). */
const submissionId = z.string().min(1).max(128);
/** Which part of a submission an update-graph is: parts come in order, the last says so. */
const graphPart = z.object({ submission: submissionId, index: count, last: z.boolean() });
/** A block layer (block-layer.ts): one record standing for a task per block, checked field by field. */
const blockLayerSchema = z.unknown().superRefine((value, context) => {
  const problem = blockLayerProblem(value);
  if (problem) context.addIssue({ code: z.ZodIssueCode.custom, message: problem });
}).transform((value) => value as BlockLayer);

/**
 * A worker or scheduler plugin as it travels (plugin-travel.ts): a module export (the module
 * is imported where it runs), or a self-contained object: its hooks as function sources and
 * its other properties as plain data.
 */
const pluginRefSchema = z.union([
  z.object({ module: z.string().min(1), export: z.string().min(1) }).strict(),
  z.object({ methods: z.record(functionRefSchema), data: z.record(z.unknown()) }).strict(),
]);
const pluginName = z.string().min(1).max(200);
const logLevel = z.enum(["error", "warn", "info", "debug"]);
const logRecordSchema = z.object({ time: z.number(), level: logLevel, component: z.string().max(200), message: z.string().max(20_000) });
const topicName = z.string().min(1).max(200);
/** A file name without a directory part: uploads land in the worker's own upload directory. */
const uploadName = z.string().min(1).max(255).regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/, "an uploaded file's name may hold only letters, digits, _ . - (no directories)");
// ---- coordination and the futures API (issue 13 items 6 and 7) ----
// Requests served by the scheduler's extensions (src/scheduler/server/extensions/), sent by
// clients (and, through a client inside a task, by tasks). Timeouts are seconds; absent means
// wait as long as it takes. A value travels as a packed payload (`value`, its frames in `f`);
// a Future travels as its key (`futureKey`), which the holder keeps alive on the scheduler.

/** A name of a lock, semaphore, queue, variable, event, topic or dataset. */
const coordinationName = z.string().min(1).max(1000);
const waitSeconds = z.number().nonnegative().optional();
const leaseKind = z.enum(["lock", "semaphore"]);
const leaseId = z.string().min(1).max(200);
/** A queued or stored item: exactly one of `futureKey` and `value` (checked by the extension). */
const item = { futureKey: key.optional(), value: z.unknown(), f: frameIndices };

const coordinationMessages = [
  // Lock and Semaphore: leases the holder refreshes while alive; expired ones are released.
  z.object({ op: z.literal("lease-acquire"), ...request, kind: leaseKind, name: coordinationName, maxLeases: z.number().int().positive(), leaseId, timeout: waitSeconds }),
  z.object({ op: z.literal("lease-release"), ...request, kind: leaseKind, name: coordinationName, leaseId }),
  z.object({ op: z.literal("lease-refresh"), ...request, kind: leaseKind, name: coordinationName, leaseIds: z.array(leaseId) }),
  z.object({ op: z.literal("lease-info"), ...request, kind: leaseKind, name: coordinationName }),
  z.object({ op: z.literal("lease-close"), ...request, kind: leaseKind, name: coordinationName }),
  // Queue
  z.object({ op: z.literal("queue-put"), ...request, name: coordinationName, maxsize: count.optional(), ...item, timeout: waitSeconds }),
  z.object({ op: z.literal("queue-get"), ...request, name: coordinationName, timeout: waitSeconds, batch: z.union([z.literal(true), z.number().int().positive()]).optional() }),
  z.object({ op: z.literal("queue-size"), ...request, name: coordinationName }),
  z.object({ op: z.literal("queue-close"), ...request, name: coordinationName }),
  // Variable
  z.object({ op: z.literal("variable-set"), ...request, name: coordinationName, ...item }),
  z.object({ op: z.literal("variable-get"), ...request, name: coordinationName, timeout: waitSeconds }),
  z.object({ op: z.literal("variable-delete"), ...request, name: coordinationName }),
  // Event
  z.object({ op: z.literal("event-set"), ...request, name: coordinationName }),
  z.object({ op: z.literal("event-clear"), ...request, name: coordinationName }),
  z.object({ op: z.literal("event-wait"), ...request, name: coordinationName, timeout: waitSeconds }),
  z.object({ op: z.literal("event-is-set"), ...request, name: coordinationName }),
  // Pub/Sub: publishing never waits (as in Dask); the scheduler forwards to the topic's subscribers.
  z.object({ op: z.literal("pubsub-subscribe"), ...request, topic: coordinationName }),
  z.object({ op: z.literal("pubsub-unsubscribe"), ...request, topic: coordinationName }),
  z.object({ op: z.literal("pubsub-publish"), topic: coordinationName, value: z.unknown(), f: frameIndices }),
  z.object({ op: z.literal("pubsub-message"), topic: coordinationName, value: z.unknown(), f: frameIndices }),
  // Named datasets: `value` holds the futures as task references, `keys` lists them.
  z.object({ op: z.literal("dataset-publish"), ...request, name: coordinationName, keys, value: z.unknown(), f: frameIndices, override: z.boolean() }),
  z.object({ op: z.literal("dataset-get"), ...request, name: coordinationName, missingOk: z.boolean().optional() }),
  z.object({ op: z.literal("dataset-list"), ...request }),
  z.object({ op: z.literal("dataset-unpublish"), ...request, name: coordinationName }),
  // Futures API
  z.object({ op: z.literal("fire-and-forget"), keys }),
  z.object({ op: z.literal("retry-keys"), ...request, keys }),
  z.object({ op: z.literal("has-what"), ...request, workers: z.array(z.string()).optional() }),
  z.object({ op: z.literal("replicate"), ...request, keys, n: z.number().int().positive().optional(), workers: z.array(z.string()).optional() }),
  z.object({ op: z.literal("rebalance"), ...request, keys: keys.optional(), workers: z.array(z.string()).optional() }),
] as const;

/**
 * A key's state as the scheduler reports it when it hands a future to a client (taken from a
 * queue, read from a variable or a dataset): the client's key-in-memory may have gone by
 * before the client had a future to finish.
 */
export interface KeyReport {
  key: string;
  status: "pending" | "memory" | "erred" | "lost";
  whoHas: string[];
  nbytes: number;
  type: string;
  error?: z.infer<typeof wireError>;
}

/** The ops of the block above (the scheduler hands these to its extensions). */
export type CoordinationOp = z.infer<(typeof coordinationMessages)[number]>["op"];
export const coordinationOps: readonly CoordinationOp[] = coordinationMessages.map((schema) => schema.shape.op.value);

export const messageSchema = z.discriminatedUnion("op", [
  // replies to any request
  z.object({ op: z.literal("reply"), reqId: count, ok: z.boolean(), result: z.unknown().optional(), error: wireError.optional(), f: frameIndices }),
  // liveness: every connection answers a ping itself (comm/liveness.ts), whoever owns it
  z.object({ op: z.literal("ping"), ...request }),

  // client → scheduler
  z.object({ op: z.literal("register-client"), ...request, name: z.string().optional() }),
  // A request, so that a graph the scheduler cannot take fails its own futures, and only them.
  // A large graph travels in parts (`part`): the scheduler holds them and takes the graph in
  // with the last; abandon-graph drops the parts of a submission that will not be completed.
  z.object({ op: z.literal("update-graph"), ...request, tasks: z.array(wireTaskSchema), layers: z.array(blockLayerSchema).superRefine((layers, context) => {
    const problem = layersProblem(layers);
    if (problem) context.addIssue({ code: z.ZodIssueCode.custom, message: problem });
  }).optional(), wanted: keys, fifo: z.boolean().optional(), part: graphPart.optional() }),
  z.object({ op: z.literal("abandon-graph"), submission: submissionId }),
  z.object({ op: z.literal("release-keys"), keys }),
  z.object({ op: z.literal("cancel-keys"), keys, force: z.boolean().optional() }),
  z.object({ op: z.literal("scatter-placed"), ...request, placed: z.array(z.object({ key, worker: z.string(), nbytes: bytes, type: z.string() })) }),
  z.object({ op: z.literal("who-has"), ...request, keys }),
  z.object({ op: z.literal("scheduler-info"), ...request }),
  z.object({ op: z.literal("run-on-workers"), ...request, fn: functionRefSchema, args: z.unknown(), f: frameIndices, workers: z.array(z.string()).optional() }),
  z.object({ op: z.literal("run-on-scheduler"), ...request, fn: functionRefSchema, args: z.unknown(), f: frameIndices }),
  z.object({ op: z.literal("retire-workers"), ...request, workers: z.array(z.string()).optional(), n: count.optional(), close: z.boolean().optional() }),
  z.object({ op: z.literal("adaptive-target"), ...request, targetDuration: z.number().positive().optional() }),
  z.object({ op: z.literal("subscribe-events"), ...request, topics: z.array(z.string()) }),
  z.object({ op: z.literal("get-task-stream"), ...request, since: z.number().optional(), count: count.optional() }),
  z.object({ op: z.literal("get-profile"), ...request, since: z.number().optional(), prefix: z.string().optional() }),
  z.object({ op: z.literal("get-transfer-log"), ...request, since: z.number().optional(), count: count.optional() }),
  z.object({ op: z.literal("heartbeat-client") }),
  z.object({ op: z.literal("close-client") }),

  // scheduler → client
  z.object({ op: z.literal("key-in-memory"), key, nbytes: bytes, type: z.string(), whoHas: z.array(z.string()) }),
  z.object({ op: z.literal("key-erred"), key, error: wireError }),
  z.object({ op: z.literal("key-cancelled"), key, reason: z.string() }),
  z.object({ op: z.literal("workers-changed"), nWorkers: count, totalThreads: count }),
  z.object({ op: z.literal("event"), topic: z.string(), data: z.unknown() }),

  // worker → scheduler
  z.object({
    op: z.literal("register-worker"), ...request, address: z.string(), name: z.string(), nthreads: z.number().int().positive(),
    memoryLimit: bytes, localDirectory: z.string(), pid: count, host: z.string(), jobId: z.string().optional(),
    nanny: z.string().optional(), lifetimeEnd: z.number().optional(), resources: resourcesSchema.optional(),
  }),
  z.object({ op: z.literal("task-started"), keys, start: z.number() }),
  z.object({
    op: z.literal("task-finished"), key, runId: count, nbytes: bytes, type: z.string(),
    startstops: z.array(startStopSchema), thread: count, /** Measured peak memory of the task. */ peakBytes: bytes.optional(),
  }),
  z.object({ op: z.literal("task-erred"), key, runId: count, error: wireError, startstops: z.array(startStopSchema), thread: count }),
  z.object({ op: z.literal("heartbeat"), metrics: workerMetrics, now: z.number() }),
  z.object({ op: z.literal("add-keys"), keys: z.array(z.object({ key, nbytes: bytes })) }),
  z.object({ op: z.literal("missing-data"), key, worker: z.string() }),
  /** Keys this worker held and lost (their spill files could not be read back): recompute them. */
  z.object({ op: z.literal("data-lost"), keys, reason: z.string().max(4000) }),
  /** Something the user must hear about now (a full spill disk), logged by the scheduler and shown to its observers. */
  z.object({ op: z.literal("worker-warning"), message: z.string().max(4000) }),
  z.object({ op: z.literal("worker-status"), status: z.enum(["running", "paused", "closing-gracefully"]) }),
  /** The worker's last words before it is killed (why: e.g. memory), shown in KilledWorker. */
  z.object({ op: z.literal("goodbye"), reason: z.string().max(1000) }),
  z.object({ op: z.literal("transfer-log"), transfers: z.array(z.object({ keys: z.array(z.string()), from: z.string(), bytes, start: z.number(), stop: z.number() })) }),
  z.object({ op: z.literal("steal-response"), key, accepted: z.boolean() }),
  z.object({ op: z.literal("profile-samples"), samples: z.unknown() }),

  // scheduler → worker
  z.object({
    op: z.literal("compute-task"), key, runId: count, priority: z.array(z.number()), fn: functionRefSchema,
    args: z.unknown(), f: frameIndices, deps: z.array(depLocation), prefix: z.string(), resources: resourcesSchema.optional(),
  }),
  /** `seq`: its number on this worker's link (scheduler/server/worker-outbox.ts: a scatter's update-data names the last one it follows). */
  z.object({ op: z.literal("free-keys"), keys, seq: count.optional() }),
  z.object({ op: z.literal("steal-request"), key }),
  z.object({ op: z.literal("acquire-replicas"), deps: z.array(depLocation) }),
  z.object({ op: z.literal("close-worker"), reason: z.string(), graceful: z.boolean() }),
  z.object({ op: z.literal("run-function"), ...request, fn: functionRefSchema, args: z.unknown(), f: frameIndices }),

  // peer ↔ worker (workers and clients fetch and push data directly)
  z.object({ op: z.literal("get-data"), ...request, keys }),
  /** `afterFreeKeys`: the free-keys the scheduler had sent this worker when the scatter asked where to go; none of them drops this data. */
  z.object({ op: z.literal("update-data"), ...request, data: z.record(z.unknown()), f: frameIndices, afterFreeKeys: count.optional() }),

  // ---- resources, plugins and preload, logs, events and stories, restart and reconnection,
  // ---- tasks that submit tasks (issue 13 items 1–5) ----
  // worker → scheduler
  /** The running task `key` seceded (waits on tasks it submitted): it no longer holds a thread slot. */
  z.object({ op: z.literal("long-running"), key }),
  /** The seceded task `key` rejoined (Dask's rejoin): it holds a thread slot again. */
  z.object({ op: z.literal("rejoined"), key }),
  /** A worker plugin threw at setup: the worker stays out of the pool until it restarts. */
  z.object({ op: z.literal("worker-setup-failed"), plugin: pluginName, error: wireError }),
  /** Log records the worker forwards (while a client asked for forwardLogging). */
  z.object({ op: z.literal("log-records"), records: z.array(logRecordSchema).max(1000) }),
  // client or worker → scheduler
  z.object({ op: z.literal("log-event"), topic: topicName, msg: z.unknown() }),
  // client → scheduler
  z.object({ op: z.literal("register-worker-plugin"), ...request, name: pluginName, plugin: pluginRefSchema }),
  z.object({ op: z.literal("unregister-worker-plugin"), ...request, name: pluginName }),
  z.object({ op: z.literal("register-scheduler-plugin"), ...request, name: pluginName, plugin: pluginRefSchema }),
  /** A module for every worker (now and later) to import instead of `url`: its bytes in frame f[0]. */
  z.object({ op: z.literal("upload-file"), ...request, filename: uploadName, url: z.string().min(1).max(4096), f: frameIndices }),
  z.object({ op: z.literal("get-worker-logs"), ...request, n: count.optional(), workers: z.array(z.string()).optional() }),
  z.object({ op: z.literal("get-scheduler-logs"), ...request, n: count.optional() }),
  /** Why tasks wait in no-worker, grouped by reason (SchedulerView.unrunnable). */
  z.object({ op: z.literal("get-unrunnable"), ...request }),
  z.object({ op: z.literal("get-events"), ...request, topic: topicName.optional() }),
  z.object({ op: z.literal("subscribe-topic"), topic: topicName }),
  z.object({ op: z.literal("unsubscribe-topic"), topic: topicName }),
  z.object({ op: z.literal("get-story"), ...request, keys }),
  z.object({ op: z.literal("forward-logging"), ...request, level: logLevel.nullable() }),
  z.object({ op: z.literal("restart"), ...request, timeout: z.number().positive().optional() }),
  /** After reconnecting: want these keys again; the reply lists those the scheduler does not know. */
  z.object({ op: z.literal("client-desires-keys"), ...request, keys }),
  // scheduler → client
  z.object({ op: z.literal("topic-event"), topic: topicName, time: z.number(), msg: z.unknown() }),
  /** The cluster restarted (client.restart(), from any client): every key is gone. */
  z.object({ op: z.literal("cluster-restarted"), reason: z.string() }),
  // scheduler → worker
  z.object({ op: z.literal("plugin-add"), ...request, name: pluginName, plugin: pluginRefSchema }),
  z.object({ op: z.literal("plugin-remove"), ...request, name: pluginName }),
  z.object({ op: z.literal("store-upload"), ...request, filename: uploadName, url: z.string().min(1).max(4096), f: frameIndices }),
  z.object({ op: z.literal("get-logs"), ...request, n: count.optional() }),
  z.object({ op: z.literal("get-worker-story"), ...request, keys }),
  z.object({ op: z.literal("set-log-forwarding"), level: logLevel.nullable() }),
  /** Close so that the nanny starts a fresh worker (client.restart()). */
  z.object({ op: z.literal("restart-worker"), reason: z.string() }),
  ...coordinationMessages,
]);

export type Message = z.infer<typeof messageSchema>;
export type Op = Message["op"];
export type MessageOf<O extends Op> = Extract<Message, { op: O }>;
export type WireTask = z.infer<typeof wireTaskSchema>;
export type StartStop = z.infer<typeof startStopSchema>;
export type DepLocation = z.infer<typeof depLocation>;
export type WirePluginRef = z.infer<typeof pluginRefSchema>;
export type WireLogRecord = z.infer<typeof logRecordSchema>;

/** A handler table keyed by op: a missing handler for a listed op is a compile error. */
export type Handlers<O extends Op, Context> = { [K in O]: (message: MessageOf<K>, frames: Uint8Array[], context: Context) => void };
