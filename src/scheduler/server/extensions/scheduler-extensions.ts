/**
 * The scheduler's extensions, created together and reached through one object: it routes
 * each coordination op to the extension that serves it (a table checked by the compiler:
 * an op without a handler does not build), tells them when a peer leaves and after every
 * event, delivers what the state sends to key holders, and closes them with the scheduler.
 */
import { InvalidOptionError } from "../../../core/errors.js";
import { coordinationOps, type CoordinationOp, type Handlers, type Message, type MessageOf } from "../../../protocol/messages.js";
import { defaultRebalanceSettings } from "../../policy/rebalance.js";
import { refuseUnknownKeys } from "../../../ndarray/option-keys.js";
import type { SchedulerEvent } from "../../state/events.js";
import { DatasetExtension } from "./dataset-extension.js";
import { EventExtension } from "./event-extension.js";
import type { ExtensionHost, HolderMessage, PeerRequest, SchedulerExtension } from "./extension-host.js";
import { FireAndForgetExtension } from "./fire-and-forget-extension.js";
import { KeyHolders, isHolderId } from "./key-holders.js";
import { LeaseExtension, defaultLeaseOptions, type LeaseOptions } from "./lease-extension.js";
import type { SemaphoreStats } from "./lease-table.js";
import { PubSubExtension } from "./pubsub-extension.js";
import { QueueExtension } from "./queue-extension.js";
import { ReplicaExtension, type ReplicaOptions } from "./replica-extension.js";
import { RetryExtension } from "./retry-extension.js";
import { TaskTallies } from "./task-tallies.js";
import { VariableExtension } from "./variable-extension.js";

export interface ExtensionOptions extends LeaseOptions, ReplicaOptions {}

export const defaultExtensionOptions: ExtensionOptions = {
  ...defaultLeaseOptions,
  activeMemoryManager: true,
  activeMemoryManagerInterval: 2,
  rebalance: defaultRebalanceSettings,
  copyTimeout: 300,
};

/** The options with defaults filled in; refuses values that cannot work, naming them. */
export function resolveExtensionOptions(options: Partial<ExtensionOptions> = {}): ExtensionOptions {
  // A misspelt option would otherwise run with the default in its place.
  refuseUnknownKeys(options, Object.keys(defaultExtensionOptions), "schedulerExtensions");
  if (options.rebalance) refuseUnknownKeys(options.rebalance, Object.keys(defaultRebalanceSettings), "schedulerExtensions.rebalance");
  const resolved = { ...defaultExtensionOptions, ...options, rebalance: { ...defaultRebalanceSettings, ...options.rebalance } };
  const positive = ["leaseTimeout", "leaseValidationInterval", "activeMemoryManagerInterval", "copyTimeout"] as const;
  for (const name of positive) {
    if (!(Number.isFinite(resolved[name]) && resolved[name] > 0)) throw new InvalidOptionError(`${name} must be a positive number of seconds, got ${String(resolved[name])}`);
  }
  if (resolved.leaseValidationInterval >= resolved.leaseTimeout) {
    throw new InvalidOptionError(`leaseValidationInterval (${resolved.leaseValidationInterval} s) must be below leaseTimeout (${resolved.leaseTimeout} s), or leases would expire between refreshes`);
  }
  for (const [name, value] of Object.entries(resolved.rebalance)) {
    if (!(Number.isFinite(value) && value >= 0)) throw new InvalidOptionError(`rebalance.${name} must be a non-negative fraction of the memory limit, got ${String(value)}`);
  }
  return resolved;
}

/** What the dashboard's metrics read. */
export interface ExtensionStats {
  semaphores: SemaphoreStats[];
  /** Times tasks were marked suspicious, per task prefix, since the scheduler started. */
  suspiciousByPrefix: ReadonlyMap<string, number>;
}

export class SchedulerExtensions {
  readonly holders: KeyHolders;
  readonly leases: LeaseExtension;
  readonly replicas: ReplicaExtension;
  readonly fireAndForget: FireAndForgetExtension;
  readonly pubsub: PubSubExtension;
  readonly tallies: TaskTallies;
  private readonly all: Array<Omit<SchedulerExtension, "handlers">>;
  private readonly routes: Handlers<CoordinationOp, PeerRequest>;
  private readonly ops: ReadonlySet<string> = new Set(coordinationOps);

  constructor(host: ExtensionHost, options: ExtensionOptions) {
    this.holders = new KeyHolders(host);
    this.leases = new LeaseExtension(host, options);
    this.replicas = new ReplicaExtension(host, options);
    this.fireAndForget = new FireAndForgetExtension(this.holders);
    this.pubsub = new PubSubExtension();
    this.tallies = new TaskTallies(host);
    const queues = new QueueExtension(this.holders);
    const variables = new VariableExtension(this.holders);
    const events = new EventExtension();
    const datasets = new DatasetExtension(this.holders);
    const retry = new RetryExtension(host);
    // Those with a lifecycle (peers leaving, events, timers); the others only answer requests.
    this.all = [this.leases, this.replicas, this.pubsub, this.tallies, queues, variables, events];
    this.routes = {
      ...this.leases.handlers, ...queues.handlers, ...variables.handlers, ...events.handlers, ...this.pubsub.handlers,
      ...datasets.handlers, ...this.fireAndForget.handlers, ...retry.handlers, ...this.replicas.handlers,
    };
  }

  handles(op: string): op is CoordinationOp {
    return this.ops.has(op);
  }

  handle(message: Message, frames: Uint8Array[], request: PeerRequest): void {
    const handler = this.routes[message.op as CoordinationOp] as (message: MessageOf<CoordinationOp>, frames: Uint8Array[], request: PeerRequest) => void;
    handler(message as MessageOf<CoordinationOp>, frames, request);
  }

  /** A message the state addressed to a client that is not connected: a key holder's, if any. */
  deliverToHolder(clientId: string, message: HolderMessage): void {
    if (isHolderId(clientId)) this.holders.deliver(clientId, message);
  }

  peerGone(peer: string): void {
    for (const extension of this.all) extension.peerGone?.(peer);
  }

  afterEvent(event: SchedulerEvent): void {
    for (const extension of this.all) extension.afterEvent?.(event);
  }

  stats(): ExtensionStats {
    return { semaphores: this.leases.stats(), suspiciousByPrefix: this.tallies.suspiciousByPrefix };
  }

  close(): void {
    for (const extension of this.all) extension.close?.();
  }
}
