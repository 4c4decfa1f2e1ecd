/**
 * What can happen to a worker, as data (events), and what its state machine asks the server
 * to do (commands): the vocabulary of worker-state.ts, as events.ts and commands.ts are the
 * scheduler's.
 */
import type { OutgoingMessage } from "../../comm/connection.js";
import type { FunctionRef } from "../../protocol/function-ref.js";
import type { DepLocation, StartStop } from "../../protocol/messages.js";
import type { WireError } from "../../protocol/payload.js";
import type { Resources } from "../../protocol/resources.js";

export type WorkerEvent =
  | { type: "compute-task"; key: string; runId: number; priority: number[]; fn: FunctionRef; args: unknown; frames: Uint8Array[]; deps: DepLocation[]; prefix: string; resources?: Resources }
  /**
   * `seq`: the message's number on the scheduler's link (see data-received's afterFreeKeys).
   * `withdrawn`: keys whose calls were taken back from their threads, not started (WorkerState.needsWithdrawal).
   */
  | { type: "free-keys"; keys: string[]; seq?: number; withdrawn?: string[] }
  /** `withdrawn`: the task's call was taken back from its thread, not started (WorkerState.needsWithdrawal). */
  | { type: "steal-request"; key: string; withdrawn?: boolean }
  | { type: "acquire-replicas"; deps: DepLocation[] }
  | { type: "execute-success"; key: string; nbytes: number; dataType: string; startstops: StartStop[]; thread: number; peakBytes?: number }
  | { type: "execute-failure"; key: string; error: WireError; startstops: StartStop[]; thread: number }
  /** Keys asked of `peer` and not among `received` count as missing there. */
  | { type: "fetch-success"; peer: string; received: Array<{ key: string; nbytes: number }> }
  | { type: "fetch-failure"; peer: string }
  /**
   * A client's scatter put data here (update-data). `afterFreeKeys`: how many free-keys the
   * scheduler had sent this worker when the client asked where to scatter; those are about
   * earlier copies, and none of them drops this data, however late it arrives.
   */
  | { type: "data-received"; received: Array<{ key: string; nbytes: number }>; afterFreeKeys?: number }
  /**
   * The data store dropped keys it could not read back (their spill files were damaged or
   * gone): they are lost here, and the scheduler is told so that it recomputes them.
   */
  | { type: "data-lost"; keys: string[]; reason: string }
  /**
   * A task could not start because inputs were lost (`keys`: those the store no longer holds).
   * When they are its dependencies it waits again, and the scheduler, told of the loss, gives
   * it fresh inputs or frees it; otherwise (arguments naming keys it does not depend on) it
   * fails with `error`.
   */
  | { type: "inputs-lost"; key: string; keys: string[]; error: WireError; startstops: StartStop[]; thread: number }
  | { type: "pause" }
  | { type: "resume" }
  /**
   * Paused with memory that cannot fall by itself: the tasks not yet started fail with
   * `error`, and so does every task sent until the worker resumes (failing fast instead of
   * hanging: the user sees why at once).
   */
  | { type: "memory-exhausted"; error: WireError }
  /** The running task `key` waits on other tasks and gives its thread slot back (Dask's secede). */
  | { type: "secede"; key: string }
  /** The seceded task `key` wants a thread slot again; answered by a "rejoined" command. */
  | { type: "rejoin"; key: string };

export type WorkerCommand =
  | { type: "execute"; key: string; fn: FunctionRef; args: unknown; frames: Uint8Array[]; prefix: string }
  /** `nbytes`: what the keys are expected to take (the scheduler's sizes), for the admission (task-admission.ts). */
  | { type: "fetch"; peer: string; keys: string[]; nbytes: number }
  | { type: "send"; message: OutgoingMessage }
  | { type: "forget-data"; keys: string[] }
  /** The seceded task `key` has its thread slot again: let it go on. */
  | { type: "rejoined"; key: string };
