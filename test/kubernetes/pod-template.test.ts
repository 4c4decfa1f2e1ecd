// Reading worker pod templates (src/kubernetes/pod-template.ts) and building the cluster's
// objects from them (src/kubernetes/cluster-objects.ts).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { checkPodTemplate } from "../../src/kubernetes/pod-template.js";
import { schedulerPod, schedulerService, workerPod, type ClusterIdentity } from "../../src/kubernetes/cluster-objects.js";
import { makePodSpec } from "../../src/kubernetes/index.js";

const identity: ClusterIdentity = { name: "tessera-ann-1", namespace: "lab", user: "ann", owner: { name: "tessera-ann-1-credential", uid: "u-1" } };
const podOptions = { env: {}, matchNodePurpose: "prefer" as const, tls: false };

describe("checkPodTemplate", () => {
  it("takes a bare PodSpec and fills in the worker command, the container name and restartPolicy Never", () => {
    const { pod } = checkPodTemplate({ containers: [{ image: "i" }] }, "spec");
    assert.deepEqual(pod.spec, { restartPolicy: "Never", containers: [{ image: "i", name: "tessera-worker", command: ["tessera", "worker"], args: ["$(TESSERA_SCHEDULER_ADDRESS)"] }] });
    assert.equal(pod.kind, "Pod");
  });

  it("keeps the user's command, restart policy and quantities written as numbers", () => {
    const { pod } = checkPodTemplate({
      kind: "Pod", metadata: { labels: { a: "b" } },
      spec: { restartPolicy: "OnFailure", containers: [{ name: "w", image: "i", args: ["tessera", "worker", "$(TESSERA_SCHEDULER_ADDRESS)", "--nthreads", "2"], resources: { limits: { cpu: 2, memory: 1073741824 } } }] },
    }, "spec");
    const container = pod.spec!.containers[0];
    assert.deepEqual(container.args, ["tessera", "worker", "$(TESSERA_SCHEDULER_ADDRESS)", "--nthreads", "2"]);
    assert.deepEqual(container.resources?.limits, { cpu: "2", memory: "1073741824" });
    assert.equal(pod.spec!.restartPolicy, "OnFailure");
  });

  it("a scheduler template needs no worker command: the cluster runs `tessera scheduler` in it", () => {
    const { pod } = checkPodTemplate({ spec: { containers: [{ image: "i", args: ["tessera", "scheduler"] }] } }, "s.yml", "scheduler");
    const container = schedulerPod({ pod, source: "s.yml" }, identity, { ...podOptions, idleTimeoutSeconds: null }).spec!.containers[0];
    assert.deepEqual(container.command, ["tessera", "scheduler"]);
    assert.equal(container.args?.[0], "--host");
    assert.throws(() => checkPodTemplate({ spec: { containers: [{ image: "i", args: ["tessera", "scheduler"] }] } }, "w.yml"), /never pass \$\(TESSERA_SCHEDULER_ADDRESS\)/);
  });

  it("refuses what the cluster sets itself, and pods read back from a cluster", () => {
    const base = { image: "i", args: ["tessera", "worker", "$(TESSERA_SCHEDULER_ADDRESS)"] };
    assert.throws(() => checkPodTemplate({ metadata: { name: "w" }, spec: { containers: [base] } }, "t.yml"), /t\.yml: metadata\.name is set; the cluster names each pod itself/);
    assert.throws(() => checkPodTemplate({ spec: { containers: [{ ...base, args: [...base.args, "--name", "w"] }] } }, "t.yml"), /t\.yml: spec\.containers\[0\] args set --name/);
    assert.throws(() => checkPodTemplate({ spec: { containers: [{ image: "i", args: ["tessera", "worker", "tcp://10.0.0.1:8786"] }] } }, "t.yml"), /never pass \$\(TESSERA_SCHEDULER_ADDRESS\)/);
    assert.throws(() => checkPodTemplate({ spec: { containers: [base] }, status: { phase: "Running" } }, "t.yml"), /status is set: this looks like a pod read back from a cluster/);
    assert.throws(() => checkPodTemplate({ metadata: { uid: "x" }, spec: { containers: [base] } }, "t.yml"), /metadata\.uid is set/);
    assert.throws(() => checkPodTemplate({ apiVersion: "v2", spec: { containers: [base] } }, "t.yml"), /apiVersion is "v2", a Pod's is "v1"/);
  });
});

describe("the cluster's objects", () => {
  const template = checkPodTemplate(makePodSpec({ image: "i", env: { A: "1" } }), "spec");

  it("a worker pod: labels, owner, name and address flags, the credential from the Secret, Dask's tolerations and node affinity", () => {
    const pod = workerPod(template, identity, "tessera-ann-1-worker-3", "tcp://10.1.2.3:8786", { ...podOptions, env: { B: "2" } });
    assert.equal(pod.metadata?.name, "tessera-ann-1-worker-3");
    assert.equal(pod.metadata?.namespace, "lab");
    assert.deepEqual(pod.metadata?.labels, {
      "app.kubernetes.io/managed-by": "tessera", "app.kubernetes.io/instance": "tessera-ann-1", "app.kubernetes.io/component": "worker", "tessera.dev/user": "ann",
    });
    assert.deepEqual(pod.metadata?.ownerReferences, [{ apiVersion: "v1", kind: "Secret", name: "tessera-ann-1-credential", uid: "u-1", blockOwnerDeletion: false }]);
    const container = pod.spec!.containers[0];
    assert.deepEqual(container.args?.slice(-4), ["--name", "tessera-ann-1-worker-3", "--host", "$(TESSERA_POD_IP)"]);
    assert.deepEqual(container.env?.map((e) => e.name), ["TESSERA_POD_IP", "TESSERA_POD_NAME", "TESSERA_SCHEDULER_ADDRESS", "TESSERA_CREDENTIAL", "A", "B"]);
    assert.deepEqual(pod.spec!.tolerations, [{ key: "tessera.dev/dedicated", operator: "Equal", value: "worker", effect: "NoSchedule" }]);
    assert.deepEqual(pod.spec!.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution, [
      { weight: 100, preference: { matchExpressions: [{ key: "tessera.dev/node-purpose", operator: "In", values: ["worker"] }] } },
    ]);
    assert.equal(template.pod.metadata?.name, undefined, "the template is not changed");
  });

  it("matchNodePurpose require/ignore, a worker that binds itself, and TLS files mounted from the Secret", () => {
    const custom = checkPodTemplate({ spec: { containers: [{ image: "i", args: ["tessera", "worker", "$(TESSERA_SCHEDULER_ADDRESS)", "--interface", "eth0"] }] } }, "spec");
    const required = workerPod(custom, identity, "w", "tls://a:1", { ...podOptions, matchNodePurpose: "require", tls: true });
    assert.equal(required.spec!.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms.length, 1);
    const args = required.spec!.containers[0].args!;
    assert.ok(!args.includes("--host"), "a worker given --interface is not told --host");
    assert.deepEqual(args.slice(-6), ["--tls-ca-file", "/var/run/tessera/ca.pem", "--tls-cert", "/var/run/tessera/cert.pem", "--tls-key", "/var/run/tessera/key.pem"]);
    assert.deepEqual(required.spec!.volumes, [{ name: "tessera-secret", secret: { secretName: "tessera-ann-1-credential", defaultMode: 0o400 } }]);
    assert.equal(workerPod(template, identity, "w", "tcp://a:1", { ...podOptions, matchNodePurpose: "ignore" }).spec!.affinity, undefined);
  });

  it("the remote scheduler: `tessera scheduler` on its pod IP with the credential file from the Secret, ready on /health; its Service", () => {
    const pod = schedulerPod(template, identity, { ...podOptions, idleTimeoutSeconds: 600 });
    const container = pod.spec!.containers[0];
    assert.deepEqual([container.name, ...container.command!, ...container.args!], [
      "tessera-scheduler", "tessera", "scheduler", "--host", "$(TESSERA_POD_IP)", "--port", "8786", "--dashboard-address", "$(TESSERA_POD_IP):8787",
      "--credential-file", "/var/run/tessera/credential", "--idle-timeout", "600s",
    ]);
    assert.deepEqual(container.readinessProbe?.httpGet, { path: "/health", port: 8787 });
    assert.equal(pod.metadata?.labels?.["app.kubernetes.io/component"], "scheduler");
    const service = schedulerService(identity, "ClusterIP");
    assert.deepEqual(service.spec?.selector, { "app.kubernetes.io/managed-by": "tessera", "app.kubernetes.io/instance": "tessera-ann-1", "app.kubernetes.io/component": "scheduler" });
    assert.deepEqual(service.spec?.ports?.map((p) => [p.name, p.port]), [["tcp-comm", 8786], ["http-dashboard", 8787]]);
  });
});
