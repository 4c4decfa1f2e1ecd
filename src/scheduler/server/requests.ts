/**
 * Requests the scheduler answers directly (not state events): information, locations,
 * functions run on every worker or on the scheduler, retirement, adaptive targets and the
 * task stream. Every requester has authenticated; functions they send run only then.
 */
import { unixSeconds } from "../../core/clock.js";
import type { Connection } from "../../comm/connection.js";
import { runTask } from "../../graph/task-runner.js";
import type { Message } from "../../protocol/messages.js";
import { unpackPayload } from "../../protocol/payload.js";
import { adaptiveTarget } from "../policy/adaptive-target.js";
import type { WorkerState } from "../state/entities.js";
import type { SchedulerServerContext } from "./server-context.js";
import { workerInfo } from "./view.js";

export interface RequestContext {
  server: SchedulerServerContext;
  connection: Connection;
  role: "worker" | "client";
  peer: string;
}

/** Whether a list of workers given by address or by name includes this one. */
function listsWorker(list: readonly string[], worker: WorkerState): boolean {
  return list.includes(worker.address) || list.includes(worker.identity.name);
}

export function handleSchedulerRequest(message: Message, frames: Uint8Array[], context: RequestContext): void {
  const { server, connection } = context;
  const state = server.state;
  switch (message.op) {
    case "goodbye":
      connection.peerInfo.lastWords = message.reason;
      return;
    case "heartbeat-client":
      return;
    case "profile-samples":
      // Malformed samples are dropped; they are not worth losing the worker over.
      server.profiles.add(context.peer, message.samples);
      return;
    case "transfer-log":
      for (const transfer of message.transfers) {
        server.observe({ kind: "transfer", worker: context.peer, from: transfer.from, keys: transfer.keys, bytes: transfer.bytes, start: transfer.start, stop: transfer.stop });
      }
      return;
    case "worker-warning": {
      const name = state.workers.get(context.peer)?.identity.name ?? context.peer;
      server.logger.warn(`worker ${name}: ${message.message}`);
      server.observe({ kind: "worker-warning", worker: context.peer, message: message.message, time: unixSeconds() });
      return;
    }
    case "close-client":
      connection.close();
      return;
    case "scatter-placed":
      for (const { key, worker } of message.placed) server.workerOutbox.cancel(worker, [key]);
      server.dispatch({ type: "data-scattered", clientId: context.peer, placed: message.placed, now: unixSeconds() });
      connection.reply(message.reqId, { ok: true });
      return;
    case "who-has": {
      const result: Record<string, string[]> = {};
      for (const key of message.keys) result[key] = state.tasks.get(key)?.whoHas.map((w) => w.address) ?? [];
      connection.reply(message.reqId, result);
      return;
    }
    case "scheduler-info":
      // A scatter asks this first, then sends update-data straight to workers on connections
      // of its own: the free-keys sent (or still waiting in the outbox) for a key it places
      // again may reach the worker after the new copy. Each worker's count of free-keys sent
      // rides with the update-data, and the worker lets none of those drop it.
      server.workerOutbox.flushAll();
      connection.reply(message.reqId, {
        type: "Scheduler", id: server.id, address: server.address, services: server.services, started: server.started,
        workers: Object.fromEntries([...state.workers.values()].map((w) => [w.address, { ...workerInfo(w), freeKeysSent: server.workerOutbox.sentTo(w.address) }])),
      });
      return;
    case "run-on-scheduler": {
      const args = unpackPayload(message.args, frames) as unknown[];
      runTask(message.fn, args).then(
        (result) => connection.replyValue(message.reqId, result, "the value returned by the function run on the scheduler"),
        (error: unknown) => connection.replyError(message.reqId, error),
      );
      return;
    }
    case "run-on-workers": {
      const { workers } = message;
      const targets = [...server.workerConnections.entries()].filter(([address]) => {
        if (!workers) return true;
        const worker = state.workers.get(address);
        return worker ? listsWorker(workers, worker) : workers.includes(address);
      });
      server.workerOutbox.flushAll(); // the function sees no key the scheduler has released
      Promise.all(targets.map(async ([address, workerConnection]) => {
        const reply = await workerConnection.request({ op: "run-function", fn: message.fn, args: message.args }, frames);
        return [address, unpackPayload(reply.result, reply.frames)] as const;
      })).then(
        (results) => connection.replyValue(message.reqId, Object.fromEntries(results), "the values returned by the function run on the workers"),
        (error: unknown) => connection.replyError(message.reqId, error),
      );
      return;
    }
    case "retire-workers": {
      // `n` retires the workers holding the least data; otherwise the ones named.
      const { workers, n } = message;
      const all = [...state.workers.values()];
      const chosen = n !== undefined
        ? all.sort((a, b) => a.storedBytes - b.storedBytes).slice(0, n)
        : all.filter((w) => workers !== undefined && listsWorker(workers, w));
      const addresses = chosen.map((w) => w.address);
      void server.retireWorkers(addresses).then(() => connection.reply(message.reqId, { retired: addresses }));
      return;
    }
    case "adaptive-target":
      connection.reply(message.reqId, {
        target: adaptiveTarget(state.runningWorkers(), state.queued.values(), state.noWorker.size, state.settings, message.targetDuration),
        workers: [...state.workers.values()].map(workerInfo),
      });
      return;
    case "subscribe-events":
      connection.reply(message.reqId, { ok: true });
      return;
    case "get-task-stream":
      connection.reply(message.reqId, server.taskStream.tasksSince(message.since ?? 0, message.count));
      return;
    case "get-profile":
      connection.reply(message.reqId, server.profiles.query({
        ...(message.since !== undefined ? { since: message.since } : {}),
        ...(message.prefix !== undefined ? { prefix: message.prefix } : {}),
      }));
      return;
    case "get-transfer-log": {
      const since = message.since ?? 0;
      const transfers = server.taskStream.all().filter((record) => record.kind === "transfer" && record.stop >= since);
      connection.reply(message.reqId, message.count !== undefined ? transfers.slice(-message.count) : transfers);
      return;
    }
    default:
      throw new Error(`unexpected "${message.op}"`);
  }
}
