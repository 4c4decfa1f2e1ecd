// What the queued-task tests (queued-task-free, queued-task-steal, worker-heartbeat) share: their
// one-thread cluster, what they read of the scheduler's view of its workers, and how they wait
// for it: on heartbeats and files, not on timers.
import { after, before } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client, LocalCluster } from "../../../src/index.js";

export interface OneThreadCluster {
  cluster: LocalCluster;
  client: Client;
  /** A scratch directory the tasks and the test signal each other through. */
  readonly dir: string;
}

/**
 * For the enclosing describe block: a LocalCluster of one worker with one thread (so a second
 * task can only queue behind the running one), its client and a scratch directory, all closed
 * and removed after the block.
 */
export function oneThreadCluster(directoryPrefix: string): OneThreadCluster {
  const fixture = { dir: mkdtempSync(join(tmpdir(), directoryPrefix)) } as OneThreadCluster;
  before(async () => {
    fixture.cluster = await LocalCluster.start({ nWorkers: 1, threadsPerWorker: 1, dashboardAddress: false });
    fixture.client = await Client.connect(fixture.cluster);
  });
  after(async () => {
    await fixture.client?.close();
    await fixture.cluster?.close();
    rmSync(fixture.dir, { recursive: true, force: true });
  });
  return fixture;
}

/** The scheduler's view of a worker as the tests read it: the last heartbeat's time and metrics. */
export interface WorkerView {
  lastSeen: number;
  processing: number;
  metrics: { executing?: number; ready?: number };
}

export async function untilExists(file: string): Promise<void> {
  while (!existsSync(file)) await new Promise((resolve) => setTimeout(resolve, 5));
}

/** Every worker's view once each has sent a heartbeat after `since` (seconds). */
export async function heartbeatsAfter(client: Client, since: number): Promise<WorkerView[]> {
  for (;;) {
    // The scheduler sends its whole view of each worker (scheduler/server/view.ts workerInfo).
    const workers = Object.values((await client.refreshSchedulerInfo()).workers) as unknown as WorkerView[];
    if (workers.every((worker) => worker.lastSeen > since)) return workers;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The first worker's view once it has sent a heartbeat after `since` (seconds). */
export async function heartbeatAfter(client: Client, since: number): Promise<WorkerView> {
  return (await heartbeatsAfter(client, since))[0];
}

/**
 * The first worker's view once it holds two tasks and none is ready there: the second was
 * queued on its thread behind the first (run-queue.ts slots()), as a heartbeat sent after the
 * scheduler had handed both over shows.
 */
export async function untilQueuedBehindRunning(client: Client): Promise<WorkerView> {
  let seen = await heartbeatAfter(client, 0);
  while (seen.processing < 2) seen = await heartbeatAfter(client, seen.lastSeen);
  seen = await heartbeatAfter(client, seen.lastSeen);
  for (let beats = 0; seen.metrics.ready !== 0; beats++) {
    assert.ok(beats < 40, "the second task stays ready on the worker: it was not queued behind the first");
    seen = await heartbeatAfter(client, seen.lastSeen);
  }
  return seen;
}
