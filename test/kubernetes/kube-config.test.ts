// Finding the API server (src/kubernetes/kube-config.ts): a kubeconfig file, $KUBECONFIG, a
// context other than the current one, and a pod's in-cluster service account — this last one
// against the FAKE API server, which checks the service account's token.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { KubeConfig } from "@kubernetes/client-node";
import { loadKubeConfig } from "../../src/kubernetes/kube-config.js";
import { KubeCluster, makePodSpec } from "../../src/kubernetes/index.js";
import { startFakeKube, storedObjects, testImage, type FakeKube } from "./fake-kube-fixture.js";

describe("loadKubeConfig", () => {
  let kube: FakeKube;
  before(async () => {
    kube = await startFakeKube({ kubeconfigNamespace: "lab", namespaces: ["default", "lab"] });
  });
  after(async () => {
    await kube?.close();
  });

  it("reads a kubeconfig file: server, context and the context's namespace", () => {
    const loaded = loadKubeConfig({ kubeconfig: kube.kubeconfig });
    assert.deepEqual([loaded.server, loaded.context, loaded.namespace, loaded.source], [kube.server.url, "fake", "lab", `kubeconfig ${kube.kubeconfig}`]);
  });

  it("reads $KUBECONFIG when no file is given, and names a file it lists that does not exist", () => {
    const saved = process.env.KUBECONFIG;
    try {
      process.env.KUBECONFIG = kube.kubeconfig;
      assert.equal(loadKubeConfig().server, kube.server.url);
      process.env.KUBECONFIG = join(kube.directory, "missing");
      assert.throws(() => loadKubeConfig(), /\$KUBECONFIG names .*missing, which does not exist/);
    } finally {
      if (saved === undefined) delete process.env.KUBECONFIG;
      else process.env.KUBECONFIG = saved;
    }
  });

  it("names a context that points at a cluster or user the file does not define", () => {
    const path = join(kube.directory, "dangling.kubeconfig");
    writeFileSync(path, "apiVersion: v1\nkind: Config\nclusters: []\nusers: []\ncontexts:\n- name: c\n  context: {cluster: nowhere, user: nobody}\ncurrent-context: c\n");
    assert.throws(() => loadKubeConfig({ kubeconfig: path }), /context "c" names cluster "nowhere", which the file does not define/);
  });

  it("runs a cluster with the in-cluster service account (token, CA, namespace files), as in a notebook pod", async () => {
    const account = join(kube.directory, "serviceaccount");
    mkdirSync(join(account, "var/run/secrets/kubernetes.io/serviceaccount"), { recursive: true });
    const files = join(account, "var/run/secrets/kubernetes.io/serviceaccount");
    writeFileSync(join(files, "token"), kube.server.token);
    writeFileSync(join(files, "ca.crt"), kube.server.ca);
    writeFileSync(join(files, "namespace"), "lab");
    const saved = { host: process.env.KUBERNETES_SERVICE_HOST, port: process.env.KUBERNETES_SERVICE_PORT };
    process.env.KUBERNETES_SERVICE_HOST = "127.0.0.1";
    process.env.KUBERNETES_SERVICE_PORT = new URL(kube.server.url).port;
    const config = new KubeConfig();
    try {
      config.loadFromCluster(account);
    } finally {
      for (const [name, value] of [["KUBERNETES_SERVICE_HOST", saved.host], ["KUBERNETES_SERVICE_PORT", saved.port]] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
    const cluster = await KubeCluster.fromPodSpec(makePodSpec({ image: testImage }), { kubeconfig: config, deployMode: "local", host: "127.0.0.1", dashboardAddress: false });
    try {
      assert.equal(cluster.namespace, "lab", "the service account's namespace");
      await cluster.scale(1);
      await cluster.waitForWorkers(1, { timeout: "120s" });
    } finally {
      await cluster.close();
    }
    assert.deepEqual(storedObjects(kube.server, "lab"), []);
  });
});
