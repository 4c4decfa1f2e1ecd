/**
 * Sampled call stacks as workers send them and the scheduler keeps them (Dask's profile
 * trees): each node counts the samples whose stack passed through it (counts are inclusive,
 * so a node's children sum to at most its own count), keyed by
 * `identifier = "<function>;<file>;<line>"`; the root's identifier is "root". Merging adds
 * counts recursively. Samples are grouped by task prefix and by time bucket, so profiles
 * can be filtered by kind of task and by time range.
 */

export interface ProfileNode {
  identifier: string;
  name: string;
  filename: string;
  line: number;
  count: number;
  children: Record<string, ProfileNode>;
}

/** Samples of one task prefix taken during one time bucket (epoch seconds). */
export interface ProfileEntry {
  time: number;
  prefix: string;
  tree: ProfileNode;
}

/** What a worker sends with its heartbeat (op `profile-samples`). */
export interface ProfileSamples {
  /** Sampling interval in milliseconds: time ≈ count × interval. */
  intervalMs: number;
  entries: ProfileEntry[];
}

/** What to merge: a time range (epoch seconds), one task prefix, one worker. */
export interface ProfileQuery {
  since?: number;
  until?: number;
  prefix?: string;
  worker?: string;
}

/** The answer to `get-profile` and what client.profile() returns. */
export interface ProfileResult {
  intervalMs: number;
  since: number;
  until: number;
  /** Samples of every matching entry. */
  tree: ProfileNode;
  /** The same samples, one tree per worker address. */
  byWorker: Record<string, ProfileNode>;
  /** Sample counts per task prefix in the range (for a prefix selector). */
  prefixes: Record<string, number>;
  /** Sample counts per second, oldest first (for a time slider). */
  timeline: Array<[number, number]>;
}

export function emptyProfile(): ProfileNode {
  return { identifier: "root", name: "root", filename: "", line: 0, count: 0, children: {} };
}

/** Adds `source`'s counts into `target` (same identifiers merge). */
export function mergeProfile(target: ProfileNode, source: ProfileNode): ProfileNode {
  target.count += source.count;
  for (const [identifier, child] of Object.entries(source.children)) {
    let mine = target.children[identifier];
    if (!mine) {
      mine = { identifier, name: child.name, filename: child.filename, line: child.line, count: 0, children: {} };
      target.children[identifier] = mine;
    }
    mergeProfile(mine, child);
  }
  return target;
}

/** Adds one sampled stack (outermost frame first) to a tree. */
export function addStack(root: ProfileNode, stack: ReadonlyArray<{ name: string; filename: string; line: number }>, count = 1): void {
  let node = root;
  node.count += count;
  for (const frame of stack) {
    const identifier = `${frame.name};${frame.filename};${frame.line}`;
    let child = node.children[identifier];
    if (!child) {
      child = { identifier, name: frame.name, filename: frame.filename, line: frame.line, count: 0, children: {} };
      node.children[identifier] = child;
    }
    child.count += count;
    node = child;
  }
}

const limits = { depth: 1000, nodes: 200_000, text: 4096 };

function isNode(value: unknown, depth: number, budget: { nodes: number }): value is ProfileNode {
  if (depth > limits.depth || --budget.nodes < 0) return false;
  if (value === null || typeof value !== "object") return false;
  const node = value as Record<string, unknown>;
  if (typeof node.identifier !== "string" || node.identifier.length > limits.text) return false;
  if (typeof node.name !== "string" || node.name.length > limits.text) return false;
  if (typeof node.filename !== "string" || node.filename.length > limits.text) return false;
  if (typeof node.line !== "number" || typeof node.count !== "number" || !(node.count >= 0)) return false;
  if (node.children === null || typeof node.children !== "object" || Array.isArray(node.children)) return false;
  for (const child of Object.values(node.children as Record<string, unknown>)) {
    if (!isNode(child, depth + 1, budget)) return false;
  }
  return true;
}

/**
 * Checks samples that arrived from the network (the message schema leaves them opaque);
 * null when they are malformed or larger than any real profile.
 */
export function readProfileSamples(value: unknown): ProfileSamples | null {
  if (value === null || typeof value !== "object") return null;
  const samples = value as Record<string, unknown>;
  if (typeof samples.intervalMs !== "number" || !(samples.intervalMs > 0) || !Array.isArray(samples.entries)) return null;
  const budget = { nodes: limits.nodes };
  for (const entry of samples.entries as unknown[]) {
    if (entry === null || typeof entry !== "object") return null;
    const { time, prefix, tree } = entry as Record<string, unknown>;
    if (typeof time !== "number" || typeof prefix !== "string" || prefix.length > limits.text) return null;
    if (!isNode(tree, 0, budget)) return null;
  }
  return samples as unknown as ProfileSamples;
}
