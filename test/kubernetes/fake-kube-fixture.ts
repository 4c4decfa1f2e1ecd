/**
 * The FAKE Kubernetes cluster of the KubeCluster tests: a fake API server (with its fake
 * kubelet and kube-proxy) in this process, a kubeconfig file for it, and one image in its
 * fake registry, "tessera-worker:test", whose PATH has a `tessera` that runs this checkout's
 * CLI — what docker/Dockerfile's image has on its PATH.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { FakeKubeApiServer, type FakeKubeApiServerOptions } from "./fake-kube-apiserver.js";

export const testImage = "tessera-worker:test";

export interface FakeKube {
  server: FakeKubeApiServer;
  kubeconfig: string;
  directory: string;
  close(): Promise<void>;
}

export async function startFakeKube(options: FakeKubeApiServerOptions & { kubeconfigNamespace?: string } = {}): Promise<FakeKube> {
  const directory = mkdtempSync(join(tmpdir(), "tessera-fake-kube-"));
  const bin = join(directory, "image-bin");
  mkdirSync(bin);
  const cli = fileURLToPath(new URL("../../../bin/tessera.js", import.meta.url));
  writeFileSync(join(bin, "tessera"), `#!/bin/sh\nexec '${process.execPath}' '${cli}' "$@"\n`);
  chmodSync(join(bin, "tessera"), 0o755);
  const { kubeconfigNamespace, ...serverOptions } = options;
  const server = await FakeKubeApiServer.start({
    ...serverOptions,
    images: { [testImage]: { path: [bin], env: { TESSERA_LOG_LEVEL: process.env.TESSERA_LOG_LEVEL ?? "warn" } }, ...(options.images ?? {}) },
  });
  const kubeconfig = join(directory, "kubeconfig");
  server.writeKubeconfig(kubeconfig, { namespace: kubeconfigNamespace });
  return {
    server, kubeconfig, directory,
    close: async () => {
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

/** Objects of `namespace` the fake still stores (pods, services, secrets), as "pods/name". */
export function storedObjects(server: FakeKubeApiServer, namespace = "default"): string[] {
  return (["pods", "services", "secrets"] as const).flatMap((resource) => server.store.list(resource, namespace).map((object) => `${resource}/${object.metadata.name}`));
}

/** A test that waits for an event fails after this long instead of hanging (nothing here takes a tenth of it). */
const eventDeadlineMs = 120_000;

/** Resolves when `predicate` holds for a worker pod state the cluster reports (event-driven, via subscribe). */
export function workerStateSeen<T>(subscribe: (listener: (worker: T) => void) => () => void, predicate: (worker: T) => boolean): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`no worker pod reached the expected state within ${eventDeadlineMs / 1000} s`));
    }, eventDeadlineMs);
    const unsubscribe = subscribe((worker) => {
      if (!predicate(worker)) return;
      clearTimeout(timer);
      unsubscribe();
      resolve(worker);
    });
  });
}

/** Resolves once `predicate` holds for the fake's store, checked now and after each change (no polling). */
export function storeReaches(server: FakeKubeApiServer, predicate: () => boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    if (predicate()) return resolve();
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`the fake API server's objects did not reach the expected state within ${eventDeadlineMs / 1000} s`));
    }, eventDeadlineMs);
    const unsubscribe = server.store.subscribe(() => {
      if (!predicate()) return;
      clearTimeout(timer);
      unsubscribe();
      resolve();
    });
  });
}

/** `promise`, or a failure naming `what` after the event deadline (a test fails instead of hanging). */
export function within<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not happen within ${eventDeadlineMs / 1000} s`)), eventDeadlineMs);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}
