/**
 * Hand-written checks for the few messages sent once per task (compute-task, task-started,
 * task-finished, key-in-memory, free-keys, replies) or carrying many tasks (update-graph),
 * and for pings. They accept exactly what the zod
 * schemas accept for these ops, at a fraction of the cost: at ten thousand tasks a second,
 * validation would otherwise take a large share of a core in every process. Any other op, and
 * anything these checks reject, goes through the zod schema (which then reports the reason).
 */
import { blockLayerProblem, layersProblem, type BlockLayer } from "./block-layer.js";
import { type Message, isFunctionRef, messageSchema, startStopActions } from "./messages.js";

type Raw = Record<string, unknown>;

const isKey = (v: unknown): v is string => typeof v === "string" && v.length > 0 && v.length <= 4096;
const isCount = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v) && v >= 0;
const isBytes = (v: unknown): v is number => typeof v === "number" && v >= 0;
const isFrames = (v: unknown): boolean => v === undefined || (Array.isArray(v) && v.every(isCount));
const isKeys = (v: unknown): boolean => Array.isArray(v) && v.every(isKey);
const isAddresses = (v: unknown): boolean => Array.isArray(v) && v.every((w) => typeof w === "string");
// zod's number() refuses NaN (and accepts ±Infinity): so does this.
const isNumber = (v: unknown): v is number => typeof v === "number" && !Number.isNaN(v);
const isOptional = (v: unknown, check: (v: unknown) => boolean): boolean => v === undefined || check(v);
const isResources = (v: unknown): boolean => v !== null && typeof v === "object" && !Array.isArray(v) &&
  Object.values(v as Raw).every((amount) => typeof amount === "number" && Number.isFinite(amount) && amount >= 0);
const knownActions: ReadonlySet<unknown> = new Set(startStopActions);

function isStartStops(v: unknown): boolean {
  if (!Array.isArray(v)) return false;
  for (const item of v) {
    if (item === null || typeof item !== "object") return false;
    const s = item as Raw;
    if (!knownActions.has(s.action) || !isNumber(s.start) || !isNumber(s.stop)) return false;
    if (s.source !== undefined && typeof s.source !== "string") return false;
  }
  return true;
}

function isDeps(v: unknown): boolean {
  if (!Array.isArray(v)) return false;
  for (const item of v) {
    if (item === null || typeof item !== "object") return false;
    const d = item as Raw;
    if (!isKey(d.key) || !isAddresses(d.whoHas) || !isBytes(d.nbytes)) return false;
  }
  return true;
}

/** A task of update-graph; like zod's default, a missing `f` becomes []. */
function isWireTask(v: unknown): boolean {
  if (v === null || typeof v !== "object") return false;
  const t = v as Raw;
  if (!isKey(t.key) || !isFunctionRef(t.fn) || !isFrames(t.f) || !isKeys(t.deps)) return false;
  if (!isOptional(t.retries, isCount) || !isOptional(t.priority, isNumber) || !isOptional(t.workers, isAddresses)) return false;
  if (!isOptional(t.allowOtherWorkers, (b) => typeof b === "boolean") || !isOptional(t.resources, isResources)) return false;
  if (t.f === undefined) t.f = [];
  return true;
}

const isSubmissionId = (v: unknown): boolean => typeof v === "string" && v.length > 0 && v.length <= 128;
/** An update-graph's `part`: { submission, index, last }. */
function isGraphPart(v: unknown): boolean {
  if (v === null || typeof v !== "object" || Array.isArray(v)) return false;
  const p = v as Raw;
  return isSubmissionId(p.submission) && isCount(p.index) && typeof p.last === "boolean";
}

const checks: Record<string, (m: Raw) => boolean> = {
  "compute-task": (m) => isKey(m.key) && isCount(m.runId) && Array.isArray(m.priority) && m.priority.every(isNumber) &&
    isFunctionRef(m.fn) && isFrames(m.f) && isDeps(m.deps) && typeof m.prefix === "string" && isOptional(m.resources, isResources),
  "task-started": (m) => isKeys(m.keys) && isNumber(m.start),
  "task-finished": (m) => isKey(m.key) && isCount(m.runId) && isBytes(m.nbytes) && typeof m.type === "string" && isStartStops(m.startstops) && isCount(m.thread) && (m.peakBytes === undefined || isBytes(m.peakBytes)),
  "key-in-memory": (m) => isKey(m.key) && isBytes(m.nbytes) && typeof m.type === "string" && isAddresses(m.whoHas),
  "free-keys": (m) => isKeys(m.keys) && isOptional(m.seq, isCount),
  "release-keys": (m) => isKeys(m.keys),
  reply: (m) => isCount(m.reqId) && typeof m.ok === "boolean" && isFrames(m.f) && m.error === undefined,
  "get-data": (m) => isCount(m.reqId) && isKeys(m.keys) && isFrames(m.f),
  "update-graph": (m) => isCount(m.reqId) && Array.isArray(m.tasks) && isKeys(m.wanted) &&
    isOptional(m.fifo, (b) => typeof b === "boolean") && isOptional(m.part, isGraphPart) && m.tasks.every(isWireTask) &&
    isOptional(m.layers, (layers) => Array.isArray(layers) && layers.every((layer) => blockLayerProblem(layer) === undefined) && layersProblem(layers as BlockLayer[]) === undefined),
  ping: (m) => isCount(m.reqId),
};

/** The message itself when a fast check accepts it (with `f` defaulted), else undefined. */
export function fastValidate(raw: unknown): Message | undefined {
  if (raw === null || typeof raw !== "object") return undefined;
  const message = raw as Raw;
  const check = checks[message.op as string];
  if (!check || !check(message)) return undefined;
  if (message.f === undefined) message.f = [];
  return message as unknown as Message;
}

/**
 * The message if the protocol accepts it (the fast checks first, then the schema), else why
 * not. Receivers run it on everything that arrives; a sender may run it first to fail one
 * call with the receiver's own reason instead of sending what would be refused.
 */
export function parseMessage(raw: unknown): { message: Message } | { problem: string } {
  const fast = fastValidate(raw);
  if (fast) return { message: fast };
  const parsed = messageSchema.safeParse(raw);
  if (parsed.success) return { message: parsed.data };
  const issue = parsed.error.issues[0];
  return { problem: `${issue?.message ?? "invalid"}${issue && issue.path.length > 0 ? ` at ${issue.path.join(".")}` : ""}` };
}
