/**
 * A worker's abstract resources (`--resources "GPU=2"`): what it offers and what its running
 * tasks hold. A task starts only once every amount it asks for is free (Dask's worker
 * `available_resources`), so the worker never runs more GPU tasks than it has GPUs.
 */
import { describeResources, type Resources } from "../../protocol/resources.js";

export class ResourcePool {
  private readonly available = new Map<string, number>();

  constructor(readonly offered: Readonly<Resources> = {}) {
    for (const [name, amount] of Object.entries(offered)) this.available.set(name, amount);
  }

  /** Why this worker can never run a task needing `need` (it offers too little), or undefined. */
  neverFits(need: Resources | undefined): string | undefined {
    if (!need) return undefined;
    for (const [name, amount] of Object.entries(need)) {
      if ((this.offered[name] ?? 0) < amount) {
        const offered = Object.keys(this.offered).length > 0 ? describeResources(this.offered as Resources) : "no resources";
        return `the task needs ${name}=${amount} but this worker offers ${offered}`;
      }
    }
    return undefined;
  }

  canTake(need: Resources | undefined): boolean {
    if (!need) return true;
    for (const [name, amount] of Object.entries(need)) if ((this.available.get(name) ?? 0) < amount) return false;
    return true;
  }

  take(need: Resources): void {
    for (const [name, amount] of Object.entries(need)) this.available.set(name, (this.available.get(name) ?? 0) - amount);
  }

  give(need: Resources): void {
    for (const [name, amount] of Object.entries(need)) this.available.set(name, (this.available.get(name) ?? 0) + amount);
  }

  /** What is free now, per name. */
  free(): Resources {
    return Object.fromEntries(this.available);
  }
}
