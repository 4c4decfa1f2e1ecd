/**
 * What a scheduler extension is and what it gets from the scheduler server. An extension
 * owns the state of one coordination primitive (locks and semaphores, queues, variables,
 * events, pub/sub topics, datasets) or of one maintenance task (fire-and-forget, replica
 * management), serves the requests of its ops, and hears when a peer goes away. It reads the
 * scheduler's state and changes it only through events (`dispatch`), like everything else.
 */
import type { Connection, OutgoingMessage } from "../../../comm/connection.js";
import { TesseraError } from "../../../core/errors.js";
import type { Logger } from "../../../core/log.js";
import type { CoordinationOp, Handlers } from "../../../protocol/messages.js";
import type { SchedulerEvent } from "../../state/events.js";
import type { SchedulerState } from "../../state/scheduler-state.js";

/** Who sent a request, and where to answer. */
export interface PeerRequest {
  connection: Connection;
  role: "client" | "worker";
  /** The client's id or the worker's address. */
  peer: string;
}

export interface ExtensionHost {
  /** Read only: changes go through dispatch(). */
  readonly state: SchedulerState;
  readonly logger: Logger;
  dispatch(event: SchedulerEvent): void;
  /** Sends to a connected worker (dropped when it is gone). */
  sendToWorker(address: string, message: OutgoingMessage): void;
}

export interface SchedulerExtension<O extends CoordinationOp = CoordinationOp> {
  readonly handlers: Handlers<O, PeerRequest>;
  /** A client disconnected or a worker left: drop what it waited for or subscribed to. */
  peerGone?(peer: string): void;
  /** Called after the state machine handled an event (and its commands were carried out). */
  afterEvent?(event: SchedulerEvent): void;
  /** Stops timers; called once when the scheduler closes. */
  close?(): void;
}

/** Messages the state addressed to a key holder of an extension (see key-holders.ts). */
export type HolderMessage = OutgoingMessage;

/** A coordination request that cannot be served as asked (its message names the thing and what to do). */
export class CoordinationError extends TesseraError {
  override name = "CoordinationError";
}

/** Answers request `reqId` with what `work` returns, or with the error it raises. */
export function answer(request: PeerRequest, reqId: number, work: () => unknown): void {
  let result: unknown;
  try {
    result = work();
  } catch (error) {
    request.connection.replyError(reqId, error);
    return;
  }
  request.connection.reply(reqId, result ?? null);
}

/** A request a peer may only make as a client (it concerns futures, which only clients own). */
export function requireClient(request: PeerRequest, what: string): void {
  if (request.role !== "client") throw new CoordinationError(`${what} needs a client connection (futures belong to clients)`);
}
