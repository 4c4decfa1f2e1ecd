/**
 * The scheduler's side of issue 13's features: worker plugins, scheduler plugins and
 * uploads registered by clients, workers' recent logs and log forwarding, events by topic,
 * stories of keys (scheduler and workers merged), restart, and wanting keys again after a
 * reconnection. Every op is accepted from one role only (`extensionOps`), and every peer has
 * proved it holds the cluster credential before any of this runs: plugins and uploads are
 * code, and only credential holders may send code.
 */
import { unixSeconds } from "../../core/clock.js";
import type { Connection } from "../../comm/connection.js";
import type { LogRing } from "../../core/log.js";
import { resolvePlugin } from "../../graph/plugin-travel.js";
import type { Message, MessageOf } from "../../protocol/messages.js";
import { fromWireError } from "../../protocol/payload.js";
import type { EventLog } from "./event-log.js";
import type { PluginRegistry, SchedulerPluginContext } from "./plugin-registry.js";
import type { SchedulerServerContext } from "./server-context.js";
import type { SchedulerView } from "./view.js";
import type { StoryEntry } from "../../protocol/story.js";

/** Which role may send each extension op. */
export const extensionOps = {
  worker: new Set(["long-running", "rejoined", "worker-setup-failed", "log-records", "log-event"]),
  client: new Set([
    "log-event", "register-worker-plugin", "unregister-worker-plugin", "register-scheduler-plugin", "upload-file", "get-worker-logs",
    "get-scheduler-logs", "get-events", "subscribe-topic", "unsubscribe-topic", "get-story", "forward-logging", "restart", "client-desires-keys",
    "get-unrunnable",
  ]),
};

export interface ExtensionContext extends SchedulerServerContext {
  readonly events: EventLog;
  readonly plugins: PluginRegistry;
  readonly logRing: LogRing;
  readonly view: SchedulerView;
  pluginContext(): SchedulerPluginContext;
  /** client.restart(): resolves once every worker is back, rejects naming those that are not. */
  restartCluster(timeoutSeconds: number): Promise<void>;
}

export interface ExtensionRequest {
  server: ExtensionContext;
  connection: Connection;
  role: "worker" | "client";
  /** The worker's address or the client's id. */
  peer: string;
}

const workerRequestTimeoutMs = 60_000;

/** Sends `message` to every worker (or those listed) and collects each answer or error, by address. */
type WorkerAnswer = { ok: true; result: unknown } | { ok: false; error: Error };

async function askWorkers(server: ExtensionContext, message: Parameters<Connection["request"]>[0], frames: Uint8Array[] = [], only?: readonly string[]): Promise<Map<string, WorkerAnswer>> {
  server.workerOutbox.flushAll(); // a story or log sees no key the scheduler has released
  const targets = [...server.workerConnections].filter(([address]) => {
    if (!only) return true;
    const worker = server.state.workers.get(address);
    return only.includes(address) || (worker !== undefined && only.includes(worker.identity.name));
  });
  const answers = await Promise.all(targets.map(async ([address, connection]): Promise<[string, WorkerAnswer]> => {
    try {
      const reply = await connection.request(message, frames, { timeoutMs: workerRequestTimeoutMs });
      return [address, { ok: true, result: reply.result }];
    } catch (error) {
      return [address, { ok: false, error: error as Error }];
    }
  }));
  return new Map(answers);
}

function workerName(server: ExtensionContext, address: string): string {
  return server.state.workers.get(address)?.identity.name ?? address;
}

/** Handles an extension op; false when `message` is none of them. */
export function handleExtensionMessage(message: Message, frames: Uint8Array[], request: ExtensionRequest): boolean {
  const { server, connection, peer } = request;
  const now = unixSeconds();
  const answer = (reqId: number, work: Promise<unknown>) => {
    work.then((result) => connection.reply(reqId, result ?? null), (error: unknown) => connection.replyError(reqId, error));
  };
  switch (message.op) {
    case "long-running":
      server.dispatch({ type: "task-long-running", address: peer, key: message.key, now });
      return true;
    case "rejoined":
      server.dispatch({ type: "task-rejoined", address: peer, key: message.key, now });
      return true;
    case "worker-setup-failed":
      setupFailed(server, peer, message.plugin, fromWireError(message.error).message);
      return true;
    case "log-records": {
      const name = workerName(server, peer);
      for (const record of message.records) server.events.add("forwarded-logging", { worker: peer, name, ...record }, now);
      return true;
    }
    case "log-event":
      server.events.add(message.topic, message.msg, now);
      return true;
    case "subscribe-topic":
      server.events.subscribe(message.topic, peer);
      return true;
    case "unsubscribe-topic":
      server.events.unsubscribe(message.topic, peer);
      return true;
    case "get-events":
      connection.reply(message.reqId, message.topic === undefined ? server.events.all() : server.events.get(message.topic));
      return true;
    case "get-scheduler-logs":
      connection.reply(message.reqId, server.logRing.last(message.n));
      return true;
    case "get-unrunnable":
      connection.reply(message.reqId, server.view.unrunnable());
      return true;
    case "get-worker-logs":
      answer(message.reqId, workerLogs(server, message));
      return true;
    case "get-story":
      answer(message.reqId, story(server, message.keys));
      return true;
    case "register-worker-plugin":
      answer(message.reqId, registerWorkerPlugin(server, message));
      return true;
    case "unregister-worker-plugin":
      server.plugins.workerPlugins.delete(message.name);
      answer(message.reqId, askWorkers(server, { op: "plugin-remove", name: message.name }).then(() => ({ ok: true })));
      return true;
    case "register-scheduler-plugin":
      answer(message.reqId, resolvePlugin(message.plugin).then((plugin) => server.plugins.addSchedulerPlugin(message.name, plugin, server.pluginContext())).then(() => ({ ok: true })));
      return true;
    case "upload-file":
      answer(message.reqId, uploadFile(server, message, frames));
      return true;
    case "forward-logging":
      server.plugins.logForwarding = message.level;
      for (const workerConnection of server.workerConnections.values()) workerConnection.send({ op: "set-log-forwarding", level: message.level });
      connection.reply(message.reqId, { ok: true });
      return true;
    case "restart":
      answer(message.reqId, server.restartCluster(message.timeout ?? 120).then(() => ({ ok: true })));
      return true;
    case "client-desires-keys": {
      const unknown = message.keys.filter((key) => !server.state.tasks.has(key));
      // An empty graph wanting known keys: the state re-attaches them to this client (and says where they are).
      server.dispatch({ type: "graph-submitted", clientId: peer, tasks: [], wanted: message.keys.filter((key) => server.state.tasks.has(key)), now });
      connection.reply(message.reqId, { unknown });
      return true;
    }
    default:
      return false;
  }
}

