// The FAKE Kubernetes API server itself, driven by @kubernetes/client-node as a real one is:
// the REST verbs and their Status refusals, the watch protocol (order, selectors, resume,
// 410), graceful deletion and garbage collection, and its kubelet running real processes.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { request as httpsRequest } from "node:https";
import { ApiException, CoreV1Api, KubeConfig, Watch, type V1Pod } from "@kubernetes/client-node";
import { startFakeKube, storeReaches, type FakeKube } from "./fake-kube-fixture.js";

const shell = "fake-shell:1";

describe("the fake Kubernetes API server", () => {
  let kube: FakeKube;
  let core: CoreV1Api;
  let config: KubeConfig;
  before(async () => {
    kube = await startFakeKube({ images: { [shell]: { path: ["/usr/bin", "/bin"] } }, backoffMs: 50, memoryCheckMs: 50 });
    config = new KubeConfig();
    config.loadFromFile(kube.kubeconfig);
    core = config.makeApiClient(CoreV1Api);
  });
  after(async () => {
    await kube?.close();
    assert.deepEqual(kube.server.schemaProblems, [], "everything the fake sent fits the Kubernetes schema");
  });

  const namespace = "default";
  const shellPod = (name: string, script: string, extra: Partial<V1Pod["spec"]> = {}, labels: Record<string, string> = {}): V1Pod => ({
    apiVersion: "v1", kind: "Pod", metadata: { name, labels },
    spec: { restartPolicy: "Never", containers: [{ name: "main", image: shell, command: ["sh", "-c", script] }], ...extra },
  });
  const status = async (request: Promise<unknown>) => {
    try {
      await request;
      return 200;
    } catch (error) {
      return (error as ApiException<unknown>).code;
    }
  };
  /** A request as any HTTP client makes it (the fake's CA trusted, its token sent). */
  function rawRequest(method: string, path: string, body: unknown): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const url = new URL(path, kube.server.url);
      const request = httpsRequest({ host: url.hostname, port: url.port, path: url.pathname, method, ca: kube.server.ca, headers: { authorization: `Bearer ${kube.server.token}`, "content-type": "application/json" } }, (response) => {
        let text = "";
        response.on("data", (chunk: Buffer) => (text += chunk.toString()));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, body: text }));
      });
      request.once("error", reject);
      request.end(JSON.stringify(body));
    });
  }
  const phaseOf = (name: string) => (kube.server.store.get("pods", namespace, name)?.status as { phase?: string } | undefined)?.phase;

  it("creates, reads, refuses a second create (409) and an unknown name (404), with Status objects", async () => {
    const secret = await core.createNamespacedSecret({ namespace, body: { apiVersion: "v1", kind: "Secret", metadata: { generateName: "s-" }, data: { k: "dg==" } } });
    assert.match(secret.metadata?.name ?? "", /^s-[a-z0-9]{5}$/);
    assert.ok(Number(secret.metadata?.resourceVersion) > 0 && secret.metadata?.uid);
    const read = await core.readNamespacedSecret({ name: secret.metadata!.name!, namespace });
    assert.equal(read.metadata?.uid, secret.metadata?.uid);
    const again = await core.createNamespacedSecret({ namespace, body: { apiVersion: "v1", kind: "Secret", metadata: { name: secret.metadata!.name } } }).catch((e: ApiException<string>) => e);
    assert.ok(again instanceof ApiException);
    assert.equal(again.code, 409);
    assert.match(JSON.stringify(again.body), /AlreadyExists/);
    assert.equal(await status(core.readNamespacedPod({ name: "nope", namespace })), 404);
    await core.deleteNamespacedSecret({ name: secret.metadata!.name!, namespace });
    assert.equal(await status(core.readNamespacedSecret({ name: secret.metadata!.name!, namespace })), 404);
  });

  it("refuses a wrong token (401), unknown fields (400, the client would drop them), and invalid names (422)", async () => {
    const wrong = new KubeConfig();
    wrong.loadFromString(config.exportConfig().replace(kube.server.token, "not-the-token"));
    assert.equal(await status(wrong.makeApiClient(CoreV1Api).listNamespacedPod({ namespace })), 401);
    // The client drops fields its models do not know; a raw request shows what the server does with them.
    const typo = { apiVersion: "v1", kind: "Pod", metadata: { name: "typo" }, spec: { containers: [{ name: "c", image: shell, imagePullPolicyy: "Always" }] } };
    const refused = await rawRequest("POST", "/api/v1/namespaces/default/pods", typo);
    assert.equal(refused.status, 400);
    assert.match(refused.body, /strict decoding error: unknown field \\"spec.containers\[0\].imagePullPolicyy\\"","reason":"BadRequest"/);
    assert.equal(await status(core.createNamespacedPod({ namespace, body: shellPod("Bad_Name", "true") })), 422);
  });

  it("streams watch events in order, filtered by label selector, and resumes from a resourceVersion", async () => {
    const list = await core.listNamespacedPod({ namespace, labelSelector: "app=watched" });
    const events: string[] = [];
    const watch = new Watch(config);
    let resolveDone: () => void = () => {};
    const done = new Promise<void>((resolve) => (resolveDone = resolve));
    const controller = await watch.watch(`/api/v1/namespaces/${namespace}/pods`, { labelSelector: "app=watched", resourceVersion: list.metadata?.resourceVersion }, (type, object: V1Pod) => {
      events.push(`${type} ${object.metadata?.name} ${object.status?.phase ?? "-"}`);
      if (type === "DELETED") resolveDone();
    }, () => {});
    await core.createNamespacedPod({ namespace, body: shellPod("other", "true") });
    await core.createNamespacedPod({ namespace, body: shellPod("watched", "exit 0", {}, { app: "watched" }) });
    await storeReaches(kube.server, () => phaseOf("watched") === "Succeeded");
    await core.deleteNamespacedPod({ name: "watched", namespace });
    await done;
    controller.abort();
    assert.ok(events.every((event) => event.includes(" watched ")), `only the selected pod: ${events.join("; ")}`);
    assert.equal(events[0], "ADDED watched Pending");
    assert.ok(events.includes("MODIFIED watched Running"));
    assert.ok(events.includes("MODIFIED watched Succeeded"));
    assert.equal(events.at(-1), "DELETED watched Succeeded");
    await core.deleteNamespacedPod({ name: "other", namespace });
    await storeReaches(kube.server, () => kube.server.store.list("pods", namespace).length === 0);
  });

  it("answers a watch from a compacted resourceVersion with 410 Gone", async () => {
    const list = await core.listNamespacedPod({ namespace });
    kube.server.compactHistory();
    const events: Array<{ type: string; code?: number }> = [];
    await new Promise<void>((resolve) => {
      void new Watch(config).watch(`/api/v1/namespaces/${namespace}/pods`, { resourceVersion: list.metadata?.resourceVersion }, (type, object: { code?: number }) => {
        events.push({ type, code: object.code });
      }, () => resolve());
    });
    assert.deepEqual(events, [{ type: "ERROR", code: 410 }]);
  });

  it("runs the container as a process with its environment from the Secret and the downward API, and serves its log", async () => {
    await core.createNamespacedSecret({ namespace, body: { apiVersion: "v1", kind: "Secret", metadata: { name: "token" }, data: { value: Buffer.from("s3cret").toString("base64") } } });
    await core.createNamespacedPod({ namespace, body: {
      apiVersion: "v1", kind: "Pod", metadata: { name: "env2" },
      spec: {
        restartPolicy: "Never", volumes: [{ name: "t", secret: { secretName: "token", defaultMode: 0o400 } }],
        containers: [{
          name: "main", image: shell, command: ["sh", "-c", 'echo "$TOKEN $MY_NAME $MY_IP $(cat /etc/token/value)"'],
          env: [
            { name: "TOKEN", valueFrom: { secretKeyRef: { name: "token", key: "value" } } },
            { name: "MY_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
            { name: "MY_IP", valueFrom: { fieldRef: { fieldPath: "status.podIP" } } },
          ],
          volumeMounts: [{ name: "t", mountPath: "/etc/token", readOnly: true }],
        }],
      },
    } });
    await storeReaches(kube.server, () => phaseOf("env2") === "Succeeded");
    const podIp = (kube.server.store.get("pods", namespace, "env2")!.status as { podIP: string }).podIP;
    assert.match(podIp, /^127\.\d+\.\d+\.\d+$/);
    assert.equal((await core.readNamespacedPodLog({ name: "env2", namespace })).trim(), `s3cret env2 ${podIp} s3cret`);
    const events = await core.listNamespacedEvent({ namespace, fieldSelector: "involvedObject.kind=Pod,involvedObject.name=env2" });
    assert.deepEqual(events.items.map((e) => e.reason), ["Scheduled", "Pulled", "Started"], "the kubelet's events, selected by field");
    await core.deleteNamespacedPod({ name: "env2", namespace });
    await core.deleteNamespacedSecret({ name: "token", namespace });
  });

  it("stops a deleted pod's process with SIGTERM, gracefully, then removes the pod", async () => {
    // A node process that is Ready once it listens (httpGet probe), and says goodbye on SIGTERM.
    const script = "const s = require('http').createServer((q, r) => r.end('ok')).listen(8080, process.env.MY_IP);" +
      "process.on('SIGTERM', () => { console.log('got TERM'); s.close(); });";
    await core.createNamespacedPod({ namespace, body: {
      apiVersion: "v1", kind: "Pod", metadata: { name: "graceful" },
      spec: { restartPolicy: "Never", containers: [{
        name: "main", image: shell, command: [process.execPath, "-e", script],
        env: [{ name: "MY_IP", valueFrom: { fieldRef: { fieldPath: "status.podIP" } } }],
        readinessProbe: { httpGet: { path: "/", port: 8080 }, periodSeconds: 1 },
      }] },
    } });
    const ready = () => ((kube.server.store.get("pods", namespace, "graceful")?.status as { conditions?: Array<{ type: string; status: string }> } | undefined)?.conditions ?? [])
      .some((c) => c.type === "Ready" && c.status === "True");
    await storeReaches(kube.server, ready);
    const deleted = await core.deleteNamespacedPod({ name: "graceful", namespace });
    assert.ok(deleted.metadata?.deletionTimestamp, "a running pod is deleted gracefully: it gets a deletionTimestamp first");
    await storeReaches(kube.server, () => !kube.server.store.get("pods", namespace, "graceful"));
    assert.match(kube.server.kubelet.logOf(namespace, "graceful") ?? "", /got TERM/);
    assert.deepEqual(kube.server.kubelet.runningProcesses(), []);
  });

  it("garbage-collects the objects a deleted owner owned", async () => {
    const owner = await core.createNamespacedSecret({ namespace, body: { apiVersion: "v1", kind: "Secret", metadata: { name: "owner" } } });
    const ownerReferences = [{ apiVersion: "v1", kind: "Secret", name: "owner", uid: owner.metadata!.uid! }];
    await core.createNamespacedPod({ namespace, body: { ...shellPod("owned", "sleep 30"), metadata: { name: "owned", ownerReferences } } });
    await core.createNamespacedService({ namespace, body: { apiVersion: "v1", kind: "Service", metadata: { name: "owned", ownerReferences }, spec: { selector: { a: "b" }, ports: [{ port: 9999 }] } } });
    await core.deleteNamespacedSecret({ name: "owner", namespace, propagationPolicy: "Background" });
    await storeReaches(kube.server, () => kube.server.store.list("pods", namespace).length === 0 && kube.server.store.list("services", namespace).length === 0);
  });
});
