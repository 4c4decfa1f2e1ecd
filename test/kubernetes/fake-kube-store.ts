/**
 * The storage of the FAKE Kubernetes API server (fake-kube-apiserver.ts): objects by
 * resource, namespace and name, one resourceVersion counter for everything (as etcd's
 * revision), and the history of changes that watches replay from a resourceVersion. The
 * history can be compacted, after which a watch from an older resourceVersion gets
 * "410 Gone" — as a real API server answers once etcd compacted.
 *
 * Label selectors (`a=b`, `a==b`, `a!=b`, `a`, `!a`, `a in (x,y)`, `a notin (x,y)`) and
 * field selectors (`metadata.name=x`, `involvedObject.name=x`, `a.b!=c`) select as the real
 * server selects.
 */
import { randomUUID } from "node:crypto";

export type Resource = "pods" | "services" | "secrets" | "events";

export interface ObjectMeta {
  name: string;
  namespace: string;
  uid: string;
  resourceVersion: string;
  creationTimestamp: string;
  generateName?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: Array<{ apiVersion: string; kind: string; name: string; uid: string; controller?: boolean; blockOwnerDeletion?: boolean }>;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
}

/** A stored object: plain JSON as the API server sends it. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

export type WatchEventType = "ADDED" | "MODIFIED" | "DELETED";

export interface StoreEvent {
  type: WatchEventType;
  resource: Resource;
  object: KubeObject;
  revision: number;
}

export class ConflictError extends Error {}

const key = (resource: Resource, namespace: string, name: string) => `${resource}/${namespace}/${name}`;

export class FakeKubeStore {
  private revision = 1000;
  private readonly objects = new Map<string, KubeObject>();
  private history: StoreEvent[] = [];
  /** Watches from a revision below this one are too old (410). */
  private oldestKept = 1000;
  private readonly listeners = new Set<(event: StoreEvent) => void>();
  private readonly undelivered: StoreEvent[] = [];
  private delivering = false;

  get currentRevision(): number {
    return this.revision;
  }

  get(resource: Resource, namespace: string, name: string): KubeObject | undefined {
    const found = this.objects.get(key(resource, namespace, name));
    return found ? structuredClone(found) : undefined;
  }

  list(resource: Resource, namespace: string | null, labelSelector?: string | null, fieldSelector?: string | null): KubeObject[] {
    const matchLabels = labelMatcher(labelSelector ?? "");
    const matchFields = fieldMatcher(fieldSelector ?? "");
    const prefix = namespace === null ? `${resource}/` : `${resource}/${namespace}/`;
    return [...this.objects.entries()]
      .filter(([k, object]) => k.startsWith(prefix) && matchLabels(object.metadata.labels ?? {}) && matchFields(object))
      .map(([, object]) => structuredClone(object));
  }

  create(resource: Resource, object: KubeObject): KubeObject {
    const { namespace, name } = object.metadata;
    if (this.objects.has(key(resource, namespace, name))) throw new ConflictError(`${resource} "${name}" already exists`);
    const stored: KubeObject = structuredClone(object);
    stored.metadata.uid = randomUUID();
    stored.metadata.creationTimestamp = new Date().toISOString().replace(/\.\d+Z$/, "Z");
    this.commit("ADDED", resource, stored);
    return structuredClone(stored);
  }

  /** Replaces the stored object (same name) with `object`, at a new resourceVersion. */
  update(resource: Resource, object: KubeObject): KubeObject {
    const { namespace, name } = object.metadata;
    const current = this.objects.get(key(resource, namespace, name));
    if (!current) throw new Error(`${resource} ${namespace}/${name} does not exist`);
    const stored: KubeObject = structuredClone(object);
    stored.metadata.uid = current.metadata.uid;
    stored.metadata.creationTimestamp = current.metadata.creationTimestamp;
    this.commit("MODIFIED", resource, stored);
    return structuredClone(stored);
  }

  /** Changes the stored object in place (`change` gets a copy) and commits it; returns the new version, or undefined if gone. */
  modify(resource: Resource, namespace: string, name: string, change: (object: KubeObject) => void): KubeObject | undefined {
    const current = this.get(resource, namespace, name);
    if (!current) return undefined;
    change(current);
    return this.update(resource, current);
  }

  remove(resource: Resource, namespace: string, name: string): KubeObject | undefined {
    const current = this.objects.get(key(resource, namespace, name));
    if (!current) return undefined;
    const removed: KubeObject = structuredClone(current);
    this.commit("DELETED", resource, removed);
    return structuredClone(removed);
  }

  private commit(type: WatchEventType, resource: Resource, object: KubeObject): void {
    this.revision++;
    object.metadata.resourceVersion = String(this.revision);
    const k = key(resource, object.metadata.namespace, object.metadata.name);
    if (type === "DELETED") this.objects.delete(k);
    else this.objects.set(k, object);
    const event: StoreEvent = { type, resource, object: structuredClone(object), revision: this.revision };
    this.history.push(event);
    // A listener may change the store while it is told (the kubelet binds a pod it is told
    // about): those events wait, so every listener sees every event in revision order.
    this.undelivered.push(event);
    if (this.delivering) return;
    this.delivering = true;
    try {
      for (let next = this.undelivered.shift(); next; next = this.undelivered.shift()) {
        for (const listener of this.listeners) listener(next);
      }
    } finally {
      this.delivering = false;
    }
  }

  /** Changes after `revision`, or "expired" when the history no longer reaches back that far. */
  eventsAfter(revision: number): StoreEvent[] | "expired" {
    if (revision < this.oldestKept) return "expired";
    return this.history.filter((event) => event.revision > revision).map((event) => structuredClone(event));
  }

  /** Forgets the history up to now (etcd compaction): a watch from any resourceVersion given so far gets 410 and must list again. */
  compact(): void {
    this.history = [];
    this.oldestKept = this.revision + 1;
  }

  subscribe(listener: (event: StoreEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

// ---- selectors ----

type LabelTest = (labels: Record<string, string>) => boolean;

/** A label selector as the API server parses it; a malformed one throws. */
export function labelMatcher(selector: string): LabelTest {
  const tests: LabelTest[] = [];
  for (const term of splitTerms(selector)) {
    let match: RegExpExecArray | null;
    if ((match = /^([\w./-]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(term))) {
      const [, name, op, list] = match;
      const values = new Set(list.split(",").map((v) => v.trim()));
      tests.push(op === "in" ? (l) => name in l && values.has(l[name]) : (l) => !(name in l) || !values.has(l[name]));
    } else if ((match = /^([\w./-]+)\s*(==|=|!=)\s*([\w./-]*)$/.exec(term))) {
      const [, name, op, value] = match;
      tests.push(op === "!=" ? (l) => l[name] !== value : (l) => l[name] === value);
    } else if ((match = /^(!?)([\w./-]+)$/.exec(term))) {
      const [, not, name] = match;
      tests.push(not ? (l) => !(name in l) : (l) => name in l);
    } else {
      throw new Error(`unable to parse requirement: "${term}"`);
    }
  }
  return (labels) => tests.every((test) => test(labels));
}

function splitTerms(selector: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let current = "";
  for (const char of selector) {
    if (char === "(") depth++;
    if (char === ")") depth--;
    if (char === "," && depth === 0) {
      terms.push(current.trim());
      current = "";
    } else current += char;
  }
  if (current.trim()) terms.push(current.trim());
  return terms;
}

function fieldMatcher(selector: string): (object: KubeObject) => boolean {
  const tests = splitTerms(selector).map((term) => {
    const match = /^([\w.]+)\s*(==|=|!=)\s*(.*)$/.exec(term);
    if (!match) throw new Error(`invalid field selector: "${term}"`);
    const [, path, op, value] = match;
    const read = (object: KubeObject) => String(path.split(".").reduce<unknown>((at, part) => (at as Record<string, unknown> | undefined)?.[part], object) ?? "");
    return op === "!=" ? (object: KubeObject) => read(object) !== value : (object: KubeObject) => read(object) === value;
  });
  return (object) => tests.every((test) => test(object));
}
