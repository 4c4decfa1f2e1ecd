/**
 * The scheduler's store of sampled stacks from the workers' compute threads: one entry per
 * (worker, task prefix, time bucket), as workers send them with their heartbeats. Entries
 * older than the newest `capacity` fall off, so a long-running scheduler stays small.
 * Queries merge the entries in a time range, optionally of one prefix or one worker, into
 * one tree plus one tree per worker (performance reports draw a flame graph per worker).
 */
import { emptyProfile, mergeProfile, readProfileSamples, type ProfileNode, type ProfileQuery, type ProfileResult } from "../../protocol/profile-tree.js";

export type { ProfileQuery, ProfileResult } from "../../protocol/profile-tree.js";

interface StoredEntry {
  worker: string;
  time: number;
  prefix: string;
  tree: ProfileNode;
}

export class ProfileStore {
  private entries: StoredEntry[] = [];
  private intervalMs = 10;

  constructor(private readonly capacity = 20_000) {}

  /** Adds what a worker sent; false when it was malformed (and ignored). */
  add(worker: string, samples: unknown): boolean {
    const checked = readProfileSamples(samples);
    if (!checked) return false;
    this.intervalMs = checked.intervalMs;
    for (const entry of checked.entries) this.entries.push({ worker, time: entry.time, prefix: entry.prefix, tree: entry.tree });
    if (this.entries.length > this.capacity * 1.25) this.entries.splice(0, this.entries.length - this.capacity);
    return true;
  }

  get size(): number {
    return this.entries.length;
  }

  query(query: ProfileQuery = {}): ProfileResult {
    const since = query.since ?? 0;
    const until = query.until ?? Infinity;
    const tree = emptyProfile();
    const byWorker: Record<string, ProfileNode> = {};
    const prefixes: Record<string, number> = {};
    const timeline = new Map<number, number>();
    for (const entry of this.entries) {
      if (entry.time < since || entry.time > until) continue;
      if (query.worker !== undefined && entry.worker !== query.worker) continue;
      prefixes[entry.prefix] = (prefixes[entry.prefix] ?? 0) + entry.tree.count;
      if (query.prefix !== undefined && entry.prefix !== query.prefix) continue;
      mergeProfile(tree, entry.tree);
      mergeProfile((byWorker[entry.worker] ??= emptyProfile()), entry.tree);
      const bucket = Math.floor(entry.time);
      timeline.set(bucket, (timeline.get(bucket) ?? 0) + entry.tree.count);
    }
    const times = [...timeline.entries()].sort((a, b) => a[0] - b[0]);
    return { intervalMs: this.intervalMs, since, until: Number.isFinite(until) ? until : (times.at(-1)?.[0] ?? since), tree, byWorker, prefixes, timeline: times };
  }
}
