// The client layer's public surface (re-exported by the package entry point).
export { Client } from "./client.js";
export type { ClusterLike, ClientOptions, ClientTarget, SchedulerInfo, WorkerSummary } from "./client.js";
export { Future, CancelledError } from "./future.js";
export type { FutureStatus } from "./future.js";
export { wait, asCompleted, AsCompleted } from "./waiting.js";
export type { SubmitOptions } from "./task-builder.js";
export type { ScatterOptions } from "./data-transfer.js";
export { Lock } from "./coordination/lock.js";
export type { LockAcquireOptions } from "./coordination/lock.js";
export { Semaphore } from "./coordination/semaphore.js";
export type { SemaphoreOptions } from "./coordination/semaphore.js";
export { Queue } from "./coordination/queue.js";
export { Variable } from "./coordination/variable.js";
export { Event } from "./coordination/event.js";
export { Pub, Sub } from "./coordination/pubsub.js";
export type { CoordinationClient } from "./coordination/coordination-client.js";
export { fireAndForget } from "./futures-api.js";
export type { ReplicateOptions } from "./futures-api.js";
