/**
 * Adaptive scaling (Dask's Adaptive): every `interval` ask the scheduler how many workers
 * its load needs, clamp to [minimum, maximum], scale up at once, and scale down only after
 * `waitCount` consecutive ticks agree (hysteresis against oscillation).
 */
import { unixSeconds } from "../core/clock.js";
import { InvalidOptionError } from "../core/errors.js";
import { parseDuration } from "../core/units.js";
import { adaptiveTarget } from "../scheduler/policy/adaptive-target.js";
import type { SchedulerServer } from "../scheduler/server/scheduler-server.js";
import { createLogger } from "../core/log.js";

const fallbackLogger = createLogger("adaptive");

/** What adaptive scaling needs from a cluster. */
export interface ScalableCluster {
  /** The scheduler (its logger reports failed steps; its load gives the target unless `adaptiveTarget` is given). */
  readonly scheduler?: SchedulerServer;
  /** The target from a scheduler outside this process (a KubeCluster's scheduler pod). */
  adaptiveTarget?(targetDurationSeconds: number): Promise<number>;
  readonly requestedWorkers: number;
  scale(n: number): Promise<void>;
}

export interface AdaptOptions {
  minimum?: number;
  maximum?: number;
  interval?: number | string;
  targetDuration?: number | string;
  waitCount?: number;
}

export class Adaptive {
  readonly minimum: number;
  readonly maximum: number;
  private timer: NodeJS.Timeout;
  private downVotes = 0;
  private busy = false;
  lastTarget = 0;

  constructor(private readonly cluster: ScalableCluster, options: AdaptOptions) {
    if (!cluster.scheduler && !cluster.adaptiveTarget) throw new InvalidOptionError("adapt: the cluster has no scheduler to ask for a target");
    this.minimum = options.minimum ?? 0;
    this.maximum = options.maximum ?? Number.POSITIVE_INFINITY;
    if (this.minimum < 0 || this.maximum < this.minimum) {
      throw new InvalidOptionError(`adapt: need 0 ≤ minimum ≤ maximum, got minimum ${this.minimum}, maximum ${this.maximum}`);
    }
    const intervalMs = parseDuration(options.interval ?? "1s", "interval") * 1000;
    const targetDuration = parseDuration(options.targetDuration ?? "5s", "targetDuration");
    const waitCount = options.waitCount ?? 3;
    this.timer = setInterval(() => void this.step(targetDuration, waitCount), intervalMs);
    this.timer.unref();
    void this.step(targetDuration, waitCount);
  }

  private async step(targetDuration: number, waitCount: number): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      const wanted = await this.wantedWorkers(targetDuration);
      const target = Math.min(this.maximum, Math.max(this.minimum, wanted));
      this.lastTarget = target;
      const current = this.cluster.requestedWorkers;
      if (target > current) {
        this.downVotes = 0;
        await this.cluster.scale(target);
      } else if (target < current) {
        if (++this.downVotes >= waitCount) {
          this.downVotes = 0;
          await this.cluster.scale(target);
        }
      } else {
        this.downVotes = 0;
      }
    } catch (error) {
      (this.cluster.scheduler?.logger ?? fallbackLogger).error(`adaptive scaling failed at ${unixSeconds()}`, error);
    } finally {
      this.busy = false;
    }
  }

  private wantedWorkers(targetDuration: number): Promise<number> | number {
    if (this.cluster.adaptiveTarget) return this.cluster.adaptiveTarget(targetDuration);
    const state = this.cluster.scheduler!.state;
    return adaptiveTarget(state.runningWorkers(), [...state.queued.values()], state.noWorker.size, state.settings, targetDuration);
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
