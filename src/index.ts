// Public entry point `tessera`: clients, clusters, security and configuration.
import { Client } from "./client/client.js";
import { LocalCluster } from "./deploy/local-cluster.js";
import { writeProfileHtml } from "./dashboard/report/profile-html.js";
import type * as collections from "./array/collection-calls.js";

// Client.connect() with no address starts a LocalCluster, as in Dask; client.profile writes
// flame graphs with the dashboard's writer. Both are wired here, the one place above both layers.
Client.localClusterFactory = () => LocalCluster.start();
Client.profileHtmlWriter = writeProfileHtml;

export { Client } from "./client/client.js";
export type { ClusterLike, ClientOptions, SchedulerInfo, WorkerSummary } from "./client/client.js";
export { Future, CancelledError, wait, asCompleted, AsCompleted } from "./client/index.js";
export type { FutureStatus, SubmitOptions, MapOptions, ScatterOptions, WaitOptions, AsCompletedOptions, GatherOptions, CancelOptions } from "./client/index.js";
export { Lock, Semaphore, Queue, Variable, Event, Pub, Sub, fireAndForget } from "./client/index.js";
export type { LockAcquireOptions, SemaphoreOptions, QueueOptions, CoordinationClient, ReplicateOptions, RebalanceOptions } from "./client/index.js";
export { LocalCluster } from "./deploy/local-cluster.js";
export type { LocalClusterOptions } from "./deploy/local-cluster.js";
export { Cluster } from "./deploy/cluster.js";
export type { AdaptOptions } from "./deploy/adaptive.js";
export { Security } from "./comm/security.js";
export { config, ConfigError } from "./config/index.js";
export { performanceReport } from "./dashboard/report/performance-report.js";
export type { SecurityOptions } from "./comm/security.js";
export { SchedulerServer } from "./scheduler/server/scheduler-server.js";
export { WorkerServer } from "./worker/server/worker-server.js";
export { exportedFunctions, FunctionTravelError } from "./graph/function-travel.js";
// Tasks that submit tasks, plugins, logs and events, reconnection (issue 13).
export { getClient, workerClient, secede, rejoin } from "./client/worker-client.js";
export { exportedPlugins, PluginTravelError } from "./graph/plugin-travel.js";
export type { WorkerPlugin, WorkerPluginContext } from "./graph/plugin-travel.js";
export type { SchedulerPluginContext } from "./scheduler/server/plugin-registry.js";
export type { StoryEntry, TopicEvent, TopicHandler } from "./client/client-logs.js";
export { FuturesLostError } from "./client/reconnect.js";
export type { LogRecord, LogLevel } from "./core/log.js";
export type { Resources } from "./protocol/resources.js";
export { TesseraError, InvalidOptionError, TimeoutError, ClosedError } from "./core/errors.js";
export { CancelledCollectionError } from "./core/persisted-collection.js";
export { RemoteError } from "./protocol/payload.js";
// dask.delayed, dask.compute and dask.persist: delayed values, computed alone or with arrays in one graph.
export { delayed, Delayed } from "./delayed/index.js";
export type { DelayedOptions, DelayedCallOptions, DelayedFunction, DelayedExecuteOptions } from "./delayed/index.js";
// ta.compute and ta.persist, loaded on their first call: the array layer (~0.15 s and ~9 MB to load)
// stays out of `import "tessera"` for scripts that use only clients and futures.
export const compute = (async (...args: unknown[]) => (await import("./array/collection-calls.js")).compute(...(args as never[]))) as typeof collections.compute;
export const persist = (async (...args: unknown[]) => (await import("./array/collection-calls.js")).persist(...(args as never[]))) as typeof collections.persist;
