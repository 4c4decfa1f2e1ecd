/**
 * What the scheduler server offers the modules that serve requests and build views, so
 * they depend on this description rather than on the server class itself.
 */
import type { Connection } from "../../comm/connection.js";
import type { Logger } from "../../core/log.js";
import type { ObservedRecord } from "../state/commands.js";
import type { SchedulerEvent } from "../state/events.js";
import type { SchedulerState } from "../state/scheduler-state.js";
import type { TaskStreamLog } from "./task-stream.js";
import type { ProfileStore } from "./profile-store.js";
import type { SchedulerExtensions } from "./extensions/scheduler-extensions.js";
import type { WorkerOutbox } from "./worker-outbox.js";

export interface SchedulerPlugin {
  onRecord?(record: ObservedRecord): void;
  close?(): void | Promise<void>;
}

export interface SchedulerServerContext {
  readonly id: string;
  readonly address: string;
  readonly started: number;
  readonly services: Record<string, number>;
  readonly state: SchedulerState;
  readonly taskStream: TaskStreamLog;
  readonly profiles: ProfileStore;
  readonly workerConnections: ReadonlyMap<string, Connection>;
  /** Released keys waiting to go to workers: flushed before a message that bypasses it. */
  readonly workerOutbox: Pick<WorkerOutbox, "flushAll" | "cancel" | "sentTo">;
  readonly extensions: SchedulerExtensions;
  readonly logger: Logger;
  retireWorkers(addresses: readonly string[]): Promise<void>;
  dispatch(event: SchedulerEvent): void;
  observe(record: ObservedRecord): void;
  addPlugin(plugin: SchedulerPlugin): void;
}
