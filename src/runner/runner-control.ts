/**
 * The client rank's two requests to the scheduler rank, sent with `runOnScheduler`: "I am
 * here" (from then on, the client rank's disappearance stops the cluster) and "terminate"
 * (the user's code is done with the cluster). The functions travel by source and reach the
 * scheduler rank's runner through a well-known global slot, so they work whatever module
 * path the user's script loaded tessera from.
 */

export interface SchedulerRankControl {
  clientAttached(): void;
  terminate(): void;
}

const slot = Symbol.for("tessera.runner.scheduler-rank");

export function installSchedulerRankControl(control: SchedulerRankControl): () => void {
  (globalThis as Record<symbol, unknown>)[slot] = control;
  return () => {
    delete (globalThis as Record<symbol, unknown>)[slot];
  };
}

/** Runs on the scheduler rank: self-contained, it reads only globals. */
export const announceClientRank = (): boolean => {
  const control = (globalThis as Record<symbol, unknown>)[Symbol.for("tessera.runner.scheduler-rank")] as SchedulerRankControl | undefined;
  if (!control) throw new Error("this scheduler was not started by a tessera runner (SLURMRunner/MPIRunner)");
  control.clientAttached();
  return true;
};

/** Runs on the scheduler rank: self-contained, it reads only globals. */
export const requestTermination = (): boolean => {
  const control = (globalThis as Record<symbol, unknown>)[Symbol.for("tessera.runner.scheduler-rank")] as SchedulerRankControl | undefined;
  control?.terminate();
  return control !== undefined;
};
