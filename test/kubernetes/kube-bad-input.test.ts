// Bad input to KubeCluster, against the FAKE Kubernetes API server: each mistake is a clear
// error naming the file, field or namespace, and nothing is left behind — no object in the
// API server, no process, no listening socket.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { InvalidOptionError } from "../../src/core/errors.js";
import { KubeCluster, KubernetesApiError, makePodSpec } from "../../src/kubernetes/index.js";
import { startFakeKube, storedObjects, testImage, type FakeKube } from "./fake-kube-fixture.js";

/** Listening sockets of this process (a scheduler or dashboard left open would show here). */
const listeningSockets = () => process.getActiveResourcesInfo().filter((name) => name === "TCPServerWrap").length;

describe("KubeCluster: bad input", () => {
  let kube: FakeKube;
  let listening: number;
  before(async () => {
    kube = await startFakeKube({ namespaces: ["default", "locked", "pods-only-locked"] });
    kube.server.forbid("locked");
    kube.server.forbid("pods-only-locked", ["create"], ["pods"]);
    listening = listeningSockets();
  });
  after(async () => {
    await kube?.close();
  });

  function yamlFile(name: string, text: string): string {
    const path = join(kube.directory, name);
    writeFileSync(path, text);
    return path;
  }

  const local = () => ({ kubeconfig: kube.kubeconfig, deployMode: "local" as const, host: "127.0.0.1", dashboardAddress: false as const });

  async function refused(start: () => Promise<KubeCluster>, message: RegExp, kind: new (...args: never[]) => Error = InvalidOptionError): Promise<void> {
    await assert.rejects(start, (error: Error) => {
      assert.ok(error instanceof kind, `${kind.name} expected, got ${error.name}: ${error.message}`);
      assert.match(error.message, message);
      return true;
    });
    for (const namespace of ["default", "locked", "pods-only-locked"]) assert.deepEqual(storedObjects(kube.server, namespace), [], `nothing left in ${namespace}`);
    assert.deepEqual(kube.server.kubelet.runningProcesses(), []);
    assert.equal(listeningSockets(), listening, "no scheduler or dashboard left listening");
  }

  it("a YAML file that is not a pod spec names the file and what it is", async () => {
    const deployment = yamlFile("deployment.yml", "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\nspec: {replicas: 2}\n");
    await refused(() => KubeCluster.fromYaml(deployment, local()), new RegExp(`${deployment} is not a pod spec: kind is "Deployment" \\(take the pod template out of it\\)`));
    const list = yamlFile("list.yml", "- a\n- b\n");
    await refused(() => KubeCluster.fromYaml(list, local()), new RegExp(`${list} is not a pod spec: it is a list`));
    const broken = yamlFile("broken.yml", "spec:\n  containers: [\n");
    await refused(() => KubeCluster.fromYaml(broken, local()), new RegExp(`${broken}: not valid YAML \\(line \\d+, column \\d+\\)`));
    const noContainers = yamlFile("empty-spec.yml", "kind: Pod\nspec:\n  restartPolicy: Never\n");
    await refused(() => KubeCluster.fromYaml(noContainers, local()), /empty-spec\.yml is not a pod spec: spec\.containers is missing or empty/);
    await refused(() => KubeCluster.fromYaml(join(kube.directory, "absent.yml"), local()), /cannot read the pod template .*absent\.yml: ENOENT/);
  });

  it("fields the Kubernetes API does not have, and values of the wrong kind, are named with their path", async () => {
    const typo = yamlFile("typo.yml", [
      "kind: Pod", "spec:", "  restartPolicy: Never", "  containers:", `  - image: ${testImage}`,
      "    imagePullPolicyy: Always", "    args: [tessera, worker, $(TESSERA_SCHEDULER_ADDRESS), --nthreads, 2]", "",
    ].join("\n"));
    await refused(() => KubeCluster.fromYaml(typo, local()), /typo\.yml: spec\.containers\[0\]\.imagePullPolicyy is not a field of Container \(did you mean imagePullPolicy\?\); spec\.containers\[0\]\.args\[4\] expected a string \(quote it in YAML\), got the number 2/);
  });

  it("a missing image names the field; so does a Dask template", async () => {
    const noImage = yamlFile("no-image.yml", "kind: Pod\nspec:\n  containers:\n  - name: worker\n    args: [tessera, worker, $(TESSERA_SCHEDULER_ADDRESS)]\n");
    await refused(() => KubeCluster.fromYaml(noImage, local()), /no-image\.yml: spec\.containers\[0\]\.image is missing/);
    await refused(() => KubeCluster.fromPodSpec({ spec: { containers: [{ name: "w" }] } }, local()), /the worker pod spec: spec\.containers\[0\]\.image is missing/);
    assert.throws(() => makePodSpec({} as never), /makePodSpec: image is missing/);
    const dask = yamlFile("dask.yml", "kind: Pod\nspec:\n  containers:\n  - image: ghcr.io/dask/dask\n    args: [dask-worker, $(DASK_SCHEDULER_ADDRESS), --nthreads, '2']\n");
    await refused(() => KubeCluster.fromYaml(dask, local()), /dask\.yml: spec\.containers\[0\] runs a Dask worker/);
  });

  it("a kubeconfig without a current context names the file and its contexts", async () => {
    const kubeconfig = join(kube.directory, "no-context.kubeconfig");
    kube.server.writeKubeconfig(kubeconfig, { currentContext: null });
    await refused(
      () => KubeCluster.fromPodSpec(makePodSpec({ image: testImage }), { ...local(), kubeconfig }),
      new RegExp(`kubeconfig ${kubeconfig} has no current context \\(current-context is not set\\): choose one with \`kubectl config use-context <name>\` or the option context; its contexts: fake`),
    );
    await refused(
      () => KubeCluster.fromPodSpec(makePodSpec({ image: testImage }), { ...local(), kubeconfig, context: "prod" }),
      /context "prod" is not in kubeconfig .*no-context\.kubeconfig; its contexts: fake/,
    );
    await refused(() => KubeCluster.fromPodSpec(makePodSpec({ image: testImage }), { ...local(), kubeconfig: join(kube.directory, "nope") }), /kubeconfig .*nope does not exist/);
  });

  it("a namespace the user may not write to (403) names the namespace, before anything is created", async () => {
    await refused(
      () => KubeCluster.fromPodSpec(makePodSpec({ image: testImage }), { ...local(), namespace: "locked" }),
      /Kubernetes refused to list pods in namespace "locked" \(403 Forbidden\): pods is forbidden: User "tessera-tester" cannot list resource "pods" in API group "" in the namespace "locked"\..*Role in namespace "locked"/,
      KubernetesApiError,
    );
  });

  it("a namespace where pods may not be created: the Secret already made is deleted again", async () => {
    const creates = () => kube.server.requests.filter((r) => r.namespace === "pods-only-locked" && r.verb === "create").map((r) => `${r.resource} ${r.status}`);
    await refused(
      () => KubeCluster.fromPodSpec(makePodSpec({ image: testImage }), { ...local(), namespace: "pods-only-locked", nWorkers: 2 }),
      /Kubernetes refused to create pods in namespace "pods-only-locked" \(403 Forbidden\)/,
      KubernetesApiError,
    );
    assert.deepEqual(creates().sort(), ["pods 403", "pods 403", "secrets 201"], "the Secret was created, both pods refused");
    assert.ok(kube.server.requests.some((r) => r.namespace === "pods-only-locked" && r.verb === "delete" && r.resource === "secrets" && r.status === 200), "the Secret was deleted");
  });

  it("a namespace that does not exist, and an API server that cannot be reached, are named", async () => {
    await refused(
      () => KubeCluster.fromPodSpec(makePodSpec({ image: testImage }), { ...local(), namespace: "nowhere" }),
      /namespace "nowhere" does not exist on https:\/\/127\.0\.0\.1:\d+ \(kubeconfig .*, context fake\) \(404\): namespaces "nowhere" not found; create it or choose another \(option namespace\)/,
      KubernetesApiError,
    );
    const unreachable = join(kube.directory, "unreachable.kubeconfig");
    writeFileSync(unreachable, [
      "apiVersion: v1", "kind: Config", "clusters:", "- name: gone", "  cluster:", "    server: https://127.0.0.1:1", "users:", "- name: u", "  user:", "    token: t",
      "contexts:", "- name: gone", "  context:", "    cluster: gone", "    user: u", "current-context: gone", "",
    ].join("\n"));
    await refused(
      () => KubeCluster.fromPodSpec(makePodSpec({ image: testImage }), { ...local(), kubeconfig: unreachable }),
      /cannot reach the Kubernetes API server at https:\/\/127\.0\.0\.1:1 \(kubeconfig .*unreachable\.kubeconfig, context gone\) to list pods/,
      KubernetesApiError,
    );
  });

  it("unknown options and bad values are refused by name", async () => {
    const spec = makePodSpec({ image: testImage });
    await refused(() => KubeCluster.fromPodSpec(spec, { ...local(), nworkers: 2 } as never), /KubeCluster: unknown option "nworkers"/);
    await refused(() => KubeCluster.fromPodSpec(spec, { ...local(), deployMode: "cloud" as never }), /deployMode must be one of "local", "remote", got "cloud"/);
    await refused(() => KubeCluster.fromPodSpec(spec, { ...local(), name: "My_Cluster" }), /name "My_Cluster" cannot name Kubernetes objects/);
    await refused(() => KubeCluster.fromPodSpec(spec, { ...local(), host: "0.0.0.0" }), /host "0\.0\.0\.0" cannot be handed to worker pods/);
    assert.throws(() => makePodSpec({ image: testImage, memoryLimit: "100m" }), /unknown memory unit "m" in "100m" \(Kubernetes reads "m" as thousandths of a byte\)/);
    assert.throws(() => makePodSpec({ image: testImage, cpuLimit: "two" }), /cpuLimit: "two" is not a CPU quantity/);
    assert.throws(() => makePodSpec({ image: testImage, extraPodConfig: { restartpolicy: "Never" } }), /extraPodConfig\.restartpolicy is not a field of PodSpec/);
  });
});
