/**
 * Graphs arriving from clients, whole or in parts. A client sends a large graph as a
 * sequence of update-graph parts (tens of thousands of tasks each, acknowledged one by one),
 * so that no single message keeps this event loop busy for long: between two parts the
 * scheduler answers pings and heartbeats and serves other clients.
 *
 * Each part is staged by the state machine as it arrives (its tasks registered but inert:
 * state/graph-staging.ts); the graph is completed (ordered, its outputs wanted) in a turn of
 * its own after the last part. A submission that is not completed (the client abandons it,
 * a part is refused or out of order, the client goes away) is abandoned: its inert tasks
 * are forgotten, and nothing of it remains. Keys the client releases or cancels while its
 * graph is still arriving are not wanted when it completes.
 */
import type { Connection } from "../../comm/connection.js";
import { unixSeconds } from "../../core/clock.js";
import type { Message } from "../../protocol/messages.js";
import type { SchedulerEvent } from "../state/events.js";
import { submittedPart, submittedTasks } from "./message-events.js";

type GraphMessage = Extract<Message, { op: "update-graph" | "abandon-graph" }>;

/** What the server keeps of one submission still arriving (the tasks are in the state). */
interface Arriving {
  /** The index the next part must have. */
  next: number;
  wanted: string[];
  /** Keys the client released or cancelled since the submission began. */
  unwanted: Set<string>;
  /** Tasks received so far. */
  tasks: number;
}

export class GraphAssembly {
  /** Submissions still arriving, by client id, then by submission id. */
  private readonly arriving = new Map<string, Map<string, Arriving>>();
  /** Parts taken in so far (diagnostics: a large graph arrives in many). */
  partsTaken = 0;

  /** `apply` hands an event to the state machine and returns the error when it failed on it. */
  constructor(private readonly apply: (event: SchedulerEvent) => Error | undefined) {}

  /** How many tasks have arrived in submissions not yet complete (all clients). */
  get heldTasks(): number {
    let total = 0;
    for (const submissions of this.arriving.values()) for (const graph of submissions.values()) total += graph.tasks;
    return total;
  }

  /** Takes an update-graph or abandon-graph from client `clientId`; answers update-graph requests. */
  receive(message: GraphMessage, frames: Uint8Array[], clientId: string, connection: Connection, now: number): void {
    if (message.op === "abandon-graph") {
      this.abandon(clientId, message.submission, now);
      return;
    }
    const part = message.part;
    if (!part) {
      this.answer(connection, message.reqId, this.apply({ type: "graph-submitted", clientId, tasks: submittedTasks(message, frames), wanted: message.wanted, now }));
      return;
    }
    const submissions = this.arriving.get(clientId) ?? new Map<string, Arriving>();
    this.arriving.set(clientId, submissions);
    const graph = submissions.get(part.submission) ?? { next: 0, wanted: [], unwanted: new Set<string>(), tasks: 0 };
    submissions.set(part.submission, graph);
    const refuse = (problem: string, cause?: unknown): never => {
      this.abandon(clientId, part.submission, now);
      throw new Error(`part ${part.index} of graph submission "${part.submission}" ${problem}`, { cause });
    };
    if (part.index !== graph.next) refuse(`arrived where part ${graph.next} was expected; the whole submission is dropped`);
    let taken;
    try {
      taken = submittedPart(message, frames);
    } catch (error) {
      refuse(`was refused, and the whole submission with it: ${(error as Error).message}`, error);
    }
    const { tasks, layers, count } = taken as NonNullable<typeof taken>;
    const failure = this.apply({ type: "graph-part", clientId, submission: part.submission, tasks, layers, now });
    if (failure) refuse(`could not be taken in, and the whole submission is dropped: ${failure.message}`, failure);
    graph.next++;
    graph.tasks += count;
    this.partsTaken++;
    for (const key of message.wanted) graph.wanted.push(key);
    if (!part.last) {
      connection.reply(message.reqId, null);
      return;
    }
    // Completed in a turn of its own: pings and other messages waiting are served first (a
    // release among them still counts: the submission is arriving until it completes).
    setImmediate(() => {
      if (this.arriving.get(clientId)?.get(part.submission) !== graph) {
        // Abandoned in between (the client has gone, or sent a stray part of it).
        connection.replyError(message.reqId, new Error(`graph submission "${part.submission}" was abandoned before it completed`));
        return;
      }
      submissions.delete(part.submission);
      if (submissions.size === 0) this.arriving.delete(clientId);
      const wanted = graph.unwanted.size === 0 ? graph.wanted : graph.wanted.filter((key) => !graph.unwanted.has(key));
      this.answer(connection, message.reqId, this.apply({ type: "graph-completed", clientId, submission: part.submission, wanted, now: unixSeconds() }));
    });
  }

  /** The client no longer wants these keys: its graphs still arriving will not want them either. */
  unwant(clientId: string, keys: readonly string[]): void {
    const submissions = this.arriving.get(clientId);
    if (!submissions) return;
    for (const graph of submissions.values()) for (const key of keys) graph.unwanted.add(key);
  }

  /** The client has gone: the state machine abandons its staged graphs with the client. */
  dropClient(clientId: string): void {
    this.arriving.delete(clientId);
  }

  private abandon(clientId: string, submission: string, now: number): void {
    const submissions = this.arriving.get(clientId);
    if (!submissions?.delete(submission)) return;
    if (submissions.size === 0) this.arriving.delete(clientId);
    this.apply({ type: "graph-abandoned", clientId, submission, now });
  }

  private answer(connection: Connection, reqId: number, failure: Error | undefined): void {
    // The client's futures of this graph wait for this answer only if it is a refusal.
    if (failure) connection.replyError(reqId, new Error(`the scheduler could not take this graph: ${failure.message}`, { cause: failure }));
    else connection.reply(reqId, null);
  }
}