/** A worker's plugin failed at setup: out of the pool, logged, and announced on "worker-setup-failed". */
function setupFailed(server: ExtensionContext, address: string, plugin: string, message: string): void {
  const worker = server.state.workers.get(address);
  if (!worker || worker.status === "setup-failed") return;
  server.logger.error(`worker ${worker.identity.name} (${address}) is out of the pool: ${message}`);
  server.dispatch({ type: "worker-setup-failed", address, plugin, now: unixSeconds() });
  server.events.add("worker-setup-failed", { worker: address, name: worker.identity.name, plugin, error: message }, unixSeconds());
}

async function registerWorkerPlugin(server: ExtensionContext, message: MessageOf<"register-worker-plugin">): Promise<unknown> {
  server.plugins.workerPlugins.set(message.name, message.plugin);
  const answers = await askWorkers(server, { op: "plugin-add", name: message.name, plugin: message.plugin });
  const failed: string[] = [];
  for (const [address, answer] of answers) {
    if (answer.ok) continue;
    setupFailed(server, address, message.name, answer.error.message);
    failed.push(`${workerName(server, address)} (${address}): ${answer.error.message}`);
  }
  if (failed.length > 0) {
    throw new Error(`worker plugin "${message.name}" failed at setup on ${failed.length} of ${answers.size} workers, which take no tasks until they restart: ${failed.join("; ")}`);
  }
  return { workers: [...answers.keys()] };
}

async function uploadFile(server: ExtensionContext, message: MessageOf<"upload-file">, frames: Uint8Array[]): Promise<unknown> {
  const bytes = frames[0];
  if (!bytes) throw new Error(`upload ${message.filename} arrived without its content`);
  server.plugins.keepUpload(message.filename, message.url, bytes);
  const answers = await askWorkers(server, { op: "store-upload", filename: message.filename, url: message.url }, [bytes]);
  const failed = [...answers].filter(([, answer]) => !answer.ok).map(([address, answer]) => `${workerName(server, address)}: ${(answer as { error: Error }).error.message}`);
  if (failed.length > 0) throw new Error(`upload ${message.filename} failed on ${failed.length} of ${answers.size} workers: ${failed.join("; ")}`);
  return { workers: [...answers.keys()] };
}

async function workerLogs(server: ExtensionContext, message: MessageOf<"get-worker-logs">): Promise<Record<string, unknown>> {
  const answers = await askWorkers(server, { op: "get-logs", ...(message.n !== undefined ? { n: message.n } : {}) }, [], message.workers);
  const logs: Record<string, unknown> = {};
  for (const [address, answer] of answers) logs[address] = answer.ok ? answer.result : [{ time: unixSeconds(), level: "error", component: "scheduler", message: `could not read this worker's log: ${answer.error.message}` }];
  return logs;
}


/** Every recorded transition of `keys`, on the scheduler and on every worker, by time. */
async function story(server: ExtensionContext, keys: string[]): Promise<StoryEntry[]> {
  const wanted = new Set(keys);
  const entries: StoryEntry[] = server.state.transitions.story(wanted).map((entry) => ({ ...entry, where: "scheduler" }));
  const answers = await askWorkers(server, { op: "get-worker-story", keys });
  for (const [address, answer] of answers) {
    if (!answer.ok) continue;
    for (const entry of answer.result as Array<{ key: string; from: string; to: string; time: number; stimulus: string }>) {
      entries.push({ key: entry.key, from: entry.from, to: entry.to, where: address, worker: address, time: entry.time, stimulus: entry.stimulus });
    }
  }
  return entries.sort((a, b) => a.time - b.time);
}

/** A key's story without a client (the dashboard's task page): the same merge. */
export const keyStory = story;

/** One worker's recent log (the dashboard's worker page), or null when no worker has that address or name. */
export async function workerLog(server: ExtensionContext, worker: string, n?: number): Promise<Array<{ time: number; level: string; component: string; message: string }> | null> {
  const address = [...server.state.workers.values()].find((w) => w.address === worker || w.identity.name === worker)?.address;
  if (!address) return null;
  const answers = await askWorkers(server, { op: "get-logs", ...(n !== undefined ? { n } : {}) }, [], [address]);
  const answer = answers.get(address);
  if (!answer) return null;
  if (!answer.ok) throw answer.error;
  return answer.result as Array<{ time: number; level: string; component: string; message: string }>;
}
