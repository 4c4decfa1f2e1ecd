/**
 * Graphs arriving from clients, whole or in parts. A client sends a large graph as a
 * sequence of update-graph parts (tens of thousands of tasks each, acknowledged one by one),
 * so that no single message keeps this event loop busy for long: between two parts the
 * scheduler answers pings and heartbeats and serves other clients.
 *
 * Parts are held here, converted but not registered, until the last one arrives; then the
 * whole graph is taken in as one event, exactly as an unsplit graph is. So a submission that
 * is never completed (the client abandons it, a part is refused, the client goes away)
 * leaves nothing behind: dropping the held parts is all there is to undo. Keys the client
 * releases or cancels while its graph is still arriving are not wanted when it lands.
 */
import type { Connection } from "../../comm/connection.js";
import type { Message } from "../../protocol/messages.js";
import type { SchedulerEvent, SubmittedTask } from "../state/events.js";
import { submittedTasks } from "./message-events.js";

type GraphMessage = Extract<Message, { op: "update-graph" | "abandon-graph" }>;

/** The parts of one submission received so far. */
interface HeldGraph {
  parts: SubmittedTask[][];
  wanted: string[];
  /** Keys the client released or cancelled since the submission began. */
  unwanted: Set<string>;
  /** Tasks held (the sum of the parts' lengths). */
  tasks: number;
}

export class GraphAssembly {
  /** Held submissions by client id, then by submission id. */
  private readonly held = new Map<string, Map<string, HeldGraph>>();
  /** Parts taken in so far (diagnostics: a large graph arrives in many). */
  partsTaken = 0;

  /** `apply` takes a whole graph in and returns the error when the state machine failed on it. */
  constructor(private readonly apply: (event: SchedulerEvent) => Error | undefined) {}

  /** How many tasks are held in submissions not yet complete (all clients). */
  get heldTasks(): number {
    let total = 0;
    for (const submissions of this.held.values()) for (const graph of submissions.values()) total += graph.tasks;
    return total;
  }

  /** Takes an update-graph or abandon-graph from client `clientId`; answers update-graph requests. */
  receive(message: GraphMessage, frames: Uint8Array[], clientId: string, connection: Connection, now: number): void {
    if (message.op === "abandon-graph") {
      this.held.get(clientId)?.delete(message.submission);
      return;
    }
    const part = message.part;
    if (!part) {
      this.land(connection, message.reqId, { type: "graph-submitted", clientId, tasks: submittedTasks(message, frames), wanted: message.wanted, now });
      return;
    }
    const submissions = this.held.get(clientId) ?? new Map<string, HeldGraph>();
    this.held.set(clientId, submissions);
    const graph = submissions.get(part.submission) ?? { parts: [], wanted: [], unwanted: new Set<string>(), tasks: 0 };
    if (part.index !== graph.parts.length) {
      submissions.delete(part.submission);
      throw new Error(`part ${part.index} of graph submission "${part.submission}" arrived where part ${graph.parts.length} was expected; the whole submission is dropped`);
    }
    let tasks: SubmittedTask[];
    try {
      tasks = submittedTasks(message, frames);
    } catch (error) {
      submissions.delete(part.submission);
      throw new Error(`part ${part.index} of graph submission "${part.submission}" was refused, and the whole submission with it: ${(error as Error).message}`, { cause: error });
    }
    graph.parts.push(tasks);
    this.partsTaken++;
    graph.tasks += tasks.length;
    for (const key of message.wanted) graph.wanted.push(key);
    if (!part.last) {
      submissions.set(part.submission, graph);
      connection.reply(message.reqId, null);
      return;
    }
    submissions.delete(part.submission);
    if (submissions.size === 0) this.held.delete(clientId);
    const wanted = graph.unwanted.size === 0 ? graph.wanted : graph.wanted.filter((key) => !graph.unwanted.has(key));
    this.land(connection, message.reqId, { type: "graph-submitted", clientId, tasks: graph.parts.flat(), wanted, now });
  }

  /** The client no longer wants these keys: its graphs still arriving will not want them either. */
  unwant(clientId: string, keys: readonly string[]): void {
    const submissions = this.held.get(clientId);
    if (!submissions) return;
    for (const graph of submissions.values()) for (const key of keys) graph.unwanted.add(key);
  }

  /** The client has gone: its incomplete submissions are dropped. */
  dropClient(clientId: string): void {
    this.held.delete(clientId);
  }

  private land(connection: Connection, reqId: number, event: Extract<SchedulerEvent, { type: "graph-submitted" }>): void {
    const failure = this.apply(event);
    // The client's futures of this graph wait for this answer only if it is a refusal.
    if (failure) connection.replyError(reqId, new Error(`the scheduler could not take this graph: ${failure.message}`, { cause: failure }));
    else connection.reply(reqId, null);
  }
}
