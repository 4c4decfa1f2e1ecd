/** What the worker server offers its data-path helpers (worker-tasks.ts). */
import type { Connection, OutgoingMessage } from "../../comm/connection.js";
import type { ConnectionPool } from "../../comm/connection-pool.js";
import type { Logger } from "../../core/log.js";
import type { ThreadPool } from "../executor/thread-pool.js";
import type { DataStore } from "../memory/data-store.js";
import type { MemoryPolicy } from "../memory/memory-policy.js";
import type { TaskAdmission } from "../memory/task-admission.js";
import type { WorkerEvent } from "../state/worker-state.js";

export interface WorkerContext {
  readonly data: DataStore;
  /** Its memory limit and thresholds (serving get-data within them: data-serving.ts). */
  readonly memoryPolicy: MemoryPolicy;
  readonly pool: ConnectionPool;
  readonly threads: ThreadPool;
  readonly scheduler: Connection;
  readonly logger: Logger;
  dispatch(event: WorkerEvent): void;
  /** Sends to the scheduler while it is there (see WorkerServer.tell). */
  tell(message: OutgoingMessage): void;
  /** A task's measured peak memory, for the memory monitor's headroom (memory-monitor.ts). */
  recordTaskPeak(bytes: number): void;
  /** Admission by memory (task-admission.ts); absent: tasks start as soon as a slot is free. */
  readonly admission?: TaskAdmission | null;
}
