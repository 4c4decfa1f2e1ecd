/** What a worker's spilling has cost so far, reported in heartbeats and by the memory benchmark. */
/** Totals for the heartbeat and the benchmark. */
export interface SpillStatistics {
  spills: number;
  spilledBytesWritten: number;
  diskBytesWritten: number;
  spillSeconds: number;
  /** Seconds of spillSeconds spent on checksums. */
  checksumSeconds: number;
  unspills: number;
  unspilledBytes: number;
  unspillSeconds: number;
}

export function noSpillStatistics(): SpillStatistics {
  return { spills: 0, spilledBytesWritten: 0, diskBytesWritten: 0, spillSeconds: 0, checksumSeconds: 0, unspills: 0, unspilledBytes: 0, unspillSeconds: 0 };
}
