// The client layer's public surface (re-exported by the package entry point).
export { Client } from "./client.js";
export type { ClusterLike, ClientOptions, ClientTarget, SchedulerInfo, WorkerSummary } from "./client.js";
export { Future, CancelledError } from "./future.js";
export type { FutureStatus } from "./future.js";
export { wait, asCompleted, AsCompleted } from "./waiting.js";
export type { SubmitOptions } from "./task-builder.js";
export type { ScatterOptions } from "./data-transfer.js";
