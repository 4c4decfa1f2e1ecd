/**
 * Deletion in the FAKE API server, as in a real one: a pod bound to the node is deleted
 * gracefully (it gets a deletionTimestamp; the kubelet stops its container and removes it),
 * anything else at once; with propagationPolicy Orphan the dependents lose their owner
 * reference; and the garbage collector deletes every object all of whose owners are gone.
 */
import type { FakeKubeStore, KubeObject, Resource, StoreEvent } from "./fake-kube-store.js";

/** Graceful deletion: a running pod gets a deletionTimestamp; the kubelet stops it and removes it. */
export function deletePod(store: FakeKubeStore, pod: KubeObject, graceSeconds: number | undefined): KubeObject | undefined {
  const { namespace, name } = pod.metadata;
  const spec = pod.spec as { nodeName?: string; terminationGracePeriodSeconds?: number };
  const phase = (pod.status as { phase?: string } | undefined)?.phase;
  const grace = graceSeconds ?? spec.terminationGracePeriodSeconds ?? 30;
  if (!spec.nodeName || phase === "Succeeded" || phase === "Failed" || grace === 0) return store.remove("pods", namespace, name);
  if (pod.metadata.deletionTimestamp) return pod;
  return store.modify("pods", namespace, name, (p) => {
    p.metadata.deletionTimestamp = new Date(Date.now() + grace * 1000).toISOString().replace(/\.\d+Z$/, "Z");
    p.metadata.deletionGracePeriodSeconds = grace;
  });
}

export function orphanDependents(store: FakeKubeStore, owner: KubeObject): void {
  for (const resource of ["pods", "services", "secrets"] as const) {
    for (const dependent of store.list(resource, owner.metadata.namespace)) {
      if (!dependent.metadata.ownerReferences?.some((ref) => ref.uid === owner.metadata.uid)) continue;
      store.modify(resource, dependent.metadata.namespace, dependent.metadata.name, (d) => {
        d.metadata.ownerReferences = d.metadata.ownerReferences?.filter((ref) => ref.uid !== owner.metadata.uid);
      });
    }
  }
}

/** The garbage collector: an object all of whose owners are gone is deleted. */
export function collectGarbage(store: FakeKubeStore, event: StoreEvent): void {
  if (event.type !== "DELETED") return;
  const gone = event.object.metadata.uid;
  for (const resource of ["pods", "services", "secrets"] as const) {
    for (const dependent of store.list(resource, event.object.metadata.namespace)) {
      const owners = dependent.metadata.ownerReferences ?? [];
      if (!owners.some((ref) => ref.uid === gone)) continue;
      const alive = owners.some((ref) => ["pods", "services", "secrets"].some((r) => store.list(r as Resource, dependent.metadata.namespace).some((o) => o.metadata.uid === ref.uid)));
      if (alive) continue;
      if (resource === "pods") deletePod(store, dependent, undefined);
      else store.remove(resource, dependent.metadata.namespace, dependent.metadata.name);
    }
  }
}
